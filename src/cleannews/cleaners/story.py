"""Metadata read from the story's own paragraphs: the dateline that opens it and a closing wire credit.

The paragraphs are not edited; the values are copied into ``metadata.dateline`` and ``metadata.source``.
"""

from __future__ import annotations

import re
from typing import ClassVar

import attrs

from ..document import Document

_MON = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_PLACE = r"[A-Z][\w.'’-]*(?:[ -][A-Z][\w.'’-]*){0,3}"
_DATELINES = (
    # "Moscow, Jun 4:" / "SHILLONG, Sept 2 —"
    re.compile(rf"^(?P<dl>{_PLACE}(?:, {_PLACE})?, {_MON} \d{{1,2}}(?:, \d{{4}})?)\s*[:—–-]\s"),
    # "WASHINGTON (Reuters) -" / "KYIV, Ukraine (AP) —"
    re.compile(
        r"^(?P<dl>[A-Z][A-Z.'’ -]{2,40}(?:, [A-Z][\w.'’ -]{1,30})?)\s*\((?P<agency>[\w .&-]{2,30})\)\s*[—–-]+\s"
    ),
)
_AGENCIES = (
    "AP|AFP|Reuters|PTI|IANS|ANI|EFE|dpa|DPA|UPI|Xinhua|TASS|Tass|Bloomberg|Yonhap|Kyodo|ANSA|Anadolu|"
    "Sputnik|RIA|Interfax|Bernama|UNI|Lusa|WAM|KUNA|SPA|CNA|AAP|PA|IRNA|APA|BSS|AA"
)
_TRAILING_AGENCY = re.compile(rf"\((?P<agency>{_AGENCIES})\)\s*$")


@attrs.frozen
class Story:
    """Copies the dateline of the first body paragraph and a "(AP)"-style credit ending the last one."""

    name: ClassVar[str] = "story"

    def __call__(self, doc: Document) -> None:
        body = [b for b in doc.blocks if doc.kind_of(b.index) in (None, "body") and b.zone == "main"]
        if not body:
            return
        for pattern in _DATELINES:
            match = pattern.match(body[0].text)
            if match:
                doc.set_meta("dateline", match.group("dl").strip())
                if match.groupdict().get("agency"):
                    doc.set_meta("source", match.group("agency").strip())
                break
        tail = _TRAILING_AGENCY.search(body[-1].text)
        if tail:
            doc.set_meta("source", tail.group("agency"))

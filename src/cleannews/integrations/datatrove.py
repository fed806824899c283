"""cleannews as a datatrove pipeline step, where FineWeb puts its extractor.

>>> from datatrove.executor import LocalPipelineExecutor
>>> from datatrove.pipeline.readers import WarcReader
>>> from datatrove.pipeline.writers import JsonlWriter
>>> from cleannews.integrations.datatrove import CleannewsExtractor
>>> LocalPipelineExecutor(  # doctest: +SKIP
...     pipeline=[WarcReader("crawl/"), CleannewsExtractor(config="cleannews.toml"), JsonlWriter("out/")],
...     tasks=8,
... ).run()

:class:`CleannewsExtractor` reads each document's ``text`` (HTML from a WARC response, or the text of
a WET record), and writes the article's body back to ``text`` and the rest of the article (title,
paragraphs, comments, language, metadata, removals, fixes, warnings, mode, extractor) to
``metadata["cleannews"]``. A document with no article is dropped and counted in the step's stats
under its reason: ``dropped_timeout``, ``dropped_worker_crashed``, ``dropped_error`` (binary data, a
document that could not be read), ``dropped_no_text`` (nothing to clean), ``dropped_no_article``
(cleaned, but no body left); an ``exclusion_writer`` gets the dropped documents, with the reason in
``metadata["cleannews_dropped"]``.

Each task cleans its documents in one child process with a per-document ``timeout`` (as datatrove's
own extractors do); the config is read and checked when the step is made, and each task's process
builds the chain once. Needs ``pip install "cleannews[datatrove]"``.
"""

from __future__ import annotations

import contextlib
from typing import Any

try:
    from datatrove.data import Document, DocumentsPipeline
    from datatrove.pipeline.extractors.base import BaseExtractor
    from datatrove.pipeline.writers.disk_base import DiskWriter
    from datatrove.utils.typeshelper import StatHints
except ImportError as exc:  # pragma: no cover - the extra is not installed
    raise ImportError(
        f'{exc}: cleannews.integrations.datatrove needs the datatrove extra: pip install "cleannews[datatrove]"'
    ) from exc

from ..pipeline import clean
from . import schema
from .common import DEFAULT_TIMEOUT, Config, chain_of, clean_paired, document_record, make_options

__all__ = ["CleannewsExtractor"]

#: the article's fields that go to ``metadata[metadata_key]``: all but the body (in ``text``) and ``error``
METADATA_FIELDS = tuple(name for name in schema.ARTICLE.names if name != "body")


class CleannewsExtractor(BaseExtractor):  # type: ignore[misc]  # datatrove has no type hints
    """Clean each document's ``text`` into an article: its body to ``text``, the rest to metadata.

    ``mode``, ``config`` and ``comments`` as in :func:`cleannews.clean_record` (``config``: a
    mapping, or a TOML file's path, read here); ``timeout``: seconds one document may take (then it
    is dropped as ``dropped_timeout``; ``None``: no limit, cleaned in the task's own process);
    ``metadata_key``: where the article goes in ``metadata``.
    """

    name = "🧹 cleannews"
    type = "🛢 - EXTRAC"

    def __init__(
        self,
        *,
        mode: str = "auto",
        config: Config = None,
        comments: bool = True,
        timeout: float | None = DEFAULT_TIMEOUT,
        metadata_key: str = "cleannews",
        exclusion_writer: DiskWriter | None = None,
    ) -> None:
        super().__init__(timeout=timeout)
        self.options = make_options(field="text", mode=mode, config=config, comments=comments, timeout=timeout)
        self.metadata_key = metadata_key
        self.exclusion_writer = exclusion_writer

    def extract(self, text: str) -> str:
        """The article body of one document (what datatrove's extractors return), cleaned in this process."""
        options = self.options
        return clean(text, format=options.mode, chain=chain_of(options.config), comments=options.comments).body

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data is None:
            return
        writing = self.exclusion_writer if self.exclusion_writer is not None else contextlib.nullcontext()
        with writing as excluded:
            results = clean_paired(data, _record, self.options)
            while True:
                with self.track_time():
                    item = next(results, None)
                if item is None:
                    return
                doc, record = item
                self.stat_update(StatHints.total)
                reason = _drop_reason(record)
                if reason is not None:
                    self.stat_update(StatHints.dropped)
                    self.stat_update(f"dropped_{reason}")
                    if excluded is not None:
                        doc.metadata["cleannews_dropped"] = record["error"] or reason
                        excluded.write(doc, rank)
                    continue
                self.stat_update("extracted")
                doc.text = record["body"]
                doc.metadata[self.metadata_key] = {name: record[name] for name in METADATA_FIELDS}
                self.stat_update(StatHints.forwarded)
                self.update_doc_stats(doc)
                yield doc


def _record(doc: Document) -> dict[str, Any]:
    return document_record("text", doc.text, (doc.metadata or {}).get("url"))


def _drop_reason(record: dict[str, Any]) -> str | None:
    """Why a cleaned record is no article (a stat name), or ``None`` when it is one."""
    error = record["error"]
    if error is not None:
        if error.startswith("timed out"):
            return "timeout"
        if error.startswith("worker"):
            return "worker_crashed"
        return "error"
    if record["body"]:
        return None
    return "no_text" if "no text found in the input" in record["warnings"] else "no_article"

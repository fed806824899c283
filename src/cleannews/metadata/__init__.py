"""Metadata of an article — headline, authors, dates, site, section, tags, description, image,
canonical URL, language — from every source a page has, merged by precedence with each value's source
recorded (see ``docs/metadata.md``)."""

from __future__ import annotations

from .candidates import PRECEDENCE, Candidate, Merged, merge
from .html import headline
from .values import author_names, iso_date

__all__ = ["PRECEDENCE", "Candidate", "Merged", "author_names", "headline", "iso_date", "merge"]

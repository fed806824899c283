"""cleannews: clean news text and HTML into an article, with a record of everything removed and why.

>>> import cleannews
>>> article = cleannews.clean("Title here\\n\\nadvertisement\\n\\nThe story itself, in a sentence.")
>>> article.title, article.paragraphs, [r.kind for r in article.removed]
('Title here', ('The story itself, in a sentence.',), ['ad'])
"""

from __future__ import annotations

from .batch import Failure, clean_many, clean_record, clean_records
from .chain import DEFAULT_CLEANERS, Chain
from .cleaners.base import Cleaner
from .document import Block, Document, Label
from .errors import CleannewsError, ConfigError, UnknownCleanerError
from .model import Article, Comment, Fix, Metadata, Removal
from .pipeline import clean

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_CLEANERS",
    "Article",
    "Block",
    "Chain",
    "Cleaner",
    "CleannewsError",
    "Comment",
    "ConfigError",
    "Document",
    "Failure",
    "Fix",
    "Label",
    "Metadata",
    "Removal",
    "UnknownCleanerError",
    "__version__",
    "clean",
    "clean_many",
    "clean_record",
    "clean_records",
]

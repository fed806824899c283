"""Batch cleaning: many documents, in input order, in parallel, never stopping on bad data.

Two entry points for library users (also exported as ``cleannews.clean_many`` …):

- :func:`clean_many` — an iterable of documents (str, bytes, or record dicts) in, an iterator of
  :class:`~cleannews.Article` (or :class:`Failure`) out, in the same order, on ``jobs`` processes;
- :func:`clean_record` — one record dict in, one output dict out: pure, for mapping over the
  partitions of a pandas, Dask or Spark data frame (see ``docs/batch.md``);
- :func:`clean_records` — :func:`clean_record` over many records, in order, with a per-record
  timeout isolating hangs and crashes in a worker process (what :mod:`cleannews.integrations` runs).

The modules, in the order a document meets them (each imports only those before it):

- :mod:`.tasks` — :class:`~.tasks.Task`, one document to clean, and the readers' skip counts;
- :mod:`.warc`, :mod:`.sources` — lazy readers turning WARC files, and files, folders, stdin and
  JSON lines, into tasks;
- :mod:`.pool` — an order-preserving process pool with per-item deadlines and crash recovery;
- :mod:`.records` — :func:`clean_record`, :func:`clean_many`, :class:`Failure`;
- :mod:`.writers` — output formats (JSON lines, JSON, text, Markdown; one file per document);
- :mod:`.run` — what ``cleannews clean`` runs in its workers (:func:`~.run.process_task`, output
  rendered in the worker) and in order (:func:`~.run.iter_done`).
"""

from __future__ import annotations

from .records import Failure, clean_many, clean_record, clean_records

__all__ = ["Failure", "clean_many", "clean_record", "clean_records"]

"""Output formats for results: JSON lines, a JSON array, plain text, Markdown."""

from __future__ import annotations

from typing import Any, BinaryIO

import orjson

FORMATS = ("jsonl", "json", "txt", "md")


def result_record(source: str, article: dict[str, Any] | None, error: str | None = None, **extra: Any) -> dict[str, Any]:
    """The record for one document: ``source``, carried fields, the article's fields, and ``error``."""
    record: dict[str, Any] = {"source": source, **extra}
    if article is not None:
        record.update(article)
    record["error"] = error
    return record


def render_txt(record: dict[str, Any]) -> str:
    if record.get("error"):
        return f"# error: {record['error']}\n"
    parts = [record["title"]] if record.get("title") else []
    parts += list(record.get("paragraphs", ()))
    text = "\n\n".join(parts) + "\n"
    comments = record.get("comments") or []
    if comments:
        text += "\n---\n\n" + "\n\n".join(_comment_line(c) for c in comments) + "\n"
    return text


def _comment_line(comment: dict[str, Any]) -> str:
    who = " · ".join(x for x in (comment.get("author"), comment.get("time")) if x)
    return f"[{who}] {comment['text']}" if who else str(comment["text"])


def render_md(record: dict[str, Any]) -> str:
    if record.get("error"):
        return f"<!-- error: {record['error']} -->\n"
    out: list[str] = []
    if record.get("title"):
        out.append(f"# {record['title']}")
    meta = record.get("metadata") or {}
    facts = [f"{k}: {meta[k]}" for k in ("author", "published", "dateline", "source", "site", "url") if meta.get(k)]
    if facts:
        out.append("*" + " · ".join(facts) + "*")
    out += list(record.get("paragraphs", ()))
    comments = record.get("comments") or []
    if comments:
        out.append("## Comments")
        out += ["> " + _comment_line(c).replace("\n", "\n> ") for c in comments]
    return "\n\n".join(out) + "\n"


class Writer:
    """Writes records to a binary stream in one of :data:`FORMATS`; ``close()`` ends a JSON array."""

    def __init__(self, stream: BinaryIO, fmt: str) -> None:
        self.stream = stream
        self.fmt = fmt
        self.count = 0

    def write(self, record: dict[str, Any]) -> None:
        if self.fmt == "jsonl":
            self.stream.write(orjson.dumps(record) + b"\n")
        elif self.fmt == "json":
            self.stream.write((b"[\n" if self.count == 0 else b",\n") + orjson.dumps(record, option=orjson.OPT_INDENT_2))
        else:
            text = render_txt(record) if self.fmt == "txt" else render_md(record)
            header = f"==> {record.get('source')} <==\n\n" if self.fmt == "txt" else f"<!-- {record.get('source')} -->\n\n"
            self.stream.write(((b"\n" if self.count else b"") + header.encode("utf-8")) + text.encode("utf-8"))
        self.count += 1
        self.stream.flush()

    def close(self) -> None:
        if self.fmt == "json":
            self.stream.write(b"[\n]\n" if self.count == 0 else b"\n]\n")
        self.stream.flush()

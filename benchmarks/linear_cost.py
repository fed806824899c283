"""Linear cost: does one document cost the same per MB at 1 MB as at 16 MB? (issue 14)

Not a unit test: it takes minutes. It generates news pages of 1, 2, 4, 8 and 16 MB (``--sizes``), as
plain text, as HTML (paragraphs of ~600 bytes in ``<p>``) and as ``html-divs`` (issue 14's slow shape:
blocks of ~300 bytes, each in ``<div><p>…</p></div>``), the same way every run (a fixed seed; nothing is downloaded or read from the
repository's data), and cleans each one with ``cleannews.clean(bytes)`` in a fresh process, one at a
time, measuring:

- the wall-clock and CPU time of the ``clean()`` call (with ``--repeat N``, of the fastest of N
  fresh processes);
- the process's peak resident memory (``ru_maxrss``), and that peak less the resident memory of the
  warm process before the page was read (imports, rule plans, the page model: some 100 MB), which is
  what the page itself cost;
- the blocks the page became, and whether any warning was given (a page is never cut here: the
  paragraphs are long enough that 16 MB stays under the 50,000-block limit).

Per MB figures (CPU seconds per MB, MB of memory above the warm process per MB of input) should be
flat: within 1.5x from the smallest page to the largest. The last lines say, per mode, the spread of
each (max/min over the sizes): ``flat`` when both are within 1.5x; else ``NOT flat``, saying whether
the largest page costs the most per MB (the cost grows faster than the size) or a smaller one does. A run past ``--timeout``
seconds is stopped and reported as such (with the figures of a page that big, the cost is not linear).

    python benchmarks/linear_cost.py                        # text and HTML, 1-16 MB
    python benchmarks/linear_cost.py --modes text --sizes 1,4,16 --json /tmp/linear.json
    python benchmarks/linear_cost.py --repeat 3     # each page 3 times, the fastest kept (a busy machine)

Output: one Markdown table row per page, then the verdict lines. Columns:

| column | what |
|---|---|
| mode, MB | the page (``text``, ``html``, ``html-divs``) and its size in MB (2**20 bytes) |
| blocks | the blocks it became (lines of text, HTML blocks) |
| s | wall-clock seconds of ``clean()`` |
| s/MB, CPU s/MB | seconds per MB, wall clock and CPU |
| peak RSS | the process's peak resident memory, MB |
| RSS +MB/MB | the peak less the warm process's memory, per MB of input |
| time x, memory x | CPU s/MB and RSS +MB/MB over those of the smallest page of the mode (CPU time: on a shared machine the wall clock says more about the neighbours) |
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FLAT = 1.5

_VOCABULARY = (
    "the council voted on tuesday to extend the programme for another three years officials said critics "
    "argued that money would be better spent repairing ageing roads mayor told reporters outside building "
    "prices rose in may fastest pace since statistics office residents flooding cut them off from nearest "
    "hospital for two days government minister announced plans budget schools teachers union strike "
    "talks continued late into night agreement reached after weeks of negotiations"
)
WORDS = _VOCABULARY.split()
CHROME = [
    "advertisement",
    "Related Articles",
    "Share this article",
    "Sign up for our newsletter",
    "Also Read – Mayor defends budget cuts",
    "Your support helps us to tell the story",
    "Leave a Reply",
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    """About 600 characters: a news paragraph of four to six sentences."""
    return " ".join(_sentence(rng) for _ in range(rng.randint(4, 6)))


MODES = ("text", "html", "html-divs")


def page(mode: str, size: int, seed: int = 14) -> bytes:
    """A news page of ``size`` bytes or a little more: a title, then paragraphs with chrome lines
    between them (one in six), in text or HTML; ``html-divs`` is the shape of issue 14's slow page,
    short blocks (two sentences, ~300 bytes) each in ``<div><p>…</p></div>``."""
    rng = random.Random(f"{seed}-{mode}-{size}")
    title = "Council extends the road programme after a long debate"
    parts: list[str] = []
    length = 0
    while length < size:
        if mode == "html-divs":
            piece = f"<div><p>{_sentence(rng)} {_sentence(rng)}</p></div>\n"
        elif (text := rng.choice(CHROME) if rng.random() < 1 / 6 else _paragraph(rng)) and mode == "html":
            tag = "div" if text in CHROME else "p"
            piece = f"<{tag}>{text}</{tag}>\n"
        else:
            piece = text + "\n\n"
        parts.append(piece)
        length += len(piece.encode("utf-8"))
    body = "".join(parts)
    if mode.startswith("html"):
        head = f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        doc = f"{head}<nav>Home | World | Local | Sport</nav><article><h1>{title}</h1>\n{body}</article>"
        doc += "<footer>Copyright 2026 The Daily Example</footer></body></html>"
    else:
        doc = f"{title}\n\n{body}"
    return doc.encode("utf-8")


def _rss_mb() -> float:
    with open("/proc/self/statm", "rb") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure_one(mode: str, path: Path) -> dict[str, Any]:
    """Clean one page in this (fresh) process; the figures as a dict."""
    import cleannews

    fmt = "html" if mode.startswith("html") else "text"
    cleannews.clean(page(mode, 20_000), format=fmt)  # warm up: imports, rule plans, model, langdetect
    warm = _rss_mb()
    data = path.read_bytes()
    wall, cpu = time.perf_counter(), time.process_time()
    article = cleannews.clean(data, format=fmt)  # type: ignore[arg-type]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    blocks = len(article.paragraphs) + len(article.removed) + len(article.metadata.blocks) + bool(article.title)
    return {
        "seconds": wall,
        "cpu": cpu,
        "peak_mb": peak,
        "warm_mb": warm,
        "blocks": blocks,
        "warnings": list(article.warnings),
    }


def run(modes: list[str], sizes: list[float], workdir: Path, timeout: float, repeat: int = 1) -> list[dict[str, Any]]:
    workdir.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for mode in modes:
        for mb in sizes:
            path = workdir / f"{mode}-{mb:g}mb.{'txt' if mode == 'text' else 'html'}"
            if not path.exists():
                path.write_bytes(page(mode, int(mb * 2**20)))
            size_mb = path.stat().st_size / 2**20
            command = [sys.executable, __file__, "--one", mode, str(path)]
            runs: list[dict[str, Any]] = []
            row = {}
            for _ in range(repeat):  # the fastest of `repeat` fresh processes: the least disturbed by neighbours
                try:
                    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
                    runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
                except subprocess.TimeoutExpired:
                    row = {"timed_out": timeout}
                    break
                except subprocess.CalledProcessError as exc:
                    row = {"failed": exc.stderr.strip().splitlines()[-1:]}
                    break
            if not row:
                row = min(runs, key=lambda r: r["cpu"])
            row.update(mode=mode, mb=size_mb)
            rows.append(row)
            print(_row(row, rows), flush=True)
    return rows


HEADER = (
    "| mode | MB | blocks | s | s/MB | CPU s/MB | peak RSS | RSS +MB/MB | time x | memory x |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def _per_mb(row: dict[str, Any]) -> tuple[float, float]:
    """CPU seconds and MB of memory above the warm process, per MB of input. CPU time, not wall clock:
    on a shared machine the wall clock says more about the neighbours than about cleannews."""
    return row["cpu"] / row["mb"], max(row["peak_mb"] - row["warm_mb"], 0.0) / row["mb"]


def _row(row: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    if "seconds" not in row:
        what = f"stopped after {row['timed_out']:g} s" if "timed_out" in row else f"failed: {row['failed']}"
        return f"| {row['mode']} | {row['mb']:.1f} | | {what} | | | | | | |"
    first = next(r for r in rows if r["mode"] == row["mode"] and "seconds" in r)
    time_mb, mem_mb = _per_mb(row)
    time_0, mem_0 = _per_mb(first)
    return (
        f"| {row['mode']} | {row['mb']:.1f} | {row['blocks']:,} | {row['seconds']:.1f} | {row['seconds'] / row['mb']:.2f} | "
        f"{time_mb:.2f} | {row['peak_mb']:.0f} MB | {mem_mb:.1f} | {time_mb / time_0:.2f} | "
        f"{mem_mb / mem_0 if mem_0 else float('nan'):.2f} |"
    )


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    lines = []
    for mode in dict.fromkeys(r["mode"] for r in rows):
        mine = [r for r in rows if r["mode"] == mode]
        done = [r for r in mine if "seconds" in r]
        if len(done) < len(mine):
            lines.append(f"{mode}: NOT flat: {len(mine) - len(done)} page(s) stopped or failed")
            continue
        times = [_per_mb(r)[0] for r in done]
        mems = [_per_mb(r)[1] for r in done]
        spread_t, spread_m = max(times) / min(times), max(mems) / max(min(mems), 1e-9)
        grows = times.index(max(times)) == len(times) - 1 or mems.index(max(mems)) == len(mems) - 1
        if spread_t <= FLAT and spread_m <= FLAT:
            verdict = "flat"
        elif grows:
            verdict = "NOT flat: the largest page costs the most per MB"
        else:
            verdict = "NOT flat, but no growth: a smaller page costs the most per MB (fixed costs)"
        lines.append(
            f"{mode}: {verdict}: CPU time per MB max/min {spread_t:.2f}x (largest/smallest {times[-1] / times[0]:.2f}x), "
            f"memory per MB max/min {spread_m:.2f}x"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--modes", default=",".join(MODES), help=f"comma-separated, of {', '.join(MODES)} (default all)"
    )
    parser.add_argument("--sizes", default="1,2,4,8,16", help="page sizes in MB (default 1,2,4,8,16)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/cleannews-linear"), help="where the pages go")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds one page may take (default 600)")
    parser.add_argument("--repeat", type=int, default=1, help="clean each page this many times, keep the fastest")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    parser.add_argument("--one", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.one:
        sys.path.insert(0, str(ROOT / "src"))
        print(json.dumps(measure_one(args.one[0], Path(args.one[1]))))
        return
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    print(HEADER, flush=True)
    rows = run(modes, sizes, args.workdir, args.timeout, args.repeat)
    print()
    for line in verdicts(rows):
        print(line)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()

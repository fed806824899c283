"""Throughput and memory of ``cleannews clean`` on a JSONL file, with trafilatura alone as the reference.

Not a unit test: it takes minutes. Run it on a quiet machine (other work on the cores skews every
figure)::

    python benchmarks/bench.py /work/shared/datasets/*.jsonl.gz            # throughput table
    python benchmarks/bench.py /work/shared/datasets/*.jsonl.gz --memory-docs 50000   # + 50k memory run

What it does, in one run and on the same documents:

1. writes a view of the input per mode into ``--workdir`` (default ``/tmp/cleannews-bench``, never the
   repository): ``{"id", "url", <field>}`` per record, the field being ``text`` for text mode and
   ``html`` for HTML mode — a crawl dump's shape (``--as-is`` uses the input unchanged instead, so in
   text mode the html field is carried through to the output too);
2. runs ``cleannews clean VIEW --mode M --jobs J -o /dev/null -q`` as a subprocess for each mode and
   ``--jobs`` value, timing it and sampling the memory of the whole process tree (main process and
   workers) every 50 ms: the sum of RSS (shared pages counted in every process, so an over-estimate)
   and the sum of PSS (shared pages split between the processes sharing them);
3. runs, in one process each, the reference loops on the same view: trafilatura alone
   (``bare_extraction(html, url=url, include_comments=True)``: its defaults, as
   ``cleannews eval --compare trafilatura`` runs it), and ``cleannews.clean`` in a plain loop (no
   batch machinery: CLI ÷ loop is the machinery's overhead);
4. with ``--memory-docs N``, streams the input repeated to N records into
   ``WORKDIR/dev-xN.jsonl.gz`` (all fields, as in the dev data) and cleans it with ``--jobs 2`` in
   ``--memory-mode`` (text by default), reporting peak memory.

Figures are docs/s and MB/s of document-field bytes over the CLI's own clock (its summary line:
from the first document read to the last written, so worker start-up is in, interpreter start-up and
imports of the main process are not; the wall-clock time with them is shown too), and CPU ms per
document: the CPU time of the CLI and its workers (``wait4``) less that of a run on the first
``8 x jobs + 2`` documents (start-up: imports, and each worker's first chunk), per remaining document. CPU time is what to compare when other work shares the cores:
wall-clock figures then say more about the neighbours than about cleannews.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

PAGE = os.sysconf("SC_PAGE_SIZE")
TARGETS = {
    "text_docs_per_core": 300.0,
    "html_vs_trafilatura": 1.2,
    "jobs2_speedup": 1.7,
    "memory_mb": 400.0,
}


# --- memory of a process tree ----------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += [int(x) for x in fh.read().split()]
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    seen, stack = [], [pid]
    while stack:
        current = stack.pop()
        seen.append(current)
        stack += _children(current)
    return seen


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the RSS and PSS sums of a process and its descendants until stopped; keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_procs = 0
        self.timeline: list[float] = []  # RSS sum in MB every 5 s, to see that memory stays flat
        self._halt = threading.Event()

    def run(self) -> None:
        tick = 0
        while not self._halt.is_set():
            pids = _tree(self.pid)
            self.peak_procs = max(self.peak_procs, len(pids))
            rss = sum(_rss(p) for p in pids)
            self.peak_rss = max(self.peak_rss, rss)
            if tick % 100 == 0:
                self.timeline.append(rss / 2**20)
            if tick % 4 == 0:  # smaps_rollup costs more: every 200 ms
                self.peak_pss = max(self.peak_pss, sum(_pss(p) for p in pids))
            tick += 1
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


# --- inputs ----------------------------------------------------------------------------------------


def read_lines(paths: list[Path]) -> Iterator[bytes]:
    for path in paths:
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rb") as fh:
            for line in fh:
                if line.strip():
                    yield line


def write_view(paths: list[Path], field: str, target: Path, limit: int | None) -> tuple[int, int]:
    """``{"id", "url", field}`` per record into ``target``; (documents, bytes of the field)."""
    count = size = 0
    with target.open("wb") as out:
        for line in read_lines(paths):
            if limit is not None and count >= limit:
                break
            record = orjson.loads(line)
            value = record.get(field) or ""
            out.write(orjson.dumps({"id": record.get("id"), "url": record.get("url"), field: value}) + b"\n")
            count += 1
            size += len(value.encode("utf-8"))
    return count, size


def write_as_is(paths: list[Path], field: str, target: Path, limit: int | None) -> tuple[int, int]:
    count = size = 0
    with target.open("wb") as out:
        for line in read_lines(paths):
            if limit is not None and count >= limit:
                break
            out.write(line if line.endswith(b"\n") else line + b"\n")
            count += 1
            size += len((orjson.loads(line).get(field) or "").encode("utf-8"))
    return count, size


def write_repeated(paths: list[Path], docs: int, target: Path) -> None:
    """The input records repeated until ``docs`` lines, streamed into a gzip file (ids made unique)."""
    written = 0
    with gzip.open(target, "wb", compresslevel=1) as out:
        while written < docs:
            before = written
            for line in read_lines(paths):
                if written >= docs:
                    break
                record = orjson.loads(line)
                record["id"] = f"{record.get('id')}#{written}"
                out.write(orjson.dumps(record) + b"\n")
                written += 1
            if written == before:
                raise SystemExit("no records in the input")


# --- runs ------------------------------------------------------------------------------------------


def run_cli(view: Path, mode: str, jobs: int, extra: list[str]) -> dict[str, Any]:
    cmd = [
        sys.executable,
        "-m",
        "cleannews",
        "clean",
        str(view),
        "--mode",
        mode,
        "--jobs",
        str(jobs),
        "-o",
        os.devnull,
        *extra,
    ]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = TreeMemory(proc.pid)
    memory.start()
    # wait4: the CPU time of the CLI and of the workers it reaped (the summary on stderr fits a pipe buffer)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.stderr is not None
    err = proc.stderr.read()
    memory.stop()
    summary = err.decode("utf-8", "replace").strip().splitlines()
    found = re.search(r"(\d+) documents in ([\d.]+) s", summary[0] if summary else "")
    return {
        "cmd": " ".join(cmd[1:]),
        "seconds": seconds,
        "run_seconds": float(found.group(2)) if found else seconds,  # the CLI's own clock: after start-up
        "cpu_seconds": usage.ru_utime + usage.ru_stime,  # main process and workers, start-up included
        "exit": proc.returncode,
        "peak_rss_mb": memory.peak_rss / 2**20,
        "peak_pss_mb": memory.peak_pss / 2**20,
        "processes": memory.peak_procs,
        "rss_timeline_mb": [round(x) for x in memory.timeline],
        "summary": summary[0] if summary else "",
    }


REFERENCE = r"""
import sys, time, orjson
view, field, kind = sys.argv[1], sys.argv[2], sys.argv[3]
docs = [orjson.loads(l) for l in open(view, "rb")]
if kind == "trafilatura":
    import trafilatura
    def run(r):  # as `cleannews eval --compare trafilatura` runs it: its defaults, comments on
        trafilatura.bare_extraction(r[field] or "", url=r.get("url"), include_comments=True)
else:
    import cleannews
    mode = "html" if field == "html" else "text"
    def run(r):
        cleannews.clean(r[field] or "", format=mode, url=r.get("url"))
run(docs[0])  # imports and caches
start, cpu = time.perf_counter(), time.process_time()
for r in docs:
    run(r)
print(time.perf_counter() - start, time.process_time() - cpu)
"""


def run_reference(view: Path, field: str, kind: str) -> tuple[float, float]:
    """(wall, CPU) seconds for the loop alone (documents in memory, after a warm-up document)."""
    out = subprocess.run(
        [sys.executable, "-c", REFERENCE, str(view), field, kind], capture_output=True, text=True, check=True
    )
    wall, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", nargs="+", type=Path, help="JSONL(.gz) files with html/text fields (the dev data)")
    parser.add_argument("--modes", default="text,html")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values")
    parser.add_argument("--limit", type=int, default=None, help="only the first N records")
    parser.add_argument("--as-is", action="store_true", help="run on the input unchanged (text mode then carries html)")
    parser.add_argument(
        "--timeout", type=float, default=None, help="pass --timeout to the CLI (then --jobs 1 uses a worker)"
    )
    parser.add_argument("--no-reference", action="store_true", help="skip the trafilatura and plain-loop references")
    parser.add_argument(
        "--memory-docs", type=int, default=0, help="also clean a JSONL of N repeated records (e.g. 50000)"
    )
    parser.add_argument("--memory-mode", default="text")
    parser.add_argument("--memory-jobs", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/cleannews-bench"))
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()

    args.workdir.mkdir(parents=True, exist_ok=True)
    repo = Path(__file__).resolve().parent.parent
    if repo in args.workdir.resolve().parents or args.workdir.resolve() == repo:
        raise SystemExit("--workdir must be outside the repository")
    jobs_list = [int(j) for j in args.jobs.split(",")]
    extra = ["--timeout", str(args.timeout)] if args.timeout else []
    results: dict[str, Any] = {"cores": os.cpu_count(), "load_before": os.getloadavg(), "runs": [], "reference": {}}
    print(f"cores {os.cpu_count()}, load average {os.getloadavg()[0]:.2f} (figures are noisy when other work runs)")

    for mode in [m for m in args.modes.split(",") if m]:
        field = "html" if mode == "html" else "text"
        view = args.workdir / f"view-{mode}{'-asis' if args.as_is else ''}.jsonl"
        docs, size = (write_as_is if args.as_is else write_view)(args.data, field, view, args.limit)
        print(f"\n== {mode} mode: {docs} documents, {size / 1e6:.1f} MB of {field}")
        if not args.no_reference:
            kinds = ["cleannews", "trafilatura"] if mode == "html" else ["cleannews"]
            for kind in kinds:
                wall, cpu = run_reference(view, field, kind)
                results["reference"][f"{mode}/{kind}"] = {"seconds": wall, "cpu_seconds": cpu, "docs": docs}
                label = (
                    "cleannews.clean() loop, 1 process" if kind == "cleannews" else "trafilatura alone, 1 process     "
                )
                print(
                    f"  {label} : {docs / wall:8.1f} docs/s {size / 1e6 / wall:7.2f} MB/s  {1000 * wall / docs:6.1f} ms/doc"
                    f"  CPU {1000 * cpu / docs:6.1f} ms/doc"
                )
        for jobs in jobs_list:
            # start-up: interpreter, imports, and every worker's first chunk (8 documents each, + 2)
            head_docs = 8 * jobs + 2
            head = args.workdir / f"view-{mode}-head{head_docs}.jsonl"
            with view.open("rb") as src, head.open("wb") as dst:
                dst.writelines(itertools.islice(src, head_docs))
            base = run_cli(head, mode, jobs, extra)
            run = run_cli(view, mode, jobs, extra)
            run.update(mode=mode, jobs=jobs, docs=docs, bytes=size)
            run["startup_cpu_seconds"] = base["cpu_seconds"]
            run["marginal_cpu_per_doc"] = max(0.0, run["cpu_seconds"] - base["cpu_seconds"]) / max(1, docs - head_docs)
            results["runs"].append(run)
            secs = run["run_seconds"]
            print(
                f"  cleannews clean --jobs {jobs}           : {docs / secs:8.1f} docs/s {size / 1e6 / secs:7.2f} MB/s"
                f"  {1000 * secs / docs:6.1f} ms/doc  CPU {1000 * run['marginal_cpu_per_doc']:6.1f} ms/doc"
                f"  (wall with start-up {run['seconds']:.1f} s)  peak RSS {run['peak_rss_mb']:.0f} MB,"
                f" PSS {run['peak_pss_mb']:.0f} MB ({run['processes']} processes), exit {run['exit']}"
            )

    if args.memory_docs:
        big = args.workdir / f"dev-x{args.memory_docs}.jsonl.gz"
        if not big.exists():
            print(f"\nwriting {big} ({args.memory_docs} records, streaming)…")
            part = big.with_suffix(".part")
            write_repeated(args.data, args.memory_docs, part)
            part.rename(big)
        run = run_cli(big, args.memory_mode, args.memory_jobs, extra)
        run.update(mode=args.memory_mode, jobs=args.memory_jobs, docs=args.memory_docs, memory_run=True)
        results["memory"] = run
        print(
            f"\n== memory: {args.memory_docs} documents, {args.memory_mode} mode, --jobs {args.memory_jobs}: "
            f"{args.memory_docs / run['run_seconds']:.1f} docs/s, peak RSS {run['peak_rss_mb']:.0f} MB (sum over "
            f"{run['processes']} processes), peak PSS {run['peak_pss_mb']:.0f} MB, exit {run['exit']}"
        )
        timeline = run["rss_timeline_mb"]
        step = max(1, len(timeline) // 24)
        print(f"  RSS sum every {5 * step} s (MB): {' '.join(str(x) for x in timeline[::step])}")

    print("\n== targets")
    for line in check(results):
        print("  " + line)
    results["load_after"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


def check(results: dict[str, Any]) -> list[str]:
    runs = {(r["mode"], r["jobs"]): r for r in results["runs"]}
    lines = []

    def rate(mode: str, jobs: int) -> float | None:
        run = runs.get((mode, jobs))
        return run["docs"] / run["run_seconds"] if run else None

    text1 = rate("text", 1)
    if text1:
        ok = text1 >= TARGETS["text_docs_per_core"]
        lines.append(f"text mode, --jobs 1: {text1:.0f} docs/s per core (target >= 300): {'met' if ok else 'NOT met'}")
    html1, traf = runs.get(("html", 1)), results["reference"].get("html/trafilatura")
    if html1 and traf:
        ratio = html1["run_seconds"] / traf["seconds"]
        cpu_ratio = html1["marginal_cpu_per_doc"] / (traf["cpu_seconds"] / traf["docs"])
        lines.append(
            f"HTML mode, --jobs 1 vs trafilatura alone per document: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU "
            f"(target <= 1.2): {'met' if ratio <= 1.2 else 'NOT met'}"
        )
    for mode in ("text", "html"):
        one, two = rate(mode, 1), rate(mode, 2)
        if one and two:
            speedup = two / one
            efficiency = runs[(mode, 1)]["marginal_cpu_per_doc"] / runs[(mode, 2)]["marginal_cpu_per_doc"]
            lines.append(
                f"{mode} mode, --jobs 2 vs --jobs 1: {speedup:.2f}x (target >= 1.7): {'met' if speedup >= 1.7 else 'NOT met'}; "
                f"CPU per document --jobs 1 / --jobs 2 = {efficiency:.2f} (2 x that is the speed-up on 2 idle cores)"
            )
        loop, cli = results["reference"].get(f"{mode}/cleannews"), runs.get((mode, 1))
        if loop and cli:
            per_doc = loop["cpu_seconds"] / loop["docs"]
            lines.append(
                f"{mode} mode, batch machinery: CLI --jobs 1 CPU per document / plain clean() loop CPU per document = "
                f"{cli['marginal_cpu_per_doc'] / per_doc:.2f} (start-up excluded)"
            )
        cli2 = runs.get((mode, 2))
        if loop and cli2:
            per_doc = loop["cpu_seconds"] / loop["docs"]
            lines.append(
                f"{mode} mode, batch machinery with 2 workers: CLI --jobs 2 CPU per document / plain loop = "
                f"{cli2['marginal_cpu_per_doc'] / per_doc:.2f}"
            )
    memory = results.get("memory")
    if memory:
        ok = memory["peak_rss_mb"] < TARGETS["memory_mb"]
        lines.append(
            f"peak memory, {memory['docs']} documents: RSS sum {memory['peak_rss_mb']:.0f} MB, PSS sum "
            f"{memory['peak_pss_mb']:.0f} MB (target < 400): {'met' if ok else 'met by PSS only' if memory['peak_pss_mb'] < 400 else 'NOT met'}"
        )
    return lines


if __name__ == "__main__":
    main()

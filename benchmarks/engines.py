"""Throughput of cleannews on Spark, Dask and datatrove against ``cleannews clean``, on the same documents.

Not a unit test: it takes minutes, and needs the engine extras (``pip install -e ".[dev]"``) and Java.
Run it when the machine is quiet (``uptime``): other work on the cores skews every figure::

    python benchmarks/engines.py /work/shared/datasets/*.jsonl.gz --modes text --repeat 2
    python benchmarks/engines.py /work/shared/datasets/*.jsonl.gz --modes html --limit 800

For each mode it writes the documents' own field (``{"id", "url", "text"|"html"}`` per record, as
``benchmarks/bench.py`` does) into ``--shards`` JSONL files under ``--workdir`` (never the repository),
then, for 1 and 2 workers, each in a process of its own that first cleans a text and an HTML page
(so imports and caches are warm, as in a long run):

- ``cleannews clean SHARDS/ --jobs N --timeout 60`` (``cli``): the CLI, with the same per-document
  timeout, and so the same isolation in worker processes, as the engines' default; and without
  ``--timeout`` (``cli-plain``: ``--jobs 1`` then cleans in the main process) for reference;
- Spark ``local[N]``: ``spark.read.json(SHARDS)`` → ``clean_dataframe`` → the ``noop`` sink (the
  whole plan runs, nothing is kept), after the session has started and a warm-up job on ``2N``
  documents has started the Python workers and built the chain; the job runs twice and the second
  counts (the first is when the JVM compiles its JSON, shuffle and Arrow paths: seconds of CPU);
- Dask, a ``LocalCluster`` of N worker processes (one thread each): ``read_text(SHARDS)`` →
  ``orjson.loads`` → ``clean_bag`` → ``orjson.dumps`` → count, after the cluster has started and
  every worker has been warmed up;
- datatrove ``LocalPipelineExecutor(tasks=SHARDS, workers=N)``: ``JsonlReader`` →
  ``CleannewsExtractor`` → ``JsonlWriter``, the whole ``run()`` (its pool's start-up in).

Each run reports the wall time of that section and the CPU time of the whole process tree in it
(the JVM and Spark's Python workers, Dask's nannies and workers, every isolated child: the
``utime + stime + cutime + cstime`` of every live descendant, read from ``/proc``, before and after).
docs/s is documents over the wall time; the CPU ms per document over the CLI's with the same
number of workers is the engine's per-document overhead (target ≤ 1.2×): CPU time is what to compare
when other work shares the cores, as on this machine. 2 workers over 1 (wall) is the speed-up
(target ≥ 1.7×), which only a quiet machine shows: the load average is printed before every run.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import read_lines  # the dev data reader of benchmarks/bench.py

ENGINES = ("cli", "cli-plain", "spark", "dask", "datatrove")
TARGETS = {"speedup": 1.7, "overhead": 1.2}


def write_shards(paths: list[Path], field: str, folder: Path, shards: int, limit: int | None) -> int:
    """``{"id", "url", field}`` per record, dealt round robin into ``shards`` JSONL files; the count."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.jsonl"):
        old.unlink()
    outs = [(folder / f"part-{i:03d}.jsonl").open("wb") for i in range(shards)]
    count = 0
    try:
        for line in read_lines(paths):
            if limit is not None and count >= limit:
                break
            record = orjson.loads(line)
            view = {"id": record.get("id"), "url": record.get("url"), field: record.get(field) or ""}
            outs[count % shards].write(orjson.dumps(view) + b"\n")
            count += 1
    finally:
        for out in outs:
            out.close()
    return count


# --- one run each, in its own process --------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu(root: int | None = None) -> float:
    """CPU seconds of ``root`` (this process) and every live descendant, with what each has reaped."""
    root = os.getpid() if root is None else root
    children: dict[int, list[int]] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        ticks[pid] = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += ticks.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total / _TICK


def _warm() -> None:
    """Clean a text and an HTML page in this process: imports, profiles and caches loaded."""
    import cleannews

    cleannews.clean("A headline\n\nadvertisement\n\nThe council approved the budget on Tuesday.", format="text")
    cleannews.clean("<html><body><article><h1>A headline</h1><p>The council approved it.</p></article></body></html>")


class Section:
    """Wall and tree-CPU seconds of a ``with`` block."""

    def __enter__(self) -> Section:
        self.cpu, self.wall = tree_cpu(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = tree_cpu() - self.cpu


IDLE_SECONDS = 8.0
SPARK_RUNS = int(os.environ.get("CLEANNEWS_BENCH_SPARK_RUNS", "2"))


def idle_rate() -> float:
    """CPU seconds per second the process tree burns doing nothing (an engine's heartbeats, its JVM's
    threads), measured over ``IDLE_SECONDS`` of sleep."""
    with Section() as idle:
        time.sleep(IDLE_SECONDS)
    return idle.cpu / idle.wall


def child_cli(shards: Path, mode: str, workers: int, work: Path, timeout: bool = True) -> dict[str, Any]:
    from cleannews.cli import main

    _warm()
    docs = sum(1 for _ in read_lines(sorted(shards.glob("*.jsonl"))))
    args = ["clean", str(shards), "--mode", mode, "--jobs", str(workers), "-q", "-o", os.devnull]
    with Section() as run, contextlib.suppress(SystemExit):  # the CLI exits with its status
        main([*args, "--timeout", "60"] if timeout else args)
    return {"startup": 0.0, "warmup": 0.0, "seconds": run.wall, "cpu": run.cpu, "docs": docs}


def child_cli_plain(shards: Path, mode: str, workers: int, work: Path) -> dict[str, Any]:
    return child_cli(shards, mode, workers, work, timeout=False)


def child_spark(shards: Path, mode: str, workers: int, work: Path) -> dict[str, Any]:
    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    from cleannews.integrations.spark import clean_dataframe

    _warm()
    started = time.perf_counter()
    spark = (
        SparkSession.builder.master(f"local[{workers}]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    field = "html" if mode == "html" else "text"
    ddl = f"id string, url string, {field} string"
    startup = time.perf_counter() - started
    first = [orjson.loads(line) for line in itertools.islice(read_lines(sorted(shards.glob("*.jsonl"))), 2 * workers)]
    warm = spark.createDataFrame([(r["id"], r["url"], r[field]) for r in first], ddl).repartition(workers)
    clean_dataframe(warm, mode=mode).write.format("noop").mode("overwrite").save()
    warmup = time.perf_counter() - started - startup
    frame = spark.read.schema(ddl).json(str(shards)).repartition(4 * workers)
    idle = idle_rate()
    for _ in range(SPARK_RUNS):  # the last run counts: the JVM has compiled the read and shuffle paths by then
        with Section() as run:
            clean_dataframe(frame, mode=mode).write.format("noop").mode("overwrite").save()
    docs = frame.count()
    spark.stop()
    return {"startup": startup, "warmup": warmup, "seconds": run.wall, "cpu": run.cpu, "idle": idle, "docs": docs}


def _warm_worker(mode: str) -> bool:
    from cleannews.integrations.common import clean_rows, make_options

    list(clean_rows([{"text": "Warm\n\nup."}], make_options(mode=mode)))
    return True


def child_dask(shards: Path, mode: str, workers: int, work: Path) -> dict[str, Any]:
    import dask
    import dask.bag as db
    from distributed import Client, LocalCluster

    from cleannews.integrations.dask import clean_bag

    _warm()
    started = time.perf_counter()
    dask.config.set({"distributed.worker.daemon": False})
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        startup = time.perf_counter() - started
        client.run(_warm_worker, mode)
        warmup = time.perf_counter() - started - startup
        bag = db.read_text(str(shards / "*.jsonl")).map(orjson.loads)
        idle = idle_rate()
        with Section() as run:
            docs = clean_bag(bag, mode=mode).map(orjson.dumps).count().compute()
    return {"startup": startup, "warmup": warmup, "seconds": run.wall, "cpu": run.cpu, "idle": idle, "docs": docs}


def child_datatrove(shards: Path, mode: str, workers: int, work: Path) -> dict[str, Any]:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleannews.integrations.datatrove import CleannewsExtractor

    field = "html" if mode == "html" else "text"
    out = work / f"datatrove-{mode}-{workers}"
    tasks = len(list(shards.glob("*.jsonl")))
    pipeline = [
        JsonlReader(str(shards), text_key=field),
        CleannewsExtractor(mode=mode),
        JsonlWriter(str(out / "out"), compression=None),
    ]
    executor = LocalPipelineExecutor(
        pipeline, tasks=tasks, workers=workers, logging_dir=str(out / "logs"), skip_completed=False
    )
    _warm()
    with Section() as run:
        executor.run()
    stats = json.loads((out / "logs" / "stats.json").read_text())
    step = next(s for s in stats if s["name"].endswith(CleannewsExtractor.name))
    docs = step["stats"]["total"]
    total = docs["total"] if isinstance(docs, dict) else docs
    return {"startup": 0.0, "warmup": 0.0, "seconds": run.wall, "cpu": run.cpu, "docs": total}


CHILDREN = {
    "cli": child_cli,
    "cli-plain": child_cli_plain,
    "spark": child_spark,
    "dask": child_dask,
    "datatrove": child_datatrove,
}


def run_engine(engine: str, shards: Path, mode: str, workers: int, work: Path) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", engine, str(shards), mode, str(workers), str(work)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{engine} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        engine, shards, mode, workers, work = sys.argv[2:7]
        print(json.dumps(CHILDREN[engine](Path(shards), mode, int(workers), Path(work))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("inputs", nargs="+", type=Path)
    parser.add_argument("--modes", default="text", help="comma-separated: text, html")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--limit", type=int, default=None, help="the first N documents only")
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=1, help="run everything this many times (interleaved)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/cleannews-bench"))
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    engines = [e for e in args.engines.split(",") if e]
    workers = [int(w) for w in args.workers.split(",")]
    results: list[dict[str, Any]] = []
    for mode in [m for m in args.modes.split(",") if m]:
        field = "html" if mode == "html" else "text"
        shards = args.workdir / f"engines-{mode}"
        count = write_shards(args.inputs, field, shards, args.shards, args.limit)
        print(f"{mode} mode: {count} documents in {args.shards} shards at {shards}", flush=True)
        for repeat in range(args.repeat):
            for engine in engines:
                for n in workers:
                    load = os.getloadavg()[0]
                    result = run_engine(engine, shards, mode, n, args.workdir)
                    result.update(mode=mode, engine=engine, workers=n, repeat=repeat, load=load)
                    result["docs_per_s"] = result["docs"] / result["seconds"]
                    result["cpu_ms"] = 1000 * result["cpu"] / result["docs"]
                    idle = result.get("idle", 0.0) * result["seconds"]  # what the engine burns anyway
                    result["net_cpu_ms"] = 1000 * (result["cpu"] - idle) / result["docs"]
                    results.append(result)
                    print(
                        f"  [{repeat}] {engine:10} {n} worker(s): {result['docs']} docs in {result['seconds']:.1f} s "
                        f"= {result['docs_per_s']:.1f} docs/s, {result['cpu_ms']:.1f} CPU ms/doc ({result['net_cpu_ms']:.1f} net of "
                        f"{result.get('idle', 0.0):.3f} CPU s/s idle; start-up "
                        f"{result['startup']:.1f} s, warm-up {result['warmup']:.1f} s; load {load:.2f})",
                        flush=True,
                    )
    print()
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


def table(results: list[dict[str, Any]]) -> str:
    """Best of the repeats per (mode, engine, workers): docs/s and CPU ms/doc (each its best), the
    speed-up of 2 workers over 1, and the CPU per document over the CLI's (``--timeout 60``)."""
    best: dict[tuple[str, str, int], dict[str, float]] = {}
    for r in results:
        key = (r["mode"], r["engine"], r["workers"])
        entry = best.setdefault(
            key, {"docs_per_s": 0.0, "cpu_ms": float("inf"), "net_cpu_ms": float("inf"), "load": r["load"]}
        )
        entry["docs_per_s"] = max(entry["docs_per_s"], r["docs_per_s"])
        entry["cpu_ms"] = min(entry["cpu_ms"], r["cpu_ms"])
        entry["net_cpu_ms"] = min(entry["net_cpu_ms"], r.get("net_cpu_ms", r["cpu_ms"]))
        entry["load"] = min(entry["load"], r["load"])
    lines = [
        "| mode | engine | workers | docs/s | 2 workers ÷ 1 | CPU ms/doc | CPU ÷ CLI's | net of idle | net ÷ CLI's | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    order = sorted(best, key=lambda k: (k[0], ENGINES.index(k[1]), k[2]))
    for mode, engine, workers in order:
        r = best[(mode, engine, workers)]
        one = best.get((mode, engine, 1))
        speedup = f"{r['docs_per_s'] / one['docs_per_s']:.2f}×" if one and workers == 2 else ""
        cli = best.get((mode, "cli", workers))
        overhead = f"{r['cpu_ms'] / cli['cpu_ms']:.2f}×" if cli and engine != "cli" else ""
        net = f"{r['net_cpu_ms'] / cli['net_cpu_ms']:.2f}×" if cli and engine != "cli" else ""
        lines.append(
            f"| {mode} | {engine} | {workers} | {r['docs_per_s']:.1f} | {speedup} | {r['cpu_ms']:.1f} | {overhead} "
            f"| {r['net_cpu_ms']:.1f} | {net} | {r['load']:.2f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()

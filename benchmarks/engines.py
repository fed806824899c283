"""Throughput of cleannews on Spark, Dask and datatrove against ``cleannews clean``, on the same documents.

Not a unit test: it takes minutes, and needs the engine extras (``pip install -e ".[dev]"``) and Java.
Run it when the machine is quiet (``uptime``): other work on the cores skews every figure::

    python benchmarks/engines.py /work/shared/datasets/*.jsonl.gz --modes text --repeat 2
    python benchmarks/engines.py /work/shared/datasets/*.jsonl.gz --modes html --limit 800

For each mode it writes the documents' own field (``{"id", "url", "text"|"html"}`` per record, as
``benchmarks/bench.py`` does) into ``--shards`` JSONL files under ``--workdir`` (never the repository),
then, for 1 and 2 workers, in separate processes:

- ``cleannews clean SHARDS/ --jobs N --timeout 60``: the CLI, with the same per-document timeout (and
  so the same isolation in worker processes) as the engines' default; and without ``--timeout``
  (``--jobs 1`` then cleans in the main process) for reference. Time: the CLI's own clock (its
  summary line: worker start-up in, interpreter start-up out);
- Spark ``local[N]``: ``spark.read.json(SHARDS)`` → ``clean_dataframe`` → the ``noop`` sink (the
  whole plan runs, nothing is kept). Time: that job, after the session has started and a warm-up job
  on ``2N`` documents has started the Python workers and built the chain;
- Dask, a ``LocalCluster`` of N worker processes (one thread each): ``read_text(SHARDS)`` →
  ``orjson.loads`` → ``clean_bag`` → ``orjson.dumps`` → count. Time: that computation, after the
  cluster has started and every worker has been warmed up;
- datatrove ``LocalPipelineExecutor(tasks=SHARDS, workers=N)``: ``JsonlReader`` →
  ``CleannewsExtractor`` → ``JsonlWriter``. Time: the whole ``run()`` (its pool's start-up in).

docs/s is documents over that time; the ratio to the CLI with the same number of workers is the
engine's per-document overhead (target ≤ 1.2×), and 2 workers over 1 the speed-up (target ≥ 1.7×).
The load average is printed before every run.
"""

from __future__ import annotations

import argparse
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
from bench import read_lines, run_cli

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


def child_spark(shards: Path, mode: str, workers: int, work: Path) -> dict[str, Any]:
    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    from cleannews.integrations.spark import clean_dataframe

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
    start = time.perf_counter()
    clean_dataframe(frame, mode=mode).write.format("noop").mode("overwrite").save()
    seconds = time.perf_counter() - start
    docs = frame.count()
    spark.stop()
    return {"startup": startup, "warmup": warmup, "seconds": seconds, "docs": docs}


def _warm_worker(mode: str) -> bool:
    from cleannews.integrations.common import clean_rows, make_options

    list(clean_rows([{"text": "Warm\n\nup."}], make_options(mode=mode)))
    return True


def child_dask(shards: Path, mode: str, workers: int, work: Path) -> dict[str, Any]:
    import dask
    import dask.bag as db
    from distributed import Client, LocalCluster

    from cleannews.integrations.dask import clean_bag

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
        start = time.perf_counter()
        docs = clean_bag(bag, mode=mode).map(orjson.dumps).count().compute()
        seconds = time.perf_counter() - start
    return {"startup": startup, "warmup": warmup, "seconds": seconds, "docs": docs}


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
    start = time.perf_counter()
    executor.run()
    seconds = time.perf_counter() - start
    stats = json.loads((out / "logs" / "stats.json").read_text())
    step = next(s for s in stats if s["name"].endswith(CleannewsExtractor.name))
    docs = step["stats"]["total"]
    return {"startup": 0.0, "warmup": 0.0, "seconds": seconds, "docs": docs["total"] if isinstance(docs, dict) else docs}


CHILDREN = {"spark": child_spark, "dask": child_dask, "datatrove": child_datatrove}


def run_engine(engine: str, shards: Path, mode: str, workers: int, work: Path) -> dict[str, Any]:
    if engine in ("cli", "cli-plain"):
        extra = ["--timeout", "60"] if engine == "cli" else []
        result = run_cli(shards, mode, workers, extra)
        found = result["summary"].split(" documents", 1)[0].rsplit(" ", 1)[-1]
        return {"startup": 0.0, "warmup": 0.0, "seconds": result["run_seconds"], "docs": int(found or 0)}
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
                    results.append(result)
                    print(
                        f"  [{repeat}] {engine:10} {n} worker(s): {result['docs']} docs in {result['seconds']:.1f} s "
                        f"= {result['docs_per_s']:.1f} docs/s (start-up {result['startup']:.1f} s, "
                        f"warm-up {result['warmup']:.1f} s; load {load:.2f})",
                        flush=True,
                    )
    print()
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


def table(results: list[dict[str, Any]]) -> str:
    """Best of the repeats per (mode, engine, workers): docs/s, speed-up, overhead against the CLI."""
    best: dict[tuple[str, str, int], dict[str, Any]] = {}
    for r in results:
        key = (r["mode"], r["engine"], r["workers"])
        if key not in best or r["docs_per_s"] > best[key]["docs_per_s"]:
            best[key] = r
    lines = [
        "| mode | engine | workers | docs/s | 2 workers ÷ 1 | s/doc ÷ CLI's (--timeout 60) | load |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for (mode, engine, workers), r in sorted(best.items(), key=lambda kv: (kv[0][0], ENGINES.index(kv[0][1]), kv[0][2])):
        one = best.get((mode, engine, 1))
        speedup = f"{r['docs_per_s'] / one['docs_per_s']:.2f}×" if one and workers == 2 else ""
        cli = best.get((mode, "cli", workers))
        overhead = f"{cli['docs_per_s'] / r['docs_per_s']:.2f}×" if cli and engine != "cli" else ""
        lines.append(
            f"| {mode} | {engine} | {workers} | {r['docs_per_s']:.1f} | {speedup} | {overhead} | {r['load']:.2f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()

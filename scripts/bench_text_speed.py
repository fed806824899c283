#!/usr/bin/env python
"""Text-mode speed on one core: ``cleannews.clean(record["text"], format="text")`` over gold records.

    python scripts/bench_text_speed.py /work/shared/datasets/wcxb-dev.jsonl.gz --limit 300 --passes 3

Single process. The first ``--warmup`` records are cleaned once before timing (imports, the rule
plans, the model's weights, langdetect's profiles). Each record is then cleaned ``--passes`` times;
the report gives documents per second from the total of all passes, and from each record's fastest
pass (closer to an idle machine when other processes share the cores), and from the process's CPU
time (what one core spends, whatever else runs), with the time per stage.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from collections import defaultdict
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from cleannews.assemble import assemble  # noqa: E402
from cleannews.chain import Chain  # noqa: E402
from cleannews.pipeline import clean, make_document  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="+", type=Path)
    parser.add_argument("--limit", type=int, default=300, help="records per file")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--stages", action="store_true", help="also time each stage (one extra pass)")
    args = parser.parse_args(argv)

    texts: list[str] = []
    for path in args.data:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as fh:
            for k, line in enumerate(fh):
                if k >= args.limit:
                    break
                texts.append(orjson.loads(line).get("text") or "")
    make_document("Ceci est un texte en français, assez long pour que la langue soit détectée.", format="text")
    for text in texts[: args.warmup]:
        clean(text, format="text")
    best = [float("inf")] * len(texts)
    total = 0.0
    cpu_start = time.process_time()
    for _ in range(args.passes):
        for i, text in enumerate(texts):
            start = time.perf_counter()
            clean(text, format="text")
            took = time.perf_counter() - start
            total += took
            best[i] = min(best[i], took)
    cpu = time.process_time() - cpu_start
    n = len(texts)
    chars = sum(map(len, texts)) / max(1, n)
    print(f"{n} documents ({chars / 1000:.1f} k characters on average), {args.passes} passes, one process")
    print(f"all passes:      {n * args.passes / total:7.1f} docs/s  ({1000 * total / (n * args.passes):.2f} ms/doc)")
    print(f"fastest of each: {n / sum(best):7.1f} docs/s  ({1000 * sum(best) / n:.2f} ms/doc)")
    print(
        f"CPU time:        {n * args.passes / cpu:7.1f} docs/s  ({1000 * cpu / (n * args.passes):.2f} ms/doc of this process's CPU)"
    )
    if args.stages:  # each stage's fastest of --passes runs, per document
        chain = Chain.default()
        stage: dict[str, float] = defaultdict(float)
        for text in texts:
            best: dict[str, float] = defaultdict(lambda: float("inf"))
            for _ in range(args.passes):
                start = time.perf_counter()
                doc, fixes = make_document(text, format="text")
                best["make_document (normalise, blocks, language)"] = min(
                    best["make_document (normalise, blocks, language)"], time.perf_counter() - start
                )
                for cleaner in chain.cleaners:
                    start = time.perf_counter()
                    cleaner(doc)
                    name = getattr(cleaner, "name", "?")
                    best[name] = min(best[name], time.perf_counter() - start)
                start = time.perf_counter()
                assemble(doc, fixes)
                best["assemble"] = min(best["assemble"], time.perf_counter() - start)
            for name, seconds in best.items():
                stage[name] += seconds
        for name, seconds in stage.items():
            print(f"  {name:45s} {1000 * seconds / n:6.3f} ms/doc")
        print(f"  {'sum':45s} {1000 * sum(stage.values()) / n:6.3f} ms/doc")
    return 0


if __name__ == "__main__":
    sys.exit(main())

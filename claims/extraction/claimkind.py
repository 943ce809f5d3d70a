"""Rule-based claim kinds: prediction (with its hedge as printed), recommendation, assessment, factual.

Rules, in order (the first that applies wins; ``reason`` names it):
1. A forecast hedge ("very unlikely", "probably", "I expect", "high possibility") -> prediction.
2. A recommendation modal ("should", "needs to", "must", "has to") -> recommendation.
3. A future marker ("will", "would", "going to", "next year") -> prediction; a softer hedge printed
   with it ("naturally", "perhaps", "I think") is kept as the hedge.
4. An opinion marker ("I think", "important", "seems") -> assessment.
5. A fact marker (a number, a year, a completed event verb) -> factual.
6. Otherwise -> assessment.
"""

from __future__ import annotations

import re

from claims.extraction.lexicon import (
    FACT_MARKERS,
    FORECAST_HEDGES,
    FUTURE_MARKERS,
    HEDGE_PHRASES,
    OPINION_MARKERS,
    RECOMMENDATION_MARKERS,
)

__all__ = ["classify_claim"]

_HEDGE_RE = re.compile(
    r"(?<![\w’'])(?:"
    + "|".join(re.escape(h).replace("\\ ", r"\s+") for h in sorted(HEDGE_PHRASES, key=len, reverse=True))
    + r")(?![\w’'])",
    re.IGNORECASE,
)
# "will" as a noun: "political will", "the will of the people".
_WILL_NOUN = re.compile(r"(?:the|political|good|own|free|his|her|their|its|our|your|my|ill|strong)\s+will\b", re.I)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.casefold())


def classify_claim(text: str) -> tuple[str, str | None, str]:
    """(claim_kind, hedge as printed or None, reason) for a quote's text."""
    hedges = [(m.start(), m.group()) for m in _HEDGE_RE.finditer(text)]
    forecast = [(pos, h) for pos, h in hedges if _norm(h) in FORECAST_HEDGES]
    if forecast:
        pos, h = forecast[0]
        return "prediction", h, f"hedge: {_norm(h)}"
    rec = RECOMMENDATION_MARKERS.search(text)
    if rec:
        return "recommendation", None, f"modal: {_norm(rec.group())}"
    future = None
    for m in FUTURE_MARKERS.finditer(text):
        word = _norm(m.group())
        if word == "will" and _WILL_NOUN.search(text[max(0, m.start() - 12) : m.end()]):
            continue
        future = m
        break
    if future:
        soft = hedges[0][1] if hedges else None
        return "prediction", soft, f"future: {_norm(future.group())}"
    op = OPINION_MARKERS.search(text)
    if op:
        return "assessment", None, f"opinion: {_norm(op.group())}"
    fact = FACT_MARKERS.search(text)
    if fact:
        return "factual", None, f"fact: {_norm(fact.group())}"
    return "assessment", None, "default"

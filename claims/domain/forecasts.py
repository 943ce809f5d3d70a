"""Forecast language: hedge phrases to probabilities, horizon phrases to date windows.

Pure functions, no Django. The scale is ICD 203 (US Intelligence Community
Directive 203, "Analytic Standards", expressions of likelihood):

| term | probability |
| --- | --- |
| almost no chance / remote | 0.01-0.05 |
| very unlikely / highly improbable | 0.05-0.20 |
| unlikely / improbable | 0.20-0.45 |
| roughly even chance / roughly even odds | 0.45-0.55 |
| likely / probable | 0.55-0.80 |
| very likely / highly probable | 0.80-0.95 |
| almost certain / nearly certain | 0.95-0.99 |

Phrases outside the directive ("I expect", "high possibility", "naturally",
"may") are mapped onto the nearest ICD band by the EXTENDED table below and
flagged ``low_confidence``; see docs/predictions.md. The point value is the
middle of the band.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "BANDS",
    "BAND_LABELS",
    "EXTENDED",
    "FORECAST_HEDGE_PHRASES",
    "HEDGE_TABLE",
    "ICD203",
    "OTHER_HEDGE_PHRASES",
    "HedgeMapping",
    "HedgePhrase",
    "Horizon",
    "hedge_fields",
    "map_hedge",
    "parse_horizon",
]

BANDS: dict[str, tuple[float, float]] = {
    "almost_no_chance": (0.01, 0.05),
    "very_unlikely": (0.05, 0.20),
    "unlikely": (0.20, 0.45),
    "roughly_even": (0.45, 0.55),
    "likely": (0.55, 0.80),
    "very_likely": (0.80, 0.95),
    "almost_certain": (0.95, 0.99),
}

# The bands' names as ICD 203 words them (claims.choices.HedgeCategory takes its labels from here).
BAND_LABELS: dict[str, str] = {
    "almost_no_chance": "Almost no chance",
    "very_unlikely": "Very unlikely",
    "unlikely": "Unlikely",
    "roughly_even": "Roughly even chance",
    "likely": "Likely",
    "very_likely": "Very likely",
    "almost_certain": "Almost certain",
}


class HedgePhrase(NamedTuple):
    """One hedge phrase and everything the project does with it."""

    phrase: str  # lower case, as matched
    band: str | None  # the BANDS key it implies; None: none of its own (map_hedge reads a phrase inside it)
    scale: str | None  # "icd203": ICD 203's own words; "extended": the project's mapping (low confidence)
    # In extraction: "forecast" makes a quote a prediction on its own; "other" is kept as the hedge of
    # a forecast a future marker makes ("I think it will ..."); None: mapped, never looked for.
    extraction: str | None


# Every hedge phrase, once: the probability mapping (ICD203, EXTENDED) and the extractor's hedge
# vocabulary (claims.extraction.lexicon) are both read from this table.
HEDGE_TABLE: tuple[HedgePhrase, ...] = (
    # almost_no_chance
    HedgePhrase("almost no chance", "almost_no_chance", "icd203", None),
    HedgePhrase("remote", "almost_no_chance", "icd203", None),
    HedgePhrase("remotely", "almost_no_chance", "icd203", None),
    HedgePhrase("no chance", "almost_no_chance", "extended", None),
    HedgePhrase("impossible", "almost_no_chance", "extended", None),
    # very_unlikely
    HedgePhrase("very unlikely", "very_unlikely", "icd203", "forecast"),
    HedgePhrase("highly unlikely", "very_unlikely", "icd203", "forecast"),
    HedgePhrase("highly improbable", "very_unlikely", "icd203", None),
    # unlikely
    HedgePhrase("unlikely", "unlikely", "icd203", "forecast"),
    HedgePhrase("improbable", "unlikely", "icd203", None),
    HedgePhrase("improbably", "unlikely", "icd203", None),
    HedgePhrase("probably not", "unlikely", "extended", None),
    HedgePhrase("not likely", "unlikely", "extended", None),
    HedgePhrase("i don't think", "unlikely", "extended", "other"),
    HedgePhrase("i do not think", "unlikely", "extended", "other"),
    HedgePhrase("doubt", "unlikely", "extended", None),
    HedgePhrase("doubtful", "unlikely", "extended", None),
    HedgePhrase("low possibility", "unlikely", "extended", "forecast"),
    HedgePhrase("cannot be ruled out", "unlikely", "extended", "forecast"),
    HedgePhrase("can't be ruled out", "unlikely", "extended", "forecast"),
    HedgePhrase("can’t be ruled out", "unlikely", "extended", "forecast"),
    HedgePhrase("could not be ruled out", "unlikely", "extended", "forecast"),
    HedgePhrase("cannot rule out", "unlikely", "extended", "forecast"),
    # roughly_even
    HedgePhrase("roughly even chance", "roughly_even", "icd203", None),
    HedgePhrase("roughly even odds", "roughly_even", "icd203", None),
    HedgePhrase("even chance", "roughly_even", "icd203", None),
    HedgePhrase("may", "roughly_even", "extended", None),
    HedgePhrase("might", "roughly_even", "extended", None),
    HedgePhrase("could", "roughly_even", "extended", None),
    HedgePhrase("possible", "roughly_even", "extended", None),
    HedgePhrase("possibly", "roughly_even", "extended", "other"),
    HedgePhrase("possibility", "roughly_even", "extended", "other"),
    # likely
    HedgePhrase("likely", "likely", "icd203", "forecast"),
    HedgePhrase("probable", "likely", "icd203", None),
    HedgePhrase("probably", "likely", "icd203", "forecast"),
    HedgePhrase("i expect", "likely", "extended", "forecast"),
    HedgePhrase("expected", "likely", "extended", None),
    HedgePhrase("i think", "likely", "extended", "other"),
    HedgePhrase("i believe", "likely", "extended", "other"),
    HedgePhrase("chances are high", "likely", "extended", None),
    HedgePhrase("high possibility", "likely", "extended", "forecast"),
    HedgePhrase("would", "likely", "extended", None),
    HedgePhrase("is expected to", "likely", "extended", None),
    HedgePhrase("it is expected", "likely", "extended", "forecast"),
    # very_likely
    HedgePhrase("very likely", "very_likely", "icd203", "forecast"),
    HedgePhrase("highly likely", "very_likely", "icd203", "forecast"),
    HedgePhrase("highly probable", "very_likely", "icd203", None),
    HedgePhrase("high likelihood", "very_likely", "extended", None),
    HedgePhrase("very probably", "very_likely", "extended", None),
    # almost_certain
    HedgePhrase("almost certain", "almost_certain", "icd203", None),
    HedgePhrase("almost certainly", "almost_certain", "icd203", "forecast"),
    HedgePhrase("nearly certain", "almost_certain", "icd203", None),
    HedgePhrase("surely", "almost_certain", "extended", "other"),
    HedgePhrase("certainly", "almost_certain", "extended", "other"),
    HedgePhrase("naturally", "almost_certain", "extended", "other"),
    HedgePhrase("definitely", "almost_certain", "extended", None),
    HedgePhrase("will", "almost_certain", "extended", None),
    HedgePhrase("will be", "almost_certain", "extended", None),
    # no band of their own (map_hedge reads the band of a phrase inside them, if any)
    HedgePhrase("extremely unlikely", None, None, "forecast"),
    HedgePhrase("quite unlikely", None, None, "forecast"),
    HedgePhrase("most likely", None, None, "forecast"),
    HedgePhrase("more likely", None, None, "forecast"),
    HedgePhrase("less likely", None, None, "forecast"),
    HedgePhrase("strong possibility", None, None, "forecast"),
    HedgePhrase("real possibility", None, None, "forecast"),
    HedgePhrase("distinct possibility", None, None, "forecast"),
    HedgePhrase("high probability", None, None, "forecast"),
    HedgePhrase("chances are", None, None, "forecast"),
    HedgePhrase("inevitably", None, None, "forecast"),
    HedgePhrase("is inevitable", None, None, "forecast"),
    HedgePhrase("is now inevitable", None, None, "forecast"),
    HedgePhrase("are inevitable", None, None, "forecast"),
    HedgePhrase("is imminent", None, None, "forecast"),
    HedgePhrase("are imminent", None, None, "forecast"),
    HedgePhrase("is unavoidable", None, None, "forecast"),
    HedgePhrase("we can expect", None, None, "forecast"),
    HedgePhrase("is expected by", None, None, "forecast"),
    HedgePhrase("are expected by", None, None, "forecast"),
    HedgePhrase("we expect", None, None, "forecast"),
    HedgePhrase("we are expecting", None, None, "forecast"),
    HedgePhrase("we’re expecting", None, None, "forecast"),
    HedgePhrase("we're expecting", None, None, "forecast"),
    HedgePhrase("i predict", None, None, "forecast"),
    HedgePhrase("i anticipate", None, None, "forecast"),
    HedgePhrase("expected to", None, None, "forecast"),
    HedgePhrase("is set to", None, None, "forecast"),
    HedgePhrase("are set to", None, None, "forecast"),
    HedgePhrase("poised to", None, None, "forecast"),
    HedgePhrase("on track to", None, None, "forecast"),
    HedgePhrase("on course to", None, None, "forecast"),
    HedgePhrase("on the cusp of", None, None, "forecast"),
    HedgePhrase("on the verge of", None, None, "forecast"),
    HedgePhrase("on the brink of", None, None, "forecast"),
    HedgePhrase("bound to", None, None, "forecast"),
    HedgePhrase("is going to", None, None, "forecast"),
    HedgePhrase("are going to", None, None, "forecast"),
    HedgePhrase("going to", None, None, "forecast"),
    HedgePhrase("could well", None, None, "forecast"),
    HedgePhrase("may well", None, None, "forecast"),
    HedgePhrase("might well", None, None, "forecast"),
    # doubt about what is to come: "a deal is far from guaranteed", "it is difficult to imagine him staying silent"
    HedgePhrase("far from guaranteed", None, None, "forecast"),
    HedgePhrase("far from certain", None, None, "forecast"),
    HedgePhrase("difficult to imagine", None, None, "forecast"),
    HedgePhrase("hard to imagine", None, None, "forecast"),
    HedgePhrase("there is a possibility", None, None, "forecast"),
    HedgePhrase("there's a possibility", None, None, "forecast"),
    HedgePhrase("there’s a possibility", None, None, "forecast"),
    HedgePhrase("probability", None, None, "other"),
    HedgePhrase("the chances", None, None, "other"),
    HedgePhrase("perhaps", None, None, "other"),
    HedgePhrase("maybe", None, None, "other"),
    HedgePhrase("undoubtedly", None, None, "other"),
    HedgePhrase("i suspect", None, None, "other"),
    HedgePhrase("i doubt", None, None, "other"),
    HedgePhrase("i don’t think", None, None, "other"),
    HedgePhrase("i bet", None, None, "other"),
    HedgePhrase("i'm sure", None, None, "other"),
    HedgePhrase("i’m sure", None, None, "other"),
    HedgePhrase("i am sure", None, None, "other"),
    HedgePhrase("i'm confident", None, None, "other"),
    HedgePhrase("i’m confident", None, None, "other"),
)

# ICD 203's own words (and their adverb forms), longest first when matching.
ICD203: dict[str, str] = {h.phrase: h.band for h in HEDGE_TABLE if h.scale == "icd203"}
# The project's mapping for common hedges ICD 203 does not name (low confidence).
EXTENDED: dict[str, str] = {h.phrase: h.band for h in HEDGE_TABLE if h.scale == "extended"}
# The extractor's vocabulary: phrases that make a forecast on their own, and softer ones kept as its hedge.
FORECAST_HEDGE_PHRASES = tuple(h.phrase for h in HEDGE_TABLE if h.extraction == "forecast")
OTHER_HEDGE_PHRASES = tuple(h.phrase for h in HEDGE_TABLE if h.extraction == "other")


@dataclass(frozen=True)
class HedgeMapping:
    category: str  # a BANDS key, or "unhedged"
    scale: str  # "icd203" | "extended" | "none"
    low: float | None
    high: float | None
    point: float | None
    low_confidence: bool


UNHEDGED = HedgeMapping("unhedged", "none", None, None, None, False)


def _normalize(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.replace("\u2019", "'").strip().lower().strip(".,;:!?\"'"))


def _mapping(category: str, scale: str, *, inverted: bool) -> HedgeMapping:
    low, high = BANDS[category]
    if inverted:
        low, high = round(1 - high, 4), round(1 - low, 4)
    return HedgeMapping(category, scale, low, high, round((low + high) / 2, 4), scale == "extended")


def map_hedge(phrase: str | None, *, inverted: bool = False) -> HedgeMapping:
    """The probability band a hedge implies, for the proposition it qualifies.

    ``inverted`` when the hedge speaks of the opposite of the proposition
    ("very unlikely that X" for the proposition "not X"): the band is 1 - band.
    An exact ICD 203 term wins; then the longest ICD 203 or extended phrase
    contained in the hedge; otherwise "unhedged".
    """
    if not phrase:
        return UNHEDGED
    text = _normalize(phrase)
    if text in ICD203:
        return _mapping(ICD203[text], "icd203", inverted=inverted)
    if text in EXTENDED:
        return _mapping(EXTENDED[text], "extended", inverted=inverted)
    candidates = [(k, v, "icd203") for k, v in ICD203.items()] + [(k, v, "extended") for k, v in EXTENDED.items()]
    found = [
        (len(key), scale == "icd203", category, scale)
        for key, category, scale in candidates
        if re.search(rf"(?<![\w']){re.escape(key)}(?![\w'])", text)
    ]
    if not found:
        return UNHEDGED
    _, _, category, scale = max(found)
    return _mapping(category, scale, inverted=inverted)


def hedge_fields(hedge: str | None, *, inverted: bool) -> dict:
    """The prediction fields a printed hedge determines: category, scale, band, point and low_confidence.

    The one place a hedge becomes a probability: the prediction services,
    ingestion and the fixtures builder all store what this returns.
    """
    mapping = map_hedge(hedge, inverted=inverted)
    return {
        "hedge_category": mapping.category,
        "scale": mapping.scale,
        "probability_low": mapping.low,
        "probability_high": mapping.high,
        "probability": mapping.point,
        "low_confidence": mapping.low_confidence,
    }


@dataclass(frozen=True)
class Horizon:
    text: str
    start: datetime.date | None
    end: datetime.date | None


MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_RE = "|".join(MONTHS)
_PATTERNS = [
    ("half", re.compile(r"\b(?:in )?the (first|second) half of (this|next) year\b", re.I)),
    ("half_year", re.compile(r"\b(?:in )?the (first|second) half of (\d{4})\b", re.I)),
    ("month_year", re.compile(rf"\b(?:in |by |as early as )?({_MONTH_RE}) (\d{{4}})\b", re.I)),
    ("month", re.compile(rf"\b(?:in |by |as early as |this )({_MONTH_RE})\b", re.I)),
    ("year", re.compile(r"\b(?:in |by |during )(\d{4})\b", re.I)),
    ("this_year", re.compile(r"\b(this|next) year\b", re.I)),
    ("soon", re.compile(r"\b(soon|shortly|in the coming (?:weeks|months))\b", re.I)),
]


def _month_window(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def _half_window(year: int, which: str) -> tuple[datetime.date, datetime.date]:
    if which.lower() == "first":
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 7, 1), datetime.date(year, 12, 31)


def parse_horizon(text: str, published_on: datetime.date | None) -> Horizon:
    """The first time window a forecast names, resolved against the article date.

    "in May" in an article of 2015-02-13 is 2015-05-01..2015-05-31 (the next
    May on or after the article's month); "in the first half of this year"
    is January to June of the article's year; "soon" is the six months after
    the article. Nothing found, or no article date for a relative phrase:
    an open-ended horizon (start and end None).
    """
    for kind, pattern in _PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        phrase = match.group(0).strip()
        if kind == "half_year":
            return Horizon(phrase, *_half_window(int(match.group(2)), match.group(1)))
        if kind == "month_year":
            return Horizon(phrase, *_month_window(int(match.group(2)), MONTHS[match.group(1).lower()]))
        if kind == "year":
            year = int(match.group(1))
            return Horizon(phrase, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        if published_on is None:
            return Horizon(phrase, None, None)
        if kind == "half":
            return Horizon(
                phrase, *_half_window(published_on.year + (match.group(2).lower() == "next"), match.group(1))
            )
        if kind == "month":
            month = MONTHS[match.group(1).lower()]
            year = published_on.year + (month < published_on.month)
            return Horizon(phrase, *_month_window(year, month))
        if kind == "this_year":
            year = published_on.year + (match.group(1).lower() == "next")
            return Horizon(phrase, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        if kind == "soon":
            end = published_on + datetime.timedelta(days=182)
            return Horizon(phrase, published_on, end)
    return Horizon("", None, None)

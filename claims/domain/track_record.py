"""Track records: how an expert's forecasts turned out, in numbers. Pure functions, no Django.

The rules (docs/predictions.md, "Scoring", says the same in prose):

Every prediction has a probability for its proposition (``Prediction.probability``:
the ICD 203 band's middle, or the extended mapping's; None when the forecast is
unhedged) and an outcome. Each outcome is turned into an *observed value*:

| outcome | observed | why |
| --- | --- | --- |
| came_true | 1 | it happened within the horizon |
| came_true_late | 0 | scored against its horizon: by then it had not happened |
| partly | 0.5 | half of what was forecast happened |
| did_not_happen | 0 | |
| cannot_judge | none | resolved, but left out of every score |
| pending | none | not resolved yet |

- **Brier score**: the mean of (probability - observed)^2 over the predictions
  that have both; 0 is perfect, 0.25 is what always saying 50% earns, 1 is
  the worst. Unhedged forecasts have no probability and are not in it.
- **Hit rate**: the share of judged forecasts that went the way the expert
  leaned. The lean is "it will happen" when the probability is above 0.5 or
  the forecast is unhedged (a flat assertion), "it will not" below 0.5, and
  none at exactly 0.5 (such forecasts are left out). A hit scores 1, a miss 0,
  "partly" 0.5; "came true late" is a miss for a "will happen" lean and a hit
  for a "will not" lean, consistently with its observed value 0.
- **Calibration**: forecasts with a probability are grouped by the ICD 203
  band their probability falls in (``claims.forecasts.BANDS``); each bin shows
  the mean forecast probability and the observed frequency (mean observed value).
- **Confidence interval** of the Brier score: the mean of the squared errors
  plus or minus t standard errors, t being Student's 97.5% quantile for n - 1
  degrees of freedom (12.7 for two forecasts, 2.26 for ten, 1.96 past thirty),
  clipped to 0..1; none below two scored forecasts. With a handful of
  forecasts it is wide, which is the point: it shows how little a small
  sample says.
- **Verdict** of one forecast, whether the forecaster was right (``verdict``):
  right, right but late (it happened only after the horizon the expert gave,
  though they said it would happen), wrong, partly, not judgeable (cannot be
  judged, or a 50% forecast that leans neither way) and pending. It differs
  from the outcome: a 12% forecast of something that did not happen is right.
- **Caution**: raised when fewer than ``MIN_JUDGED`` (5) resolved predictions can
  be judged (cannot_judge does not count): a handful of forecasts says little.

The same numbers are computed per topic (a prediction counts under each topic
of its claim).

Forecasts with the same outcome and probability count the same in every
score, so the math takes (outcome, probability, how many) groups
(``track_record_of_counts``): the database stores those counts per expert
(``TrackRecordCount``) and the track records read them, not the predictions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from claims.domain.forecasts import BAND_LABELS, BANDS

__all__ = [
    "MIN_JUDGED",
    "OBSERVED",
    "VERDICT_HELP",
    "VERDICT_LABELS",
    "CalibrationBin",
    "Forecast",
    "Standing",
    "TopicRecord",
    "TrackRecord",
    "band_of",
    "brier_interval",
    "brier_score",
    "calibration",
    "hit_credit",
    "observed_value",
    "standing_of_counts",
    "standing_of_sums",
    "track_record",
    "track_record_by_topic",
    "track_record_of_counts",
    "verdict",
]

MIN_JUDGED = 5

# Outcome -> observed value; outcomes absent from this table are not scored.
OBSERVED: dict[str, float] = {
    "came_true": 1.0,
    "came_true_late": 0.0,
    "partly": 0.5,
    "did_not_happen": 0.0,
}

_ORDERED_BANDS = sorted(BANDS.items(), key=lambda item: item[1][0])


@dataclass(frozen=True)
class Forecast:
    """What the math needs of one prediction."""

    outcome: str
    probability: float | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class CalibrationBin:
    band: str
    label: str
    low: float
    high: float
    count: int
    mean_forecast: float
    observed_frequency: float


@dataclass(frozen=True)
class TrackRecord:
    made: int = 0
    pending: int = 0
    resolved: int = 0
    came_true: int = 0
    came_true_late: int = 0
    partly: int = 0
    did_not_happen: int = 0
    cannot_judge: int = 0
    judged: int = 0  # resolved, minus cannot_judge
    scored: int = 0  # judged and with a probability: the Brier score's sample
    brier_score: float | None = None
    brier_low: float | None = None  # the 95% confidence interval of the Brier score (see brier_interval)
    brier_high: float | None = None
    hits: float = 0.0
    hit_rate: float | None = None
    hit_rate_sample: int = 0  # judged forecasts with a lean
    calibration: tuple[CalibrationBin, ...] = ()
    caution: bool = True

    @property
    def came_true_total(self) -> int:
        return self.came_true + self.came_true_late


@dataclass(frozen=True)
class Standing:
    """Where an expert stands on a leaderboard: judged forecasts and the Brier score, the two numbers that rank.

    A whole TrackRecord (calibration, interval, hit rate) costs far more; a leaderboard over thousands of
    experts computes a Standing for each and a TrackRecord only for the lines it shows.
    """

    judged: int
    brier_score: float | None

    @property
    def ranked(self) -> bool:
        """Enough judged forecasts (MIN_JUDGED) and a Brier score: the ones a leaderboard ranks."""
        return self.judged >= MIN_JUDGED and self.brier_score is not None


def standing_of_sums(judged: int, scored: int, squared_errors: float | None) -> Standing:
    """The Standing of forecasts summed elsewhere (by the database): ``judged`` of them, ``scored`` with a
    probability, and the sum of those scored forecasts' squared errors (probability - observed)^2."""
    return Standing(judged=judged, brier_score=round(squared_errors / scored, PLACES) if scored else None)


def standing_of_counts(groups: Iterable[tuple[str, float | None, int]]) -> Standing:
    """The Standing of forecasts given as (outcome, probability, how many) groups: the judged count and the Brier
    score of track_record_of_counts, to the last bit (the groups merged and summed in its order), without the rest
    of the record."""
    judged = scored = 0
    squared_errors = 0.0
    for outcome, probability, n in _merged(groups):
        observed = observed_value(outcome)
        if observed is None:
            continue
        judged += n
        if probability is not None:
            scored += n
            squared_errors += n * (probability - observed) ** 2
    return standing_of_sums(judged, scored, squared_errors)


@dataclass(frozen=True)
class TopicRecord:
    topic: str
    record: TrackRecord = field(default_factory=TrackRecord)


def observed_value(outcome: str) -> float | None:
    """1, 0.5 or 0 for a judged outcome; None for pending and cannot_judge."""
    return OBSERVED.get(outcome)


def band_of(probability: float) -> str:
    """The ICD 203 band a probability falls in: low <= p < high, the top band closed; outside 0.01-0.99 clamps."""
    for name, (_low, high) in _ORDERED_BANDS:
        if probability < high:
            return name
    return _ORDERED_BANDS[-1][0]


# Scores are rounded to this many decimal places (binary floating point noise aside, 0.105625 stays 0.105625).
PLACES = 6


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), PLACES)


def brier_score(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Mean squared difference of (probability, observed) pairs; None for no pairs."""
    pairs = list(pairs)
    if not pairs:
        return None
    return _mean([(p - o) ** 2 for p, o in pairs])


# Student's t, 97.5% quantile, for 1 to 30 degrees of freedom; past 30, the normal 1.96.
T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def brier_interval(pairs: Iterable[tuple[float, float]]) -> tuple[float, float] | None:
    """The 95% confidence interval of the Brier score (Student's t, clipped to 0..1); None under 2 pairs."""
    grouped = [(p, o, 1) for p, o in pairs]
    return _interval(grouped, len(grouped))


# Verdict -> its label and what it means: whether the forecaster was right (the outcome is the event's).
VERDICT_LABELS: dict[str, str] = {
    "right": "Right",
    "right_late": "Right but late",
    "wrong": "Wrong",
    "partly": "Partly right",
    "not_judgeable": "Not judgeable",
    "pending": "Pending",
}
VERDICT_HELP: dict[str, str] = {
    "right": "it went the way the forecaster leaned",
    "right_late": "it happened, but only after the horizon they gave",
    "wrong": "it went the other way",
    "partly": "part of what they forecast happened",
    "not_judgeable": "cannot be judged, or a 50% forecast that leans neither way",
    "pending": "not resolved yet",
}


def verdict(probability: float | None, outcome: str) -> str:
    """Whether the forecaster was right: one of VERDICT_LABELS (see the module docstring)."""
    if outcome == "pending":
        return "pending"
    credit = hit_credit(probability, outcome)
    if credit is None:
        return "not_judgeable"
    if outcome == "came_true_late" and credit == 0.0:
        return "right_late"  # they said it would happen, and it did, after the horizon
    if outcome == "partly":
        return "partly"
    return "right" if credit == 1.0 else "wrong"


def hit_credit(probability: float | None, outcome: str) -> float | None:
    """1 for a hit, 0 for a miss, 0.5 for "partly"; None when not judged or when the forecast has no lean."""
    observed = observed_value(outcome)
    if observed is None:
        return None
    if probability is None or probability > 0.5:
        return observed
    if probability < 0.5:
        return 1.0 - observed
    return None


def calibration(pairs: Iterable[tuple[float, float]]) -> tuple[CalibrationBin, ...]:
    """(probability, observed) pairs grouped by ICD 203 band, lowest band first; empty bands left out."""
    return _calibration_of_counts([(p, o, 1) for p, o in pairs])


def track_record(forecasts: Sequence[Forecast] | Iterable[Forecast]) -> TrackRecord:
    """The counts and scores of a set of forecasts (see the module docstring for the rules)."""
    return track_record_of_counts((forecast.outcome, forecast.probability, 1) for forecast in forecasts)


def _group_key(group: tuple[str, float | None, int]) -> tuple:
    outcome, probability, _n = group
    return (outcome, probability is None, probability or 0.0)


def _merged(groups: Iterable[tuple[str, float | None, int]]) -> list[tuple[str, float | None, int]]:
    """The groups with one entry per (outcome, probability), in one fixed order: sums over them come out the same
    to the last bit whatever order the groups came in."""
    merged: dict[tuple[str, float | None], int] = {}
    for outcome, probability, n in groups:
        merged[(outcome, probability)] = merged.get((outcome, probability), 0) + n
    return sorted(((o, p, n) for (o, p), n in merged.items() if n), key=_group_key)


def track_record_of_counts(groups: Iterable[tuple[str, float | None, int]]) -> TrackRecord:
    """The track record of forecasts given as (outcome, probability, how many) groups.

    Every forecast with the same outcome and probability counts the same in
    every score, so these groups are all the math needs: the stored aggregates
    (one row per expert, topic, outcome and probability) are read as such, and
    ``track_record`` counts its forecasts into them first, so both give the same
    numbers to the last bit (groups are summed in one fixed order).
    """
    counts = {key: 0 for key in ("pending", "came_true", "came_true_late", "partly", "did_not_happen", "cannot_judge")}
    made = 0
    scored: list[tuple[float, float, int]] = []  # (probability, observed, n)
    credit_sum, credit_n = 0.0, 0
    for outcome, probability, n in _merged(groups):
        made += n
        if outcome in counts:
            counts[outcome] += n
        observed = observed_value(outcome)
        if observed is not None and probability is not None:
            scored.append((probability, observed, n))
        credit = hit_credit(probability, outcome)
        if credit is not None:
            credit_sum += credit * n
            credit_n += n
    resolved = made - counts["pending"]
    judged = resolved - counts["cannot_judge"]
    n_scored = sum(n for _p, _o, n in scored)
    interval = _interval(scored, n_scored)
    return TrackRecord(
        made=made,
        pending=counts["pending"],
        resolved=resolved,
        came_true=counts["came_true"],
        came_true_late=counts["came_true_late"],
        partly=counts["partly"],
        did_not_happen=counts["did_not_happen"],
        cannot_judge=counts["cannot_judge"],
        judged=judged,
        scored=n_scored,
        brier_score=round(sum(n * (p - o) ** 2 for p, o, n in scored) / n_scored, PLACES) if n_scored else None,
        brier_low=interval[0] if interval else None,
        brier_high=interval[1] if interval else None,
        hits=credit_sum,
        hit_rate=round(credit_sum / credit_n, PLACES) if credit_n else None,
        hit_rate_sample=credit_n,
        calibration=_calibration_of_counts(scored),
        caution=judged < MIN_JUDGED,
    )


def _interval(scored: list[tuple[float, float, int]], n: int) -> tuple[float, float] | None:
    """``brier_interval`` over grouped pairs."""
    if n < 2:
        return None
    mean = sum(k * (p - o) ** 2 for p, o, k in scored) / n
    variance = sum(k * ((p - o) ** 2 - mean) ** 2 for p, o, k in scored) / (n - 1)
    t = T975[n - 2] if n - 1 <= len(T975) else 1.96
    half = t * (variance / n) ** 0.5
    return round(max(0.0, mean - half), PLACES), round(min(1.0, mean + half), PLACES)


def _calibration_of_counts(scored: list[tuple[float, float, int]]) -> tuple[CalibrationBin, ...]:
    """``calibration`` over grouped pairs."""
    groups: dict[str, list[tuple[float, float, int]]] = {}
    for p, o, n in scored:
        groups.setdefault(band_of(p), []).append((p, o, n))
    bins = []
    for name, (low, high) in _ORDERED_BANDS:
        members = groups.get(name)
        if not members:
            continue
        count = sum(n for _p, _o, n in members)
        bins.append(
            CalibrationBin(
                band=name,
                label=BAND_LABELS[name],
                low=low,
                high=high,
                count=count,
                mean_forecast=round(sum(n * p for p, _o, n in members) / count, PLACES),
                observed_frequency=round(sum(n * o for _p, o, n in members) / count, PLACES),
            )
        )
    return tuple(bins)


def track_record_by_topic(forecasts: Iterable[Forecast]) -> tuple[TopicRecord, ...]:
    """One track record per topic, topics in alphabetical order; a forecast counts under each of its topics."""
    grouped: dict[str, list[Forecast]] = {}
    for forecast in forecasts:
        for topic in forecast.topics:
            grouped.setdefault(topic, []).append(forecast)
    return tuple(TopicRecord(topic, track_record(grouped[topic])) for topic in sorted(grouped))

"""Public pages: the predictions, paged, on a timeline and in a table, a leaderboard, scorecards; one page per
prediction.

Server-rendered, read-only, no JavaScript needed (a small script only submits
the filter form on change and links the timeline to the table). The charts are
SVG computed here: geometry in Python, drawing in the templates. Colour says
whether the forecaster was right (claims.domain.track_record.verdict); the
event's outcome is written beside it.

Queries are constant in the number of predictions (see predictions_index).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from claims.choices import DatePrecision, HedgeCategory, Outcome, ReviewStatus
from claims.domain.forecasts import BAND_LABELS
from claims.domain.resolutions import OUTCOME_LABELS, OUTCOME_SHORT_LABELS
from claims.domain.track_record import (
    MIN_JUDGED,
    VERDICT_HELP,
    VERDICT_LABELS,
    TrackRecord,
    track_record_of_counts,
    verdict,
)
from claims.models import Expert, Prediction, Topic
from claims.selectors.base import can_see_unreviewed, visible_predictions
from claims.selectors.predictions import (
    Counts,
    ForecastsByExpert,
    forecasts_by_expert,
    prediction_list,
    prediction_queryset,
    stored_forecasts_by_expert,
)

__all__ = ["prediction_detail", "predictions_index"]

# Outcome -> what it means, shown in the legend beside its short label (never colour alone).
OUTCOME_HELP = {
    Outcome.CAME_TRUE: "happened within the horizon",
    Outcome.CAME_TRUE_LATE: "happened, but after the horizon",
    Outcome.PARTLY: "part of it happened",
    Outcome.DID_NOT_HAPPEN: "did not happen",
    Outcome.CANNOT_JUDGE: "resolved, but cannot be scored",
    Outcome.PENDING: "not resolved yet",
}


# The filter form ------------------------------------------------------------------------------------------------


class PredictionPageFilter(forms.Form):
    """The page's form: each field is a PredictionFilterSet filter (``as_filters``), so the rules are the API's."""

    expert = forms.ModelChoiceField(
        queryset=Expert.objects.none(), to_field_name="slug", required=False, empty_label="All experts"
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(), to_field_name="slug", required=False, empty_label="All topics"
    )
    outcome = forms.ChoiceField(choices=[("", "Any outcome"), *Outcome.choices], required=False)
    hedge = forms.ChoiceField(choices=[("", "Any hedge"), *HedgeCategory.choices], required=False, label="Hedge band")
    made_after = forms.DateField(required=False, label="Made from", widget=forms.DateInput(attrs={"type": "date"}))
    made_before = forms.DateField(required=False, label="Made until", widget=forms.DateInput(attrs={"type": "date"}))
    horizon_after = forms.DateField(
        required=False, label="Horizon ends from", widget=forms.DateInput(attrs={"type": "date"})
    )
    horizon_before = forms.DateField(
        required=False, label="Horizon ends until", widget=forms.DateInput(attrs={"type": "date"})
    )
    due = forms.BooleanField(required=False, label="Due for judgement (horizon passed, still pending)")

    MAIN_FIELDS = ("expert", "topic", "outcome")

    def __init__(self, *args, visible: QuerySet[Prediction], **kwargs):
        super().__init__(*args, **kwargs)
        claims = visible.values("claim_id")
        self.fields["expert"].queryset = Expert.objects.filter(claims__in=claims).distinct().order_by("sort_name", "id")
        self.fields["topic"].queryset = Topic.objects.filter(claims__in=claims).distinct().order_by("name", "id")

    def as_filters(self) -> dict:
        """The cleaned values as PredictionFilterSet parameters."""
        data, filters = self.cleaned_data, {}
        if data.get("expert"):
            filters["expert_id"] = data["expert"].pk
        if data.get("topic"):
            filters["topic"] = data["topic"].slug
        for name in ("outcome", "hedge"):
            if data.get(name):
                filters[name] = data[name]
        for name in ("made_after", "made_before", "horizon_after", "horizon_before"):
            if data.get(name):
                filters[name] = data[name].isoformat()
        if data.get("due"):
            filters["due"] = "true"
        return filters

    def main_fields(self):
        return [self[name] for name in self.MAIN_FIELDS]

    def more_fields(self):
        return [field for field in self.visible_fields() if field.name not in self.MAIN_FIELDS]


# Timeline geometry ----------------------------------------------------------------------------------------------

WIDTH = 1000
LABEL_WIDTH = 300
PLOT_LEFT, PLOT_RIGHT = LABEL_WIDTH + 20, WIDTH - 24
AXIS_TOP = 34
ROW_HEIGHT = 46


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class EventMark:
    x: float
    y: float
    event: object

    @property
    def corner(self) -> tuple[float, float]:
        return round(self.x - 5, 1), round(self.y - 5, 1)


@dataclass
class Row:
    prediction: Prediction
    label: str
    y: float
    made_x: float
    line_end_x: float
    open_ended: bool
    window: tuple[float, float] | None  # (x, width)
    events: list[EventMark]
    outcome_label: str
    probability_label: str
    reach_x: float  # the furthest event, when it lies beyond the line (a late outcome)

    @property
    def top(self) -> float:
        return self.y - ROW_HEIGHT / 2 + 1

    @property
    def name_y(self) -> float:
        return self.y - 4

    @property
    def outcome_y(self) -> float:
        return self.y + 13

    @property
    def window_y(self) -> float:
        return self.y - 7

    @property
    def late(self) -> bool:
        return self.reach_x > self.line_end_x


@dataclass
class Timeline:
    rows: list[Row]
    ticks: list[Tick]
    height: float
    axis_bottom: float
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    width: int = WIDTH
    undated: list[Prediction] = field(default_factory=list)

    @property
    def bottom_label_y(self) -> float:
        return self.axis_bottom + 18


def _made_on(prediction: Prediction) -> datetime.date | None:
    return prediction.claim.article.published_on


def _domain(predictions: list[Prediction]) -> tuple[datetime.date, datetime.date]:
    dates: list[datetime.date] = []
    for prediction in predictions:
        dates.append(_made_on(prediction))
        dates += [d for d in (prediction.horizon_start, prediction.horizon_end) if d]
        dates += [event.occurred_on for event in prediction.events.all()]
    first, last = min(dates), max(dates)
    return datetime.date(first.year, 1, 1), datetime.date(last.year + 1, 1, 1)


def _percent(value: float | None) -> str:
    return "no probability" if value is None else f"{round(value * 100)}%"


def _ticks(start: datetime.date, end: datetime.date, x) -> list[Tick]:
    """Years (every 2 or 5 over long spans); quarters over a span of two years or less."""
    years = end.year - start.year
    if years <= 2:
        ticks = []
        for year in range(start.year, end.year + 1):
            for month in (1, 4, 7, 10):
                day = datetime.date(year, month, 1)
                if day <= end:
                    ticks.append(Tick(x(day), str(year) if month == 1 else f"{day:%b}"))
        return ticks
    step = 1 if years <= 12 else 2 if years <= 24 else 5
    return [Tick(x(datetime.date(year, 1, 1)), str(year)) for year in range(start.year, end.year + 1, step)]


def build_timeline(predictions: list[Prediction]) -> Timeline:
    """Rows in order of the date the forecast was made; undated forecasts are listed apart."""
    dated = sorted((p for p in predictions if _made_on(p)), key=lambda p: (_made_on(p), p.pk))
    undated = [p for p in predictions if not _made_on(p)]
    if not dated:
        return Timeline(rows=[], ticks=[], height=AXIS_TOP * 2, axis_bottom=AXIS_TOP, undated=undated)
    start, end = _domain(dated)
    span = (end - start).days

    def x(day: datetime.date) -> float:
        return round(PLOT_LEFT + (day - start).days / span * (PLOT_RIGHT - PLOT_LEFT), 1)

    ticks = _ticks(start, end, x)
    rows = []
    for index, prediction in enumerate(dated):
        y = AXIS_TOP + 18 + index * ROW_HEIGHT + ROW_HEIGHT / 2
        made_x = x(_made_on(prediction))
        open_ended = prediction.horizon_end is None
        events = [EventMark(x(event.occurred_on), y, event) for event in prediction.events.all()]
        if open_ended:
            # No horizon: the dashed line runs to the last event that settled it, or on to the edge while pending.
            settled = events and prediction.outcome != Outcome.PENDING
            line_end_x = max(mark.x for mark in events) if settled else PLOT_RIGHT
        else:
            line_end_x = max(made_x, x(prediction.horizon_end))
        window = None
        if prediction.horizon_start and prediction.horizon_end:
            left = x(prediction.horizon_start)
            window = (left, round(max(x(prediction.horizon_end) - left, 3), 1))
        reach = max([mark.x for mark in events], default=line_end_x)
        expert = prediction.claim.expert
        rows.append(
            Row(
                prediction=prediction,
                label=expert.name if expert else "Unknown speaker",
                y=y,
                made_x=made_x,
                line_end_x=line_end_x,
                open_ended=open_ended,
                window=window,
                events=events,
                outcome_label=OUTCOME_SHORT_LABELS[prediction.outcome],
                probability_label=_percent(prediction.probability),
                reach_x=reach if reach > line_end_x else line_end_x,
            )
        )
    axis_bottom = AXIS_TOP + 18 + len(rows) * ROW_HEIGHT + 8
    return Timeline(rows=rows, ticks=ticks, height=axis_bottom + 30, axis_bottom=axis_bottom, undated=undated)


# Calibration chart ----------------------------------------------------------------------------------------------

CHART_SIZE = 230
CHART_LEFT, CHART_TOP, CHART_PLOT = 44, 12, 166


@dataclass
class CalibrationPoint:
    cx: float
    cy: float
    r: float
    label: str
    count: int
    mean_forecast: float
    observed_frequency: float


@dataclass
class GridLine:
    x: float  # the vertical line's x, for a forecast probability of `value`
    y: float  # the horizontal line's y, for an observed frequency of `value`
    label: str


@dataclass
class CalibrationChart:
    points: list[CalibrationPoint]
    grid: list[GridLine]
    size: int = CHART_SIZE
    left: int = CHART_LEFT
    top: int = CHART_TOP
    right: int = CHART_LEFT + CHART_PLOT
    bottom: int = CHART_TOP + CHART_PLOT

    @property
    def x_label_y(self) -> int:
        return self.bottom + 34

    @property
    def y_label_x(self) -> int:
        return 12

    @property
    def middle(self) -> float:
        return self.top + CHART_PLOT / 2

    @property
    def x_label_x(self) -> float:
        return self.left + CHART_PLOT / 2

    @property
    def tick_x_y(self) -> int:
        return self.bottom + 14

    @property
    def tick_y_x(self) -> int:
        return self.left - 5


def _chart_x(value: float) -> float:
    return round(CHART_LEFT + value * CHART_PLOT, 1)


def _chart_y(value: float) -> float:
    return round(CHART_TOP + (1 - value) * CHART_PLOT, 1)


def build_calibration_chart(record: TrackRecord) -> CalibrationChart:
    """Forecast probability (x) against observed frequency (y), one point per ICD 203 band, sized by count."""
    points = [
        CalibrationPoint(
            cx=_chart_x(b.mean_forecast),
            cy=_chart_y(b.observed_frequency),
            r=4 + 2 * min(b.count, 6),
            label=BAND_LABELS[b.band],
            count=b.count,
            mean_forecast=b.mean_forecast,
            observed_frequency=b.observed_frequency,
        )
        for b in record.calibration
    ]
    grid = [GridLine(_chart_x(v), _chart_y(v), f"{int(v * 100)}%") for v in (0.0, 0.25, 0.5, 0.75, 1.0)]
    return CalibrationChart(points=points, grid=grid)


# Scorecards and the leaderboard --------------------------------------------------------------------------------

# Scorecards drawn at most, for the experts with the most judged forecasts.
MAX_SCORECARDS = 8
# Leaderboard lines shown at most: ranked experts, then unranked ones (too few judged forecasts), most judged first.
MAX_RANKED = 50
MAX_UNRANKED = 10


@dataclass
class TopicLine:
    name: str
    record: TrackRecord


@dataclass
class Scorecard:
    expert: Expert | None
    title: str
    record: TrackRecord
    chart: CalibrationChart
    topics: list[TopicLine]
    anchor: str


def _record_of(resolved: Counts, pending: int) -> TrackRecord:
    """The track record of the ``resolved`` forecasts' counts plus ``pending`` forecasts."""
    return track_record_of_counts([*resolved, (Outcome.PENDING, None, pending)])


def build_scorecard(
    expert: Expert | None, resolved: Counts, pending: int, topics: dict[str, Counts], topic_names
) -> Scorecard:
    """``topics``: the resolved forecasts' counts per topic slug; the lines follow the slugs' order."""
    record = _record_of(resolved, pending)
    lines = [TopicLine(topic_names.get(slug, slug), track_record_of_counts(topics[slug])) for slug in sorted(topics)]
    return Scorecard(
        expert=expert,
        title=expert.name if expert else "All forecasts shown",
        record=record,
        chart=build_calibration_chart(record),
        topics=lines,
        anchor=f"scorecard-{expert.slug}" if expert else "scorecard-all",
    )


@dataclass
class LeaderboardLine:
    expert: Expert
    record: TrackRecord
    rank: int | None  # None: too few judged forecasts to rank, or none with a probability


@dataclass
class Leaderboard:
    lines: list[LeaderboardLine]
    more_ranked: int  # ranked experts not shown (past MAX_RANKED)
    more_unranked: int  # unranked experts not shown (past MAX_UNRANKED)

    def __bool__(self) -> bool:
        return bool(self.lines)

    def __iter__(self):
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, index):
        return self.lines[index]


def build_leaderboard(groups: ForecastsByExpert) -> Leaderboard:
    """Experts with a judged forecast: ranked by Brier score (lowest first) when they have MIN_JUDGED judged
    forecasts with a score; the others follow, unranked, with the small-sample caution. At most MAX_RANKED and
    MAX_UNRANKED lines, with the number left out."""
    lines = [LeaderboardLine(g.expert, _record_of(g.resolved, g.pending), None) for g in groups.experts]
    lines = [line for line in lines if line.record.judged]
    rankable = sorted(
        (line for line in lines if not line.record.caution and line.record.brier_score is not None),
        key=lambda line: (line.record.brier_score, -line.record.judged, line.expert.sort_name, line.expert.pk),
    )
    for rank, line in enumerate(rankable, 1):
        line.rank = rank
    others = sorted(
        (line for line in lines if line.rank is None),
        key=lambda line: (-line.record.judged, line.expert.sort_name, line.expert.pk),
    )
    return Leaderboard(
        lines=rankable[:MAX_RANKED] + others[:MAX_UNRANKED],
        more_ranked=max(0, len(rankable) - MAX_RANKED),
        more_unranked=max(0, len(others) - MAX_UNRANKED),
    )


def build_scorecards(groups: ForecastsByExpert) -> list[Scorecard]:
    """Scorecards only where there are judged forecasts: the MAX_SCORECARDS experts with the most."""
    judged = [(g, _record_of(g.resolved, g.pending)) for g in groups.experts]
    judged = [(g, record) for g, record in judged if record.judged]
    judged.sort(key=lambda item: (-item[1].judged, item[0].expert.sort_name, item[0].expert.pk))
    shown = [g for g, _ in judged[:MAX_SCORECARDS]]
    groups.load_topics(shown)
    return [build_scorecard(g.expert, g.resolved, g.pending, g.topics, groups.topic_names) for g in shown]


def made_on_display(prediction: Prediction) -> str:
    article = prediction.claim.article
    if article.published_on is None:
        return "undated"
    if article.date_precision == DatePrecision.YEAR:
        return f"{article.published_on:%Y}"
    if article.date_precision == DatePrecision.MONTH:
        return f"{article.published_on:%B %Y}"
    return f"{article.published_on.day} {article.published_on:%b %Y}"


REVIEW_MARKS = {ReviewStatus.EXTRACTED: "awaiting review", ReviewStatus.REJECTED: "rejected"}


def _decorate(predictions: list[Prediction]) -> None:
    today = timezone.localdate()
    for prediction in predictions:
        prediction.made_on_display = made_on_display(prediction)
        prediction.outcome_short = OUTCOME_SHORT_LABELS[prediction.outcome]
        prediction.outcome_label = OUTCOME_LABELS[prediction.outcome]
        prediction.due = (
            prediction.outcome == Outcome.PENDING
            and prediction.horizon_end is not None
            and prediction.horizon_end < today
        )
        prediction.verdict = verdict(prediction.probability, prediction.outcome)
        prediction.verdict_label = VERDICT_LABELS[prediction.verdict]
        prediction.review_mark = REVIEW_MARKS.get(prediction.claim.status, "")
        prediction.probability_display = _percent(prediction.probability)
        prediction.band_display = (
            f"{round(prediction.probability_low * 100)}–{round(prediction.probability_high * 100)}%"
            if prediction.probability is not None
            else ""
        )


def _legend() -> list[dict]:
    return [{"verdict": key, "label": label, "help": VERDICT_HELP[key]} for key, label in VERDICT_LABELS.items()]


# Views ----------------------------------------------------------------------------------------------------------

PAGE_SIZE = 25
# Offset paging stops here; past it, narrow the filters (dates, an expert) instead.
MAX_PAGE = 200


def _page_number(request) -> int | None:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_PAGE else None


def _page_link(request, page: int) -> str:
    params = request.GET.copy()
    params["page"] = page
    return "?" + params.urlencode()


def _forecasts_by_expert(user, filters: dict, matching) -> ForecastsByExpert:
    """Every forecast ``user`` may see, or one expert's, is counted in the stored track-record counts; any other
    filter (a topic, an outcome, dates) needs the matching predictions read."""
    if set(filters) <= {"expert_id"}:
        return stored_forecasts_by_expert(user=user, expert_id=filters.get("expert_id"))
    return forecasts_by_expert(matching)


@require_safe
def predictions_index(request):
    """Forecasts, newest first and paged, on a timeline and in a table, with a leaderboard and scorecards.

    A constant number of queries: the form's experts and topics, the count, the page of forecasts with their
    prefetches, and the resolved forecasts of the whole filtered set (for the leaderboard and the scorecards).
    """
    visible = visible_predictions(request.user)
    form = PredictionPageFilter(request.GET or None, visible=visible)
    page = _page_number(request)
    context = {"form": form, "legend": _legend(), "min_judged": MIN_JUDGED, "predictions": [], "curator": False}
    if page is None:
        form.is_valid()
        form.add_error(None, f"A page number from 1 to {MAX_PAGE}.")
    if (form.is_bound and not form.is_valid()) or page is None:
        return render(request, "claims/predictions.html", context, status=400)
    filters = form.as_filters() if form.is_bound else {}
    matching = prediction_list(user=request.user, filters=filters).order_by("-claim__sort_date", "-id")
    total = matching.count()
    offset = (page - 1) * PAGE_SIZE
    predictions = list(matching[offset : offset + PAGE_SIZE])
    _decorate(predictions)
    groups = _forecasts_by_expert(request.user, filters, matching)
    scorecards = build_scorecards(groups)
    overall = (
        build_scorecard(None, groups.resolved, groups.pending, groups.topics, groups.topic_names)
        if len(groups.experts) > 1
        else None
    )
    context.update(
        {
            "predictions": predictions,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "first_number": offset + 1,
            "last_number": offset + len(predictions),
            "previous_url": _page_link(request, page - 1) if page > 1 else None,
            "next_url": _page_link(request, page + 1) if offset + PAGE_SIZE < total and page < MAX_PAGE else None,
            "timeline": build_timeline(predictions),
            "leaderboard": build_leaderboard(groups),
            "scorecards": scorecards,
            "max_scorecards": MAX_SCORECARDS,
            "overall": overall,
            "curator": can_see_unreviewed(request.user),
            "filtered": bool(filters),
            "more_open": any(
                name in filters
                for name in ("hedge", "made_after", "made_before", "horizon_after", "horizon_before", "due")
            ),
            "api_url": "/api/predictions" + ("?" + urlencode(filters) if filters else ""),
        }
    )
    return render(request, "claims/predictions.html", context)


@require_safe
def prediction_detail(request, pk: int):
    """One prediction: the quote, the forecast read from it, the outcome and the events that decided it."""
    try:
        prediction = prediction_queryset(user=request.user).get(pk=pk)
    except Prediction.DoesNotExist:
        raise Http404("No such prediction.") from None
    _decorate([prediction])
    context = {
        "prediction": prediction,
        "timeline": build_timeline([prediction]),
        "legend": _legend(),
        "outcome_help": OUTCOME_HELP[prediction.outcome],
    }
    return render(request, "claims/prediction_detail.html", context)

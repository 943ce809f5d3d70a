"""Public pages: the predictions timeline with scorecards, and one page per prediction.

Server-rendered, read-only, no JavaScript needed (a small script only submits
the filter form on change and links the timeline to the table). The charts are
SVG computed here: geometry in Python, drawing in the templates.

Queries are constant in the number of predictions: the predictions with their
prefetches, plus one query each for the experts and topics of the filter form.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from claims.choices import DatePrecision, Outcome
from claims.domain.forecasts import BAND_LABELS
from claims.domain.resolutions import OUTCOME_SHORT_LABELS
from claims.domain.track_record import MIN_JUDGED, TrackRecord, track_record, track_record_by_topic
from claims.models import Expert, Prediction, Topic
from claims.selectors.base import visible_predictions
from claims.selectors.predictions import forecasts_of, prediction_list, prediction_queryset

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
    expert = forms.ModelChoiceField(
        queryset=Expert.objects.none(), to_field_name="slug", required=False, empty_label="All experts"
    )
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(), to_field_name="slug", required=False, empty_label="All topics"
    )

    def __init__(self, *args, visible: QuerySet[Prediction], **kwargs):
        super().__init__(*args, **kwargs)
        claims = visible.values("claim_id")
        self.fields["expert"].queryset = Expert.objects.filter(claims__in=claims).distinct().order_by("sort_name", "id")
        self.fields["topic"].queryset = Topic.objects.filter(claims__in=claims).distinct().order_by("name", "id")


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


# Scorecards -----------------------------------------------------------------------------------------------------


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


def build_scorecard(expert: Expert | None, predictions: list[Prediction], topic_names: dict[str, str]) -> Scorecard:
    forecasts = forecasts_of(predictions)
    record = track_record(forecasts)
    topics = [TopicLine(topic_names.get(t.topic, t.topic), t.record) for t in track_record_by_topic(forecasts)]
    return Scorecard(
        expert=expert,
        title=expert.name if expert else "All forecasts shown",
        record=record,
        chart=build_calibration_chart(record),
        topics=topics,
        anchor=f"scorecard-{expert.slug}" if expert else "scorecard-all",
    )


def build_scorecards(predictions: list[Prediction]) -> list[Scorecard]:
    by_expert: dict[int, list[Prediction]] = defaultdict(list)
    experts: dict[int, Expert] = {}
    topic_names = topic_names_of(predictions)
    for prediction in predictions:
        expert = prediction.claim.expert
        if expert is not None:
            experts[expert.pk] = expert
            by_expert[expert.pk].append(prediction)
    cards = [build_scorecard(experts[pk], rows, topic_names) for pk, rows in by_expert.items()]
    cards.sort(key=lambda card: (-card.record.judged, -card.record.made, card.expert.sort_name))
    return cards


def topic_names_of(predictions: list[Prediction]) -> dict[str, str]:
    return {topic.slug: topic.name for prediction in predictions for topic in prediction.claim.topics.all()}


def made_on_display(prediction: Prediction) -> str:
    article = prediction.claim.article
    if article.published_on is None:
        return "undated"
    if article.date_precision == DatePrecision.YEAR:
        return f"{article.published_on:%Y}"
    if article.date_precision == DatePrecision.MONTH:
        return f"{article.published_on:%B %Y}"
    return f"{article.published_on.day} {article.published_on:%b %Y}"


def _decorate(predictions: list[Prediction]) -> None:
    for prediction in predictions:
        prediction.made_on_display = made_on_display(prediction)
        prediction.outcome_short = OUTCOME_SHORT_LABELS[prediction.outcome]
        prediction.probability_display = _percent(prediction.probability)
        prediction.band_display = (
            f"{round(prediction.probability_low * 100)}–{round(prediction.probability_high * 100)}%"
            if prediction.probability is not None
            else ""
        )


def _legend() -> list[dict]:
    labels, help_texts = OUTCOME_SHORT_LABELS, OUTCOME_HELP
    return [{"outcome": value, "label": labels[value], "help": help_texts[value]} for value in Outcome.values]


# Views ----------------------------------------------------------------------------------------------------------


@require_safe
def predictions_index(request):
    """The timeline of forecasts, filterable by expert and topic, with each expert's scorecard."""
    visible = visible_predictions(request.user)
    form = PredictionPageFilter(request.GET or None, visible=visible)
    status = 200
    predictions: list[Prediction] = []
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        filters = {}
        if data.get("expert"):
            filters["expert_id"] = data["expert"].pk
        if data.get("topic"):
            filters["topic"] = data["topic"].slug
        predictions = list(prediction_list(user=request.user, filters=filters).order_by("claim__sort_date", "id"))
    _decorate(predictions)
    scorecards = build_scorecards(predictions)
    overall = build_scorecard(None, predictions, topic_names_of(predictions)) if len(scorecards) > 1 else None
    context = {
        "form": form,
        "predictions": predictions,
        "timeline": build_timeline(predictions),
        "scorecards": scorecards,
        "overall": overall,
        "legend": _legend(),
        "min_judged": MIN_JUDGED,
        "filtered": bool(form.is_bound and form.is_valid() and any(form.cleaned_data.values())),
    }
    return render(request, "claims/predictions.html", context, status=status)


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

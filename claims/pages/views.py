"""Public pages: the predictions, paged, on a timeline and in a table, a leaderboard, scorecards; one page per
prediction.

Server-rendered, read-only, no JavaScript needed (a small script only submits
the filter form on change and links the timeline to the table). The charts are
SVG drawn on the server by pygal (claims.pages.charts). Colour says
whether the forecaster was right (claims.domain.track_record.verdict); the
event's outcome is written beside it.

Queries are constant in the number of predictions (see predictions_index).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from claims.choices import DatePrecision, HedgeCategory, Outcome, ReviewStatus
from claims.domain.resolutions import OUTCOME_LABELS, OUTCOME_SHORT_LABELS
from claims.domain.track_record import (
    MIN_JUDGED,
    VERDICT_HELP,
    VERDICT_LABELS,
    TrackRecord,
    track_record_of_counts,
    verdict,
)
from claims.filtersets.base import validate_name_query
from claims.models import Expert, Prediction, Topic
from claims.pages.charts import Chart, TimelineItem, calibration_chart, timeline_axis, timeline_chart
from claims.selectors.base import (
    can_see_unreviewed,
    visible_experts,
    visible_track_record_counts,
)
from claims.selectors.predictions import (
    Counts,
    ExpertStanding,
    ForecastsByExpert,
    expert_standings,
    forecasts_by_expert,
    prediction_list,
    prediction_queryset,
    standings_of,
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

    expert = forms.CharField(
        required=False,
        max_length=200,
        validators=[validate_name_query],
        help_text="A name or part of one, in any order.",
        widget=forms.TextInput(attrs={"list": "expert-names", "autocomplete": "off", "placeholder": "All experts"}),
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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The topics of the forecasts ``user`` may see: the stored counts have a row for each, however many
        # forecasts there are.
        counted = visible_track_record_counts(user).filter(topic__isnull=False).values("topic_id")
        self.fields["topic"].queryset = Topic.objects.filter(pk__in=counted).order_by("name", "id")

    def as_filters(self) -> dict:
        """The cleaned values as PredictionFilterSet parameters."""
        data, filters = self.cleaned_data, {}
        name = data.get("expert", "").strip()
        if name:
            # The links of the page carry the expert's slug; a typed (or suggested) name is matched by any alias.
            expert_id = visible_experts(self.user).filter(slug=name.lower()).values_list("id", flat=True).first()
            filters.update({"expert_id": expert_id} if expert_id else {"expert": name})
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


# Charts (drawn by claims.pages.charts) ------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "no probability" if value is None else f"{round(value * 100)}%"


@dataclass
class Timeline:
    chart: Chart | None
    narrow_chart: Chart | None = None  # the same rows drawn for a phone's width
    undated: list[Prediction] = field(default_factory=list)
    past_axis: frozenset[int] = frozenset()  # the forecasts whose row runs on past the axis's end (clipped)


def _horizon_words(prediction: Prediction) -> str:
    if prediction.horizon_end is None:
        return "open-ended"
    start = prediction.horizon_start
    if start and start != prediction.horizon_end:
        return f"horizon {start.day} {start:%b %Y} to {prediction.horizon_end.day} {prediction.horizon_end:%b %Y}"
    return f"horizon {prediction.horizon_end.day} {prediction.horizon_end:%b %Y}"


def build_timeline(predictions: list[Prediction]) -> Timeline:
    """The forecasts in the order given (newest first on the index), each a row of the timeline chart; forecasts
    whose article is undated cannot be placed and are listed apart."""
    dated = [p for p in predictions if p.claim.article.published_on]
    items = []
    for p in dated:
        expert = p.claim.expert
        name = expert.name if expert else "Unknown speaker"
        verdict_key = verdict(p.probability, p.outcome)
        items.append(
            TimelineItem(
                label=name,
                summary=f"{name}, {made_on_display(p)}: “{p.proposition}” ({VERDICT_LABELS[verdict_key]}, "
                f"{_percent(p.probability)}; {_horizon_words(p)}; event: {OUTCOME_SHORT_LABELS[p.outcome].lower()})",
                made=p.claim.article.published_on,
                horizon_start=p.horizon_start,
                horizon_end=p.horizon_end,
                events=tuple(event.occurred_on for event in p.events.all()),
                verdict=verdict_key,
                url=reverse("predictions:detail", args=[p.pk]),
            )
        )
    today = timezone.localdate()
    axis = timeline_axis(items, today=today) if items else None
    return Timeline(
        chart=timeline_chart(items),
        narrow_chart=timeline_chart(items, anchor="timeline-narrow", narrow=True),
        undated=[p for p in predictions if p not in dated],
        # The table gives their horizon on a phone too (its horizon column is hidden there otherwise).
        past_axis=frozenset(
            p.pk for p, item in zip(dated, items, strict=True) if axis and axis.clips(item, today=today)
        ),
    )


# Scorecards and the leaderboard --------------------------------------------------------------------------------

# Scorecards drawn at most, for the experts with the most judged forecasts.
MAX_SCORECARDS = 8
# Leaderboard lines shown at most: ranked experts, then unranked ones (too few judged forecasts), most judged first.
MAX_RANKED = 50
MAX_UNRANKED = 10
# Leaderboard lines shown at once; the others are folded away (in a <details>) to keep the page short.
LEADERBOARD_SHOWN = 10


@dataclass
class TopicLine:
    name: str
    record: TrackRecord


@dataclass
class Scorecard:
    expert: Expert | None
    title: str
    record: TrackRecord
    topics: list[TopicLine]
    anchor: str

    @cached_property
    def chart(self) -> Chart:
        return calibration_chart(self.record, anchor=f"{self.anchor}-cal")


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

    @property
    def head(self) -> list[LeaderboardLine]:
        """The lines shown at once; the rest (``tail``) fold away."""
        return self.lines[:LEADERBOARD_SHOWN]

    @property
    def tail(self) -> list[LeaderboardLine]:
        return self.lines[LEADERBOARD_SHOWN:]


def _by_judged(standing: ExpertStanding) -> tuple:
    return (-standing.standing.judged, standing.sort_name, standing.expert_id)


def _by_score(standing: ExpertStanding) -> tuple:
    return (standing.standing.brier_score, *_by_judged(standing))


@dataclass(frozen=True)
class Selection:
    """Which experts a page shows, chosen from every expert's Standing (cheap) before any TrackRecord is computed."""

    ranked: list[int]  # ranked experts shown, best Brier score first
    unranked: list[int]  # experts with too few judged forecasts, or none with a probability, most judged first
    more_ranked: int
    more_unranked: int
    scorecards: list[int]  # the MAX_SCORECARDS experts with the most judged forecasts

    @property
    def experts(self) -> set[int]:
        return {*self.ranked, *self.unranked, *self.scorecards}


def select_experts(standings: list[ExpertStanding]) -> Selection:
    """Leaderboard: experts with a judged forecast, ranked by Brier score (lowest first, then most judged, then
    name) when they have MIN_JUDGED judged forecasts with a score; the others follow, unranked, most judged first;
    at most MAX_RANKED and MAX_UNRANKED lines. Scorecards: the MAX_SCORECARDS experts with the most judged ones."""
    standings = [s for s in standings if s.standing.judged]
    ranked = sorted((s for s in standings if s.standing.ranked), key=_by_score)
    others = sorted((s for s in standings if not s.standing.ranked), key=_by_judged)
    return Selection(
        ranked=[s.expert_id for s in ranked[:MAX_RANKED]],
        unranked=[s.expert_id for s in others[:MAX_UNRANKED]],
        more_ranked=max(0, len(ranked) - MAX_RANKED),
        more_unranked=max(0, len(others) - MAX_UNRANKED),
        scorecards=[s.expert_id for s in sorted(standings, key=_by_judged)[:MAX_SCORECARDS]],
    )


def build_leaderboard(selection: Selection, groups: ForecastsByExpert) -> Leaderboard:
    """The selected lines, each with its expert's whole track record (``groups`` holds the selected experts)."""
    of = {g.expert.pk: g for g in groups.experts}
    lines = [
        LeaderboardLine(of[pk].expert, _record_of(of[pk].resolved, of[pk].pending), rank)
        for rank, pk in enumerate(selection.ranked, 1)
    ]
    lines += [
        LeaderboardLine(of[pk].expert, _record_of(of[pk].resolved, of[pk].pending), None) for pk in selection.unranked
    ]
    return Leaderboard(lines=lines, more_ranked=selection.more_ranked, more_unranked=selection.more_unranked)


def build_scorecards(selection: Selection, groups: ForecastsByExpert) -> list[Scorecard]:
    """Scorecards only where there are judged forecasts: the selected experts with the most."""
    of = {g.expert.pk: g for g in groups.experts}
    shown = [of[pk] for pk in selection.scorecards]
    groups.load_topics(shown)
    return [build_scorecard(g.expert, g.resolved, g.pending, g.topics, groups.topic_names) for g in shown]


def article_date_display(article, *, month: str = "%B") -> str:
    """The article's date as precisely as it is known: "2019", "April 2019" (``month="%b"``: "Apr 2019"),
    "25 Apr 2019" or "undated"."""
    if article.published_on is None:
        return "undated"
    if article.date_precision == DatePrecision.YEAR:
        return f"{article.published_on:%Y}"
    if article.date_precision == DatePrecision.MONTH:
        return f"{article.published_on:{month} %Y}"
    return f"{article.published_on.day} {article.published_on:%b %Y}"


def made_on_display(prediction: Prediction) -> str:
    # The short month as for a day ("Nov 2014", "15 Nov 2014"): the table's narrow column holds either.
    return article_date_display(prediction.claim.article, month="%b")


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

# Rows of the timeline and the table per page: the timeline, then the table, each about half a screen at
# 1366 x 900 (the page at 1,000 generated claims is held under a height budget by tests/browser).
PAGE_SIZE = 10
# Offset paging stops here; past it, narrow the filters (dates, an expert) instead.
MAX_PAGE = 200


def _page_number(request) -> int | None:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_PAGE else None


def _page_link(request, page: int) -> str:
    params = request.GET.copy()
    params["page"] = page
    return "?" + params.urlencode()


def _forecasts_by_expert(user, filters: dict, matching) -> tuple[ForecastsByExpert, Selection]:
    """The forecasts the leaderboard and scorecards need, and which experts they show. Every forecast ``user`` may
    see, or one expert's, is counted in the stored track-record counts: every expert's standing is summed by the
    database and only the shown experts' counts are read. Any other filter (a topic, an outcome, dates) needs the
    matching predictions read."""
    if set(filters) <= {"expert_id"}:
        selection = select_experts(expert_standings(user=user, expert_id=filters.get("expert_id")))
        groups = stored_forecasts_by_expert(user=user, expert_id=filters.get("expert_id"), experts=selection.experts)
        return groups, selection
    groups = forecasts_by_expert(matching)
    return groups, select_experts(standings_of(groups))


@require_safe
def predictions_index(request):
    """Forecasts, newest first and paged, on a timeline and in a table, with a leaderboard and scorecards.

    A constant number of queries, whatever the number of predictions and experts: the form's topics, the page of
    forecasts with their prefetches, and the leaderboard's and scorecards' counts. Unfiltered (or one expert's),
    everything but the page of forecasts comes from the stored track-record counts (TrackRecordCount): every
    expert's standing (judged forecasts, Brier score) summed by the database, a whole track record computed only
    for the experts shown. Other filters read the matching forecasts, and count them.
    """
    form = PredictionPageFilter(request.GET or None, user=request.user)
    page = _page_number(request)
    context = {"form": form, "legend": _legend(), "min_judged": MIN_JUDGED, "predictions": [], "curator": False}
    if page is None:
        form.is_valid()
        form.add_error(None, f"A page number from 1 to {MAX_PAGE}.")
    if (form.is_bound and not form.is_valid()) or page is None:
        return render(request, "claims/predictions.html", context, status=400)
    filters = form.as_filters() if form.is_bound else {}
    matching = prediction_list(user=request.user, filters=filters).order_by("-claim__sort_date", "-id")
    groups, selection = _forecasts_by_expert(request.user, filters, matching)
    # The stored counts hold every forecast of an unfiltered page: counting them is summing a few rows each.
    total = groups.made if set(filters) <= {"expert_id"} else matching.count()
    offset = (page - 1) * PAGE_SIZE
    predictions = list(matching[offset : offset + PAGE_SIZE])
    _decorate(predictions)
    scorecards = build_scorecards(selection, groups)
    overall = (
        build_scorecard(None, groups.resolved, groups.pending, groups.topics, groups.topic_names)
        if len(selection.scorecards) > 1
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
            "leaderboard": build_leaderboard(selection, groups),
            "scorecards": scorecards,
            "max_scorecards": MAX_SCORECARDS,
            "overall": overall,
            "scorecard_count": len(scorecards) + (1 if overall else 0),
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

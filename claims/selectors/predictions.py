"""Reads for predictions, events and track records, for the API, the public page and the admin.

Visibility follows the claims (claims.selectors.base): a user who may not see a
claim may not see its prediction either, so anonymous users see the
predictions of approved claims only, in every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet

from claims.choices import Outcome
from claims.domain.track_record import Forecast, TopicRecord, TrackRecord, track_record, track_record_by_topic
from claims.filtersets.predictions import PredictionFilterSet
from claims.models import Claim, Event, EvidenceLink, Expert, Prediction, Topic
from claims.selectors.base import visible_predictions

__all__ = [
    "ExpertTrackRecord",
    "event_queryset",
    "expert_track_record",
    "forecasts_of",
    "prediction_list",
    "prediction_queryset",
]


def event_queryset() -> QuerySet[Event]:
    """Events with their topics and evidence links loaded."""
    return Event.objects.prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name", "id")),
        Prefetch("evidence", queryset=EvidenceLink.objects.order_by("id")),
    )


def prediction_queryset(*, user) -> QuerySet[Prediction]:
    """Predictions ``user`` may see, with their claim, expert, article and deciding events loaded.

    A constant number of queries whatever the number of rows: one for the
    rows and one per prefetched relation. Article bodies stay in the database.
    """
    return (
        visible_predictions(user)
        .select_related(
            "claim__expert",
            "claim__affiliation__organization",
            "claim__article__outlet",
            "resolved_by",
        )
        .defer("claim__article__body", "claim__article__content_hash", "claim__article__source_file")
        .prefetch_related(
            Prefetch("claim__topics", queryset=Topic.objects.order_by("name", "id")),
            Prefetch("events", queryset=event_queryset().order_by("occurred_on", "id")),
        )
    )


def prediction_list(*, user, filters: dict | None = None) -> QuerySet[Prediction]:
    """Predictions ``user`` may see, filtered with the API's grammar (PredictionFilterSet)."""
    filterset = PredictionFilterSet(filters or {}, queryset=prediction_queryset(user=user))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def forecasts_of(predictions) -> list[Forecast]:
    """The track-record math's view of predictions (their claim's topics must be loaded or prefetched)."""
    return [
        Forecast(
            outcome=prediction.outcome,
            probability=prediction.probability,
            topics=tuple(topic.slug for topic in prediction.claim.topics.all()),
        )
        for prediction in predictions
    ]


@dataclass(frozen=True)
class ExpertTrackRecord:
    expert: Expert
    overall: TrackRecord
    topics: tuple[TopicRecord, ...]
    topic_names: dict[str, str]


def expert_track_record(*, expert: Expert, user) -> ExpertTrackRecord:
    """How ``expert``'s forecasts that ``user`` may see turned out, overall and per topic (two queries).

    Plain tuples, no model instances: an expert with a thousand forecasts
    would otherwise cost some forty thousand object constructions a request.
    """
    predictions = visible_predictions(user).filter(claim__expert=expert)
    rows = list(predictions.order_by("id").values_list("claim_id", "outcome", "probability"))
    topics_of, names = _claim_topics(predictions)
    forecasts = [
        Forecast(outcome=outcome, probability=probability, topics=tuple(topics_of.get(claim_id, ())))
        for claim_id, outcome, probability in rows
    ]
    return ExpertTrackRecord(
        expert=expert, overall=track_record(forecasts), topics=track_record_by_topic(forecasts), topic_names=names
    )


def forecasts_due(*, user, today, limit: int = 10) -> list[Prediction]:
    """Pending forecasts ``user`` may see whose horizon ended before ``today``, longest overdue first."""
    return list(
        visible_predictions(user)
        .filter(outcome=Outcome.PENDING, horizon_end__lt=today)
        .select_related("claim__expert", "claim__article__outlet")
        .defer("claim__article__body", "claim__article__content_hash", "claim__article__source_file")
        .order_by("horizon_end", "id")[:limit]
    )


def expert_forecasts(*, user, expert: Expert, limit: int = 50) -> list[Prediction]:
    """The ``limit`` newest forecasts of ``expert`` that ``user`` may see, with their article (one query)."""
    return list(
        visible_predictions(user)
        .filter(claim__expert=expert)
        .select_related("claim__article__outlet")
        .defer("claim__article__body", "claim__article__content_hash", "claim__article__source_file")
        .order_by("-claim__sort_date", "-id")[:limit]
    )


__all__ += ["expert_forecasts", "forecasts_due"]


@dataclass
class ExpertForecasts:
    """One expert's resolved forecasts (as the track-record math sees them) and how many are still pending."""

    expert: Expert
    resolved: list[Forecast] = field(default_factory=list)
    pending: int = 0


@dataclass
class ForecastsByExpert:
    experts: list[ExpertForecasts]  # experts with at least one resolved forecast, in no particular order
    resolved: list[Forecast]  # every resolved forecast, the unattributed ones included
    pending: int
    topic_names: dict[str, str]


def forecasts_by_expert(predictions: QuerySet[Prediction]) -> ForecastsByExpert:
    """The resolved forecasts among ``predictions``, grouped by expert, with the pending ones counted (four queries).

    Resolved forecasts are read as plain tuples (their number grows only as curators judge them);
    pending ones are only counted, in the database, however many there are.
    """
    predictions = predictions.prefetch_related(None).order_by()
    resolved = predictions.exclude(outcome=Outcome.PENDING)
    rows = list(resolved.values_list("claim__expert_id", "claim_id", "outcome", "probability"))
    pending_of = dict(
        predictions.filter(outcome=Outcome.PENDING)
        .values_list("claim__expert_id")
        .annotate(n=Count("id"))
        .values_list("claim__expert_id", "n")
    )
    topics_of, names = _claim_topics(resolved)
    experts = {pk: ExpertForecasts(expert=pk) for pk in {row[0] for row in rows if row[0] is not None}}
    everyone = []
    for expert_id, claim_id, outcome, probability in rows:
        forecast = Forecast(outcome=outcome, probability=probability, topics=tuple(topics_of.get(claim_id, ())))
        everyone.append(forecast)
        if expert_id is not None:
            experts[expert_id].resolved.append(forecast)
    for expert in Expert.objects.filter(pk__in=list(experts)).only("name", "slug", "sort_name"):
        experts[expert.pk].expert = expert
        experts[expert.pk].pending = pending_of.get(expert.pk, 0)
    return ForecastsByExpert(
        experts=list(experts.values()), resolved=everyone, pending=sum(pending_of.values()), topic_names=names
    )


__all__ += ["ExpertForecasts", "ForecastsByExpert", "forecasts_by_expert"]


def _claim_topics(predictions) -> tuple[dict[int, list[str]], dict[str, str]]:
    """The topic slugs of each prediction's claim (by claim id, in topic-name order), and each slug's name."""
    topics_of: dict[int, list[str]] = {}
    names: dict[str, str] = {}
    links = (
        Claim.topics.through.objects.filter(claim_id__in=predictions.values("claim_id"))
        .order_by("topic__name", "topic_id")
        .values_list("claim_id", "topic__slug", "topic__name")
    )
    for claim_id, slug, name in links:
        topics_of.setdefault(claim_id, []).append(slug)
        names[slug] = name
    return topics_of, names

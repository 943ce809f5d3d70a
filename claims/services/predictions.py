"""Writes for predictions and the events they are judged against.

A prediction's probability is never typed in: it is derived from the hedge as
printed (``claims.domain.forecasts.map_hedge``, ICD 203 plus the project's extended
table) and ``hedge_inverted``. A horizon phrase without dates is turned into a
window by ``claims.domain.forecasts.parse_horizon`` against the article's date.

Resolving a prediction records an outcome, the events that decided it, who
resolved it, when, and why (``prediction_resolve``), under the rules of
``claims.domain.resolutions.check_resolution``. The admin and the API go
through these functions; the fixtures builder, which writes no rows, applies
the same rules (``hedge_fields``, ``parse_horizon``, ``check_resolution``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.choices import ClaimKind, DatePrecision
from claims.domain.forecasts import hedge_fields, parse_horizon
from claims.domain.resolutions import (
    LATE_NEEDS_EVENT_AFTER_HORIZON,
    NEEDS_EVENT_AFTER_FORECAST,
    NO_EVENTS,
    NO_NOTE,
    NO_RESOLVER,
    RESOLVE_TO_PENDING,
    UNKNOWN_OUTCOME,
    ResolutionRefused,
    check_resolution,
)
from claims.models import Claim, Event, EvidenceLink, Prediction, Topic
from claims.services.people import unique_slug
from claims.services.track_records import track_records_refresh
from claims.services.versioning import lock_for_update, versioned_save

__all__ = [
    "CLAIM_NOT_PREDICTIVE",
    "EDITABLE_FIELDS",
    "EVENT_EDITABLE_FIELDS",
    "LATE_NEEDS_EVENT_AFTER_HORIZON",
    "NEEDS_EVENT_AFTER_FORECAST",
    "NO_EVENTS",
    "NO_NOTE",
    "NO_RESOLVER",
    "RESOLVE_TO_PENDING",
    "UNKNOWN_OUTCOME",
    "event_create",
    "event_update",
    "evidence_link_delete",
    "evidence_link_save",
    "hedge_fields",
    "prediction_create",
    "prediction_resolve",
    "prediction_update",
]

CLAIM_NOT_PREDICTIVE = "Only a claim of kind 'prediction' can carry a prediction; this one is a {kind}."

EDITABLE_FIELDS = frozenset({"proposition", "hedge", "hedge_inverted", "horizon_text", "horizon_start", "horizon_end"})
EVENT_EDITABLE_FIELDS = frozenset({"title", "occurred_on", "date_precision", "description", "topics", "evidence"})


def _forecast_date(claim: Claim) -> datetime.date | None:
    return claim.article.published_on


def _apply_horizon(prediction: Prediction, *, dates_given: bool) -> None:
    """A horizon phrase without dates gets the window parse_horizon reads in it."""
    if dates_given or not prediction.horizon_text:
        return
    horizon = parse_horizon(prediction.horizon_text, _forecast_date(prediction.claim))
    prediction.horizon_start, prediction.horizon_end = horizon.start, horizon.end


@transaction.atomic
def prediction_create(
    *,
    claim: Claim,
    proposition: str,
    hedge: str = "",
    hedge_inverted: bool = False,
    horizon_text: str = "",
    horizon_start: datetime.date | None = None,
    horizon_end: datetime.date | None = None,
    user=None,
) -> Prediction:
    """The prediction a predictive claim makes, its probability derived from the hedge."""
    if claim.kind != ClaimKind.PREDICTION:
        raise ValidationError({"claim": CLAIM_NOT_PREDICTIVE.format(kind=claim.get_kind_display().lower())})
    prediction = Prediction(
        claim=claim,
        proposition=proposition.strip(),
        hedge=hedge.strip(),
        hedge_inverted=hedge_inverted,
        horizon_text=horizon_text.strip(),
        horizon_start=horizon_start,
        horizon_end=horizon_end,
        **hedge_fields(hedge, inverted=hedge_inverted),
    )
    _apply_horizon(prediction, dates_given=horizon_start is not None or horizon_end is not None)
    prediction.full_clean()
    prediction._history_user = user
    prediction.save()
    track_records_refresh(expert_ids={claim.expert_id})
    return prediction


@transaction.atomic
def prediction_update(
    *, prediction: Prediction, data: Mapping, expected_version: int | None = None, user=None
) -> Prediction:
    """Change the proposition, the hedge or the horizon (EDITABLE_FIELDS); the probability follows the hedge.

    A new ``horizon_text`` without dates is parsed into a window; dates given
    alongside it are kept as given.
    """
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"prediction_update cannot change {sorted(unknown)}")
    prediction = lock_for_update(prediction, expected_version)
    for name, value in data.items():
        setattr(prediction, name, value.strip() if isinstance(value, str) else value)
    if "hedge" in data or "hedge_inverted" in data:
        for name, value in hedge_fields(prediction.hedge, inverted=prediction.hedge_inverted).items():
            setattr(prediction, name, value)
    if "horizon_text" in data:
        _apply_horizon(prediction, dates_given="horizon_start" in data or "horizon_end" in data)
    prediction = versioned_save(prediction, user=user)
    if "hedge" in data or "hedge_inverted" in data:  # the probability may have changed
        track_records_refresh(expert_ids={prediction.claim.expert_id})
    return prediction


def _check_resolution(prediction: Prediction, outcome: str, events: list[Event], user, note: str) -> None:
    try:
        check_resolution(
            outcome=outcome,
            event_dates=[event.occurred_on for event in events],
            note=note,
            made=_forecast_date(prediction.claim),
            horizon_end=prediction.horizon_end,
            has_resolver=user is not None and getattr(user, "is_authenticated", False),
        )
    except ResolutionRefused as refused:
        raise ValidationError({refused.field: refused.message}) from None


@transaction.atomic
def prediction_resolve(
    *,
    prediction: Prediction,
    outcome: str,
    events: Iterable[Event],
    user,
    note: str,
    expected_version: int | None = None,
) -> Prediction:
    """Record how a prediction turned out: the outcome, the deciding events, the resolver, the time, the reason.

    Refused (ValidationError) without at least one event, without a signed-in
    resolver or without a note; "came true late" needs an event after the
    horizon, and any outcome saying the forecast event happened needs an event
    on or after the day of the forecast. Resolving again replaces the previous
    resolution (the history keeps it). StaleVersionError when
    ``expected_version`` is not the current version.
    """
    prediction = lock_for_update(prediction, expected_version)
    events = list(events)
    prediction.claim = Claim.objects.select_related("article").defer("article__body").get(pk=prediction.claim_id)
    _check_resolution(prediction, outcome, events, user, note)
    prediction.outcome = outcome
    prediction.resolved_by = user
    prediction.resolved_at = timezone.now()
    prediction.resolution_note = note.strip()
    # The events first and without a history record of their own, so that the one record the save
    # writes holds the whole resolution: outcome, resolver, time, note and events.
    prediction.skip_history_when_saving = True
    try:
        prediction.events.set(events)
    finally:
        del prediction.skip_history_when_saving
    prediction = versioned_save(prediction, user=user)
    track_records_refresh(expert_ids={prediction.claim.expert_id})
    return prediction


# Events -------------------------------------------------------------------------------------------------------


def evidence_link_save(*, link: EvidenceLink, user=None) -> EvidenceLink:
    """Validate and save one evidence link (a new one or an edited one)."""
    link.url = link.url.strip()
    link.publisher = link.publisher.strip()
    link.title = link.title.strip()
    link.full_clean()
    link.save()
    return link


def evidence_link_delete(*, link: EvidenceLink, user=None) -> None:
    link.delete()


def _set_evidence(event: Event, evidence: Iterable[Mapping]) -> None:
    """Make the event cite exactly ``evidence`` (dicts of url, publisher, title); links are matched by URL."""
    wanted = [dict(item) for item in evidence]
    existing = {link.url: link for link in event.evidence.all()}
    keep = set()
    for item in wanted:
        url = item["url"].strip()
        link = existing.get(url) or EvidenceLink(event=event, url=url)
        link.publisher, link.title = item["publisher"], item["title"]
        evidence_link_save(link=link)
        keep.add(url)
    for url, link in existing.items():
        if url not in keep:
            evidence_link_delete(link=link)


@transaction.atomic
def event_create(
    *,
    title: str,
    occurred_on: datetime.date,
    description: str,
    date_precision: str = DatePrecision.DAY,
    topics: Iterable[Topic] = (),
    evidence: Iterable[Mapping] = (),
    slug: str = "",
    user=None,
) -> Event:
    """An event with its topics and evidence links ({"url", "publisher", "title"} each)."""
    title = " ".join(title.split())
    event = Event(
        title=title,
        slug=slug or unique_slug(Event, f"{occurred_on:%Y-%m-%d} {title}", max_length=300),
        occurred_on=occurred_on,
        date_precision=date_precision,
        description=description.strip(),
    )
    event.full_clean()
    event._history_user = user
    event.save()
    topics = list(topics)
    if topics:
        event.topics.set(topics)
    _set_evidence(event, evidence)
    return event


@transaction.atomic
def event_update(*, event: Event, data: Mapping, user=None) -> Event:
    """Change an event (EVENT_EDITABLE_FIELDS). ``topics`` and ``evidence``, when given, replace the current ones."""
    unknown = set(data) - EVENT_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"event_update cannot change {sorted(unknown)}")
    event = Event.objects.select_for_update().get(pk=event.pk)
    for name, value in data.items():
        if name not in ("topics", "evidence"):
            setattr(event, name, " ".join(value.split()) if name == "title" else value)
    event.full_clean()
    event._history_user = user
    event.save()
    if "topics" in data:
        event.topics.set(data["topics"])
    if "evidence" in data:
        _set_evidence(event, data["evidence"])
    return event

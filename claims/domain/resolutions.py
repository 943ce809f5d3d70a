"""How a forecast turns out: the outcomes, their labels, and the rules a resolution must meet. Pure, no Django.

``claims.choices.Outcome`` takes its labels from here; the public pages and
the admin draw the short ones. ``check_resolution`` is the one statement of
what a resolution needs: the prediction service (``prediction_resolve``) and
the fixtures builder (scripts/build_fixtures.py) both apply it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

__all__ = [
    "HAPPENED",
    "LATE_NEEDS_EVENT_AFTER_HORIZON",
    "NEEDS_EVENT_AFTER_FORECAST",
    "NO_EVENTS",
    "NO_NOTE",
    "NO_RESOLVER",
    "OUTCOME_LABELS",
    "OUTCOME_SHORT_LABELS",
    "RESOLVE_TO_PENDING",
    "UNKNOWN_OUTCOME",
    "ResolutionRefused",
    "check_resolution",
]

PENDING = "pending"

# Outcome -> its label (the admin, the API's JSON-LD rating name).
OUTCOME_LABELS: dict[str, str] = {
    PENDING: "Pending",
    "came_true": "Came true",
    "came_true_late": "Came true late (after the horizon)",
    "partly": "Partly came true",
    "did_not_happen": "Did not happen",
    "cannot_judge": "Cannot be judged",
}

# Outcome -> the short label drawn on the timeline, in the legend and in the admin's badges.
OUTCOME_SHORT_LABELS: dict[str, str] = {
    **OUTCOME_LABELS,
    "came_true_late": "Came true late",
    "partly": "Partly",
}

# Outcomes that say the forecast event happened, at least in part.
HAPPENED = frozenset({"came_true", "came_true_late", "partly"})

UNKNOWN_OUTCOME = "Unknown outcome {outcome!r}; use one of: {choices}."
RESOLVE_TO_PENDING = "A resolution gives an outcome other than 'pending'."
NO_EVENTS = "A resolution names at least one event that decided it."
NO_RESOLVER = "A resolution records who resolved it: a signed-in user is required."
NO_NOTE = "A resolution says why: write a note."
NEEDS_EVENT_AFTER_FORECAST = (
    "An outcome of '{outcome}' needs at least one deciding event on or after the day the forecast was made ({made})."
)
LATE_NEEDS_EVENT_AFTER_HORIZON = (
    "'Came true late' means after the horizon: at least one deciding event must fall after {end}, "
    "the end of the forecast's horizon."
)


class ResolutionRefused(ValueError):
    """A resolution that breaks a rule: ``field`` is what to fix, ``message`` says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def check_resolution(
    *,
    outcome: str,
    event_dates: Iterable[datetime.date],
    note: str,
    made: datetime.date | None,
    horizon_end: datetime.date | None,
    has_resolver: bool = True,
) -> None:
    """Raise ResolutionRefused unless the resolution meets every rule, checked in this order.

    A known outcome other than pending; a resolver; at least one deciding
    event; a note. An outcome saying the event happened needs an event on or
    after ``made`` (the day of the forecast, when known); "came true late"
    needs an event after ``horizon_end`` (when the horizon has one).
    """
    dates = list(event_dates)
    if outcome not in OUTCOME_LABELS:
        raise ResolutionRefused("outcome", UNKNOWN_OUTCOME.format(outcome=outcome, choices=", ".join(OUTCOME_LABELS)))
    if outcome == PENDING:
        raise ResolutionRefused("outcome", RESOLVE_TO_PENDING)
    if not has_resolver:
        raise ResolutionRefused("resolved_by", NO_RESOLVER)
    if not dates:
        raise ResolutionRefused("events", NO_EVENTS)
    if not note.strip():
        raise ResolutionRefused("resolution_note", NO_NOTE)
    if outcome in HAPPENED and made is not None and not any(day >= made for day in dates):
        label = OUTCOME_LABELS[outcome].lower()
        raise ResolutionRefused("events", NEEDS_EVENT_AFTER_FORECAST.format(outcome=label, made=made))
    if outcome == "came_true_late" and horizon_end is not None and not any(day > horizon_end for day in dates):
        raise ResolutionRefused("events", LATE_NEEDS_EVENT_AFTER_HORIZON.format(end=horizon_end))

"""Every filter of the predictions and events lists picks a strict subset of at least three rows."""

from __future__ import annotations

import datetime

import pytest

from claims.filtersets.predictions import EventFilterSet, PredictionFilterSet
from claims.models import Event
from claims.selectors.base import visible_predictions
from claims.selectors.predictions import prediction_list
from tests.factories import make_prediction

D = datetime.date

pytestmark = pytest.mark.django_db


def prediction_ids(forecasts, params) -> set[int]:
    queryset = visible_predictions(None)
    filterset = PredictionFilterSet(params, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    found = set(filterset.qs.values_list("pk", flat=True))
    assert len(filterset.qs) == len(found), "the filter returned a row twice"
    return found


def ids(predictions) -> set[int]:
    return {p.pk for p in predictions}


PREDICTION_CASES = {
    "expert": (lambda w: {"expert": "lankov"}, lambda w: [w.p[0], w.p[1], w.p[2]]),
    "expert_alias": (lambda w: {"expert": "Andrey Lankov"}, lambda w: [w.p[0], w.p[1], w.p[2]]),
    "expert_id": (lambda w: {"expert_id": w.cho.pk}, lambda w: [w.p[3], w.p[4], w.p[5]]),
    "expert_kind": (lambda w: {"expert_kind": "analyst"}, lambda w: [w.p[3], w.p[4], w.p[5]]),
    "outcome": (lambda w: {"outcome": "pending"}, lambda w: [w.p[5], w.p[6], w.p[8]]),
    "resolved_true": (lambda w: {"resolved": "true"}, lambda w: [w.p[i] for i in (0, 1, 2, 3, 4, 7)]),
    "resolved_false": (lambda w: {"resolved": "false"}, lambda w: [w.p[5], w.p[6], w.p[8]]),
    "due_false": (lambda w: {"due": "false"}, lambda w: [w.p[i] for i in (0, 1, 2, 3, 4, 5, 7, 8)]),
    "hedge": (lambda w: {"hedge": "likely"}, lambda w: [w.p[1], w.p[2], w.p[3]]),
    "low_confidence": (lambda w: {"low_confidence": "true"}, lambda w: [w.p[3], w.p[6], w.p[8]]),
    "horizon_before": (lambda w: {"horizon_before": "2016-12-31"}, lambda w: [w.p[2], w.p[3], w.p[4]]),
    "horizon_after": (lambda w: {"horizon_after": "2023-06-01"}, lambda w: [w.p[0], w.p[5], w.p[6], w.p[7], w.p[8]]),
    "made_after": (lambda w: {"made_after": "2022-01-01"}, lambda w: [w.p[6], w.p[7], w.p[8]]),
    "made_before": (lambda w: {"made_before": "2015-12-31"}, lambda w: [w.p[2], w.p[3], w.p[4]]),
    "topic": (lambda w: {"topic": "sanctions"}, lambda w: [w.p[0], w.p[1], w.p[7]]),
    "event": (lambda w: {"event": w.summit19.pk}, lambda w: [w.p[0], w.p[2], w.p[4]]),
}


@pytest.mark.parametrize("case", sorted(PREDICTION_CASES))
def test_prediction_filter_selects_a_strict_subset_of_at_least_three(forecasts, case):
    params, expected = PREDICTION_CASES[case]
    found = prediction_ids(forecasts, params(forecasts))
    assert found == ids(expected(forecasts))
    assert 3 <= len(found) < len(forecasts.visible)


def test_every_prediction_filter_is_covered():
    covered = {name.split("_true")[0].split("_false")[0].removesuffix("_alias") for name in PREDICTION_CASES}
    assert set(PredictionFilterSet.base_filters) - {"ordering"} <= covered


def test_due_selects_pending_forecasts_whose_horizon_has_passed(forecasts):
    late = [
        make_prediction(
            f"Talks {n} will resume soon",
            expert=forecasts.cho,
            made=D(2020, 1, n),
            hedge="likely",
            horizon=(D(2020, 1, 1), D(2020, 6, 30)),
        )
        for n in (1, 2)
    ]
    later = make_prediction(
        "Talks will resume next century",
        expert=forecasts.cho,
        made=D(2020, 1, 3),
        horizon=(D(2020, 1, 1), D(2999, 12, 31)),
    )
    found = prediction_ids(forecasts, {"due": "true"})
    assert found == ids([forecasts.p[6], *late])  # pending past the horizon; not the open-ended nor the resolved
    assert later.pk not in found and forecasts.p[1].pk not in found


def test_filters_combine(forecasts):
    found = prediction_ids(forecasts, {"expert": "lankov", "topic": "sanctions", "resolved": "true"})
    assert found == ids([forecasts.p[0], forecasts.p[1]])


def test_hidden_predictions_are_not_in_the_selector_for_anonymous_users(forecasts):
    assert forecasts.hidden.pk not in set(prediction_list(user=None).values_list("pk", flat=True))


@pytest.mark.parametrize(
    "params",
    [
        {"outcome": "maybe"},
        {"hedge": "sure"},
        {"horizon_before": "May 2015"},
        {"resolved": "perhaps"},
        {"low_confidence": "yes"},
        {"due": "soon"},
    ],
)
def test_malformed_values_are_invalid(forecasts, params):
    assert not PredictionFilterSet(params, queryset=visible_predictions(None)).is_valid()


EVENT_CASES = {
    "date_after": (
        {"date_after": "2019-01-01"},
        ["Vladivostok summit", "Vostochny summit", "Veto of the panel", "Pyongyang summit and treaty"],
    ),
    "date_before": (
        {"date_before": "2020-01-01"},
        ["Envoy received in Moscow", "Victory Day parade", "Vladivostok summit"],
    ),
    "topic": (
        {"topic": "summit-diplomacy"},
        [
            "Envoy received in Moscow",
            "Victory Day parade",
            "Vladivostok summit",
            "Vostochny summit",
            "Pyongyang summit and treaty",
        ],
    ),
    "title": ({"title": "SUMMIT"}, ["Vladivostok summit", "Vostochny summit", "Pyongyang summit and treaty"]),
}


@pytest.mark.parametrize("case", sorted(EVENT_CASES))
def test_event_filter_selects_a_strict_subset_of_at_least_three(forecasts, case):
    params, titles = EVENT_CASES[case]
    filterset = EventFilterSet(params, queryset=Event.objects.all())
    assert filterset.is_valid(), filterset.errors
    found = sorted(filterset.qs.values_list("title", flat=True))
    assert found == sorted(titles)
    assert 3 <= len(found) < Event.objects.count()


def test_every_event_filter_is_covered():
    assert set(EventFilterSet.base_filters) - {"ordering"} == set(EVENT_CASES)


# Read by tests/filtersets/test_meta.py: a case per filter of each FilterSet.
CASES = {PredictionFilterSet: PREDICTION_CASES, EventFilterSet: EVENT_CASES}

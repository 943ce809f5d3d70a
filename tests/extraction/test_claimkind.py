"""Claim kinds and hedges (rules only)."""

from __future__ import annotations

import pytest

from claims.extraction.claimkind import classify_claim


@pytest.mark.parametrize(
    ("text", "kind", "hedge"),
    [
        ("I expect it is hard for the leader to visit Russia in May", "prediction", "I expect"),
        (
            "without a change, it’s very unlikely the North will be able to get sanctions relief",
            "prediction",
            "very unlikely",
        ),
        (
            "North Korea will probably try to use the visit. Naturally, the culmination would be a summit",
            "prediction",
            "probably",
        ),
        ("there is a high possibility of a military cooperation between the two", "prediction", "high possibility"),
        ("More will be achieved this year, and exchanges will be expanded.", "prediction", None),
        ("Beijing should take steps to improve its relations with Pyongyang", "recommendation", None),
        ("So the country needs to contact everyone who might help", "recommendation", None),
        ("Russia is more interested in Siberia and the Far East", "assessment", None),
        ("We formed a roadmap based on the agreement last September", "factual", None),
        ("The leaders of the two countries regularly exchange messages", "factual", None),
    ],
)
def test_claim_kinds(text, kind, hedge):
    got_kind, got_hedge, reason = classify_claim(text)
    assert (got_kind, got_hedge) == (kind, hedge)
    assert reason


def test_hedge_is_kept_as_printed():
    kind, hedge, _ = classify_claim("It is Very Unlikely that talks resume")
    assert (kind, hedge) == ("prediction", "Very Unlikely")


def test_will_as_a_noun_is_not_the_future():
    kind, _, _ = classify_claim("They lack the political will to act")
    assert kind != "prediction"

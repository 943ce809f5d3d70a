"""A headline that says who said what is that person's claim, when the body names them."""

from __future__ import annotations

import pytest

BODY = (
    "Ivan Petrov, the Russian ambassador to Hanbit, spoke to reporters in the capital on Monday after a meeting "
    "with the trade minister.\n\n"
    "The meeting lasted two hours and ended without a joint statement.\n"
)


@pytest.mark.parametrize(
    "headline",
    [
        "Petrov: Grain deliveries will resume in the spring",
        "Grain deliveries will resume in the spring: Petrov",
        "Petrov says grain deliveries will resume in the spring",
        "Petrov Warns Grain Deliveries Will Resume In The Spring",
        "Grain deliveries will resume in the spring, Petrov says",
        "Grain deliveries will resume in the spring, Russian envoy says",
        "Envoy: Grain deliveries will resume in the spring",
    ],
)
def test_a_headline_naming_its_source_is_the_claim_of_the_person_the_body_names(extract, headline):
    result = extract(f"{headline}\n\n{BODY}")
    found = [q for q in result.quotes if "rain deliveries" in q.text or "rain Deliveries" in q.text]
    assert len(found) == 1, [(q.text, q.speaker) for q in result.quotes]
    q = found[0]
    assert (q.speaker, q.kind, q.rule) == ("Ivan Petrov", "indirect", "headline")
    assert "Petrov" not in q.text and "says" not in q.text
    assert q.speaker_mention in headline


def test_a_quoted_headline_is_a_direct_quote(extract):
    result = extract(f'Petrov: "Grain deliveries will resume in the spring"\n\n{BODY}')
    q = next(q for q in result.quotes if "Grain deliveries" in q.text)
    assert (q.speaker, q.kind, q.text) == ("Ivan Petrov", "direct", "Grain deliveries will resume in the spring")


@pytest.mark.parametrize(
    "headline",
    [
        "Ministry: Grain deliveries will resume in the spring",  # an organization
        "Grain deliveries will resume in the spring: experts",  # a group
        "Lopez says grain deliveries will resume in the spring",  # someone the body does not name
        "Petrov's visit: a turning point for the grain trade",  # no source at all
        "Analyst: Grain deliveries will resume in the spring",  # a description the body's people do not fit
    ],
)
def test_a_headline_whose_source_is_no_person_of_the_article_is_no_claim(extract, headline):
    result = extract(f"{headline}\n\n{BODY}")
    assert not [q for q in result.quotes if q.start < len(headline)], [(q.text, q.speaker) for q in result.quotes]


def test_the_headline_does_not_make_a_lead_description_someone_named_before(extract):
    text = (
        "Sanctions can bring change: expert\n\n"
        "Easing the sanctions could speed up change in the north, a South Korean expert said on Monday.\n\n"
        "Kim Min-ji, a professor of political science at Hanbit University, spoke at a forum in the capital.\n"
    )
    result = extract(text)
    lead = next(q for q in result.quotes if "speed up change" in q.text)
    head = next(q for q in result.quotes if "can bring change" in q.text)
    assert lead.speaker == head.speaker == "Kim Min-ji"

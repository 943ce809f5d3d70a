"""Indirect quotes: reporting verbs with a clause, "according to", "adding that", pronoun cues."""

from __future__ import annotations

from tests.extraction.conftest import quote_with

INTRO = "Officials met in Seoul.\n\n"


def test_explained_that(extract):
    text = INTRO + "Ann Lee, an economist at the Hanbit Institute, explained that growth will slow next year.\n"
    q = quote_with(extract(text), "growth will slow")
    assert q.kind == "indirect"
    assert q.text == "growth will slow next year"
    assert q.speaker == "Ann Lee"
    assert q.cue == "explained"
    assert q.affiliation.role == "economist"
    assert q.affiliation.organization == "Hanbit Institute"


def test_estimated_that_and_noted(extract):
    text = (
        INTRO + "Ann Lee, a senior analyst at the Hanbit Institute, estimated that there is a high possibility "
        "of new sanctions.\n\nLee also noted the ministry had not replied.\n"
    )
    result = extract(text)
    first = quote_with(result, "high possibility")
    assert (first.cue, first.speaker) == ("estimated", "Ann Lee")
    second = quote_with(result, "ministry had not replied")
    assert (second.cue, second.speaker, second.speaker_mention) == ("noted", "Ann Lee", "Lee")


def test_told_a_news_service_that(extract):
    text = INTRO + "Ambassador Ivan Petrov told the Russian news service that the visit was a success.\n"
    q = quote_with(extract(text), "visit was a success")
    assert q.kind == "indirect"
    assert q.cue == "told the Russian news service"
    assert q.speaker == "Ivan Petrov"
    assert q.speaker_mention == "Ambassador Ivan Petrov"


def test_according_to(extract):
    text = INTRO + "According to Ann Lee, the economy will shrink by two percent this year.\n"
    q = quote_with(extract(text), "economy will shrink")
    assert q.cue.casefold() == "according to"
    assert q.speaker == "Ann Lee"
    assert q.text == "the economy will shrink by two percent this year"


def test_adding_that_keeps_the_speaker(extract):
    text = INTRO + "“Prices rose sharply,” said Ann Lee, director of the Hanbit Institute, adding that wages fell.\n"
    result = extract(text)
    direct = quote_with(result, "Prices rose")
    added = quote_with(result, "wages fell")
    assert direct.speaker == added.speaker == "Ann Lee"
    assert added.kind == "indirect"
    assert added.cue == "adding"


def test_he_added_that_resolves_to_the_last_speaker(extract):
    text = (
        INTRO + "Min-su Park, the former aide to the unification minister, explained that the North needs money. "
        "He added that the timing of the visit was no accident.\n"
    )
    q = quote_with(extract(text), "timing of the visit")
    assert q.speaker == "Min-su Park"
    assert q.speaker_mention == "He"
    assert q.affiliation.is_former


def test_reporting_verb_without_a_clause_is_not_a_quote(extract):
    text = INTRO + "The minister said nothing and left the room.\n"
    assert extract(text).quotes == ()

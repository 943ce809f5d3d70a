"""Indirect quotes: reporting verbs with a clause, "according to", "adding that", pronoun cues."""

from __future__ import annotations

import pytest

from tests.conftest import quote_with

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


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        ("Ivan Petrov criticized the plan as a waste of money for the region.", "the plan as a waste of money"),
        ("Anna Kovaleva described the summit as a turning point for both countries.", "the summit as a turning"),
        ("Mark Roe accused Pyongyang of supplying shells to Moscow for months.", "Pyongyang of supplying shells"),
        ("Kim Jong Un vowed to strengthen the nuclear forces of his country.", "to strengthen the nuclear"),
        ("Sergei Ivanov urged North Korea to return to the negotiating table.", "North Korea to return"),
        ("Park Won-gon dismissed the report as propaganda from the south.", "the report as propaganda"),
        ("Chris Hill expressed hope that the next round could make progress.", "the next round could make"),
        ("Tom Casey called on North Korea to end hostilities and return to dialogue.", "North Korea to end"),
    ],
)
def test_cues_that_report_through_their_object(extract, sentence, content):
    result = extract(f"Reactions.\n\n{sentence}\n")
    q = quote_with(result, content)
    assert q.kind == "indirect" and q.speaker and sentence.startswith(q.speaker + " ")


@pytest.mark.parametrize(
    "sentence",
    [
        "One official, who asked not to be named, said little.",
        "Two diplomats agreed to speak anonymously about the meeting.",
    ],
)
def test_anonymity_is_not_a_claim(extract, sentence):
    result = extract(f"Reactions.\n\n{sentence}\n")
    assert not [q for q in result.quotes if "named" in q.text or "anonymously" in q.text]


def test_forecast_and_intention_verbs_decide_the_claim_kind(extract):
    text = (
        "Outlook.\n\n"
        "Andrei Lankov predicted that the regime would survive the sanctions.\n\n"
        "Anna Kovaleva expected the balloons to keep coming in the spring.\n\n"
        "Kim Jong Un vowed that his army would strike back at once.\n"
    )
    result = extract(text)
    assert quote_with(result, "regime would survive").claim_kind == "prediction"
    assert quote_with(result, "balloons to keep coming").claim_kind == "prediction"
    assert quote_with(result, "strike back").claim_kind != "prediction"


def test_a_surname_with_its_particle_at_a_sentence_start(extract):
    text = (
        "Food aid.\n\n"
        "Jean-Pierre de Margerie said hunger was once again a serious problem there.\n\n"
        "De Margerie said an assessment conducted last month showed the situation could deteriorate.\n"
    )
    assert quote_with(extract(text), "assessment conducted").speaker == "Jean-Pierre de Margerie"


def test_what_an_agency_reports_a_named_person_said_is_that_persons_claim(extract):
    text = (
        "Summit.\n\n"
        "The Interfax news agency said that after the talks Vladimir Putin said the programme was peaceful.\n"
    )
    result = extract(text)
    claims = [q for q in result.quotes if "programme was peaceful" in q.text]
    assert [q.speaker for q in claims] == ["Vladimir Putin"]


@pytest.mark.parametrize("verb", ["voiced", "expressed"])
def test_hope_voiced_or_expressed_reports_its_clause(extract, verb):
    text = f"Talks\n\nIvan Petrov spoke on Monday. He {verb} hope that the two sides will return to the table.\n"
    quote = quote_with(extract(text), "return to the table")
    assert quote.speaker == "Ivan Petrov" and quote.kind == "indirect"


def test_a_voice_that_reports_nothing_is_no_quote(extract):
    assert not extract("Film\n\nThe main part was voiced by Ivan Petrov.\n").quotes


def test_a_hope_voiced_for_the_future_is_a_wish_not_a_forecast(extract):
    text = "Talks\n\nIvan Petrov spoke on Monday. He voiced hope that the two sides will return to the table.\n"
    assert quote_with(extract(text), "return to the table").claim_kind != "prediction"


def test_a_that_clause_after_a_phrase_between_it_and_the_verb_is_the_verbs(extract):
    text = "Talks\n\nIvan Petrov suggested during a news briefing that Washington was considering sanctions.\n"
    assert quote_with(extract(text), "considering sanctions").speaker == "Ivan Petrov"


def test_a_true_relative_clause_after_the_verbs_phrase_is_no_quote(extract):
    assert not extract("Talks\n\nIvan Petrov spoke at the meeting that was held in Seoul.\n").quotes


@pytest.mark.parametrize(
    ("sentence", "content"),
    [
        (
            "Ann Lee urged full and balanced implementation of the new trade rules.",
            "full and balanced implementation of the new trade rules",
        ),
        (
            "Ann Lee condemned the sham votes held in the occupied border towns last week.",
            "the sham votes held in the occupied border towns last week",
        ),
        (
            "Ann Lee reiterated her willingness to finish the pension reform this year.",
            "her willingness to finish the pension reform this year",
        ),
        ("Ann Lee called the reports about troops near the border far-fetched.", "the reports about troops"),
        ("Ann Lee called for a review of the whole security architecture of the region.", "a review of the whole"),
        ("Ann Lee complained about a lack of shells on the front lines.", "a lack of shells on the front lines"),
        ("Ann Lee hinted at significant proposals contained in the letter.", "significant proposals contained"),
        ("Ann Lee told the envoy to hold consultations with the council.", "to hold consultations"),
        ("Ann Lee expressed hopes on meeting the northern leader in the coming weeks.", "meeting the northern leader"),
    ],
)
def test_a_stance_reported_through_the_verbs_object_is_an_indirect_quote(extract, sentence, content):
    q = quote_with(extract(INTRO + sentence + "\n"), content)
    assert (q.kind, q.speaker) == ("indirect", "Ann Lee")
    assert content in q.text and "Ann Lee" not in q.text


@pytest.mark.parametrize(
    "sentence",
    [
        "Ann Lee welcomed the move.",  # too short to say anything
        "Ann Lee warned colleagues.",  # the object is who is warned
        "Ann Lee proposed a new sanctions package on Monday.",  # an act, not a stance reported
        "The group, called the Northern Friends of the Port, met again.",  # "called" naming a thing
    ],
)
def test_an_object_that_is_no_stance_is_no_quote(extract, sentence):
    assert not extract(INTRO + sentence + "\n").quotes

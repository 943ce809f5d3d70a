"""Topic cue phrases: how a phrase matches, what a valid cue is, and the text a claim is matched on.

Every text here is made up for the test.
"""

from __future__ import annotations

import pytest

from claims.domain.topic_cues import TOPICS
from claims.domain.topics import claim_context, compile_cues, cue_errors, parse_cues

CUES = {
    "sanctions": "sanction\nexport control\nasset freeze\nUN\n# a comment\nblacklist*",
    "economy": "economy\ntax\nrail link",
    "exchanges": "people-to-people\nstudent",
}


@pytest.fixture
def matcher():
    return compile_cues(CUES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("New sanctions were announced.", ["sanctions"]),
        ("SANCTION relief is off the table.", ["sanctions"]),
        ("Tighter export controls on chips.", ["sanctions"]),  # multiword, plural on the last word
        ("An asset  freeze\nfollowed.", ["sanctions"]),  # any run of spaces, across a line break
        ("The firm was blacklisted last year.", ["sanctions"]),  # a stem ending in *
        ("The UN will meet.", ["sanctions"]),  # an acronym, in capitals
        ("Both economies grew, and taxes rose.", ["economy"]),  # -y -> -ies, -x -> -xes
        ("A people to people programme for students.", ["exchanges"]),  # hyphens or spaces
        ("The rail-link and sanctions.", ["sanctions", "economy"]),  # several topics, in the given order
    ],
)
def test_a_cue_matches_whole_words_in_any_case_with_plurals(matcher, text, expected):
    assert matcher.match(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The sanctionable offence.",  # only the plural or possessive, not any longer word
        "An un-American act.",  # "UN" is an acronym: capitals only
        "The Unknown soldier.",
        "Taxonomy is a science.",
        "The student-led rally.".replace("student", "studied"),
        "",
    ],
)
def test_a_cue_does_not_match_inside_other_words(matcher, text):
    assert matcher.match(text) == []


def test_a_cue_written_in_the_plural_matches_that_plural_only():
    matcher = compile_cues({"t": ["talks"]})
    assert matcher.match("Talks resumed.") == ["t"]
    assert matcher.match("Let us talk.") == []


def test_parse_cues_drops_comments_blank_lines_and_duplicates():
    assert parse_cues("  sanction \n\n# note\nSanction\nasset   freeze\n") == ("sanction", "asset freeze")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("sanction|embargo", '"sanction|embargo" is not a plain word'),
        ("(nuclear)", "is not a plain word"),
        ("nu*clear", "is not a plain word"),
        ("ab*", "at least three letters"),
        ("one two three four five six seven eight nine", "from 1 to 8 words"),
        ("x" * 81, "at most 80 characters"),
    ],
)
def test_cue_errors_refuse_regular_expressions_and_oversized_cues(text, problem):
    errors = cue_errors(f"sanction\n{text}")
    assert len(errors) == 1 and errors[0].startswith("Line 2:") and problem in errors[0]


def test_invalid_cues_are_skipped_by_the_matcher():
    assert compile_cues({"t": ["(a|b)", "embargo"]}).match("An embargo and a|b.") == ["t"]


def test_the_same_cues_are_compiled_once():
    assert compile_cues({"t": "sanction"}) is compile_cues({"t": "sanction"})
    assert not compile_cues({"t": ""})  # no cues: an empty matcher


def test_claim_context_is_the_sentence_the_claim_lies_in():
    text = 'The talks ended. He said "prices will fall" after the tax rise. Later, nothing.'
    start = text.index("prices")
    end = start + len("prices will fall")
    assert claim_context(text, start, end) == 'He said "prices will fall" after the tax rise.'


def test_claim_context_keeps_a_quote_that_spans_sentences_whole():
    text = "Intro here. First part. Second part. Tail sentence."
    start, end = text.index("First"), text.index("Second part.") + len("Second part.")
    assert claim_context(text, start, end) == "First part. Second part."


def test_claim_context_stops_at_a_line_break():
    text = "Headline about sanctions\nThe envoy said the visit went well"
    start = text.index("the visit")
    assert claim_context(text, start, len(text)) == "The envoy said the visit went well"


def test_the_default_cues_are_valid_and_cover_the_curated_slugs():
    slugs = {topic.slug for topic in TOPICS}
    assert slugs >= {
        "sanctions",
        "summit-diplomacy",
        "military-cooperation",
        "economic-cooperation",
        "people-to-people-exchanges",
        "korean-peninsula-policy",
        "north-korean-domestic-politics",
        "nuclear-programme",
        "ukraine-war",
    }
    for topic in TOPICS:
        assert topic.cues and cue_errors("\n".join(topic.cues)) == [], topic.slug

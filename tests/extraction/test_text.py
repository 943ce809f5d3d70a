"""Paragraphs, sentences and quote pairing (regex only)."""

from __future__ import annotations

from claims.extraction.text import build_structure, split_sentences


def quotes_of(text):
    st = build_structure(text, 0, len(text))
    return [text[q.start : q.end] for q in st.quotes]


def test_pairs_curly_and_straight_marks():
    assert quotes_of('He said “one” and "two".') == ["one", "two"]


def test_apostrophes_and_single_quotes_are_ignored():
    assert quotes_of("Seoul’s envoy called it a ‘show’ and didn’t smile.") == []


def test_unclosed_mark_ends_at_the_paragraph():
    text = "“Never closed, he said\n\nNext paragraph has no quote."
    assert quotes_of(text) == ["Never closed, he said"]


def test_quote_continues_into_a_paragraph_that_opens_with_a_mark():
    text = "“First part.\n\n“Second part,” she said.\n\nNot quoted."
    (q,) = quotes_of(text)
    assert q.startswith("First part.") and q.endswith("Second part,")


def test_misused_opening_mark_that_closes():
    assert quotes_of("“Apparently not,“ he said.") == ["Apparently not,"]


def test_inch_mark_is_not_a_quote():
    assert quotes_of('The screen is 12" wide and bright.') == []


def test_sentences_respect_abbreviations_and_quotes():
    text = "Mr. Kim met U.S. officials. “It went well.” He left at 5 p.m. on Friday."
    sents = [text[s.start : s.end] for s in split_sentences(text, 0, len(text))]
    assert sents == ["Mr. Kim met U.S. officials.", "“It went well.”", "He left at 5 p.m. on Friday."]

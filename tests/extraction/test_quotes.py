"""Direct and mixed quotes: where the cue sits, marks of every kind, and broken marks."""

from __future__ import annotations

from tests.conftest import quote_with

INTRO = "Talks resumed in Geneva on Monday.\n\nAnalyst John Smith has followed the talks for years.\n\n"


def test_direct_quote_with_the_cue_after(extract):
    text = INTRO + "“The talks will fail by spring,” Smith said on Tuesday.\n"
    q = quote_with(extract(text), "talks will fail")
    assert q.kind == "direct"
    assert q.text == "The talks will fail by spring"
    assert text[q.start - 1] == "“"
    assert q.speaker == "John Smith"
    assert q.speaker_mention == "Smith"
    assert text[q.speaker_start : q.speaker_end] == "Smith"
    assert q.cue == "said"
    assert text[q.cue_start : q.cue_end] == "said"
    assert q.rule == "after"


def test_direct_quote_with_the_cue_before(extract):
    text = INTRO + "He said, “We will not sign anything this year.”\n"
    q = quote_with(extract(text), "not sign")
    assert q.kind == "direct"
    assert q.text == "We will not sign anything this year."
    assert q.speaker == "John Smith"
    assert q.speaker_mention == "He"
    assert q.cue == "said"


def test_inverted_cue_names_the_speaker_with_title_and_affiliation(extract):
    text = "Sanctions bite.\n\n“Nobody will buy the coal,” says Professor Jane Doe of Seoul’s Hanbit University.\n"
    q = quote_with(extract(text), "buy the coal")
    assert q.speaker == "Jane Doe"
    assert q.speaker_mention == "Professor Jane Doe"
    assert q.affiliation is not None
    assert q.affiliation.role == "Professor"
    assert q.affiliation.organization == "Hanbit University"
    assert q.affiliation.place == "Seoul"


def test_two_quotes_joined_in_one_sentence_share_the_speaker(extract):
    text = INTRO + "He said, “We agreed on a plan,” and “More will follow next year.”\n"
    result = extract(text)
    first, second = quote_with(result, "agreed on a plan"), quote_with(result, "More will follow")
    assert first.speaker == second.speaker == "John Smith"
    assert second.speaker_mention == "He"


def test_quote_after_cue_in_the_same_sentence_then_continued(extract):
    text = INTRO + "“Prices rose,” Smith said. “Wages did not keep up with them at all.”\n"
    result = extract(text)
    assert quote_with(result, "Prices rose").speaker == "John Smith"
    later = quote_with(result, "Wages did not")
    assert later.speaker == "John Smith"
    assert later.rule == "inherit"


def test_quote_running_over_two_paragraphs(extract):
    text = (
        INTRO + "“The first half of the argument is about money. It always is.\n\n"
        "“The second half is about trust,” Smith said.\n"
    )
    result = extract(text)
    q = quote_with(result, "first half")
    assert "second half is about trust" in q.text
    assert q.speaker == "John Smith"
    assert q.text == text[q.start : q.end]


def test_mixed_quote_covers_the_paraphrase_and_the_quoted_words(extract):
    text = INTRO + "Smith says the country has to show its rivals “it is not alone. It still has friends.”\n"
    q = quote_with(extract(text), "not alone")
    assert q.kind == "mixed"
    assert q.text.startswith("the country has to show")
    assert q.text.endswith("It still has friends.")
    assert q.speaker == "John Smith"


def test_straight_and_curly_marks_give_the_same_quotes(extract):
    curly = INTRO + "“The deal is dead,” Smith said. He added, “Nobody wants it.”\n"
    straight = curly.replace("“", '"').replace("”", '"')
    a, b = extract(curly), extract(straight)
    assert [(q.start, q.end, q.speaker, q.kind) for q in a.quotes] == [
        (q.start, q.end, q.speaker, q.kind) for q in b.quotes
    ]
    assert len(a.quotes) == 2


def test_unclosed_mark_does_not_swallow_the_rest_of_the_article(extract):
    text = (
        INTRO + "“This quote never closes and the paragraph just ends here, Smith said\n\n"
        "In a later interview, Smith explained that the negotiations had collapsed in March.\n"
    )
    result = extract(text)
    later = quote_with(result, "negotiations had collapsed")
    assert later.kind == "indirect"
    assert later.speaker == "John Smith"
    for q in result.quotes:
        assert "\n\nIn a later interview" not in q.text


def test_apostrophes_are_not_quote_marks(extract):
    text = "Seoul’s leaders don’t agree.\n\nThe ministry’s spokesman said the country’s plan wasn’t ready.\n"
    result = extract(text)
    assert all(q.kind == "indirect" for q in result.quotes)
    q = quote_with(result, "plan wasn’t ready")
    assert q.text == "the country’s plan wasn’t ready"


def test_single_quoted_words_are_not_separate_quotes(extract):
    text = (
        "Kim and Putin ‘Regularly’ Exchange Letters\n\n"
        "Analyst John Smith watches the region.\n\n"
        "“The meeting could be a ‘show’ for the home audience,” Smith said.\n"
    )
    result = extract(text)
    assert [q.text for q in result.quotes] == ["The meeting could be a ‘show’ for the home audience"]


def test_short_scare_quote_without_a_cue_is_not_a_quote(extract):
    text = "The talks resumed.\n\nThe so-called “deal” was signed in May by both governments.\n"
    assert extract(text).quotes == ()


def test_boilerplate_after_the_article_is_not_quoted(extract):
    text = (
        "Envoy Visits Moscow\n\n"
        "Analyst John Smith has followed the talks for years.\n\n"
        "“The visit matters,” Smith said.\n\n"
        "Leave a Reply\n\n"
        "“This comment form text is not part of the article at all,” the site said.\n\n"
        "%d bloggers like this:"
    )
    result = extract(text)
    assert [q.text for q in result.quotes] == ["The visit matters"]
    assert result.meta.body_end <= text.index("Leave a Reply")


def test_colon_paragraph_introduces_the_next_quote(extract):
    text = INTRO + "Smith put it bluntly in a statement:\n\n“There will be no deal this year, and everyone knows it.”\n"
    q = quote_with(extract(text), "no deal this year")
    assert q.speaker == "John Smith"


def test_signed_quote_with_a_dash(extract):
    text = "Readers wrote in.\n\n“The candidate has no plan for the economy at all.” ― Maria Lopez\n"
    q = quote_with(extract(text), "no plan for the economy")
    assert q.speaker == "Maria Lopez"
    assert q.rule == "dash"


def test_two_apostrophes_printed_as_quotation_marks(extract):
    text = (
        "Talks.\n\n"
        "''We are not going to give it up,'' Ivan Petrov said of the programme on Monday.\n\n"
        "Kim Jong Il assured the president that the programme was ''entirely peaceful.''\n"
    )
    result = extract(text)
    q = quote_with(result, "not going to give it up")
    assert (q.kind, q.speaker, q.text) == ("direct", "Ivan Petrov", "We are not going to give it up")
    assert text[q.start : q.end] == q.text
    mixed = quote_with(result, "entirely peaceful")
    assert mixed.speaker == "Kim Jong Il" and "''" in mixed.text

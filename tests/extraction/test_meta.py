"""Article metadata and body bounds (regex only, no spaCy)."""

from __future__ import annotations

import datetime

import pytest

from claims.extraction.meta import extract_meta

NK_NEWS = (
    "Envoys Trade Letters\n\n"
    "Subtitle without a full stop\n\n"
    "February 13th, 2015Jane Roe0\n\n"
    "The envoy spoke to reporters in Pyongyang on Friday about the letters.\n\n"
    "“It matters,” Lee Min-ho told NK News.\n\n"
    "Leave a Reply\n\n"
    "Fill in your details below or click an icon to log in:\n\n"
    "%d bloggers like this:"
)

HANKYOREH = (
    "Envoy heads to Moscow\n\n"
    "Posted on : 2014-11-15 16:12 KST Modified on : 2019-10-19 20:29 KST\n"
    "Trip could lead to a summit between the two leaders\n\n"
    "The envoy will visit Moscow next week, the news agency reported on Friday.\n\n"
    "By Kim Min-ji, staff reporter\n\n"
    "Please direct questions or comments to [english@hani.co.kr]\n\n"
    "Related stories\n\n"
    "Most viewed articles"
)

BLOG = (
    "Leaders to meet\n\n"
    "Posted on by\n\n"
    "State media confirmed the meeting. Speculation is growing about the venue.\n\n"
    "“It is a show,” Lee Min-ho, a former ambassador, told BBC Korean.\n\n"
    "This entry was posted in , , by John Roe.\n\n"
    "Leave a Reply\n\n"
    "Your email address will not be published."
)


def test_nk_news_byline():
    meta = extract_meta(NK_NEWS).meta
    assert meta.title == "Envoys Trade Letters"
    assert (meta.outlet, meta.outlet_domain) == ("NK News", "nknews.org")
    assert meta.authors == ("Jane Roe",)
    assert (meta.published_on, meta.date_precision) == (datetime.date(2015, 2, 13), "day")
    assert NK_NEWS[meta.body_start :].startswith("The envoy spoke")
    assert NK_NEWS[: meta.body_end].endswith("told NK News.")


def test_hankyoreh_posted_on_and_staff_byline():
    meta = extract_meta(HANKYOREH).meta
    assert (meta.outlet, meta.outlet_domain) == ("The Hankyoreh", "hani.co.kr")
    assert meta.authors == ("Kim Min-ji",)
    assert (meta.published_on, meta.date_precision) == (datetime.date(2014, 11, 15), "day")
    assert HANKYOREH[meta.body_start :].startswith("The envoy will visit")
    assert "staff reporter" not in HANKYOREH[meta.body_start : meta.body_end]
    assert "Most viewed" not in HANKYOREH[meta.body_start : meta.body_end]


def test_blog_entry_author_and_no_outlet_from_a_name_mentioned_in_the_body():
    """The blog quotes someone who "told BBC Korean": that does not make it a BBC article."""
    meta = extract_meta(BLOG).meta
    assert meta.outlet is None
    assert meta.authors == ("John Roe",)
    assert (meta.published_on, meta.date_precision) == (None, "unknown")
    body = BLOG[meta.body_start : meta.body_end]
    assert body.startswith("State media confirmed")
    assert "Leave a Reply" not in body and "This entry was posted" not in body


@pytest.mark.parametrize(
    ("dateline", "expected", "precision"),
    [
        ("Posted on : 2016-03-01 09:00 KST", datetime.date(2016, 3, 1), "day"),
        ("Published March 5, 2016", datetime.date(2016, 3, 5), "day"),
        ("Published 5 March 2016", datetime.date(2016, 3, 5), "day"),
        ("Published Mar. 5, 2016", datetime.date(2016, 3, 5), "day"),
        ("Published March 2016", datetime.date(2016, 3, 1), "month"),
        ("Published 2016", datetime.date(2016, 1, 1), "year"),
        ("Published on February 30, 2016", None, "unknown"),
    ],
)
def test_date_forms(dateline, expected, precision):
    text = f"A headline\n\n{dateline}\n\nThe body of the story is a full sentence with a full stop.\n"
    meta = extract_meta(text).meta
    assert (meta.published_on, meta.date_precision) == (expected, precision)


def test_dates_in_the_body_are_not_the_publication_date():
    text = "A headline\n\nIn December 2014 it was reported that the leaders exchanged letters on May 5, 2014.\n"
    meta = extract_meta(text).meta
    assert (meta.published_on, meta.date_precision) == (None, "unknown")


def test_no_title_line_means_the_first_paragraph_is_the_body():
    text = "The envoy arrived on Monday. Talks began at once.\nOfficials were hopeful.\n"
    meta = extract_meta(text).meta
    assert meta.title == "The envoy arrived on Monday. Talks began at once."
    assert meta.body_start == 0
    assert meta.outlet is None


@pytest.mark.parametrize("text", ["", "   \n\n  ", "\x00\x01", "“", "Just a title"])
def test_degenerate_texts(text):
    meta = extract_meta(text).meta
    assert 0 <= meta.body_start <= meta.body_end <= len(text)
    assert meta.date_precision == "unknown"


def test_language_from_script():
    assert extract_meta("제목\n\n북한과 러시아의 정상회담이 열릴 예정이다.").meta.language == "ko"
    assert extract_meta("Заголовок\n\nВстреча лидеров состоится в мае.").meta.language == "ru"


def test_an_outlet_mentioned_in_the_body_is_not_the_articles_outlet():
    text = (
        "Envoy plays down report\n\n"
        "By Jane Roe\n\n"
        "The envoy said in an interview with The Washington Post that the talks would resume in the spring.\n"
    )
    assert extract_meta(text).meta.outlet is None


def test_a_long_opening_sentence_on_the_first_line_is_part_of_the_body():
    text = (
        "Current circumstances offer a perfect chance to start a peace process with the North, Professor Ivan "
        "Petrov told reporters on Tuesday, pointing to a short window of opportunity.\n"
        "Petrov said the drills had been delayed.\n"
    )
    meta = extract_meta(text).meta
    assert meta.body_start == 0


def test_a_domain_named_in_the_body_is_not_the_articles_outlet():
    text = (
        "Envoy plays down report\n\n"
        "By Jane Roe\n\n"
        "The envoy said in an interview first published at washingtonpost.com that the talks would resume.\n\n"
        "Officials in Seoul declined to comment on the remarks, which were widely shared on Thursday.\n"
    )
    assert extract_meta(text).meta.outlet is None

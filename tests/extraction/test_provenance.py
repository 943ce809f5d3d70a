"""claims.extraction.provenance: explicit > page > feed > guessed, field by field, with the origin recorded."""

from __future__ import annotations

import datetime

import pytest

from claims.extraction.feeds import FeedEntry
from claims.extraction.provenance import ExplicitMeta, parse_date, resolve_meta
from claims.extraction.types import ArticleMeta
from claims.extraction.webpage import WebArticle

TEXT_META = ArticleMeta(
    title="First line of the text",
    outlet="Text Outlet",
    outlet_domain="text.example",
    authors=("Text Author",),
    published_on=datetime.date(2020, 1, 2),
    date_precision="day",
)
ENTRY = FeedEntry(
    link="https://feed.example/a",
    id="a",
    title="Feed title",
    published=datetime.datetime(2024, 12, 1, 8, tzinfo=datetime.UTC),
    author="Feed Author",
)


def page(**sources):
    return WebArticle(
        text="...",
        title="Page title",
        authors=("Page Author",),
        published=datetime.date(2024, 11, 28),
        date_precision="day",
        outlet="Page Outlet",
        domain="page.example",
        canonical_url="https://page.example/a",
        language="en",
        sources=sources,
    )


DECLARED = page(title="page", authors="page", published="page", outlet="page", canonical_url="page", language="page")
GUESSED = page(title="guessed", authors="guessed", published="guessed", outlet="guessed", canonical_url="guessed")


def test_explicit_beats_everything():
    explicit = ExplicitMeta(
        title="Mine", outlet="My Outlet", date="2023-05", authors=("Me",), url="https://my.example/x"
    )
    meta, origins = resolve_meta(TEXT_META, page=DECLARED, entry=ENTRY, explicit=explicit)
    assert (meta.title, meta.outlet, meta.outlet_domain, meta.authors) == ("Mine", "My Outlet", "my.example", ("Me",))
    assert (meta.published_on, meta.date_precision, meta.url) == (datetime.date(2023, 5, 1), "month", explicit.url)
    assert origins == dict.fromkeys(("title", "outlet", "authors", "published_on", "url"), "explicit") | {
        "language": "page"
    }


def test_the_page_beats_the_feed_and_the_guesses():
    meta, origins = resolve_meta(TEXT_META, page=DECLARED, entry=ENTRY)
    assert (meta.title, meta.outlet, meta.outlet_domain) == ("Page title", "Page Outlet", "page.example")
    assert meta.published_on == datetime.date(2024, 11, 28) and meta.url == "https://page.example/a"
    assert set(origins.values()) == {"page"}


def test_the_feed_beats_guesses():
    meta, origins = resolve_meta(TEXT_META, page=GUESSED, entry=ENTRY)
    assert (meta.title, meta.authors, meta.published_on) == ("Feed title", ("Feed Author",), datetime.date(2024, 12, 1))
    assert origins["title"] == origins["authors"] == origins["published_on"] == origins["url"] == "feed"
    # The feed says nothing of the outlet: the text's guess, with its own domain.
    assert (meta.outlet, meta.outlet_domain, origins["outlet"]) == ("Text Outlet", "text.example", "guessed")


def test_guesses_alone():
    meta, origins = resolve_meta(ArticleMeta(title="T"), page=GUESSED, fallback_url="https://fetched.example/a")
    assert meta.outlet == "Page Outlet" and meta.published_on == datetime.date(2024, 11, 28)
    assert meta.url == "https://fetched.example/a"
    assert set(origins.values()) == {"guessed"}


def test_nothing_found_is_no_origin():
    meta, origins = resolve_meta(ArticleMeta(title="T"))
    assert meta.outlet is None and meta.published_on is None and meta.date_precision == "unknown"
    assert origins == {"title": "guessed", "language": "guessed"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-11-28", (datetime.date(2024, 11, 28), "day")),
        ("2024-11", (datetime.date(2024, 11, 1), "month")),
        ("2024", (datetime.date(2024, 1, 1), "year")),
    ],
)
def test_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "data",
    [
        {"date": "28/11/2024"},
        {"date": "2024-02-30"},
        {"url": "ftp://x.example/"},
        {"language": "English"},
        {"colour": "red"},
        {"title": 3},
        {"authors": [1]},
    ],
)
def test_bad_metadata_is_refused_with_the_reason(data):
    with pytest.raises(ValueError):  # noqa: PT011 - the message varies with the field
        ExplicitMeta.from_mapping(data)


def test_metadata_from_a_mapping():
    meta = ExplicitMeta.from_mapping({"author": "A One; B Two", "outlet": " X ", "title": "", "date": None})
    assert meta == ExplicitMeta(outlet="X", authors=("A One", "B Two"))
    assert bool(meta) and not ExplicitMeta()

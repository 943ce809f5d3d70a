"""claims.extraction.feeds: RSS and Atom feeds in, entries out; anything else refused."""

from __future__ import annotations

import datetime

import pytest

from claims.extraction.feeds import NotAFeed, read_feed
from tests import webpages

UTC = datetime.UTC


def test_an_rss_feed_gives_each_entrys_link_id_title_date_and_author():
    feed = read_feed(webpages.rss_feed().encode())
    assert feed.version == "rss20"
    assert feed.title == "The Daily Example - Business"
    first, second = feed.entries
    assert first.link == "https://news.example.com/2024/11/28/bok-rates"
    assert first.id == "dx-1001"
    assert first.title == "Bank of Korea holds rates"
    assert first.published == datetime.datetime(2024, 11, 28, 0, 30, tzinfo=UTC)
    assert "Lee Soo-jin" in first.author
    assert second.published == datetime.datetime(2024, 11, 26, 23, 0, tzinfo=UTC)
    assert second.author is None


def test_an_atom_feed_gives_the_published_date_and_falls_back_to_the_link_for_dates_and_ids():
    feed = read_feed(webpages.atom_feed().encode())
    assert feed.version == "atom10"
    first, second = feed.entries
    assert (first.link, first.id) == ("https://www.example-times.com/business/bok-rates", "urn:example-times:bok-rates")
    assert first.published == datetime.datetime(2024, 11, 28, 0, 30, tzinfo=UTC)
    assert first.author == "Lee Soo-jin"
    assert second.published is None and second.title == "Undated brief"


def test_entries_without_a_link_are_left_out():
    rss = webpages.rss_feed().replace("<link>https://news.example.com/2024/11/27/exports</link>", "")
    rss = rss.replace("<guid>https://news.example.com/2024/11/27/exports</guid>", "")
    assert [e.title for e in read_feed(rss.encode()).entries] == ["Bank of Korea holds rates"]


@pytest.mark.parametrize(
    "data",
    [b"", b"   ", webpages.json_ld_page().encode(), b"just words", b"%PDF-1.4 binary \x00\x01", b"<rss><channel"],
)
def test_what_is_not_a_feed_is_refused(data):
    with pytest.raises(NotAFeed, match="not an RSS or Atom feed|empty feed"):
        read_feed(data)

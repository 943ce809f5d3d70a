"""Ingestion through real Celery workers (separate processes) on a real broker and the test's PostgreSQL.

Each test starts its own workers (``celery -A project worker``) on a queue of its own, so that it
can kill them; jobs are enqueued by the real command (``manage.py ingest --queue``). The workers
share the test database, so these tests need PostgreSQL (SQLite's test database is in memory) and
commit their data (transactional tests; the database is restored afterwards, serialized_rollback).
A broker that cannot be reached skips them, or fails the run with REQUIRE_BROKER=1 (CI).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from claims.domain.textfiles import content_hash, prepare_text
from claims.models import Article, FeedEntry, IngestJob
from claims.services.feeds import feed_follow
from claims.services.ingestion import article_ingest
from tests import webpages
from tests.conftest import ROOT, SEEDS_DIR, TEST_BROKER_URLS, broker_unreachable

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STARTUP_SECONDS = 90
JOB_SECONDS = 180


@pytest.fixture(params=["redis"])
def broker(request) -> str:
    url = TEST_BROKER_URLS[request.param]
    if (reason := broker_unreachable(url)) is not None:
        if os.environ.get("REQUIRE_BROKER") == "1":
            pytest.fail(f"REQUIRE_BROKER=1 but {reason}")
        pytest.skip(f"no broker: {reason}")
    return url


def database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db.get("USER") or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class Fleet:
    """Workers and commands of one test: one queue, the test's database, logs under tmp_path."""

    def __init__(self, broker_url: str, tmp_path: Path):
        self.queue = f"test-{uuid.uuid4().hex[:12]}"
        self.broker_url = broker_url
        self.tmp_path = tmp_path
        self.workers: list[tuple[subprocess.Popen, Path]] = []
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))},
            "DJANGO_ENV_FILE": "",
            "DJANGO_SECRET_KEY": "worker-tests-only",
            "DATABASE_URL": database_url(),
            "DJANGO_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": broker_url,
            "CELERY_QUEUE": self.queue,
        }

    def start_worker(self, name: str, *, concurrency: int = 1) -> subprocess.Popen:
        log = self.tmp_path / f"{name}.log"
        command = [sys.executable, "-m", "celery", "-A", "project", "worker", "-Q", self.queue, "-n", f"{name}@%h"]
        command += ["-c", str(concurrency), "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"]
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        self.workers.append((process, log))
        deadline = time.monotonic() + STARTUP_SECONDS
        while "ready." not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"worker {name} did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        return process

    def enqueue(self, *paths: str | Path, wait: float = 0) -> subprocess.CompletedProcess:
        command = [sys.executable, "manage.py", "ingest", "--queue", *map(str, paths)]
        if wait:
            command += ["--wait", str(wait)]
        return subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=wait + 120)

    def start_beat(self) -> subprocess.Popen:
        """celery beat with the schedule in the database (django-celery-beat), sending to this fleet's queue."""
        log = self.tmp_path / "beat.log"
        command = [sys.executable, "-m", "celery", "-A", "project", "beat", "-l", "INFO"]
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        self.workers.append((process, log))
        return process

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "manage.py", *args]
        return subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120)

    def logs(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for _, log in self.workers)

    def stop(self) -> None:
        for process, _ in self.workers:
            if process.poll() is None:
                process.terminate()
        for process, _ in self.workers:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        from kombu import Connection

        with contextlib.suppress(Exception), Connection(self.broker_url, connect_timeout=3) as connection:
            connection.default_channel.queue_delete(self.queue)


@pytest.fixture
def fleet(broker, tmp_path):
    fleet = Fleet(broker, tmp_path)
    yield fleet
    fleet.stop()


def wait_for(condition, seconds: float, fleet: Fleet, what: str):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}\n{fleet.logs()}")
        time.sleep(0.2)
    return found


def seed_copies(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "batch"
    folder.mkdir()
    paths = []
    for seed in sorted(SEEDS_DIR.glob("*.txt")):
        target = folder / seed.name
        target.write_bytes(seed.read_bytes())
        paths.append(target)
    return paths


@pytest.mark.parametrize("broker", ["redis", "rabbitmq"], indirect=True)
def test_a_batch_enqueued_by_the_command_is_ingested_by_the_worker(fleet, tmp_path):
    """Redis, and RabbitMQ by changing only CELERY_BROKER_URL."""
    paths = seed_copies(tmp_path)
    fleet.start_worker("one")
    done = fleet.enqueue(paths[0].parent, wait=JOB_SECONDS)
    assert done.returncode == 0, done.stdout + done.stderr + fleet.logs()
    assert f"Queued {len(paths)} ingestion jobs to the workers" in done.stdout
    assert f"Jobs: {len(paths)} done ({len(paths)} new articles), 0 failed." in done.stdout
    jobs = IngestJob.objects.all()
    assert {job.state for job in jobs} == {"done"} and all(job.worker.startswith("one@") for job in jobs)
    stored = set(Article.objects.values_list("content_hash", flat=True))
    assert stored == {content_hash(prepare_text(path.read_text())) for path in paths}


def test_two_workers_on_the_same_inputs_store_each_article_once(fleet, tmp_path):
    """Every file queued twice in a row: the two workers take the two copies at the same time."""
    paths = seed_copies(tmp_path)
    fleet.start_worker("left")
    fleet.start_worker("right")
    done = fleet.enqueue(*[path for path in paths for _ in range(2)], wait=JOB_SECONDS)
    assert done.returncode == 0, done.stdout + done.stderr + fleet.logs()
    jobs = list(IngestJob.objects.all())
    assert len(jobs) == 2 * len(paths) and {job.state for job in jobs} == {"done"}
    assert Article.objects.count() == len(paths)
    assert sum(job.created_article for job in jobs) == len(paths)
    assert {job.worker.split("@")[0] for job in jobs} == {"left", "right"}, "one worker did all the work"
    for path in paths:
        twins = [job for job in jobs if job.label == str(path)]
        assert len({job.article_id for job in twins}) == 1


def test_a_web_archive_queued_by_the_command_becomes_one_job_per_record_on_the_worker(fleet, tmp_path):
    pages = [(f"https://a.example/{n}", webpages.story_page(n)) for n in (1, 2, 3)]
    archive = tmp_path / "crawl.warc.gz"
    archive.write_bytes(webpages.warc_of(pages))
    fleet.start_worker("one")
    done = fleet.enqueue(archive, wait=JOB_SECONDS)
    assert done.returncode == 0, done.stdout + done.stderr + fleet.logs()
    assert "Jobs: 3 done (3 new articles), 0 failed." in done.stdout
    (parent,) = IngestJob.objects.filter(parent__isnull=True)
    records = list(IngestJob.objects.filter(parent=parent))
    assert [job.kind for job in records] == ["record"] * 3 and {job.state for job in records} == {"done"}
    assert all(job.worker.startswith("one@") for job in [parent, *records])
    assert sorted(Article.objects.values_list("sources__url", flat=True)) == [url for url, _ in pages]


def test_beat_polls_a_followed_feed_on_its_schedule_and_the_worker_ingests_each_entry_once(fleet, tmp_path):
    """The schedule is read from the database: made to run every second here, as a curator would in the admin."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    routes = {f"/story/{n}": webpages.html(webpages.story_page(n)) for n in (1, 2)}
    with webpages.Server(routes) as server:
        server.routes["/feed"] = (200, webpages.feed_of(server.base, ["/story/1", "/story/2"]).encode(), "text/xml")
        feed, _ = feed_follow(url=server.url("/feed"))
        every_second = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
        assert PeriodicTask.objects.filter(task="claims.feeds_poll").update(interval=every_second) == 1
        fleet.start_worker("one")
        fleet.start_beat()
        ingested = FeedEntry.objects.filter(feed=feed, article__isnull=False)
        wait_for(lambda: ingested.count() == 2, JOB_SECONDS, fleet, "the feed's two entries to be ingested")
        # Polled again and again (every second): each entry still fetched once, stored once.
        wait_for(lambda: IngestJob.objects.filter(kind="feed", state="done").count() >= 3, JOB_SECONDS, fleet, "polls")
    assert server.hits["/story/1"] == server.hits["/story/2"] == 1
    assert Article.objects.count() == 2
    entries = IngestJob.objects.filter(kind="entry")
    assert entries.count() == 2 and {job.state for job in entries} == {"done"}
    assert "claims.feeds_poll" in (tmp_path / "beat.log").read_text()


def long_article() -> str:
    """One article with many claims, made of the seeds' paragraphs."""
    return "\n\n".join(path.read_text() for path in sorted(SEEDS_DIR.glob("*.txt")))


def test_a_worker_killed_mid_article_leaves_one_complete_article_after_redelivery(fleet, tmp_path):
    """SIGKILL of the worker process while its transaction has written the article but not its claims.

    The test holds a lock on the claims table, so the worker stops inside its transaction; the worker
    process is killed there, the lock released; the broker delivers the task again (acks_late,
    reject_on_worker_lost) and the article is stored once, with all its claims.
    """
    path = tmp_path / "long.txt"
    path.write_text(long_article())
    expected = article_ingest(text=path.read_text(), dry_run=True)
    assert expected.status == "would-add" and expected.claims > 0
    fleet.start_worker("victim")
    db = settings.DATABASES["default"]
    locker = psycopg.connect(
        host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432, user=db.get("USER"), dbname=db["NAME"]
    )
    try:
        locker.execute("LOCK TABLE claims_claim IN ACCESS EXCLUSIVE MODE")  # held until rollback below
        queued = fleet.enqueue(path)
        assert queued.returncode == 0, queued.stdout + queued.stderr
        job = wait_for(lambda: IngestJob.objects.filter(state="running").first(), JOB_SECONDS, fleet, "a running job")

        def blocked_in_transaction() -> bool:
            locker.execute("SELECT pg_stat_clear_snapshot()")  # the statistics are a snapshot per transaction
            row = locker.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
                "AND state = 'active' AND backend_xid IS NOT NULL",
                [db["NAME"]],
            ).fetchone()
            return row[0] > 0

        wait_for(blocked_in_transaction, JOB_SECONDS, fleet, "the worker to block inside its transaction")
        pid = int(re.search(r"pid (\d+)", job.worker).group(1))
        os.kill(pid, signal.SIGKILL)
    finally:
        locker.rollback()
        locker.close()
    over = IngestJob.objects.filter(pk=job.pk, state__in=["done", "failed"])
    job = wait_for(over.first, JOB_SECONDS, fleet, "the job to end after redelivery")
    assert job.state == "done", job.reason
    assert job.attempts == 2 and job.created_article
    assert str(pid) not in job.worker  # a new worker process ran it the second time
    (article,) = Article.objects.all()
    assert article.pk == job.article_id and article.claims.count() == expected.claims
    assert "WorkerLostError" in fleet.logs() or "signal 9" in fleet.logs()


def pool_of(process: subprocess.Popen) -> list[int]:
    children = []
    for task in Path(f"/proc/{process.pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            children += [int(pid) for pid in (task / "children").read_text().split()]
    return children


def test_a_whole_worker_killed_leaves_its_job_running_until_the_sweep_requeues_it(fleet, tmp_path):
    """SIGKILL of the worker's main process and its pool, inside the article's transaction.

    Nobody rejects the task (no parent process survives to), so on Redis it waits for the visibility
    timeout (an hour): the job stays "running". The sweep (``requeue_stuck_jobs``, which celery beat runs
    every five minutes) sends it again, and another worker stores the article once, with all its claims.
    """
    path = tmp_path / "long.txt"
    path.write_text(long_article())
    expected = article_ingest(text=path.read_text(), dry_run=True)
    victim = fleet.start_worker("victim")
    db = settings.DATABASES["default"]
    locker = psycopg.connect(
        host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432, user=db.get("USER"), dbname=db["NAME"]
    )
    try:
        locker.execute("LOCK TABLE claims_claim IN ACCESS EXCLUSIVE MODE")
        assert fleet.enqueue(path).returncode == 0
        job = wait_for(lambda: IngestJob.objects.filter(state="running").first(), JOB_SECONDS, fleet, "a running job")

        def blocked_in_transaction() -> bool:
            locker.execute("SELECT pg_stat_clear_snapshot()")
            row = locker.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' "
                "AND state = 'active' AND backend_xid IS NOT NULL",
                [db["NAME"]],
            ).fetchone()
            return row[0] > 0

        wait_for(blocked_in_transaction, JOB_SECONDS, fleet, "the worker to block inside its transaction")
        for pid in [victim.pid, *pool_of(victim)]:
            os.kill(pid, signal.SIGKILL)
        victim.wait(timeout=30)
    finally:
        locker.rollback()
        locker.close()
    fleet.start_worker("rescuer")
    time.sleep(3)
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("running", 1), "the broker was not expected to deliver it again yet"
    swept = fleet.manage("requeue_stuck_jobs", "--older-than", "0")
    assert swept.returncode == 0 and "Stuck jobs: 1 requeued, 0 failed." in swept.stdout, swept.stdout + swept.stderr
    over = IngestJob.objects.filter(pk=job.pk, state__in=["done", "failed"])
    job = wait_for(over.first, JOB_SECONDS, fleet, "the requeued job to end")
    assert (job.state, job.attempts, job.created_article) == ("done", 2, True), job.reason
    assert job.worker.startswith("rescuer@")
    (article,) = Article.objects.all()
    assert article.claims.count() == expected.claims

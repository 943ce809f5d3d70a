"""Ingestion jobs run in-process (no broker): states, idempotency, transient and permanent failures.

The same jobs through real Celery workers on Redis and RabbitMQ: tests/reliability/test_celery_workers.py.
"""

from __future__ import annotations

import datetime
import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from claims.choices import IngestJobState
from claims.models import Article, IngestJob
from claims.services import ingest_jobs
from claims.services.ingest_jobs import (
    RetryLater,
    ingest_job_lost,
    ingest_job_retry,
    ingest_job_run,
    ingest_jobs_create,
    input_spec,
    retry_delay,
)
from claims.tasks import ingest_jobs_dispatch
from tests import webpages

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        routes = {
            "/article": (200, webpages.json_ld_page().encode(), {}),
            "/busy": (429, b"slow down", {"Retry-After": "120"}),
            "/missing": (404, b"not here", {}),
        }
        status, body, headers = routes.get(self.path, (404, b"no route", {}))
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "rates.txt"
    path.write_text(webpages.ARTICLE_TEXT)
    return path


def job_for(**spec) -> IngestJob:
    (job,) = ingest_jobs_create(specs=[input_spec(**spec)])
    return job


def run(job: IngestJob, **kwargs) -> IngestJob:
    ingest_job_run(job_id=job.pk, **kwargs)
    return IngestJob.objects.get(pk=job.pk)


class TestRun:
    def test_a_file_job_stores_the_article_and_ends_done_with_it(self, article_file):
        job = run(job_for(kind="file", path=str(article_file)), worker="w1")
        assert (job.state, job.created_article, job.attempts, job.retries, job.worker) == ("done", True, 1, 0, "w1")
        assert job.article == Article.objects.get()
        assert job.started_at <= job.finished_at

    def test_a_text_job_stores_the_text(self):
        job = run(job_for(kind="text", text=webpages.ARTICLE_TEXT, label="pasted"))
        assert job.state == "done" and job.article.body.startswith(webpages.PARAGRAPHS[0][:40])

    def test_two_jobs_for_the_same_input_store_one_article(self, article_file):
        first = run(job_for(kind="file", path=str(article_file)))
        second = run(job_for(kind="text", text=article_file.read_text()))
        assert Article.objects.count() == 1
        assert (second.state, second.created_article, second.article_id) == ("done", False, first.article_id)

    def test_a_job_delivered_again_after_it_ended_is_left_as_it_is(self, article_file):
        job = run(job_for(kind="file", path=str(article_file)))
        again = run(job)
        assert (again.attempts, again.finished_at, again.article_id) == (1, job.finished_at, job.article_id)
        assert Article.objects.count() == 1

    def test_a_job_delivered_again_while_it_runs_is_not_started_twice(self, article_file):
        """The same task delivered twice (a job sent again by the sweep while its first message was only late):
        only a queued job starts, so the second delivery leaves the running job to its worker."""
        job = job_for(kind="file", path=str(article_file))
        IngestJob.objects.filter(pk=job.pk).update(state="running", attempts=1, started_at=timezone.now(), worker="w1")
        again = run(job, worker="w2")
        assert (again.state, again.attempts, again.worker) == ("running", 1, "w1")
        assert not Article.objects.exists()


class TestLostWorkerProcess:
    """What the worker's main process records when the pool process running a job dies (IngestJobRequest)."""

    def running(self, path, *, attempts: int = 1) -> IngestJob:
        job = job_for(kind="file", path=str(path))
        IngestJob.objects.filter(pk=job.pk).update(
            state="running", attempts=attempts, started_at=timezone.now(), worker="w1@host pid 12"
        )
        return job

    def test_the_job_goes_back_to_the_queue_and_the_redelivery_runs_it_once(self, article_file):
        job = self.running(article_file)
        assert ingest_job_lost(job_id=job.pk, worker="w1@host pid 99", why="WorkerLostError") is None  # not its job
        assert IngestJob.objects.get(pk=job.pk).state == "running"
        lost = ingest_job_lost(job_id=job.pk, worker="w1@host pid 12", why="WorkerLostError")
        assert lost.state == "queued"
        assert lost.reason == "requeued: its worker process w1@host pid 12 died (WorkerLostError)"
        job = run(job, worker="w2@host pid 13")
        assert (job.state, job.attempts, job.created_article, Article.objects.count()) == ("done", 2, True, 1)
        assert ingest_job_lost(job_id=job.pk, worker="w2@host pid 13", why="WorkerLostError") is None  # over
        assert IngestJob.objects.get(pk=job.pk).state == "done"

    def test_a_job_that_kills_its_worker_every_time_fails_after_the_last_attempt(self, article_file, settings):
        settings.INGEST_MAX_ATTEMPTS = 2
        job = self.running(article_file, attempts=2)
        lost = ingest_job_lost(job_id=job.pk, worker="w1@host pid 12", why="WorkerLostError")
        assert lost.state == "failed" and lost.finished_at is not None
        assert lost.reason == "lost: its worker process w1@host pid 12 died (WorkerLostError); gave up after 2 attempts"
        assert run(job).state == "failed"  # the redelivery finds it over

    def test_a_missing_file_fails_at_once_with_the_reason(self, tmp_path):
        job = run(job_for(kind="file", path=str(tmp_path / "gone.txt")))
        assert (job.state, job.retries, job.article) == ("failed", 0, None)
        assert "cannot read it" in job.reason

    def test_a_page_fetched_from_a_url_is_stored(self, server):
        job = run(job_for(kind="url", url=f"{server}/article"))
        assert job.state == "done" and job.article.title == webpages.TITLE

    def test_a_404_is_permanent(self, server):
        job = run(job_for(kind="url", url=f"{server}/missing"))
        assert (job.state, job.retries) == ("failed", 0) and "404" in job.reason


class TestTransientFailures:
    def test_a_429_goes_back_to_the_queue_for_at_least_its_retry_after(self, server, settings):
        settings.INGEST_RETRY_BASE_SECONDS, settings.INGEST_RETRY_MAX_SECONDS = 1, 3600
        job = job_for(kind="url", url=f"{server}/busy")
        with pytest.raises(RetryLater) as later:
            ingest_job_run(job_id=job.pk)
        job.refresh_from_db()
        assert later.value.delay == 120
        assert (job.state, job.retries, job.attempts, job.finished_at) == ("queued", 1, 1, None)
        assert job.due_at >= timezone.now() + datetime.timedelta(seconds=110)  # due when its wait ends
        assert "429" in job.reason

    def test_retries_end_in_failure_once_used_up(self, server, settings):
        settings.INGEST_MAX_RETRIES = 2
        job = job_for(kind="url", url=f"{server}/busy")
        for _ in range(2):
            with pytest.raises(RetryLater):
                ingest_job_run(job_id=job.pk)
        job = run(job)
        assert (job.state, job.retries, job.attempts) == ("failed", 2, 3)
        assert "gave up after 2 retries" in job.reason

    def test_without_a_broker_a_transient_failure_is_reported_not_retried(self, server):
        job = run(job_for(kind="url", url=f"{server}/busy"), can_retry=False)
        assert (job.state, job.retries) == ("failed", 0) and "no broker" in job.reason

    def test_a_database_that_says_try_again_is_transient(self, article_file, monkeypatch):
        def deadlock(*args, **kwargs):
            raise OperationalError("deadlock detected")

        monkeypatch.setattr("claims.services.ingestion._store", deadlock)
        job = job_for(kind="file", path=str(article_file))
        with pytest.raises(RetryLater):
            ingest_job_run(job_id=job.pk)
        job.refresh_from_db()
        assert (job.state, job.retries) == ("queued", 1) and "deadlock detected" in job.reason
        monkeypatch.undo()
        assert run(job).state == "done" and Article.objects.count() == 1

    @pytest.mark.postgres
    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_a_real_lock_timeout_on_postgresql_is_retried_later(self, article_file):
        """Another session holds the articles table: the job's query gives up (lock_timeout), the job waits."""
        import psycopg
        from django.db import connection

        db = connection.settings_dict
        job = job_for(kind="file", path=str(article_file))
        with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]) as other:
            other.execute("LOCK TABLE claims_article IN ACCESS EXCLUSIVE MODE")
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '300ms'")
            try:
                with pytest.raises(RetryLater):
                    ingest_job_run(job_id=job.pk)
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("RESET lock_timeout")
            other.rollback()
        job.refresh_from_db()
        assert (job.state, job.retries) == ("queued", 1) and "lock timeout" in job.reason
        assert run(job).state == "done" and Article.objects.count() == 1

    def test_the_delay_doubles_per_retry_up_to_the_cap(self, settings):
        settings.INGEST_RETRY_BASE_SECONDS, settings.INGEST_RETRY_MAX_SECONDS = 10, 100
        assert [retry_delay(n) for n in range(5)] == [10, 20, 40, 80, 100]
        assert retry_delay(0, retry_after=55) == 55
        assert retry_delay(0, retry_after=5000) == 100


class TestRetryByCurator:
    def test_a_failed_job_goes_back_to_the_queue_with_its_retries_reset(self, tmp_path):
        path = tmp_path / "late.txt"
        job = run(job_for(kind="file", path=str(path)))
        path.write_text(webpages.ARTICLE_TEXT)
        failed_at = job.finished_at
        job = ingest_job_retry(job=job)
        assert (job.state, job.retries, job.finished_at) == ("queued", 0, None)
        assert job.due_at >= failed_at  # waits from now, not from when it was first queued
        job = run(job)
        assert (job.state, job.attempts, job.created_article) == ("done", 2, True)

    def test_only_a_failed_job_can_be_retried(self, article_file):
        job = run(job_for(kind="file", path=str(article_file)))
        with pytest.raises(ValidationError, match=ingest_jobs.NOT_RETRYABLE):
            ingest_job_retry(job=job)


class TestSpecsAndConstraints:
    def test_a_spec_needs_its_input(self):
        with pytest.raises(ValidationError):
            input_spec(kind="url")
        with pytest.raises(ValidationError):
            input_spec(kind="feed", url="http://x")

    def test_creating_jobs_costs_the_same_queries_for_one_file_or_fifty(self, django_assert_max_num_queries):
        # Fields are checked in Python; the state constraints (which a new queued job meets) by the database.
        specs = [input_spec(kind="file", path=f"/data/{n}.txt", label=f"{n}.txt") for n in range(50)]
        with django_assert_max_num_queries(3):
            jobs = ingest_jobs_create(specs=specs)
        assert len(jobs) == 50 and {job.state for job in IngestJob.objects.all()} == {IngestJobState.QUEUED}

    def test_unknown_spec_keys_are_refused(self):
        with pytest.raises(ValidationError):
            ingest_jobs_create(specs=[{"kind": "text", "text": "x", "label": "x", "sneaky": 1}])

    @pytest.mark.parametrize(
        "change",
        [
            {"state": IngestJobState.FAILED, "reason": "", "finished_at": timezone.now()},
            {"state": IngestJobState.DONE},  # no finish time
            {"state": IngestJobState.QUEUED, "finished_at": timezone.now()},
            {"created_article": True},  # still queued
            {"retries": 2, "attempts": 1},
            {"state": "lost"},
        ],
    )
    def test_the_database_refuses_impossible_states(self, change):
        job = job_for(kind="text", text="x" * 10)
        with pytest.raises(IntegrityError), transaction.atomic():
            IngestJob.objects.filter(pk=job.pk).update(**change)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestCommandQueue:
    def test_without_a_broker_queue_runs_every_job_here(self, article_file, tmp_path, capsys):
        (tmp_path / "empty.txt").write_text("")
        with pytest.raises(CommandError, match="1 of 2 jobs failed"):
            call_command("ingest", "--queue", str(tmp_path))
        out = capsys.readouterr().out
        assert "Queued 2 ingestion jobs in this process" in out
        assert "Jobs: 1 done (1 new articles), 1 failed." in out
        assert sorted(IngestJob.objects.values_list("state", flat=True)) == ["done", "failed"]
        assert Article.objects.count() == 1

    def test_a_web_archive_and_the_followed_feeds_become_one_job_per_article(self, tmp_path, capsys, settings):
        settings.INGEST_FETCHER = {"host_delay": 0}
        archive = tmp_path / "crawl.warc.gz"
        archive.write_bytes(webpages.warc_of([(f"https://a.example/{n}", webpages.story_page(n)) for n in (1, 2)]))
        routes = {"/story/3": webpages.html(webpages.story_page(3))}
        with webpages.Server(routes) as server:
            server.routes["/feed"] = (200, webpages.feed_of(server.base, ["/story/3"]).encode(), "text/xml")
            call_command("follow", server.url("/feed"), stdout=io.StringIO())
            call_command("ingest", "--queue", "--feeds", str(archive))
        out = capsys.readouterr().out
        assert "Queued 2 ingestion jobs in this process" in out
        assert f"expanded   {archive}: a web archive: 2 pages queued as jobs" in out
        assert f"expanded   {server.url('/feed')}: 1 new entries queued as jobs" in out
        assert "Jobs: 3 done (3 new articles), 0 failed." in out
        kinds = sorted(IngestJob.objects.values_list("kind", "state"))
        assert kinds == [("entry", "done"), ("feed", "done"), ("file", "done"), ("record", "done"), ("record", "done")]
        assert Article.objects.count() == 3

    def test_queue_refuses_the_options_of_the_in_process_run(self, article_file):
        with pytest.raises(CommandError, match="--queue takes none of"):
            call_command("ingest", "--queue", "--dry-run", str(article_file))
        assert not IngestJob.objects.exists()


def test_dispatch_runs_after_the_transaction_commits(article_file, django_capture_on_commit_callbacks):
    job = job_for(kind="file", path=str(article_file))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ingest_jobs_dispatch([job])
    job.refresh_from_db()
    assert job.state == "queued" and len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.state == "done"


def test_each_worker_process_loads_the_pipeline_once_at_its_start(monkeypatch):
    from celery.signals import worker_process_init

    from claims.services import ingest_worker
    from project.celery import load_pipeline

    assert any(receiver() is load_pipeline for _, receiver in worker_process_init.receivers)
    monkeypatch.setattr(ingest_worker, "_nlp", None)
    load_pipeline()
    assert ingest_worker._nlp is not None and "parser" in ingest_worker._nlp.pipe_names


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_workers_main_process_requeues_the_job_of_a_dead_pool_process_before_rejecting_its_task(
    article_file, monkeypatch
):
    """``IngestJobRequest.on_failure`` runs in the worker's main process when the pool process dies; Celery's own
    handling (which rejects the task, so the broker delivers it again) must find the job queued already."""
    from billiard.einfo import ExceptionWithTraceback
    from billiard.exceptions import WorkerLostError
    from celery.worker.request import Request

    from claims.tasks import IngestJobRequest, ingest_job

    assert ingest_job.Request is IngestJobRequest
    job = job_for(kind="file", path=str(article_file))
    IngestJob.objects.filter(pk=job.pk).update(state="running", attempts=1, worker="w1@host pid 12")
    seen = []
    monkeypatch.setattr(Request, "on_failure", lambda self, *a, **k: seen.append(IngestJob.objects.get(pk=job.pk)))
    request = IngestJobRequest.__new__(IngestJobRequest)
    request._args, request._hostname, request.worker_pid = [job.pk], "w1@host", 12
    lost = WorkerLostError("Worker exited prematurely: signal 9 (SIGKILL)")
    request.on_failure(type("ExceptionInfo", (), {"exception": ExceptionWithTraceback(lost, "tb")})())
    (at_rejection,) = seen
    assert at_rejection.state == "queued" and "died (WorkerLostError)" in at_rejection.reason
    # Any other failure is Celery's alone.
    IngestJob.objects.filter(pk=job.pk).update(state="running")
    request.on_failure(type("ExceptionInfo", (), {"exception": ValueError("boom")})())
    assert len(seen) == 2 and IngestJob.objects.get(pk=job.pk).state == "running"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_delivery_starts_the_job_under_its_row_lock(article_file):
    """Two deliveries of one job at the same moment: the second waits for the first's row lock and then finds
    the job running, so it does not start it again (here the first is played by another session that holds
    the lock while it marks the job running)."""
    import psycopg
    from django.db import connection

    db = connection.settings_dict
    job = job_for(kind="file", path=str(article_file))
    outcome = {}

    def delivery():
        try:
            outcome["job"] = ingest_job_run(job_id=job.pk, worker="second")
        finally:
            connection.close()

    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]) as first:
        first.execute("SELECT id FROM claims_ingestjob WHERE id = %s FOR UPDATE", [job.pk])
        thread = threading.Thread(target=delivery)
        thread.start()

        def waiting() -> bool:
            first.execute("SELECT pg_stat_clear_snapshot()")  # the statistics are a snapshot per transaction
            query = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
            return first.execute(query, [db["NAME"]]).fetchone()[0] > 0

        deadline = time.monotonic() + 30
        while not waiting():
            assert time.monotonic() < deadline, "the second delivery never waited for the row lock"
            time.sleep(0.05)
        first.execute(
            "UPDATE claims_ingestjob SET state = 'running', attempts = 1, started_at = now(), worker = 'first' "
            "WHERE id = %s",
            [job.pk],
        )
        first.commit()
        thread.join(30)
    assert (outcome["job"].state, outcome["job"].attempts, outcome["job"].worker) == ("running", 1, "first")
    assert not Article.objects.exists()

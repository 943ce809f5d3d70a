"""Ingestion jobs: one input (a file, a text or a URL) per job, run by a Celery worker or in-process.

A job's input is a small serializable spec, ``{"kind", "path" | "text" | "url", "label",
"metadata"}``, stored on the job and handed to the task by id. Running a job
(``ingest_job_run``) goes through the same ingestion as the ``ingest`` command
(``claims.services.inputs.input_ingest``, as the API): one transaction per article, the
content hash unique in the database, so a job delivered twice, or two jobs for the same
input on two workers, store the article once; the second finds it "already stored".

Failures are sorted once, here: a fetch that may work later (timeout, 429/503 with
Retry-After, 5xx) and a database that said "try again" (deadlock, serialization failure,
a locked SQLite file) are *transient*: the job goes back to ``queued`` with one more
retry and waits ``retry_delay`` seconds (exponential, capped; at least what Retry-After
asked), up to ``settings.INGEST_MAX_RETRIES``. Anything else (404, not an article, an
unreadable file) is *permanent*: the job fails at once with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from claims.choices import IngestInputKind, IngestJobState
from claims.models import IngestJob
from claims.services import ingest_worker
from claims.services.fetching import FetchError
from claims.services.ingestion import IngestResult
from claims.services.inputs import ExplicitMeta, Input, default_fetcher, input_ingest

__all__ = [
    "RetryLater",
    "TransientFailure",
    "ingest_job_retry",
    "ingest_job_run",
    "ingest_jobs_create",
    "input_spec",
    "retry_delay",
]

# What the database says when the same work may succeed if tried again.
TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)
SPEC_KEYS = frozenset({"kind", "path", "text", "url", "label", "metadata"})
NOT_RETRYABLE = "Only a failed job can be retried."


class TransientFailure(Exception):
    """A failure that may go away by itself: retry later (``retry_after``: seconds the server asked for)."""

    def __init__(self, reason: str, *, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class RetryLater(Exception):
    """Raised by ``ingest_job_run`` after it put the job back in the queue: run it again in ``delay`` seconds."""

    def __init__(self, job: IngestJob, delay: float):
        super().__init__(f"job {job.pk}: retry {job.retries} in {delay:.0f} s: {job.reason}")
        self.job = job
        self.delay = delay


def input_spec(*, kind: str, label: str = "", path: str = "", text: str = "", url: str = "", metadata=None) -> dict:
    """The serializable description of one input; raises ValidationError when it is not one."""
    if kind not in IngestInputKind.values:
        raise ValidationError({"kind": f"kind must be one of: {', '.join(IngestInputKind.values)}."})
    value = {"file": path, "text": text, "url": url}[kind]
    if not value:
        raise ValidationError({kind if kind != "file" else "path": f"a {kind} input needs its {kind}."})
    key = {"file": "path", "text": "text", "url": "url"}[kind]
    return {
        "kind": kind,
        key: value,
        "label": (label or (value if kind != "text" else "<text>"))[:1000],
        "metadata": dict(metadata or {}),
    }


def retry_delay(retries: int, retry_after: float | None = None) -> float:
    """Seconds to wait before retry number ``retries + 1``: base * 2**retries, at least Retry-After, capped."""
    delay = settings.INGEST_RETRY_BASE_SECONDS * 2 ** max(0, retries)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, settings.INGEST_RETRY_MAX_SECONDS)


@transaction.atomic
def ingest_jobs_create(*, specs: Iterable[dict]) -> list[IngestJob]:
    """One queued job per input spec (see ``input_spec``), in one transaction."""
    jobs = []
    for spec in specs:
        unknown = set(spec) - SPEC_KEYS
        if unknown:
            raise ValidationError({"spec": f"unknown keys: {sorted(unknown)}"})
        job = IngestJob(kind=spec["kind"], label=spec.get("label", "")[:1000], spec=spec)
        job.full_clean()
        jobs.append(job)
    return IngestJob.objects.bulk_create(jobs)


@transaction.atomic
def ingest_job_retry(*, job: IngestJob) -> IngestJob:
    """Put a failed job back in the queue (a curator's retry); the caller sends it to the workers."""
    job = IngestJob.objects.select_for_update().get(pk=job.pk)
    if job.state != IngestJobState.FAILED:
        raise ValidationError(NOT_RETRYABLE)
    job.state, job.retries, job.finished_at = IngestJobState.QUEUED, 0, None
    job.reason = f"retried by a curator after: {job.reason}"[:10_000]
    job.full_clean()
    job.save()
    return job


def ingest_job_run(*, job_id: int, worker: str = "", can_retry: bool = True) -> IngestJob:
    """Run one job: ingest its input, and record what happened.

    A job already done or failed is left as it is (the same task delivered again). Raises
    ``RetryLater`` after a transient failure when ``can_retry`` (a broker to send it back
    to) and the retries are not used up; otherwise the job ends failed with the reason.
    """
    job = _start(job_id, worker)
    if job is None:
        return IngestJob.objects.get(pk=job_id)
    try:
        result = _ingest(job.spec)
    except TransientFailure as exc:
        return _transient(job, exc.reason, exc.retry_after, can_retry)
    except TRANSIENT_DATABASE_ERRORS as exc:
        return _transient(job, f"database: {type(exc).__name__}: {exc}", None, can_retry)
    except Exception as exc:  # noqa: BLE001 - a permanent failure is recorded on the job, never lost
        return _finish(job, state=IngestJobState.FAILED, reason=f"{type(exc).__name__}: {exc}")
    if result.status == "failed":
        return _finish(job, state=IngestJobState.FAILED, reason=result.error or "failed")
    return _finish(job, state=IngestJobState.DONE, article_id=result.article_id, created=result.status == "new")


def _start(job_id: int, worker: str) -> IngestJob | None:
    with transaction.atomic():
        job = IngestJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state in (IngestJobState.DONE, IngestJobState.FAILED):
            return None
        job.state, job.attempts, job.started_at = IngestJobState.RUNNING, job.attempts + 1, timezone.now()
        job.worker = (worker or f"in-process {os.getpid()}")[:200]
        job.save(update_fields=["state", "attempts", "started_at", "worker"])
    return job


def _finish(job: IngestJob, *, state: str, reason: str = "", article_id=None, created: bool = False) -> IngestJob:
    job.state, job.reason, job.article_id, job.created_article = state, reason[:10_000], article_id, created
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "reason", "article", "created_article", "finished_at"])
    return job


def _transient(job: IngestJob, reason: str, retry_after: float | None, can_retry: bool) -> IngestJob:
    if not can_retry or job.retries >= settings.INGEST_MAX_RETRIES:
        why = "no broker to retry later" if not can_retry else f"gave up after {job.retries} retries"
        return _finish(job, state=IngestJobState.FAILED, reason=f"{reason} (transient; {why})")
    delay = retry_delay(job.retries, retry_after)
    job.state, job.retries, job.reason = IngestJobState.QUEUED, job.retries + 1, reason[:10_000]
    job.save(update_fields=["state", "retries", "reason"])
    raise RetryLater(job, delay)


def _extract(texts: list[str]):
    """In-process extraction with the pipeline this process loaded once (worker_process_init)."""
    ingest_worker.init(settings.SPACY_MODEL)  # cached: loads on the first call of a process only
    return map(ingest_worker.extract, texts)


def _ingest(spec: dict) -> IngestResult:
    """The job's input through the one ingestion entry point (``claims.services.inputs``): one article."""
    kind, label = spec["kind"], spec.get("label") or ""
    meta = ExplicitMeta.from_mapping(spec.get("metadata") or {})
    if kind == IngestInputKind.FILE:
        item = Input.for_path(spec["path"], meta)
    elif kind == IngestInputKind.TEXT:
        item = Input.for_text(spec["text"], meta, label=label or "<text>")
    elif kind == IngestInputKind.URL:
        item = Input.for_url(spec["url"], meta)
    else:
        raise ValidationError(f"unknown input kind {kind!r}")
    fetcher = _TransientRaising(default_fetcher())
    return input_ingest(item=item, extract=_extract, fetcher=fetcher, reraise=TRANSIENT_DATABASE_ERRORS)


class _TransientRaising:
    """A fetcher whose failures that may go away by themselves raise ``TransientFailure`` (the job is retried
    later) instead of becoming the input's result."""

    def __init__(self, fetcher) -> None:
        self._fetcher = fetcher

    def __getattr__(self, name):
        return getattr(self._fetcher, name)

    def fetch(self, url: str, *args, **kwargs):
        try:
            return self._fetcher.fetch(url, *args, **kwargs)
        except FetchError as exc:
            if exc.transient:
                raise TransientFailure(f"{url}: {exc.reason}", retry_after=exc.retry_after) from exc
            raise

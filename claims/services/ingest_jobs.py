"""Ingestion jobs: one input per job, run by a Celery worker or in-process.

A job's input is a small serializable spec, ``{"kind", "path" | "text" | "url", "label",
"metadata"}``, stored on the job and handed to the task by id. One job is one article: an input
that holds several expands into one job per article, its children, in the transaction that ends
it: a web archive file into a job per record (``{"kind": "record", "path", "offset"}``), a feed
(a file or an address) into a job per entry (``{"kind": "entry", "url", "entry", "feed_url"}``),
and a followed feed's poll (``{"kind": "feed", "feed_id"}``, queued by celery beat or
``ingest --queue --feeds``) into a job per new entry (``feed_id`` too, so that the entry is
recorded against the feed when its job ends). Running a job
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

A job starts only from ``queued`` (``_start``: the transition to ``running`` under the job's row
lock), so a task delivered twice, or sent twice, runs the job once: the second delivery finds it
running or over and does nothing. When a worker *process* dies, the worker's main process puts its
job back to ``queued`` before the broker delivers the task again (``ingest_job_lost``, called by
``claims.tasks.IngestJobRequest``).

The sweep ``ingest_jobs_requeue_stuck`` (celery beat runs it every few minutes) repairs what no
worker will: a job left "running" by a worker that died without anyone rejecting its task goes
back in the queue (failed once it has been started ``settings.INGEST_MAX_ATTEMPTS`` times), and a
job still "queued" long after it was due (``due_at``; its message was lost between the commit and
the broker, or by the broker) is sent again.
"""

from __future__ import annotations

import datetime
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from claims.choices import IngestInputKind, IngestJobState
from claims.extraction.feeds import FeedEntry as Entry
from claims.models import FollowedFeed, IngestJob
from claims.services import ingest_worker
from claims.services.feeds import feed_entry_done, feed_poll_claim
from claims.services.fetching import FetchError
from claims.services.ingestion import IngestResult
from claims.services.inputs import (
    SEVERAL_ARTICLES,
    ExplicitMeta,
    Input,
    Parts,
    default_fetcher,
    document_for_entry,
    document_for_record,
    document_ingest,
    input_split,
)

__all__ = [
    "RetryLater",
    "Swept",
    "TransientFailure",
    "entry_spec",
    "feed_polls_create",
    "ingest_job_lost",
    "ingest_job_retry",
    "ingest_job_run",
    "ingest_jobs_create",
    "ingest_jobs_requeue_stuck",
    "input_spec",
    "record_spec",
    "retry_delay",
]

logger = logging.getLogger(__name__)

# What the database says when the same work may succeed if tried again.
TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)
SPEC_KEYS = frozenset({"kind", "path", "text", "url", "label", "metadata", "feed_id", "feed_url", "entry", "offset"})
# What an input given by a user can be (the other kinds are made by the jobs: polls, entries, records).
INPUT_KINDS = (IngestInputKind.FILE, IngestInputKind.TEXT, IngestInputKind.URL)
Dispatch = Callable[[list[IngestJob]], None]
NOT_RETRYABLE = "Only a failed job can be retried."
RESENT = "resent: "
BEFORE = "; before: "


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
    if kind not in INPUT_KINDS:
        raise ValidationError({"kind": f"kind must be one of: {', '.join(INPUT_KINDS)}."})
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


def feed_poll_spec(feed: FollowedFeed) -> dict:
    """The spec of one poll of a followed feed."""
    return {"kind": IngestInputKind.FEED, "feed_id": feed.pk, "url": feed.url, "label": feed.url[:1000]}


def entry_spec(entry: Entry, *, feed_url: str = "", feed_id: int | None = None, metadata=None) -> dict:
    """The spec of one feed entry (its link is fetched by the job); ``feed_id`` when a followed feed's."""
    published = entry.published.isoformat() if entry.published else None
    return {
        "kind": IngestInputKind.ENTRY,
        "url": entry.link,
        "label": entry.link[:1000],
        "metadata": dict(metadata or {}),
        "feed_url": feed_url,
        "feed_id": feed_id,
        "entry": {
            "link": entry.link,
            "id": entry.id,
            "title": entry.title,
            "published": published,
            "author": entry.author,
        },
    }


def record_spec(*, path: str, offset: int, url: str = "", metadata=None) -> dict:
    """The spec of the web archive record at ``offset`` of the file at ``path``."""
    label = f"{os.path.basename(path)} @{offset} {url}".strip()
    return {
        "kind": IngestInputKind.RECORD,
        "path": path,
        "offset": offset,
        "label": label[:1000],
        "metadata": dict(metadata or {}),
    }


def _entry(data: dict) -> Entry:
    published = datetime.datetime.fromisoformat(data["published"]) if data.get("published") else None
    return Entry(
        link=data["link"], id=data["id"], title=data.get("title"), published=published, author=data.get("author")
    )


def retry_delay(retries: int, retry_after: float | None = None) -> float:
    """Seconds to wait before retry number ``retries + 1``: base * 2**retries, at least Retry-After, capped."""
    delay = settings.INGEST_RETRY_BASE_SECONDS * 2 ** max(0, retries)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(delay, settings.INGEST_RETRY_MAX_SECONDS)


@transaction.atomic
def ingest_jobs_create(*, specs: Iterable[dict], parent: IngestJob | None = None) -> list[IngestJob]:
    """One queued job per input spec (see ``input_spec``), in one transaction."""
    jobs = []
    for spec in specs:
        unknown = set(spec) - SPEC_KEYS
        if unknown:
            raise ValidationError({"spec": f"unknown keys: {sorted(unknown)}"})
        job = IngestJob(kind=spec["kind"], label=spec.get("label", "")[:1000], spec=spec, parent=parent)
        # The fields only: a new queued job meets the state constraints by construction, and the database
        # checks them on insert (full_clean would ask it six times per job: 27 ms each, 23 s for 840 files).
        job.full_clean(exclude=["parent"], validate_constraints=False)  # the parent passed in exists
        jobs.append(job)
    return IngestJob.objects.bulk_create(jobs)


@transaction.atomic
def feed_polls_create(*, feeds: Iterable[FollowedFeed] | None = None) -> list[IngestJob]:
    """A poll job for each active followed feed (or ``feeds``) that has none queued or running already
    (a backlog never piles up polls of one feed)."""
    pending = IngestJob.objects.filter(
        kind=IngestInputKind.FEED, state__in=[IngestJobState.QUEUED, IngestJobState.RUNNING]
    ).values_list("spec__feed_id", flat=True)
    busy = set(pending)
    feeds = FollowedFeed.objects.filter(active=True) if feeds is None else feeds
    return ingest_jobs_create(specs=[feed_poll_spec(feed) for feed in feeds if feed.active and feed.pk not in busy])


@dataclass(frozen=True)
class Swept:
    """What one sweep did: jobs stuck in "running" put back in the queue (``requeued``) or given up
    (``failed``), and jobs left "queued" too long sent again (``resent``)."""

    requeued: list[IngestJob] = field(default_factory=list)
    failed: list[IngestJob] = field(default_factory=list)
    resent: list[IngestJob] = field(default_factory=list)

    @property
    def to_send(self) -> list[IngestJob]:
        """The jobs the caller sends to the workers (after the transaction commits)."""
        return [*self.resent, *self.requeued]


def ingest_jobs_requeue_stuck(
    *,
    older_than: float | None = None,
    queued_for: float | None = None,
    limit: int | None = None,
    now: datetime.datetime | None = None,
    among: Iterable[int] | None = None,
) -> Swept:
    """The sweep: what no worker will ever run again goes back to the workers.

    Jobs "running" since more than ``older_than`` seconds (``settings.INGEST_STUCK_AFTER_SECONDS``):
    their worker died and the broker did not deliver the task again (a whole worker machine lost on
    Redis waits for the visibility timeout; without a broker nothing ever would). Each goes back to
    the queue, or fails when it has been started ``settings.INGEST_MAX_ATTEMPTS`` times already (an
    input that kills its worker every time).

    Jobs "queued" since more than ``queued_for`` seconds after they were due
    (``settings.INGEST_QUEUED_RESEND_AFTER_SECONDS``), the longest-waiting first, at most ``limit``
    (``settings.INGEST_QUEUED_RESEND_LIMIT``): their message never reached a worker (the process
    that queued them died between the commit and the send, or the broker lost it). Each is sent
    again, its reason saying so; if the first message was only late, the job still runs once.

    The caller sends ``Swept.to_send`` to the workers. Rows another sweeper (or a worker starting
    the job) holds are skipped. ``among``: only these job ids (a curator's selection).
    """
    older_than = settings.INGEST_STUCK_AFTER_SECONDS if older_than is None else older_than
    queued_for = settings.INGEST_QUEUED_RESEND_AFTER_SECONDS if queued_for is None else queued_for
    limit = settings.INGEST_QUEUED_RESEND_LIMIT if limit is None else limit
    now = now or timezone.now()
    swept = Swept()
    with transaction.atomic():
        # Resent first: a job the lines below put back in the queue is due now, not lost.
        waiting = IngestJob.objects.select_for_update(skip_locked=True).filter(
            state=IngestJobState.QUEUED, due_at__lte=now - datetime.timedelta(seconds=queued_for)
        )
        if among is not None:
            waiting = waiting.filter(pk__in=list(among))
        for job in waiting.order_by("due_at", "pk")[: max(0, limit)]:
            job.reason, job.due_at = _resent_reason(job, now), now
            job.save(update_fields=["reason", "due_at"])
            swept.resent.append(job)
        stuck = IngestJob.objects.select_for_update(skip_locked=True).filter(
            state=IngestJobState.RUNNING, started_at__lte=now - datetime.timedelta(seconds=older_than)
        )
        if among is not None:
            stuck = stuck.filter(pk__in=list(among))
        for job in stuck.order_by("pk"):
            since = f"running since {job.started_at:%Y-%m-%d %H:%M:%S} UTC on {job.worker or 'an unknown worker'}"
            requeued = _requeue_or_fail(
                job, now=now, requeued=f"requeued: {since} (its worker was lost)", failed=f"stuck: {since}"
            )
            (swept.requeued if requeued else swept.failed).append(job)
    return swept


def _resent_reason(job: IngestJob, now: datetime.datetime) -> str:
    """What a resend records: since when the job waited, and the reason it had before (a retry's failure)."""
    waited = int((now - job.due_at).total_seconds())
    line = (
        f"{RESENT}queued since {job.due_at:%Y-%m-%d %H:%M:%S} UTC and not started after {waited} s "
        "(its message never reached a worker)"
    )
    before = job.reason.partition(BEFORE)[2] if job.reason.startswith(RESENT) else job.reason
    return (line + (f"{BEFORE}{before}" if before else ""))[:10_000]


def _requeue_or_fail(job: IngestJob, *, now: datetime.datetime, requeued: str, failed: str) -> bool:
    """A running job whose worker is gone: back in the queue (True), or failed once it has been started
    ``INGEST_MAX_ATTEMPTS`` times (an input that kills its worker every time must not loop)."""
    if job.attempts >= settings.INGEST_MAX_ATTEMPTS:
        reason = f"{failed}; gave up after {job.attempts} attempts"
        _finish(job, state=IngestJobState.FAILED, reason=reason, passing=True)
        return False
    job.state, job.reason, job.due_at = IngestJobState.QUEUED, requeued[:10_000], now
    job.save(update_fields=["state", "reason", "due_at"])
    return True


def ingest_job_lost(*, job_id: int, worker: str, why: str) -> IngestJob | None:
    """The worker process ``worker`` died while running the job, and its task goes back to the broker
    (``reject_on_worker_lost``): the job goes back to ``queued`` so that the redelivery starts it
    again (or fails after ``INGEST_MAX_ATTEMPTS`` attempts, the redelivery then doing nothing).

    Called by the worker's main process (``claims.tasks.IngestJobRequest``) before it rejects the
    task. A job not running on ``worker`` (already requeued, or taken by another), or whose row is
    locked (the dead process's transaction not over yet), is left as it is: the sweep repairs it.
    Returns the job when it changed it.
    """
    with transaction.atomic():
        job = (
            IngestJob.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id, state=IngestJobState.RUNNING, worker=worker[:200])
            .first()
        )
        if job is None:
            return None
        what = f"its worker process {job.worker} died ({why})"
        _requeue_or_fail(job, now=timezone.now(), requeued=f"requeued: {what}", failed=f"lost: {what}")
    return job


@transaction.atomic
def ingest_job_retry(*, job: IngestJob) -> IngestJob:
    """Put a failed job back in the queue (a curator's retry); the caller sends it to the workers."""
    job = IngestJob.objects.select_for_update().get(pk=job.pk)
    if job.state != IngestJobState.FAILED:
        raise ValidationError(NOT_RETRYABLE)
    job.state, job.retries, job.finished_at, job.due_at = IngestJobState.QUEUED, 0, None, timezone.now()
    job.reason = f"retried by a curator after: {job.reason}"[:10_000]
    job.full_clean()
    job.save()
    return job


def ingest_job_run(
    *, job_id: int, worker: str = "", can_retry: bool = True, dispatch: Dispatch | None = None
) -> IngestJob:
    """Run one job: ingest its input (or expand it into one job per article), and record what happened.

    Only a queued job starts: one already running, done or failed is left as it is (the same task
    delivered or sent twice; a worker that died gets its job back through ``ingest_job_lost``). Raises
    ``RetryLater`` after a transient failure when ``can_retry`` (a broker to send it back
    to) and the retries are not used up; otherwise the job ends failed with the reason.
    The jobs an input expands into are handed to ``dispatch`` inside the transaction that
    creates them (``claims.tasks.ingest_jobs_dispatch`` sends them once it commits).
    """
    job = _start(job_id, worker)
    if job is None:
        return IngestJob.objects.get(pk=job_id)
    try:
        if job.kind == IngestInputKind.FEED:
            return _poll(job, can_retry, dispatch)
        result = _ingest(job.spec)
        if isinstance(result, Parts):
            return _expand(job, result, dispatch)
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
    """queued -> running under the job's row lock; None when the job is not queued (a duplicate delivery)."""
    with transaction.atomic():
        job = IngestJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != IngestJobState.QUEUED:
            if job is not None:
                logger.info("job %s is %s (on %s): a duplicate delivery, not started", job.pk, job.state, job.worker)
            return None
        job.state, job.attempts, job.started_at = IngestJobState.RUNNING, job.attempts + 1, timezone.now()
        job.worker = (worker or f"in-process {os.getpid()}")[:200]
        job.save(update_fields=["state", "attempts", "started_at", "worker"])
    return job


def _finish(
    job: IngestJob, *, state: str, reason: str = "", article_id=None, created: bool = False, passing: bool = False
) -> IngestJob:
    """Record how the job ended; a followed feed's entry is recorded against its feed (``passing``: it
    failed for a reason that may pass, so the next poll queues it again)."""
    job.state, job.reason, job.article_id, job.created_article = state, reason[:10_000], article_id, created
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save(update_fields=["state", "reason", "article", "created_article", "finished_at"])
        if job.kind == IngestInputKind.ENTRY and job.spec.get("feed_id"):
            feed_entry_done(
                feed_id=job.spec["feed_id"], entry_id=job.spec["entry"]["id"], article_id=article_id, passing=passing
            )
    return job


def _transient(job: IngestJob, reason: str, retry_after: float | None, can_retry: bool) -> IngestJob:
    if not can_retry or job.retries >= settings.INGEST_MAX_RETRIES:
        why = "no broker to retry later" if not can_retry else f"gave up after {job.retries} retries"
        return _finish(job, state=IngestJobState.FAILED, reason=f"{reason} (transient; {why})", passing=True)
    delay = retry_delay(job.retries, retry_after)
    job.state, job.retries, job.reason = IngestJobState.QUEUED, job.retries + 1, reason[:10_000]
    job.due_at = timezone.now() + datetime.timedelta(seconds=delay)
    job.save(update_fields=["state", "retries", "reason", "due_at"])
    raise RetryLater(job, delay)


def _extract(texts: list[str]):
    """In-process extraction with the pipeline this process loaded once (worker_process_init)."""
    ingest_worker.init(settings.SPACY_MODEL)  # cached: loads on the first call of a process only
    return map(ingest_worker.extract, texts)


def _poll(job: IngestJob, can_retry: bool, dispatch: Dispatch | None) -> IngestJob:
    """A followed feed's poll: its new entries become jobs, in the transaction that holds the feed's lock."""
    with transaction.atomic():
        polled = feed_poll_claim(feed_id=job.spec["feed_id"])
        if polled.error is None:
            specs = [
                entry_spec(entry, feed_url=polled.feed_url, feed_id=job.spec["feed_id"]) for entry in polled.entries
            ]
            return _expand_into(job, specs, (), polled.note, dispatch)
    if polled.transient:
        return _transient(job, f"{polled.feed_url}: {polled.error}", polled.retry_after, can_retry)
    return _finish(job, state=IngestJobState.FAILED, reason=polled.error)


def _expand(job: IngestJob, parts: Parts, dispatch: Dispatch | None) -> IngestJob:
    """A web archive or a feed: one job per record or entry (a broken record is a failed job, with why)."""
    metadata = job.spec.get("metadata") or {}
    if parts.warc_path:
        specs = [
            record_spec(path=parts.warc_path, offset=o, url=u, metadata=metadata)
            for o, u, e in parts.records
            if e is None
        ]
        broken = [
            (record_spec(path=parts.warc_path, offset=o, url=u, metadata=metadata), e)
            for o, u, e in parts.records
            if e is not None
        ]
        if not specs:
            return _finish(job, state=IngestJobState.FAILED, reason="no HTML pages in the web archive")
        note = f"a web archive: {len(specs)} pages queued as jobs" + (
            f", {len(broken)} broken records" if broken else ""
        )
    else:
        specs = [entry_spec(entry, feed_url=parts.feed_url, metadata=metadata) for entry in parts.entries]
        broken = []
        if not specs:
            return _finish(job, state=IngestJobState.FAILED, reason="the feed has no entries with a link")
        note = f"a feed: {len(specs)} entries queued as jobs"
    with transaction.atomic():
        return _expand_into(job, specs, broken, note, dispatch)


def _expand_into(job: IngestJob, specs: list[dict], broken, note: str, dispatch: Dispatch | None) -> IngestJob:
    """Inside the caller's transaction: the children queued (and the broken parts as failed jobs), the job done."""
    children = ingest_jobs_create(specs=specs, parent=job)
    now = timezone.now()
    failed = [
        IngestJob(
            kind=spec["kind"],
            label=spec["label"],
            spec=spec,
            parent=job,
            state=IngestJobState.FAILED,
            reason=reason[:10_000],
            finished_at=now,
        )
        for spec, reason in broken
    ]
    for child in failed:
        child.full_clean(validate_constraints=False)  # as ingest_jobs_create; the database checks them
    IngestJob.objects.bulk_create(failed)
    job = _finish(job, state=IngestJobState.DONE, reason=note)
    if dispatch is not None and children:
        dispatch(children)
    return job


def _ingest(spec: dict) -> IngestResult | Parts:
    """The job's input through the ingestion entry point (``claims.services.inputs``): one article, or the
    parts of an input that holds several (a web archive, a feed)."""
    kind, label = spec["kind"], spec.get("label") or ""
    meta = ExplicitMeta.from_mapping(spec.get("metadata") or {})
    fetcher = _TransientRaising(default_fetcher())
    if kind == IngestInputKind.ENTRY:
        document = document_for_entry(_entry(spec["entry"]), spec.get("feed_url") or "", meta, fetcher)
        return document_ingest(document, extract=_extract, reraise=TRANSIENT_DATABASE_ERRORS)
    if kind == IngestInputKind.RECORD:
        document = document_for_record(spec["path"], int(spec["offset"]), meta)
        return document_ingest(document, extract=_extract, reraise=TRANSIENT_DATABASE_ERRORS)
    if kind == IngestInputKind.FILE:
        item = Input.for_path(spec["path"], meta)
    elif kind == IngestInputKind.TEXT:
        item = Input.for_text(spec["text"], meta, label=label or "<text>")
    elif kind == IngestInputKind.URL:
        item = Input.for_url(spec["url"], meta)
    else:
        raise ValidationError(f"unknown input kind {kind!r}")
    found = input_split(item, fetcher)
    if isinstance(found, Parts):
        return found
    if len(found) != 1:
        error = SEVERAL_ARTICLES if found else "nothing to ingest"
        return IngestResult(source=item.label, status="failed", url=item.url or "", error=error)
    return document_ingest(found[0], extract=_extract, reraise=TRANSIENT_DATABASE_ERRORS)


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

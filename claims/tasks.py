"""Celery tasks (thin, like the commands): a job id in, ``claims.services.ingest_jobs`` does the work.

``ingest_jobs_dispatch`` sends jobs to the workers once the transaction that created them
commits; without a broker (``CELERY_BROKER_URL`` empty) the task runs in the calling process.
Tasks are acknowledged late and rejected (so redelivered) when their worker process dies; the
worker's main process first puts the job back to "queued" (``IngestJobRequest``), since a job only
starts from "queued".

celery beat (``make beat``, its schedule in the database: django-celery-beat, editable in the
admin) sends the two periodic tasks: ``claims.feeds_poll`` queues a poll job per followed feed,
``claims.ingest_jobs_requeue_stuck`` puts back in the queue the jobs whose worker was lost and
sends again the jobs whose message was lost.
"""

from __future__ import annotations

import logging
import os
from functools import partial

from billiard.exceptions import WorkerLostError
from celery import shared_task
from celery.worker.request import Request
from django.db import DatabaseError, close_old_connections, connections, transaction

from claims.models import IngestJob
from claims.services.ingest_jobs import (
    RetryLater,
    feed_polls_create,
    ingest_job_lost,
    ingest_job_run,
    ingest_jobs_requeue_stuck,
)

__all__ = ["IngestJobRequest", "feeds_poll", "ingest_job", "ingest_jobs_dispatch", "ingest_jobs_requeue_stuck_task"]

logger = logging.getLogger(__name__)
# How a pool process's death reaches its request in the main process (billiard wraps some in ExceptionWithTraceback).
LOST = (WorkerLostError, SystemExit, KeyboardInterrupt)


class IngestJobRequest(Request):
    """An ``ingest_job`` task as the worker's main process sees it.

    When the pool process running it dies (SIGKILL, out of memory), the main process rejects the
    task so that the broker delivers it again (``reject_on_worker_lost``). A job only starts from
    "queued", so first it puts the job back there (``ingest_job_lost``); without that the redelivery
    would find it "running" and leave it to the sweep.
    """

    def on_failure(self, exc_info, send_failed_event=True, return_ok=False):
        exc = getattr(exc_info.exception, "exc", exc_info.exception)
        if isinstance(exc, LOST) and self.worker_pid and self.args:
            try:
                close_old_connections()
                job = ingest_job_lost(
                    job_id=self.args[0], worker=f"{self.hostname} pid {self.worker_pid}", why=type(exc).__name__
                )
                if job is not None:
                    logger.warning("job %s: %s", job.pk, job.reason)
            except DatabaseError:
                logger.exception("job %s: could not record that its worker process died", self.args[0])
            finally:
                connections.close_all()  # the main process keeps no connection for the next pool process to inherit
        return super().on_failure(exc_info, send_failed_event=send_failed_event, return_ok=return_ok)


@shared_task(
    bind=True,
    name="claims.ingest_job",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
    Request=IngestJobRequest,
)
def ingest_job(self, job_id: int) -> None:
    try:
        worker = f"{self.request.hostname or 'in-process'} pid {os.getpid()}"
        ingest_job_run(job_id=job_id, worker=worker, can_retry=not self.request.is_eager, dispatch=ingest_jobs_dispatch)
    except RetryLater as later:
        raise self.retry(countdown=later.delay) from later


def ingest_jobs_dispatch(jobs: list[IngestJob]) -> None:
    """Send each job to the workers (or run it here, without a broker) after the current transaction commits."""
    for job in jobs:
        transaction.on_commit(partial(ingest_job.delay, job.pk))


@shared_task(name="claims.feeds_poll")
def feeds_poll() -> int:
    """celery beat: a poll job for each followed feed (none for a feed whose last poll is still pending)."""
    with transaction.atomic():
        jobs = feed_polls_create()
        ingest_jobs_dispatch(jobs)
    return len(jobs)


@shared_task(name="claims.ingest_jobs_requeue_stuck")
def ingest_jobs_requeue_stuck_task(older_than: float | None = None, queued_for: float | None = None) -> int:
    """celery beat: jobs stuck in "running" back to the queue (or failed after too many attempts), jobs left
    "queued" too long sent again; returns how many jobs it sent."""
    with transaction.atomic():
        swept = ingest_jobs_requeue_stuck(older_than=older_than, queued_for=queued_for)
        ingest_jobs_dispatch(swept.to_send)
    return len(swept.to_send)

"""Celery tasks (thin, like the commands): a job id in, ``claims.services.ingest_jobs`` does the work.

``ingest_jobs_dispatch`` sends jobs to the workers once the transaction that created them
commits; without a broker (``CELERY_BROKER_URL`` empty) the task runs in the calling process.
Tasks are acknowledged late and rejected (so redelivered) when their worker process dies.

celery beat (``make beat``, its schedule in the database: django-celery-beat, editable in the
admin) sends the two periodic tasks: ``claims.feeds_poll`` queues a poll job per followed feed,
``claims.ingest_jobs_requeue_stuck`` puts back in the queue the jobs whose worker was lost.
"""

from __future__ import annotations

import os
from functools import partial

from celery import shared_task
from django.db import transaction

from claims.models import IngestJob
from claims.services.ingest_jobs import RetryLater, feed_polls_create, ingest_job_run, ingest_jobs_requeue_stuck

__all__ = ["feeds_poll", "ingest_job", "ingest_jobs_dispatch", "ingest_jobs_requeue_stuck_task"]


@shared_task(bind=True, name="claims.ingest_job", acks_late=True, reject_on_worker_lost=True, max_retries=None)
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
def ingest_jobs_requeue_stuck_task(older_than: float | None = None) -> int:
    """celery beat: jobs stuck in "running" back to the queue (or failed after too many attempts)."""
    with transaction.atomic():
        requeued, _failed = ingest_jobs_requeue_stuck(older_than=older_than)
        ingest_jobs_dispatch(requeued)
    return len(requeued)

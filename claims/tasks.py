"""Celery tasks (thin, like the commands): a job id in, ``claims.services.ingest_jobs`` does the work.

``ingest_jobs_dispatch`` sends jobs to the workers once the transaction that created them
commits; without a broker (``CELERY_BROKER_URL`` empty) the task runs in the calling process.
Tasks are acknowledged late and rejected (so redelivered) when their worker process dies.
"""

from __future__ import annotations

import os
from functools import partial

from celery import shared_task
from django.db import transaction

from claims.models import IngestJob
from claims.services.ingest_jobs import RetryLater, ingest_job_run

__all__ = ["ingest_job", "ingest_jobs_dispatch"]


@shared_task(bind=True, name="claims.ingest_job", acks_late=True, reject_on_worker_lost=True, max_retries=None)
def ingest_job(self, job_id: int) -> None:
    try:
        worker = f"{self.request.hostname or 'in-process'} pid {os.getpid()}"
        ingest_job_run(job_id=job_id, worker=worker, can_retry=not self.request.is_eager)
    except RetryLater as later:
        raise self.retry(countdown=later.delay) from later


def ingest_jobs_dispatch(jobs: list[IngestJob]) -> None:
    """Send each job to the workers (or run it here, without a broker) after the current transaction commits."""
    for job in jobs:
        transaction.on_commit(partial(ingest_job.delay, job.pk))

"""Put back in the queue the ingestion jobs stuck in "running" (their worker died and the task was not
delivered again); a job already started INGEST_MAX_ATTEMPTS times fails instead. celery beat runs the
same sweep every few minutes (the periodic task "claims.ingest_jobs_requeue_stuck")."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.services.ingest_jobs import ingest_jobs_requeue_stuck
from claims.tasks import ingest_jobs_dispatch


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=None,
            metavar="SECONDS",
            help=f"Running for longer than this (default INGEST_STUCK_AFTER_SECONDS, "
            f"{settings.INGEST_STUCK_AFTER_SECONDS} s).",
        )

    def handle(self, *args, **options):
        if options["older_than"] is not None and options["older_than"] < 0:
            raise CommandError("--older-than must be 0 or more seconds")
        with transaction.atomic():
            requeued, failed = ingest_jobs_requeue_stuck(older_than=options["older_than"])
            ingest_jobs_dispatch(requeued)
        for job in requeued:
            self.stdout.write(f"requeued   {job.pk} {job.label}: {job.reason}")
        for job in failed:
            self.stdout.write(f"failed     {job.pk} {job.label}: {job.reason}")
        self.stdout.write(f"Stuck jobs: {len(requeued)} requeued, {len(failed)} failed.")

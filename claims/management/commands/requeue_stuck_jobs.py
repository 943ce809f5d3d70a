"""The sweep of the ingestion jobs no worker will run: jobs stuck in "running" (their worker died and the
task was not delivered again) go back to the queue, or fail once started INGEST_MAX_ATTEMPTS times; jobs
still "queued" long after they were due (their message never reached a worker) are sent again. celery beat
runs the same sweep every few minutes (the periodic task "claims.ingest_jobs_requeue_stuck")."""

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
        parser.add_argument(
            "--queued-for",
            type=float,
            default=None,
            metavar="SECONDS",
            help=f"Queued for longer than this after they were due (default INGEST_QUEUED_RESEND_AFTER_SECONDS, "
            f"{settings.INGEST_QUEUED_RESEND_AFTER_SECONDS} s; at most INGEST_QUEUED_RESEND_LIMIT, "
            f"{settings.INGEST_QUEUED_RESEND_LIMIT}, per run).",
        )

    def handle(self, *args, **options):
        for name in ("older_than", "queued_for"):
            if options[name] is not None and options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} must be 0 or more seconds")
        with transaction.atomic():
            swept = ingest_jobs_requeue_stuck(older_than=options["older_than"], queued_for=options["queued_for"])
            ingest_jobs_dispatch(swept.to_send)
        for label, jobs in (("requeued", swept.requeued), ("failed", swept.failed), ("resent", swept.resent)):
            for job in jobs:
                self.stdout.write(f"{label:<10} {job.pk} {job.label}: {job.reason}")
        self.stdout.write(
            f"Stuck jobs: {len(swept.requeued)} requeued, {len(swept.failed)} failed. "
            f"Jobs left queued: {len(swept.resent)} resent."
        )

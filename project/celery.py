"""The Celery application: ingestion jobs run on a fleet of workers (``celery -A project worker``).

Configured from Django's settings (the ``CELERY_`` ones, see project/settings.py). Without a
broker (``CELERY_BROKER_URL`` empty) tasks run in the calling process, so nothing else is needed.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

app = Celery("claims")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["claims"])


@worker_process_init.connect
def load_pipeline(**_kwargs) -> None:
    """Load the spaCy pipeline once per worker process, before its first task (not once per task)."""
    from django.conf import settings

    from claims.services import ingest_worker

    ingest_worker.init(settings.SPACY_MODEL)

"""The project package: settings, URLs, WSGI/ASGI, and the Celery application (loaded with Django)."""

from project.celery import app as celery_app

__all__ = ["celery_app"]

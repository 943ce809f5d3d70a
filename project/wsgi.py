"""WSGI entry point (gunicorn project.wsgi): Django, with the hot anonymous list reads answered in front of its
request cycle by the views' own code (claims.api.fastpath)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

django_application = get_wsgi_application()

from claims.api.fastpath import FastListReads  # noqa: E402 - needs the apps loaded above

application = FastListReads(django_application)

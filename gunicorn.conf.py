"""gunicorn settings for serving the API (`gunicorn project.wsgi`, `make serve`, `make bench`).

Synchronous workers, chosen by measurement (docs/performance.md, "The WSGI server
and its worker model"): a worker spends about 3.1 ms of CPU per /api/claims
request with `sync` (0.1 ms of it gunicorn's own) and about 3.6 ms with
`gthread`, whose poller, thread pool and futures buy only keep-alive, which
neither the benchmark's clients nor a buffering reverse proxy use; each request
is a few milliseconds of Python and one or two queries, so threads would only
add GIL contention. `make profile PROFILE_ARGS="--server --worker-class gthread"`
measures it again. Every value can be overridden on the command line or through
GUNICORN_* environment variables.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two per core: while one worker waits on PostgreSQL, the other runs Python.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "sync"
# Load Django once in the master; the workers share its pages copy-on-write.
preload_app = True
# The listen queue holds the clients waiting for a free worker.
backlog = 2048
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = max_requests // 10
# Above Django's MAX_URL_BYTES (4096), so that an over-long URL gets the app's JSON 414, not gunicorn's page.
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", 8190))


def pre_fork(server, worker):
    """Before each worker is forked: the objects of the loaded application (about 140,000: Django, DRF, the project,
    their modules and classes) move to the collector's permanent generation, which it never scans.

    Otherwise every full collection in a worker walks them all: about 60 ms of CPU at once, about one expert page in a
    hundred, which is its p99 (docs/performance.md, "Tail latency"; about 11 ms frozen). It also keeps the pages the
    workers share with the master unwritten (the collector writes each object it scans), as the Python documentation
    of gc.freeze advises for a fork without exec.
    """
    gc.freeze()

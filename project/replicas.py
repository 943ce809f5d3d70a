"""Reads on replicas: which requests a read-only copy of the database may answer, and the router that sends them there.

The rule, decided once per request by ReplicaReadsMiddleware:

- a replica answers the public's reads: GET, HEAD and OPTIONS requests with no signed-in user and no
  Authorization header (DRF authenticates tokens inside the view, after the middleware);
- everything else reads from the primary: writes, signed-in users (curators, always: they read what they have
  just changed, and they are few; the admin, which only signed-in staff reach, with them), token requests, and
  for DATABASE_REPLICA_PIN_SECONDS after any write, the browser that made it (a cookie), so that a write
  followed by a read (a form that redirects, a sign-out) sees itself;
- every write goes to the primary, whatever the request, and so do the cache table (the throttle's counters) and
  the sessions, which must never be read stale.

Code that runs outside a request (commands, services, workers) is never routed to a replica. With no replica
configured (settings.DATABASE_REPLICAS empty) the middleware and the router change nothing.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

__all__ = [
    "PIN_COOKIE",
    "ReplicaReadsMiddleware",
    "ReplicaRouter",
    "public_read_replica",
    "reads_from",
    "replica_for_reads",
]

PIN_COOKIE = "primary_pin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Read from the primary even in a public request: the throttle's counters (the database cache), sessions, tokens.
PRIMARY_ONLY_APPS = frozenset({"django_cache", "sessions", "authtoken"})

# The replica alias the current request reads from, or None for the primary.
_replica: ContextVar[str | None] = ContextVar("replica_for_reads", default=None)


def replica_for_reads() -> str | None:
    """The alias the current request's reads go to; None means the primary."""
    return _replica.get()


def public_read_replica() -> str | None:
    """The replica a public read goes to (one at random), or None when there is none."""
    replicas = settings.DATABASE_REPLICAS
    return random.choice(replicas) if replicas else None


@contextmanager
def reads_from(alias: str | None):
    """The current request reads from ``alias`` (None: the primary) inside the block."""
    _replica.set(alias)
    try:
        yield
    finally:
        _replica.set(None)


class ReplicaRouter:
    """Sends a public request's reads to the replica the middleware picked; every write to the primary."""

    def db_for_read(self, model, **hints):
        alias = _replica.get()
        if alias is None or model._meta.app_label in PRIMARY_ONLY_APPS:
            return None
        return alias

    def db_for_write(self, model, **hints):
        # Explicit: without it Django writes an instance back to the database it was read from, a replica.
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # A row read from a replica and one read from the primary are rows of the same database.
        databases = {"default", *settings.DATABASE_REPLICAS}
        if obj1._state.db in databases and obj2._state.db in databases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A replica receives the primary's schema by replication; it is never migrated itself.
        return False if db in settings.DATABASE_REPLICAS else None


class ReplicaReadsMiddleware:
    """Picks, per request, the replica that answers its reads (or none), and pins a writer to the primary.

    Placed after AuthenticationMiddleware, so that request.user is known; the session it reads is on the primary.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        alias = public_read_replica() if self.is_public_read(request) else None
        with reads_from(alias):
            response = self.get_response(request)
        if alias is not None and response.streaming:
            # A streamed body (CSV) runs its queries while the server sends it, after this method has returned.
            response.streaming_content = _reading_from(alias, response.streaming_content)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    @staticmethod
    def is_public_read(request) -> bool:
        return (
            request.method in SAFE_METHODS
            and PIN_COOKIE not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
            and not request.user.is_authenticated
        )


def _reading_from(alias: str, chunks):
    _replica.set(alias)
    try:
        yield from chunks
    finally:
        _replica.set(None)

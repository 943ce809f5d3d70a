"""Shared helpers of the page tests: fetch a page, count its queries."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def html(response) -> str:
    return response.content.decode()


def queries_of(client, url: str) -> tuple[int, list[str]]:
    """The number of queries a fresh (uncached) request for ``url`` makes, and their SQL.

    The savepoints of ATOMIC_REQUESTS are left out: they are not queries; so are the statements of the
    database cache (the throttle's counters and the cached counts live there), which do not grow with
    the data.
    """
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    sql = [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT")) and "django_cache" not in q["sql"]
    ]
    return len(sql), sql


def assert_same_queries(before: tuple[int, list[str]], after: tuple[int, list[str]]) -> None:
    assert before[0] == after[0], "\n\n".join(["BEFORE:", *before[1], "AFTER:", *after[1]])

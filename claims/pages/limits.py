"""What bounds the public HTML pages: the API's throttle, and a bounded number of rows per page.

``PageThrottleMiddleware`` runs the API's throttle classes (``REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]``: the
same rates, the same counters in the shared cache, the same client address rules) before every view of the
public pages, so that one client has one allowance for pages and API together; past it a page answers 429 with
``Retry-After``. ``bounded_rows`` is how a page reads a list: at most ``limit`` rows and whether there are more,
so that its work and size stay bounded whatever the data (a page that needs more rows pages them).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.html import escape
from rest_framework.settings import api_settings

__all__ = ["PAGE_NAMESPACES", "PageThrottleMiddleware", "bounded_rows"]

# The URL namespaces of the public pages (claims.pages.site_urls and claims.pages.urls).
PAGE_NAMESPACES = frozenset({"pages", "predictions"})


class PageThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace not in PAGE_NAMESPACES:
            return None
        waits = []
        for throttle in (throttle_class() for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES):
            if not throttle.allow_request(request, None):
                waits.append(throttle.wait())
        if not waits:
            return None
        seconds = max(1, math.ceil(max((wait for wait in waits if wait is not None), default=1)))
        message = f"Too many requests: try again in {seconds} seconds."
        body = f"<!doctype html><title>429 Too many requests</title><h1>Too many requests</h1><p>{escape(message)}</p>"
        response = HttpResponse(body, status=429, content_type="text/html; charset=utf-8")
        response["Retry-After"] = str(seconds)
        return response


def bounded_rows(rows: Iterable, limit: int) -> tuple[list, bool]:
    """At most ``limit`` of ``rows`` (a queryset is sliced: one query for ``limit`` + 1), and whether there are more."""
    if limit < 1:
        raise ValueError("limit must be positive")
    found = list(rows[: limit + 1]) if hasattr(rows, "__getitem__") else _first(rows, limit + 1)
    return found[:limit], len(found) > limit


def _first(rows: Iterable, n: int) -> list:
    found = []
    for row in rows:
        found.append(row)
        if len(found) == n:
            break
    return found

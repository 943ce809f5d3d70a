"""The big lists' records built in bulk: what their serializers give, from the flat rows of a shape.

A list's shape (claims.selectors.shapes) declares its record once; the serializer that documents it
takes its field names from the shape, the selector loads the shape's row fields, and
``ShapeRepresentation`` turns those rows into the serializer's output without the serializer
machinery (DRF spends ~20 ms of Python on a 50-claim nested page, this under 1 ms).
tests/perf/test_bulk_lists.py pins the equality.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import get_script_prefix
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

from claims.selectors.shapes import Shape

__all__ = ["ShapeRepresentation", "url_parts"]

# An id no row has, to turn a reversed URL into a prefix and a suffix.
_SENTINEL_PK = 9_876_543_210_123


# (view name, format, scheme, host, ?format=, script prefix) -> the URL's parts around the pk; the few
# origins a deployment answers for, bounded all the same (the Host header is the client's).
_URL_PARTS: dict[tuple, tuple[str, str]] = {}
_URL_PARTS_MAX = 256


def url_parts(view_name: str, request, format=None) -> tuple[str, str]:
    """The text before and after the pk of the absolute URLs HyperlinkedIdentityField gives, once per origin."""
    # DRF's reverse() also carries the request's ?format= over to the URL (preserve_builtin_query_params).
    origin = None
    if request is not None:
        origin = (request.scheme, request.get_host(), request.GET.get(api_settings.URL_FORMAT_OVERRIDE))
    key = (view_name, format, origin, get_script_prefix())
    parts = _URL_PARTS.get(key)
    if parts is None:
        url = reverse(view_name, kwargs={"pk": _SENTINEL_PK}, request=request, format=format)
        prefix, _, suffix = url.partition(str(_SENTINEL_PK))
        if len(_URL_PARTS) >= _URL_PARTS_MAX:
            _URL_PARTS.clear()
        parts = _URL_PARTS[key] = (prefix, suffix)
    return parts


def _url_maker(view_name: str, request, format=None):
    """pk -> the absolute URL HyperlinkedIdentityField would give, reversed once per process per origin."""
    prefix, suffix = url_parts(view_name, request, format)
    return lambda pk: f"{prefix}{pk}{suffix}"


class ShapeRepresentation:
    """The output of ``shape``'s serializer for rows of its selector (URLs absolute to ``request``)."""

    def __init__(self, shape: Shape, request, format=None):
        self.one = shape.representation(lambda view_name: _url_maker(view_name, request, format))

    def many(self, rows: Iterable[dict]) -> list[dict]:
        one = self.one
        return [one(row) for row in rows]

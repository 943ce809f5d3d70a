"""What every API view shares: CSV streaming, keyset and bulk lists, ETag/If-Match, the reference tables' viewset.

The viewsets of each context (claims, people, articles, predictions) only declare: their queryset, serializer,
FilterSet and the selectors that load rows (with the shape of a bulk list's record); reads come from selectors
and FilterSets (which own the query string, ordering included), writes go to services.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import re

import orjson
from django.db import connection, connections, transaction
from django.http import StreamingHttpResponse
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from claims.api.pagination import KeysetPagination
from claims.api.renderers import (
    CSVRenderer,
    ExcelCSVRenderer,
    FastJSONRenderer,
    csv_columns,
    csv_file_name,
    csv_lines,
)
from claims.api.serializers import ShapeRepresentation, url_parts
from claims.selectors.base import can_see_unreviewed
from claims.selectors.lookups import in_recorded_lookup, recording_lookups, same_results
from claims.services.records import record_create, record_update
from project.replicas import replica_for_reads

__all__ = [
    "IF_MATCH",
    "BulkListMixin",
    "CSVStreamMixin",
    "KeysetListMixin",
    "ReferenceViewSet",
    "VersionedMixin",
    "read_transaction",
]


CSV_FORMATS = frozenset({CSVRenderer.format, ExcelCSVRenderer.format})
_ETAG = re.compile(r'^\s*(?:W/)?"(\d+)"\s*$')


IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description='The ETag of the copy the change is based on (e.g. "3"), or *; a stale one answers 412, '
    "a malformed one 400.",
    pattern=r'^\s*(\*|(W/)?"[0-9]+")\s*$',
)


def read_transaction():
    """The transaction a list read runs in: none (autocommit), or a savepoint inside a caller's transaction.

    At READ COMMITTED a transaction around a read adds two round trips (BEGIN, COMMIT) and no consistency;
    inside a caller's transaction (a test's) a savepoint, so that an error rolls back the savepoint, not
    the caller's work. (Writes keep the one transaction per request that ATOMIC_REQUESTS gives.)
    """
    return transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()


# (list view, curator?, replica, query string) -> (recorded lookups, claims.api.pagination.KeysPlan): see
# BulkListMixin.page_keys.
# A client picks its query strings, so the table is bounded (cleared when full).
_KEY_PLANS: dict[tuple, object] = {}
_KEY_PLANS_MAX = 512


@contextlib.contextmanager
def _queries_run():
    """The statements run on any connection inside the block but those of recorded lookups (empty if none)."""
    ran = []

    def record(execute, sql, params, many, context):
        if not in_recorded_lookup():  # a recorded lookup's statements are accounted for by its result
            ran.append(sql)
        return execute(sql, params, many, context)

    with contextlib.ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(record))
        yield ran


class CSVStreamMixin:
    """``?format=csv`` on a list streams every matching row (same filters, no pagination)."""

    # No endpoint deletes or replaces records: curators reject claims, and
    # PATCH changes only what it names.
    http_method_names = ["get", "post", "patch", "head", "options"]

    csv_chunk_size = 1000

    def list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) not in CSV_FORMATS:
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        ordering = self.get_csv_ordering()
        if ordering:
            queryset = queryset.order_by(*ordering)
        serializer_class = self.get_serializer_class()
        context = {**self.get_serializer_context(), "request": link_request(request)}
        rows = (serializer_class(row, context=context).data for row in queryset.iterator(self.csv_chunk_size))
        return self.csv_response(rows)

    def get_csv_ordering(self):
        return None

    def csv_response(self, records) -> StreamingHttpResponse:
        """Stream ``records`` as CSV: columns from the serializer, named after the list and its filters.

        A complete file ends with claims.api.renderers.END_MARKER; ``?format=csv-excel`` starts with a byte-order mark.
        """
        request = self.request
        lines = csv_lines(
            records,
            csv_columns(self.get_serializer_class()(context=self.get_serializer_context())),
            byte_order_mark=request.accepted_renderer.format == ExcelCSVRenderer.format,
        )
        # The first query runs here, so that a failure to start (a database error) is an error response,
        # not a 200 whose body stops; a failure later shows as a file without its end marker.
        first = next(lines)
        response = StreamingHttpResponse(itertools.chain([first], lines), content_type="text/csv; charset=utf-8")
        name = csv_file_name(self.basename, request.query_params.dict())
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def link_request(request):
    """``request`` for building the links of a CSV export: without ``?format=csv``, which DRF's reverse() keeps."""
    query = request._request.GET.copy()
    query.pop(api_settings.URL_FORMAT_OVERRIDE, None)
    plain = copy.copy(request._request)
    plain.GET = query
    linked = copy.copy(request)
    linked._request = plain
    return linked


class KeysetListMixin(CSVStreamMixin):
    """Lists paged by keyset (see claims.api.pagination.KeysetPagination)."""

    # (No more in the docstring: it is the OpenAPI description of views without their own.)
    # The ordering (names, fields, default, relevance with q) and the partitions are the
    # FilterSet's: its ``ordering`` is a claims.filtersets.KeysetOrderingFilter.
    pagination_class = KeysetPagination

    def get_csv_ordering(self):
        return self.paginator.get_ordering(self.request, self).order_by()


class BulkListMixin(KeysetListMixin):
    """Lists whose rows are loaded in bulk: the page's keys first, then one query per table for those rows.

    A view declares ``list_shape`` (claims.selectors.shapes) and ``row_selector``
    (a function ``(ids, *, user, shape) -> rows``). JSON pages never instantiate
    models or serializers (see claims.api.serializers.ShapeRepresentation); CSV
    streams the same representation in batches of ids, in constant memory. A view
    may also declare ``json_row_selector`` (``(ids, *, user, shape, link_parts) ->
    JSON texts | None``): plain JSON pages then embed the records as the database
    wrote them (orjson fragments), the same bytes without shaping a row in Python.
    """

    list_shape = None
    row_selector = None
    json_row_selector = None

    # Set by a view whose list claims.api.fastpath may answer: the query parameters it may carry there.
    fast_list_parameters: frozenset[str] = frozenset()

    @method_decorator(transaction.non_atomic_requests)
    def dispatch(self, request, *args, **kwargs):
        # Reads run as read_transaction() says; writes keep the one transaction per request that
        # ATOMIC_REQUESTS gives the rest.
        with read_transaction() if request.method in ("GET", "HEAD", "OPTIONS") else transaction.atomic():
            return super().dispatch(request, *args, **kwargs)

    def list_queryset(self):
        """The rows the user may see, unjoined: filters and keys only."""
        raise NotImplementedError

    def bulk_rows(self, ids: list[int]) -> list[dict]:
        return type(self).row_selector(ids, user=self.request.user, shape=self.list_shape)

    def bulk_representation(self) -> ShapeRepresentation:
        return ShapeRepresentation(self.list_shape, self.request, self.format_kwarg)

    def list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) in CSV_FORMATS:
            return self._csv_response(self.filter_queryset(self.list_queryset()))
        keys = self.page_keys(request)
        ids = [key["id"] for key in keys]
        records = self.json_records(ids)
        if records is None:
            records = self.bulk_representation().many(self.bulk_rows(ids))
        return self.get_paginated_response(records)

    def page_keys(self, request) -> list[dict]:
        """The page's keys (claims.api.pagination.KeysetPagination), planned once per query string where that is exact.

        The FilterSet validates the query string and filters the list's queryset; the paginator orders, bounds
        and cuts it into the keys statement (compiled once per structure). When the FilterSet read nothing
        from the database to do so but recorded lookups (claims.selectors.lookups: the expert filter's ids),
        the statement, its parameters and the paginator's decisions are a function of the list, the user's
        visibility, the replica, the query string and those lookups' results: they are kept (``_KEY_PLANS``),
        and the next request with the same query string runs the lookups again and, when they give the same
        results, the statement, without building a FilterSet or a queryset. A query string that answers 400
        is never kept.
        """
        memo = (
            type(self),
            can_see_unreviewed(request.user),
            replica_for_reads(),
            tuple((name, tuple(values)) for name, values in request.query_params.lists()),
        )
        kept = _KEY_PLANS.get(memo)
        if kept is not None and same_results(kept[0]):
            return self.paginator.paginate_planned(kept[1], request)
        with _queries_run() as queries, recording_lookups() as lookups:
            queryset = self.filter_queryset(self.list_queryset())
        keys, plan = self.paginator.plan_keys(queryset, request, self)
        if plan is not None and not queries:
            if len(_KEY_PLANS) >= _KEY_PLANS_MAX:
                _KEY_PLANS.clear()
            _KEY_PLANS[memo] = (tuple(lookups), plan)
        return keys

    def json_records(self, ids: list[int]) -> list[orjson.Fragment] | None:
        """The page's records as JSON texts written by the database, when the answer is compact JSON; else None.

        Only FastJSONRenderer without indentation embeds them as they are; the browsable API, JSON-LD,
        CSV and indented JSON get the records as dicts.
        """
        selector = type(self).json_row_selector
        renderer = self.request.accepted_renderer
        if selector is None or type(renderer) is not FastJSONRenderer:
            return None
        if renderer.get_indent(self.request.accepted_media_type or "", self.get_renderer_context()) is not None:
            return None
        request, format_kwarg = self.request, self.format_kwarg
        texts = selector(
            ids,
            user=request.user,
            shape=self.list_shape,
            link_parts=lambda view_name: url_parts(view_name, request, format_kwarg),
        )
        return None if texts is None else [orjson.Fragment(text) for text in texts]

    def _csv_response(self, queryset):
        ids = queryset.order_by(*self.get_csv_ordering()).values_list("id", flat=True)
        representation = ShapeRepresentation(self.list_shape, link_request(self.request))

        def records():
            batch = []
            for pk in ids.iterator(chunk_size=self.csv_chunk_size):
                batch.append(pk)
                if len(batch) == self.csv_chunk_size:
                    yield from representation.many(self.bulk_rows(batch))
                    batch = []
            if batch:
                yield from representation.many(self.bulk_rows(batch))

        return self.csv_response(records())


class VersionedMixin:
    """ETag on reads, If-Match on writes: a change based on a stale copy answers 412."""

    def expected_version(self) -> int | None:
        header = self.request.headers.get("If-Match")
        if header is None or header.strip() == "*":
            return None
        match = _ETAG.match(header)
        if match is None:
            raise ValidationError({"detail": f'If-Match must be an ETag such as "3", not {header!r}.'})
        return int(match.group(1))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        version = getattr(response, "version", None)
        if version is not None:
            response["ETag"] = f'"{version}"'
        return response

    def versioned(self, instance, serializer_class=None, status_code=status.HTTP_200_OK) -> Response:
        serializer_class = serializer_class or self.get_serializer_class()
        response = Response(serializer_class(instance, context=self.get_serializer_context()).data, status=status_code)
        response.version = instance.version
        return response

    def retrieve(self, request, *args, **kwargs):
        return self.versioned(self.get_object())


class ReferenceViewSet(
    CSVStreamMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Organizations, outlets, topics: small tables, paged by limit/offset with a total."""

    def get_csv_ordering(self):
        return self.queryset.model._meta.ordering

    def perform_create(self, serializer):
        serializer.instance = record_create(model=self.queryset.model, data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = record_update(instance=serializer.instance, data=serializer.validated_data)

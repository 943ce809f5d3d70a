"""Pagination.

``KeysetPagination`` pages a list by the values of its ordering key (a field
and the id), so page 100 costs what page 1 costs and no request counts rows.
Cursors are opaque: base64 of the last row's key and the ordering they belong
to. ``DefaultPagination`` (limit/offset with a total) serves the small
reference tables.
"""

from __future__ import annotations

import base64
import datetime
import json
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from claims.filtersets import KeysetOrdering, UnavailableOrdering
from claims.selectors.base import fetch_statement, rows_statement

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
# More partitions than this and one ordered scan with a filter is cheaper than the union.
MAX_PARTITIONS = 64


class DefaultPagination(LimitOffsetPagination):
    default_limit = DEFAULT_PAGE_SIZE
    max_limit = MAX_PAGE_SIZE

    def check_parameters(self, request) -> None:
        """Refuse a malformed limit or offset even where they are not used (a CSV export)."""
        self.get_limit(request)
        self.get_offset(request)

    def get_limit(self, request):
        raw = request.query_params.get(self.limit_query_param)
        if raw is None:
            return self.default_limit
        return parse_limit(raw, self.max_limit)

    def get_offset(self, request):
        raw = request.query_params.get(self.offset_query_param)
        if raw is None:
            return 0
        try:
            value = int(raw)
        except ValueError:
            value = -1
        if value < 0:
            raise ValidationError({"detail": "offset must be a whole number, 0 or more.", "parameter": "offset"})
        return value

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_limit} (default {self.default_limit}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_limit},
            },
            {
                "name": self.offset_query_param,
                "required": False,
                "in": "query",
                "description": "How many rows to skip (0 or more).",
                "schema": {"type": "integer", "minimum": 0},
            },
        ]


def parse_limit(raw: str, maximum: int) -> int:
    """A page size from 1 to ``maximum``; anything else is refused, never silently clamped."""
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= maximum:
        raise ValidationError({"detail": f"limit must be a whole number from 1 to {maximum}.", "parameter": "limit"})
    return value


def _encode_value(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


# (URL, cursor parameter) -> the text before and after the cursor in replace_query_param's link: see _cursor_link_parts.
_LINK_PARTS: dict[tuple[str, str], tuple[str, str]] = {}
_LINK_PARTS_MAX = 512
_CURSOR_MARK = "Q0xBSU1TQ1VSU09STUFSSw"  # a cursor's alphabet, which urlencode leaves as it is


def _cursor_link_parts(url: str, name: str) -> tuple[str, str] | None:
    """The text around the cursor in ``replace_query_param(url, name, cursor)``, worked out once per URL.

    A cursor is URL-safe base64 without padding, which urlencode writes as it is: the link is the one DRF's
    replace_query_param makes with the mark in the cursor's place, the cursor put there instead. Where the mark's
    text is found twice (the client's own query string holds it), None: the link is made by replace_query_param.
    """
    key = (url, name)
    parts = _LINK_PARTS.get(key)
    if parts is None:
        template = replace_query_param(url, name, _CURSOR_MARK)
        if template.count(_CURSOR_MARK) != 1:
            return None
        prefix, _, suffix = template.partition(_CURSOR_MARK)
        if len(_LINK_PARTS) >= _LINK_PARTS_MAX:
            _LINK_PARTS.clear()
        parts = _LINK_PARTS[key] = (prefix, suffix)
    return parts


def filterset_of(view):
    """The FilterSet that filtered this request's rows (claims.api.backends keeps it on the view)."""
    filterset = getattr(view, "filterset", None)
    if filterset is None:
        raise ImproperlyConfigured(f"{type(view).__name__} pages by keyset: its rows must go through its FilterSet.")
    return filterset


@dataclass(frozen=True)
class KeysPlan:
    """What a page's keys take besides the request: the keys statement and the paginator's decisions.

    A function of the FilterSet's queryset and the query string (claims.api.views.base.BulkListMixin keeps it
    per query string when the FilterSet read nothing from the database).
    """

    using: str
    sql: str
    params: tuple
    ordering: KeysetOrdering
    limit: int
    cursor: tuple | None
    reverse: bool


class KeysetPagination(BasePagination):
    """Cursor pagination over (ordering field, id).

    The list's FilterSet (claims.filtersets.KeysetFilterSetMixin) owns the
    ``ordering`` parameter: the paginator asks it for the request's ordering
    (``keyset_ordering()``) and for the partitions of the rows
    (``keyset_partitions()``), and decides nothing about either itself.
    """

    cursor_query_param = "cursor"
    limit_query_param = "limit"
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    # Control parameters other lists accept that this one refuses, with the reason
    # (claims.api.backends answers 400 with it): an ignored offset would have a naive
    # client loop on the first page forever.
    refused_parameters = {
        "offset": "offset is not accepted here: this list is paged by cursor; follow the next link "
        "(or pass its cursor) for the following page.",
    }

    def check_parameters(self, request) -> None:
        """Refuse an offset, and a malformed limit even where it is not used (a CSV export)."""
        for name, reason in self.refused_parameters.items():
            if name in request.query_params:
                raise ValidationError({"detail": reason, "parameter": name})
        raw = request.query_params.get(self.limit_query_param)
        if raw is not None:
            parse_limit(raw, self.max_page_size)

    def get_ordering(self, request, view) -> KeysetOrdering:
        try:
            return filterset_of(view).keyset_ordering()
        except UnavailableOrdering as error:
            accepted = ", ".join(error.accepted)
            raise ValidationError(
                {"detail": f"Unknown ordering {error.name!r}; accepted: {accepted}.", "parameter": "ordering"}
            ) from None

    def decode_cursor(self, request, ordering: KeysetOrdering, model):
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4)))
            if data["o"] != ordering.name:
                raise ValidationError(
                    {
                        "detail": "This cursor belongs to another ordering; start again without it.",
                        "parameter": "cursor",
                    }
                )
            value = data["v"]
            if value is not None:
                value = ordering.to_python(model, value)
            return value, int(data["id"]), bool(data["r"])
        except ValidationError:
            raise
        except Exception:  # noqa: BLE001 - any malformed cursor is the client's error
            raise ValidationError({"detail": "Invalid cursor.", "parameter": "cursor"}) from None

    def encode_cursor(self, row, *, reverse: bool) -> str:
        value = self.ordering.value_of(row)
        pk = row["id"] if isinstance(row, dict) else row.pk
        payload = json.dumps({"o": self.ordering.name, "v": _encode_value(value), "id": pk, "r": reverse})
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

    def paginate_queryset(self, queryset, request, view=None):
        """The page's model instances."""
        queryset, reverse = self._start(queryset, request, view)
        rows = list(queryset.order_by(*self.ordering.order_by(reverse=reverse))[: self.limit + 1])
        return self._finish(rows, reverse)

    def paginate_keys(self, queryset, request, view=None) -> list[dict]:
        """The page's keys only, ``{<ordering field>: value, "id": pk}``, for views that load rows in bulk."""
        return self.plan_keys(queryset, request, view)[0]

    def plan_keys(self, queryset, request, view=None) -> tuple[list[dict], KeysPlan | None]:
        """The page's keys, and the plan that gives them again (``paginate_planned``), or None if there is none.

        The FilterSet's partitions (Q objects that split the rows, e.g. one per
        expert) turn the query into a UNION ALL of one ordered, limited query
        per partition, each served by an index in page order, merged and cut to
        the page: a popular expert's page reads 51 index entries, not 10,000 rows.
        """
        queryset, reverse = self._start(queryset, request, view)
        filterset = filterset_of(view)
        field = self.ordering.field
        rows = filterset.keyset_keys(self.ordering, self.cursor, self.limit + 1)
        if rows is not None:  # the FilterSet's own keys statement (a visitor's full-text search): no plan kept
            return self._finish([{field: value, "id": pk} for value, pk in rows], reverse), None
        partitions = filterset.keyset_partitions()
        order = self.ordering.order_by(reverse=reverse)
        queryset = queryset.order_by(*order).values_list(field, "id")
        if (
            partitions
            and 1 < len(partitions) <= MAX_PARTITIONS
            and connection.features.supports_slicing_ordering_in_compound
        ):
            parts = [queryset.filter(part)[: self.limit + 1] for part in partitions]
            queryset = parts[0].union(*parts[1:], all=True).order_by(*order)
        # The statement is compiled once per structure of the query (claims.selectors.base.fetch_rows).
        queryset = queryset[: self.limit + 1]
        statement = rows_statement(queryset)
        if statement is None:
            return self._keys(list(queryset), reverse), None
        plan = KeysPlan(queryset.db, *statement, self.ordering, self.limit, self.cursor, reverse)
        return self._keys(fetch_statement(queryset.db, *statement), reverse), plan

    def paginate_planned(self, plan: KeysPlan, request) -> list[dict]:
        """The page's keys by a plan ``plan_keys`` gave for the same query string: no queryset built."""
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.limit, self.ordering, self.cursor = plan.limit, plan.ordering, plan.cursor
        return self._keys(fetch_statement(plan.using, plan.sql, plan.params), plan.reverse)

    def _keys(self, rows, reverse: bool) -> list[dict]:
        field = self.ordering.field
        return self._finish([{field: value, "id": pk} for value, pk in rows], reverse)

    def _start(self, queryset, request, view):
        self.request = request
        self.base_url = request.build_absolute_uri()
        raw_limit = request.query_params.get(self.limit_query_param)
        self.limit = parse_limit(raw_limit, self.max_page_size) if raw_limit is not None else self.page_size
        self.ordering = self.get_ordering(request, view)
        cursor = self.decode_cursor(request, self.ordering, queryset.model)
        reverse = False
        self.cursor = cursor
        if cursor is not None:
            value, pk, reverse = cursor
            queryset = queryset.filter(self.ordering.after(value, pk, reverse=reverse))
        return queryset, reverse

    def _finish(self, rows, reverse):
        cursor = self.cursor
        has_more = len(rows) > self.limit
        rows = rows[: self.limit]
        if reverse:
            rows.reverse()
            self.has_next, self.has_previous = True, has_more
        else:
            self.has_next, self.has_previous = has_more, cursor is not None
        self.page = rows
        return rows

    def _link(self, row, *, reverse: bool):
        if row is None:
            return None
        cursor = self.encode_cursor(row, reverse=reverse)
        parts = _cursor_link_parts(self.base_url, self.cursor_query_param)
        if parts is None:
            return replace_query_param(self.base_url, self.cursor_query_param, cursor)
        return f"{parts[0]}{cursor}{parts[1]}"

    def get_next_link(self):
        return self._link(self.page[-1], reverse=False) if self.has_next and self.page else None

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if not self.page:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._link(self.page[0], reverse=True)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque cursor from a previous page's next or previous link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

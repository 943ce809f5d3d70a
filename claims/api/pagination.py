"""Pagination.

``KeysetPagination`` pages a list by the values of its ordering key (a field
and the id), so page 100 costs what page 1 costs and no request counts rows.
Cursors are opaque: base64 of the last row's key and the ordering they belong
to. ``DefaultPagination`` (limit/offset with a total) serves the small
reference tables.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import json
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import F, Model, Q
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
# More partitions than this and one ordered scan with a filter is cheaper than the union.
MAX_PARTITIONS = 64


class DefaultPagination(LimitOffsetPagination):
    default_limit = DEFAULT_PAGE_SIZE
    max_limit = MAX_PAGE_SIZE

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


def parse_limit(raw: str, maximum: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValidationError({"detail": f"limit must be a whole number from 1 to {maximum}.", "parameter": "limit"})
    return min(value, maximum)


@dataclass(frozen=True)
class KeysetOrdering:
    """One ordering a keyset list accepts: a model field, its direction, and the id as tie-breaker."""

    name: str  # the public name, "-published_on"
    field: str
    descending: bool
    nullable: bool

    def order_by(self, *, reverse: bool = False):
        descending = self.descending != reverse
        # Rows without a value come last when paging forward, first backward.
        # Non-nullable fields get a plain ORDER BY, which their indexes serve.
        nulls = ({"nulls_first": True} if reverse else {"nulls_last": True}) if self.nullable else {}
        key = F(self.field).desc(**nulls) if descending else F(self.field).asc(**nulls)
        return [key, "-id" if descending else "id"]

    def after(self, value, pk: int, *, reverse: bool = False) -> Q:
        """Rows strictly after (value, pk) in this ordering (before it if reverse)."""
        descending = self.descending != reverse
        beyond = "lt" if descending else "gt"
        nulls_at_end = not reverse
        field = self.field
        if value is None:
            same_null = Q(**{f"{field}__isnull": True, f"id__{beyond}": pk})
            return same_null if nulls_at_end else same_null | Q(**{f"{field}__isnull": False})
        if not self.nullable:
            # "field <= value" (or >=) bounds the index scan, so that page 100
            # starts where page 99 ended instead of filtering out the rows before.
            return Q(**{f"{field}__{beyond}e": value}) & (
                Q(**{f"{field}__{beyond}": value}) | Q(**{f"id__{beyond}": pk})
            )
        condition = Q(**{f"{field}__{beyond}": value}) | Q(**{field: value, f"id__{beyond}": pk})
        if nulls_at_end:
            condition |= Q(**{f"{field}__isnull": True})
        return condition


def keyset_orderings(model, fields: dict[str, str]) -> dict[str, KeysetOrdering]:
    """Both directions of each public ordering name -> model field."""
    result = {}
    for public, field in fields.items():
        nullable = model._meta.get_field(field).null
        result[public] = KeysetOrdering(public, field, False, nullable)
        result[f"-{public}"] = KeysetOrdering(f"-{public}", field, True, nullable)
    return result


def _to_python(model, field: str, value):
    try:
        return model._meta.get_field(field).to_python(value)
    except FieldDoesNotExist:  # an annotation such as a search rank
        return float(value)


def _encode_value(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


class KeysetPagination(BasePagination):
    """Cursor pagination over (ordering field, id).

    The view provides ``get_keyset_orderings()`` (see ``keyset_orderings()``)
    and ``get_default_ordering()``; the ``ordering`` query parameter picks one.
    """

    cursor_query_param = "cursor"
    limit_query_param = "limit"
    ordering_query_param = "ordering"
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE

    def get_ordering(self, request, view) -> KeysetOrdering:
        orderings = view.get_keyset_orderings()
        name = request.query_params.get(self.ordering_query_param) or view.get_default_ordering()
        try:
            return orderings[name]
        except KeyError:
            accepted = ", ".join(sorted(orderings))
            raise ValidationError(
                {"detail": f"Unknown ordering {name!r}; accepted: {accepted}.", "parameter": "ordering"}
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
                value = _to_python(model, ordering.field, value)
            return value, int(data["id"]), bool(data["r"])
        except ValidationError:
            raise
        except Exception:  # noqa: BLE001 - any malformed cursor is the client's error
            raise ValidationError({"detail": "Invalid cursor.", "parameter": "cursor"}) from None

    def encode_cursor(self, row, *, reverse: bool) -> str:
        value = row[self.ordering.field] if isinstance(row, dict) else getattr(row, self.ordering.field)
        pk = row["id"] if isinstance(row, dict) else row.pk
        payload = json.dumps({"o": self.ordering.name, "v": _encode_value(value), "id": pk, "r": reverse})
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

    def paginate_queryset(self, queryset, request, view=None):
        """The page's model instances."""
        queryset, reverse = self._start(queryset, request, view)
        rows = list(queryset.order_by(*self.ordering.order_by(reverse=reverse))[: self.limit + 1])
        return self._finish(rows, reverse)

    def paginate_keys(self, queryset, request, view=None, *, partitions=None) -> list[dict]:
        """The page's keys only, ``{<ordering field>: value, "id": pk}``, for views that load rows in bulk.

        ``partitions`` (Q objects that split the rows, e.g. one per expert)
        turn the query into a UNION ALL of one ordered, limited query per
        partition, each served by an index in page order, merged and cut to the
        page: a popular expert's page reads 51 index entries, not 10,000 rows.
        """
        queryset, reverse = self._start(queryset, request, view)
        order = self.ordering.order_by(reverse=reverse)
        field = self.ordering.field
        queryset = queryset.order_by(*order).values_list(field, "id")
        if (
            partitions
            and 1 < len(partitions) <= MAX_PARTITIONS
            and connection.features.supports_slicing_ordering_in_compound
        ):
            parts = [queryset.filter(part)[: self.limit + 1] for part in partitions]
            queryset = parts[0].union(*parts[1:], all=True).order_by(*order)
        keys = [{field: value, "id": pk} for value, pk in queryset[: self.limit + 1]]
        return self._finish(keys, reverse)

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
        return replace_query_param(self.base_url, self.cursor_query_param, self.encode_cursor(row, reverse=reverse))

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


def _follow(model: type[Model], path: str):
    """(model, field) at the end of a lookup path such as "claim__sort_date"."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model, model._meta.get_field(name)


def path_keyset_orderings(model: type[Model], fields: dict[str, str]) -> dict[str, KeysetOrdering]:
    """Like claims.api.pagination.keyset_orderings, for fields that may sit across a relation."""
    result = {}
    for public, path in fields.items():
        nullable = _follow(model, path)[1].null
        result[public] = KeysetOrdering(public, path, False, nullable)
        result[f"-{public}"] = KeysetOrdering(f"-{public}", path, True, nullable)
    return result


class PathKeysetPagination(KeysetPagination):
    """KeysetPagination whose ordering field may be a lookup path ("claim__sort_date")."""

    def decode_cursor(self, request, ordering, model):
        if "__" in ordering.field:
            model, field = _follow(model, ordering.field)
            ordering = dataclasses.replace(ordering, field=field.name)
        return super().decode_cursor(request, ordering, model)

    def encode_cursor(self, row, *, reverse: bool) -> str:
        value = row
        for part in self.ordering.field.split("__"):
            value = getattr(value, part)
        payload = json.dumps({"o": self.ordering.name, "v": _encode_value(value), "id": row.pk, "r": reverse})
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

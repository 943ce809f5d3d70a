"""Renderers: CSV (``?format=csv`` on every list) and JSON encoded by orjson.

The big lists' records are built in bulk by claims.api.serializers.ShapeRepresentation.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

import orjson
from django.utils.text import slugify
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.serializers import Serializer

LABEL_KEYS = ("name", "slug", "title", "role", "url", "id")

# The last line of every complete CSV export (a comment line: pandas skips it with comment="#").
# An export cut short (a worker timeout, a dropped connection, an error while streaming) lacks it.
END_MARKER = "# end of export: {rows} rows"
# What ?format=csv-excel puts first: the UTF-8 byte-order mark, so that Excel reads the file as UTF-8.
BYTE_ORDER_MARK = "\ufeff"


def flatten(record: dict, prefix: str = "") -> dict[str, object]:
    """{"expert": {"id": 1, "name": "X"}} -> {"expert.id": 1, "expert.name": "X"}; lists joined by '; '."""
    flat: dict[str, object] = {}
    for key, value in record.items():
        column = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{column}."))
        elif isinstance(value, list):
            flat[column] = "; ".join(_label(item) for item in value)
        else:
            flat[column] = _cell(value)
    return flat


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):  # as in JSON, not Python's True/False
        return "true" if value else "false"
    return value


def _label(item) -> str:
    if isinstance(item, dict):
        for key in LABEL_KEYS:
            if item.get(key) not in (None, ""):
                return str(item[key])
        return ""
    return str(_cell(item))


def _safe(value):
    # Cells starting with =, +, - or @ are formulas to spreadsheet programs.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def csv_columns(serializer) -> list[str]:
    """The CSV columns of a serializer's records, in order: nested records flattened ("expert.name"), lists one column.

    Taken from the declaration, not from a record, so that a null nested record (a claim without an
    expert) or an empty result still gives every column.
    """
    columns = []
    for name, field in serializer.fields.items():
        if getattr(field, "write_only", False):
            continue
        if isinstance(field, Serializer):  # one nested record (many=True is a ListSerializer: one column)
            columns += [f"{name}.{column}" for column in csv_columns(field)]
        else:
            columns.append(name)
    return columns


def csv_lines(
    records: Iterable[dict], columns: list[str], *, byte_order_mark: bool = False, end_marker: bool = True
) -> Iterator[str]:
    """Encode records as CSV lines: the header (``columns``), a line per record, then END_MARKER."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", restval="")
    if byte_order_mark:
        buffer.write(BYTE_ORDER_MARK)
    writer.writeheader()
    rows = 0
    for record in records:
        writer.writerow({key: _safe(value) for key, value in flatten(record).items()})
        rows += 1
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if end_marker:
        buffer.write(END_MARKER.format(rows=rows) + "\r\n")
    if buffer.tell() or rows == 0:
        yield buffer.getvalue()


def csv_file_name(basename: str, query: dict[str, str], *, ignore=("format", "cursor", "limit", "offset")) -> str:
    """The file name of an export: the list, then its filters ("claims_expert-lankov_organization-kinu.csv")."""
    parts = [f"{basename}s"]
    for name in sorted(query):
        if name in ignore or not query[name]:
            continue
        parts.append(slugify(f"{name}-{query[name]}")[:40].strip("-"))
    return "_".join(part for part in parts if part)[:150] + ".csv"


class CSVRenderer(BaseRenderer):
    """``?format=csv``: a record per line (lists are streamed by the views, claims.api.views.base)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    byte_order_mark = False

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        elif isinstance(data, dict):
            data = [data]
        columns = list(flatten(data[0])) if data else []
        lines = csv_lines(data, columns, byte_order_mark=self.byte_order_mark, end_marker=False)
        return "".join(lines).encode("utf-8")


class ExcelCSVRenderer(CSVRenderer):
    """``?format=csv-excel``: the same CSV, starting with a UTF-8 byte-order mark (Excel on Windows needs it)."""

    format = "csv-excel"
    byte_order_mark = True


class FastJSONRenderer(JSONRenderer):
    """DRF's JSON renderer with orjson doing the encoding: the same bytes, in a tenth of the time.

    On a 50-claim page the standard library's encoder costs ~0.4 ms of the
    ~2.5 ms a request takes. Types orjson does not handle natively (dates and
    times are passed through on purpose, lazy strings, decimals) go to DRF's
    own encoder, so the output is byte-for-byte what JSONRenderer writes
    (tests/api/test_renderers.py). Indented output (the browsable API) stays
    with JSONRenderer.
    """

    _options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_NON_STR_KEYS

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        renderer_context = renderer_context or {}
        if self.get_indent(accepted_media_type or "", renderer_context) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            return orjson.dumps(data, default=self._fallback, option=self._options)
        except (TypeError, orjson.JSONEncodeError):
            return super().render(data, accepted_media_type, renderer_context)

    def _fallback(self, value):
        return self.encoder_class().default(value)

"""The orjson renderer writes exactly what DRF's JSONRenderer writes."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid

import orjson
import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from claims.api.renderers import END_MARKER, FastJSONRenderer
from tests.conftest import csv_export_rows
from tests.factories import claim_with_text

PAYLOADS = [
    {"a": 1, "b": [1.5, 0.675, 1e-7, 10**20], "c": None, "d": True},
    {"text": "Choe Ryong Hae \u2014 \u201cquoted\u201d \u00e9 \U0001f600 \n\t"},
    {"when": datetime.datetime(2024, 6, 19, 8, 30, 5, 123456, tzinfo=datetime.UTC), "day": datetime.date(2019, 4, 25)},
    {"naive": datetime.datetime(2015, 2, 13, 0, 0), "time": datetime.time(16, 12)},
    {"amount": decimal.Decimal("12.50"), "id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"lazy": gettext_lazy("Approved"), "tuple": (1, 2), 3: "non-string key"},
    [{"nested": {"deep": [{"x": []}]}}],
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_same_bytes_as_drf(payload):
    assert FastJSONRenderer().render(payload) == JSONRenderer().render(payload)


def test_indented_output_is_drfs():
    context = {"indent": 2}
    assert FastJSONRenderer().render({"a": [1]}, "application/json", context) == JSONRenderer().render(
        {"a": [1]}, "application/json", context
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/api/claims", "/api/experts", "/api/articles", "/api/topics", "/api/predictions", "/api/events"]
)
def test_api_pages_are_what_drfs_renderer_would_write(api_client, world, settings, url):
    assert settings.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"][0] == "claims.api.renderers.FastJSONRenderer"
    response = api_client.get(url)
    data = response.data
    if any(isinstance(record, orjson.Fragment) for record in data.get("results", [])):
        # Records written by PostgreSQL (claims.api.views.base.BulkListMixin.json_records): their values, decoded.
        data = {**data, "results": json.loads(response.content)["results"]}
    assert response.content == JSONRenderer().render(data)


# -- CSV exports --------------------------------------------------------------------------------------------------

CSV_LISTS = ["/api/claims", "/api/experts", "/api/articles", "/api/topics", "/api/predictions", "/api/events"]


@pytest.mark.django_db
class TestCSVExports:
    def test_columns_come_from_the_serializer_not_the_first_row(self, api_client, world):
        # The newest approved claim first: its affiliation is null, the next ones have one.
        newest = claim_with_text("A claim with no hat", expert=world.cho, published_on=datetime.date(2030, 1, 1))
        assert newest.affiliation is None
        rows = csv_export_rows(api_client.get("/api/claims", {"format": "csv"}))
        assert rows[0]["id"] == str(newest.pk)
        assert rows[0]["affiliation.organization.name"] == ""
        assert "Korea Institute for National Unification" in {row["affiliation.organization.name"] for row in rows}

    @pytest.mark.parametrize("url", CSV_LISTS)
    def test_an_empty_export_still_has_its_header(self, api_client, url):
        response = api_client.get(url, {"format": "csv"})
        header = b"".join(response.streaming_content).decode().splitlines()[0]
        assert header.startswith("id,url,")

    @pytest.mark.parametrize("url", CSV_LISTS)
    def test_links_do_not_carry_the_csv_format(self, api_client, request, url):
        request.getfixturevalue("forecasts" if url in ("/api/predictions", "/api/events") else "world")
        rows = csv_export_rows(api_client.get(url, {"format": "csv"}))
        links = [value for row in rows for value in row.values() if value and value.startswith("http://testserver/")]
        assert links
        assert not [link for link in links if "format=" in link]

    def test_booleans_are_true_and_false(self, api_client, world):
        rows = csv_export_rows(api_client.get("/api/claims", {"format": "csv", "expert": "lankov"}))
        assert {row["affiliation.is_former"] for row in rows} == {"false", ""}

    def test_the_file_is_named_after_the_list_and_its_filters(self, api_client, world):
        response = api_client.get("/api/claims", {"format": "csv", "expert": "Andrei Lankov", "kind": "prediction"})
        assert (
            response["Content-Disposition"] == 'attachment; filename="claims_expert-andrei-lankov_kind-prediction.csv"'
        )
        assert api_client.get("/api/experts", {"format": "csv"})["Content-Disposition"].endswith('"experts.csv"')

    def test_excel_format_starts_with_a_byte_order_mark(self, api_client, world):
        claim_with_text("It is \u201cquoted\u201d and it\u2019s fine", expert=world.cho)
        plain = b"".join(api_client.get("/api/claims", {"format": "csv"}).streaming_content)
        response = api_client.get("/api/claims", {"format": "csv-excel"})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        excel = b"".join(response.streaming_content)
        assert excel == b"\xef\xbb\xbf" + plain
        assert not plain.startswith(b"\xef\xbb\xbf")
        assert "\u201cquoted\u201d".encode() in excel

    def test_a_complete_export_ends_with_its_row_count(self, api_client, world):
        text = b"".join(api_client.get("/api/claims", {"format": "csv"}).streaming_content).decode()
        assert text.splitlines()[-1] == END_MARKER.format(rows=len(world.approved))

    def test_an_export_that_fails_to_start_is_an_error_not_a_200(self, api_client, world, monkeypatch):
        from claims.api.views import base

        def failing(self, ids):
            raise RuntimeError("the database went away")

        monkeypatch.setattr(base.BulkListMixin, "bulk_rows", failing)
        with pytest.raises(RuntimeError):  # the test client re-raises what the server answers 500 for
            api_client.get("/api/claims", {"format": "csv"})

    def test_an_export_cut_short_has_no_end_marker(self, api_client, world, monkeypatch):
        """A failure while streaming (the worker timeout, the database) leaves a file the client can tell apart."""
        from claims.api.views import base

        def failing(ids, *, user, shape):
            raise RuntimeError("the database went away")

        claim_with_text("One more remark for a second batch", expert=world.cho)
        monkeypatch.setattr(base.BulkListMixin, "csv_chunk_size", 1)
        response = api_client.get("/api/claims", {"format": "csv"})  # the first batch is read before the 200
        monkeypatch.setattr(base.BulkListMixin, "bulk_rows", lambda self, ids: failing(ids, user=None, shape=None))
        chunks = []
        with pytest.raises(RuntimeError):
            for chunk in response.streaming_content:
                chunks.append(chunk)
        assert b"# end of export" not in b"".join(chunks)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/experts", "/api/claims"])
def test_record_urls_of_one_page_do_not_leak_into_the_next(api_client, world, url):
    """The URL prefixes are reversed once per origin; DRF carries ?format= into them, so it is part of the key."""
    browsable = api_client.get(f"{url}?format=api", HTTP_ACCEPT="text/html")
    assert browsable.status_code == 200 and b"?format=api" in browsable.content
    records = api_client.get(url).json()["results"]
    assert records and all("format=" not in record["url"] for record in records)

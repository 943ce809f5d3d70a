"""The orjson renderer writes exactly what DRF's JSONRenderer writes."""

from __future__ import annotations

import datetime
import decimal
import uuid

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from claims.api.renderers import FastJSONRenderer

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
    assert response.content == JSONRenderer().render(response.data)

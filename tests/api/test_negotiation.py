"""Content negotiation answers what DRF's does for every Accept header, also from its per-process cache."""

from __future__ import annotations

import pytest
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.test import APIRequestFactory

from claims.api import negotiation
from claims.api.negotiation import ExplicitFormatNegotiation

ACCEPTS = [
    None,
    "application/json",
    "*/*",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "application/json; indent=4",
    "text/csv",
    "text/*",
    "application/*;q=0.5, text/csv",
    "application/xml",
]


def choose(negotiator, accept):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get("/api/claims", **headers))
    renderers = [renderer() for renderer in api_settings.DEFAULT_RENDERER_CLASSES]
    try:
        renderer, media_type = negotiator.select_renderer(request, renderers)
    except exceptions.NotAcceptable:
        return "406"
    return renderers.index(renderer), media_type


@pytest.mark.parametrize("accept", ACCEPTS)
def test_the_cached_choice_is_drfs(accept, monkeypatch):
    monkeypatch.setattr(negotiation, "_CHOSEN", {})
    expected = choose(DefaultContentNegotiation(), accept)
    first = choose(ExplicitFormatNegotiation(), accept)
    again = choose(ExplicitFormatNegotiation(), accept)
    assert first == again == expected
    assert bool(negotiation._CHOSEN) == (expected != "406")


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(negotiation, "_CHOSEN", {})
    monkeypatch.setattr(negotiation, "_CHOSEN_MAX", 3)
    for n in range(10):
        choose(ExplicitFormatNegotiation(), f"application/json; v={n}")
    assert len(negotiation._CHOSEN) <= 3

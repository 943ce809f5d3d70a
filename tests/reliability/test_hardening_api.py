"""Hostile request bodies and headers answer 4xx in the JSON error shape, never 500."""

from __future__ import annotations

import json

import pytest

from claims.api.parsers import MAX_JSON_DEPTH
from claims.models import Claim
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    return factories.ClaimFactory(status="extracted", reviewed_at=None)


class TestNulCharacters:
    def test_nul_in_a_topic_slug_answers_400(self, curator_client, claim):
        factories.TopicFactory(slug="sanctions", name="Sanctions")
        response = curator_client.patch(f"/api/claims/{claim.pk}", {"topics": ["sanc\x00tions"]}, format="json")
        assert response.status_code == 400, response.content
        assert "detail" in response.json()
        assert list(claim.topics.all()) == []

    @pytest.mark.parametrize(
        ("url", "body"),
        [
            ("/api/topics", {"name": "Nu\x00clear", "slug": "nuclear"}),
            ("/api/outlets", {"name": "Daily\x00", "slug": "daily"}),
            ("/api/organizations", {"name": "Institute\x00"}),
        ],
    )
    def test_nul_in_a_text_field_answers_400(self, curator_client, url, body):
        response = curator_client.post(url, body, format="json")
        assert response.status_code == 400, response.content
        assert "detail" in response.json()

    def test_nul_in_a_filter_answers_400(self, api_client):
        response = api_client.get("/api/claims", {"topic": "a\x00b"})
        assert response.status_code == 400, response.content
        assert "detail" in response.json()


class TestDeeplyNestedJSON:
    def test_a_200_kb_body_of_brackets_answers_400(self, curator_client, claim):
        body = "[" * 100_000 + "]" * 100_000
        response = curator_client.generic("PATCH", f"/api/claims/{claim.pk}", body, content_type="application/json")
        assert response.status_code == 400
        assert "nested deeper" in response.json()["detail"]
        claim.refresh_from_db()
        assert claim.version == 1

    def test_nesting_past_the_limit_answers_400(self, curator_client, claim):
        nested = "x"
        for _ in range(MAX_JSON_DEPTH):
            nested = {"a": [nested]}
        response = curator_client.patch(f"/api/claims/{claim.pk}", {"notes": nested}, format="json")
        assert response.status_code == 400
        assert "nested deeper" in response.json()["detail"]

    def test_ordinary_bodies_still_parse(self, curator_client, claim):
        response = curator_client.patch(
            f"/api/claims/{claim.pk}", json.dumps({"notes": "fine"}), content_type="application/json"
        )
        assert response.status_code == 200
        assert Claim.objects.get(pk=claim.pk).notes == "fine"

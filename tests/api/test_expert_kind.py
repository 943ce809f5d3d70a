"""The API's side of experts' kinds and topics' cue phrases."""

from __future__ import annotations

import pytest

from claims.models import Expert, Topic
from tests import factories

pytestmark = pytest.mark.django_db


class TestExpertKind:
    def test_an_expert_and_the_claims_nested_expert_carry_the_kind(self, api_client, world):
        Expert.objects.filter(pk=world.lankov.pk).update(kind="academic")
        detail = api_client.get(f"/api/experts/{world.lankov.pk}").json()
        assert detail["kind"] == "academic"
        claims = api_client.get("/api/claims", {"expert_id": world.lankov.pk}).json()["results"]
        assert claims and {c["expert"]["kind"] for c in claims} == {"academic"}

    def test_a_kind_written_through_the_api_is_the_curators(self, curator_client):
        created = curator_client.post("/api/experts", {"name": "Jane Roe", "kind": "journalist"}, format="json")
        assert created.status_code == 201, created.json()
        assert created.json()["kind"] == "journalist"
        expert = Expert.objects.get(pk=created.json()["id"])
        assert expert.kind_curated
        plain = curator_client.post("/api/experts", {"name": "John Doe"}, format="json").json()
        assert plain["kind"] == "other" and not Expert.objects.get(pk=plain["id"]).kind_curated
        patched = curator_client.patch(f"/api/experts/{plain['id']}", {"kind": "official"}, format="json")
        assert patched.status_code == 200 and patched.json()["kind"] == "official"
        assert Expert.objects.get(pk=plain["id"]).kind_curated

    def test_an_unknown_kind_is_a_400(self, curator_client, api_client, world):
        response = curator_client.post("/api/experts", {"name": "Jane Roe", "kind": "wizard"}, format="json")
        assert response.status_code == 400 and "kind" in response.json()["errors"]
        for url, parameter in (
            ("/api/experts", "kind"),
            ("/api/claims", "expert_kind"),
            ("/api/predictions", "expert_kind"),
        ):
            response = api_client.get(url, {parameter: "wizard"})
            assert response.status_code == 400, (url, response.content)
            assert "detail" in response.json()

    @pytest.mark.parametrize(("url", "parameter"), [("/api/claims", "expert_kind"), ("/api/experts", "kind")])
    def test_the_kind_filters_cost_no_query(self, api_client, world, url, parameter):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        Expert.objects.filter(pk=world.lankov.pk).update(kind="analyst")
        with CaptureQueriesContext(connection) as plain:
            assert api_client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as filtered:
            response = api_client.get(url, {parameter: "analyst"})
        assert response.status_code == 200 and response.json()["results"]
        assert len(filtered.captured_queries) <= len(plain.captured_queries)


class TestTopicCues:
    def test_cues_are_written_and_read_through_the_api(self, curator_client):
        response = curator_client.post(
            "/api/topics", {"slug": "energy", "name": "Energy", "cues": "oil\ngas pipeline"}, format="json"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["cues"] == "oil\ngas pipeline"
        assert Topic.objects.get(slug="energy").cues == "oil\ngas pipeline"

    def test_a_regular_expression_is_refused_with_the_line(self, curator_client):
        factories.TopicFactory(slug="sanctions", name="Sanctions")
        response = curator_client.post(
            "/api/topics", {"slug": "energy", "name": "Energy", "cues": "oil\n(gas|coal)"}, format="json"
        )
        assert response.status_code == 400
        assert "Line 2" in str(response.json()["errors"]["cues"])

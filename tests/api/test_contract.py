"""The API's promises about its control parameters, formats and error answers (issue 14, "The contract").

Every refusal is a 4xx in the one error shape ({"detail": ...}) that names what was wrong.
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from claims.api.pagination import MAX_PAGE_SIZE
from claims.filtersets import ArticleFilterSet, ClaimFilterSet, ExpertFilterSet, PredictionFilterSet, TopicFilterSet
from tests import factories

pytestmark = pytest.mark.django_db

KEYSET_LISTS = ["/api/claims", "/api/experts", "/api/articles", "/api/predictions"]
OFFSET_LISTS = ["/api/organizations", "/api/outlets", "/api/topics"]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


class TestOffset:
    @pytest.mark.parametrize("url", KEYSET_LISTS)
    def test_offset_on_a_cursor_paged_list_is_refused_with_the_reason(self, api_client, world, url):
        response = api_client.get(url, {"offset": 10})
        assert response.status_code == 400
        error = response.json()
        assert error["parameter"] == "offset"
        assert "cursor" in error["detail"]

    def test_offset_is_refused_on_a_csv_export_too(self, api_client, world):
        response = api_client.get("/api/claims", {"offset": 10, "format": "csv"})
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["parameter"] == "offset"

    @pytest.mark.parametrize("url", OFFSET_LISTS)
    def test_offset_still_pages_the_reference_tables(self, api_client, world, url):
        first = api_client.get(url, {"limit": 1}).json()
        second = api_client.get(url, {"limit": 1, "offset": 1}).json()
        assert first["count"] >= 2
        assert first["results"][0]["id"] != second["results"][0]["id"]


class TestLimit:
    @pytest.mark.parametrize("url", KEYSET_LISTS + OFFSET_LISTS)
    def test_limit_above_the_maximum_is_refused_and_names_the_maximum(self, api_client, world, url):
        response = api_client.get(url, {"limit": MAX_PAGE_SIZE + 1})
        assert response.status_code == 400
        assert response.json()["parameter"] == "limit"
        assert str(MAX_PAGE_SIZE) in response.json()["detail"]

    @pytest.mark.parametrize("url", ["/api/claims", "/api/topics"])
    def test_limit_at_the_maximum_is_accepted(self, api_client, world, url):
        assert api_client.get(url, {"limit": MAX_PAGE_SIZE}).status_code == 200


class TestRepeatedParameter:
    @pytest.mark.parametrize(
        ("url", "query"),
        [
            ("/api/claims", "expert=Lankov&expert=Cho"),
            ("/api/experts", "name=Lankov&name=Cho"),
            ("/api/topics", "slug=a&slug=b"),
            ("/api/claims", "limit=1&limit=2"),
        ],
    )
    def test_a_parameter_given_twice_is_refused_by_name(self, api_client, world, url, query):
        response = api_client.get(f"{url}?{query}")
        assert response.status_code == 400
        name = query.split("=")[0]
        assert response.json()["parameter"] == name
        assert name in response.json()["detail"]


class TestFormats:
    @pytest.mark.parametrize("url", ["/api/claims", "/api/experts", "/api/topics", "/api/claims/{claim}"])
    def test_an_unknown_format_says_which_formats_exist(self, api_client, world, url):
        url = url.format(claim=world.claims[0].pk) if "{claim}" in url else url
        response = api_client.get(url, {"format": "jsonld"})
        assert response.status_code == 400
        error = response.json()
        assert error["parameter"] == "format"
        assert set(error["formats"]) == {"json", "api", "csv", "csv-excel"}
        assert "json, api, csv" in error["detail"]

    def test_jsonld_is_a_known_format_where_it_exists(self, api_client, world):
        response = api_client.get("/api/predictions", {"format": "jsonld"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/ld+json")

    @pytest.mark.parametrize(
        ("fmt", "accept", "content_type"),
        [("csv", "application/json", "text/csv"), ("json", "text/csv", "application/json")],
    )
    def test_an_explicit_format_wins_over_the_accept_header(self, api_client, world, fmt, accept, content_type):
        response = api_client.get("/api/claims", {"format": fmt}, HTTP_ACCEPT=accept)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(content_type)
        assert body(response)

    def test_without_a_format_an_unsatisfiable_accept_is_still_406_in_json(self, api_client, world):
        response = api_client.get("/api/claims", HTTP_ACCEPT="image/png")
        assert response.status_code == 406
        assert "detail" in response.json()


class TestErrorShapeOutsideTheViews:
    @pytest.mark.parametrize("debug", [False, True])
    @pytest.mark.parametrize("path", ["/api/nothing-here", "/api/claims/1/nothing", "/api/experts/1/track-record/x"])
    def test_an_unknown_api_path_answers_json_404(self, client, db, debug, path):
        with override_settings(DEBUG=debug):
            response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert path in response.json()["detail"]

    @pytest.mark.parametrize("debug", [False, True])
    def test_a_too_long_url_answers_json_414(self, client, db, debug, settings):
        with override_settings(DEBUG=debug):
            response = client.get("/api/claims", {"q": "x" * settings.MAX_URL_BYTES})
        assert response.status_code == 414
        assert response.json()["limit"] == settings.MAX_URL_BYTES

    @pytest.mark.parametrize("debug", [False, True])
    def test_too_many_query_fields_answer_json_400(self, client, db, debug, settings):
        query = "&".join("a" for _ in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
        with override_settings(DEBUG=debug):
            response = client.get(f"/api/claims?{query}")
        assert response.status_code == 400
        assert "Too many query parameters" in response.json()["detail"]

    def test_a_page_outside_the_api_keeps_its_html_404(self, client, db):
        response = client.get("/no-such-page-here/")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")


class TestExpertsBySlug:
    def test_an_expert_is_addressable_by_slug(self, api_client, world):
        by_slug = api_client.get(f"/api/experts/{world.lankov.slug}")
        assert by_slug.status_code == 200
        assert by_slug.json() == api_client.get(f"/api/experts/{world.lankov.pk}").json()

    def test_an_unknown_slug_is_404(self, api_client, world):
        assert api_client.get("/api/experts/no-such-expert").status_code == 404

    def test_a_curator_changes_an_expert_by_slug(self, curator_client, world):
        response = curator_client.patch(f"/api/experts/{world.lankov.slug}", {"bio": "Historian."}, format="json")
        assert response.status_code == 200
        assert response.json()["bio"] == "Historian."


class TestControlParametersOnExports:
    @pytest.mark.parametrize("url", ["/api/claims", "/api/organizations"])
    @pytest.mark.parametrize("limit", ["null", "1.5", "0"])
    def test_a_malformed_limit_is_refused_on_a_csv_export_too(self, api_client, world, url, limit):
        response = api_client.get(url, {"format": "csv", "limit": limit})
        assert response.status_code == 400
        assert response.json()["parameter"] == "limit"

    def test_an_empty_format_is_refused(self, api_client, world):
        response = api_client.get("/api/organizations", {"format": ""})
        assert response.status_code == 400
        assert response.json()["parameter"] == "format"


class TestWritesKeepTheirContract:
    def test_a_duplicate_is_a_409_conflict(self, curator_client, world):
        response = curator_client.post("/api/topics", {"slug": "sanctions", "name": "Sanctions again"}, format="json")
        assert response.status_code == 409
        assert "slug" in response.json()["errors"]

    @pytest.mark.parametrize(
        ("url", "body"),
        [
            ("/api/topics", {"slug": "energy", "name": "Energy", "description": 0}),
            ("/api/experts", {"name": "Jane Roe", "aliases": [0]}),
            ("/api/outlets", {"name": "Daily Roe", "alternate_names": None}),
            ("/api/events", {"title": "T", "occurred_on": "2024-01-01", "description": "D", "topics": {}}),
            ("/api/events", {"title": "T", "occurred_on": "2024-01-01", "description": "D", "topics": [0]}),
        ],
    )
    def test_a_value_of_the_wrong_json_type_is_refused(self, curator_client, world, url, body):
        response = curator_client.post(url, body, format="json")
        assert response.status_code == 400, response.content

    def test_a_partial_event_change_still_needs_whole_evidence_links(self, curator_client, world):
        event = factories.EvidenceLinkFactory().event
        response = curator_client.patch(
            f"/api/events/{event.pk}", {"evidence": [{"publisher": "P", "title": "T"}]}, format="json"
        )
        assert response.status_code == 400
        assert "url" in str(response.json()["errors"])

    @pytest.mark.parametrize("method", ["post", "patch"])
    def test_a_write_to_an_unknown_api_path_is_a_json_404_not_a_csrf_page(self, db, method):
        client = Client(enforce_csrf_checks=True)
        response = getattr(client, method)("/api/events/1/nothing/", {"title": "x"}, content_type="application/json")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


class TestBrowsableFilterForm:
    @pytest.mark.parametrize("url", ["/api/claims", "/api/experts", "/api/predictions", "/api/articles", "/api/topics"])
    def test_every_filter_is_labelled_with_its_parameter_and_help_text(self, api_client, world, url):
        html = api_client.get(url, {"format": "api"}).content.decode()
        view_filters = {
            "/api/claims": ClaimFilterSet,
            "/api/experts": ExpertFilterSet,
            "/api/predictions": PredictionFilterSet,
            "/api/articles": ArticleFilterSet,
            "/api/topics": TopicFilterSet,
        }[url].base_filters
        assert "[invalid name]" not in html
        for name, filter_ in view_filters.items():
            assert f'<label for="id_{name}">{name}:</label>' in html, name
            help_text = filter_.extra.get("help_text")
            if help_text:  # Django prints form help texts as they are (they are the project's own text)
                assert str(help_text) in html, name

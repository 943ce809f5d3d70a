"""POST /api/articles/ingest: one article from an address, a text or a file; 201 new, 200 unchanged, 4xx why."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import Article
from tests import webpages
from tests.webpages import Server, html, story_page

pytestmark = pytest.mark.django_db

URL = "/api/articles/ingest"


@pytest.fixture(autouse=True)
def no_delay(settings):
    # The test site is on 127.0.0.1, which web users may not have fetched by default.
    settings.INGEST_FETCHER = {"host_delay": 0, "read_timeout": 2, "allow_private": True}


@pytest.fixture
def server():
    routes = {"/story/1": html(story_page(1)), "/home": html(webpages.home_page())}
    with Server(routes) as running:
        running.routes["/feed"] = (200, webpages.feed_of(running.base, ["/story/1", "/home"]).encode(), "text/xml")
        yield running


class TestArticleIngest:
    def test_an_address_gives_201_with_the_article_and_its_claims_then_200(self, curator_client, server):
        response = curator_client.post(URL, {"url": server.url("/story/1")}, format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["title"] == f"{webpages.TITLE} (part 1)" and body["outlet"] == "The Daily Example"
        assert body["source_url"] == server.url("/story/1") and body["published_on"] == "2024-11-11"
        assert len(body["claims"]) >= 2 and {c["status"] for c in body["claims"]} == {"extracted"}
        again = curator_client.post(URL, {"url": server.url("/story/1")}, format="json")
        assert again.status_code == 200 and again.json()["id"] == body["id"]

    def test_a_text_with_metadata(self, curator_client):
        data = {
            "text": webpages.ARTICLE_TEXT,
            "title": "Pasted",
            "outlet": "Example Wire",
            "date": "2024-11",
            "authors": ["A One", "B Two"],
            "source_url": "https://wire.example/1",
        }
        response = curator_client.post(URL, data, format="json")
        assert response.status_code == 201
        body = response.json()
        assert (body["title"], body["outlet"], body["authors"]) == ("Pasted", "Example Wire", "A One; B Two")
        assert (body["published_on"], body["date_precision"], body["source_url"]) == (
            "2024-11-01",
            "month",
            "https://wire.example/1",
        )

    def test_an_uploaded_page(self, curator_client):
        upload = SimpleUploadedFile("saved.html", story_page(2).encode(), "text/html")
        response = curator_client.post(URL, {"file": upload, "outlet": "Stated"}, format="multipart")
        assert response.status_code == 201 and response.json()["outlet"] == "Stated"

    @pytest.mark.parametrize(
        ("path", "reason"),
        [
            ("/missing", "404 Not Found"),
            ("/home", "no article in it"),
            ("/feed", "holds several articles"),
        ],
    )
    def test_failures_are_422_with_the_reason_and_store_nothing(self, curator_client, server, path, reason):
        response = curator_client.post(URL, {"url": server.url(path)}, format="json")
        assert response.status_code == 422
        assert reason in response.json()["detail"]
        assert not Article.objects.exists()

    @pytest.mark.parametrize(
        "data",
        [{}, {"url": "https://a.example/", "text": "both"}, {"text": "x" * 300, "date": "yesterday"}],
        ids=["none", "two", "bad-date"],
    )
    def test_malformed_requests_are_400(self, curator_client, data):
        response = curator_client.post(URL, data, format="json")
        assert response.status_code == 400 and response.json()["detail"]

    def test_only_curators(self, api_client):
        response = api_client.post(URL, {"text": webpages.ARTICLE_TEXT}, format="json")
        assert response.status_code in (401, 403) and "detail" in response.json()
        assert not Article.objects.exists()

    def test_the_body_size_limit_holds(self, curator_client, settings):
        settings.MAX_REQUEST_BODY_BYTES = 1000
        response = curator_client.post(URL, {"text": "word " * 1000}, format="json")
        assert response.status_code == 413


def test_web_users_may_not_have_local_addresses_fetched(curator_client, settings):
    settings.INGEST_FETCHER = {"host_delay": 0}
    with Server({"/story/1": html(story_page(1))}) as server:
        response = curator_client.post(URL, {"url": server.url("/story/1")}, format="json")
    assert response.status_code == 422
    assert "a private or local address (127.0.0.1)" in response.json()["detail"]
    assert server.hits["/story/1"] == 0 and not Article.objects.exists()


def test_the_detail_shows_where_each_field_and_the_text_came_from(curator_client, api_client, server):
    created = curator_client.post(URL, {"url": server.url("/story/1")}, format="json").json()
    assert created["metadata_sources"]["outlet"] == "page"
    (source,) = created["sources"]
    assert (source["kind"], source["url"], source["http_status"]) == ("url", server.url("/story/1"), 200)
    assert len(source["snapshot_sha256"]) == 64 and source["snapshot_size"] == len(story_page(1).encode())
    public = api_client.get(f"/api/articles/{created['id']}").json()
    assert public["sources"] == created["sources"] and public["source_url"] == server.url("/story/1")

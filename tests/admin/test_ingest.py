"""The admin's "Add articles" page: addresses, pasted text and files through the one ingestion entry point."""

from __future__ import annotations

import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Article, ArticleSource, Claim, FollowedFeed
from tests import factories, webpages
from tests.webpages import Server, html, story_page

pytestmark = pytest.mark.django_db

ADD = reverse("admin:claims_article_ingest")


@pytest.fixture(autouse=True)
def no_delay(settings):
    # The test site is on 127.0.0.1, which web users may not have fetched by default.
    settings.INGEST_FETCHER = {"host_delay": 0, "read_timeout": 2, "allow_private": True}


@pytest.fixture
def server():
    outlets = {1: "The Daily Example", 2: "Example Times", 3: "Example Wire"}
    routes = {f"/story/{n}": html(story_page(n, outlet=o, author=f"Reporter {n}")) for n, o in outlets.items()}
    with Server(routes) as running:
        yield running


def test_three_addresses_become_three_articles_and_a_404_is_reported(admin_ui, server):
    urls = [server.url(f"/story/{n}") for n in (1, 2, 3)] + [server.url("/missing")]
    response = admin_ui.post(ADD, {"urls": "\n".join(urls)})
    assert response.status_code == 200
    rows = response.context["results"]
    assert [row["result"].status for row in rows] == ["new", "new", "new", "failed"]
    assert rows[3]["result"].error == "404 Not Found"
    page = response.content.decode()
    assert "failed: 404 Not Found" in page

    for n, outlet in ((1, "The Daily Example"), (2, "Example Times"), (3, "Example Wire")):
        article = Article.objects.get(url=server.url(f"/story/{n}"))
        assert article.title == f"{webpages.TITLE} (part {n})"
        assert (article.outlet.name, article.authors, str(article.published_on)) == (
            outlet,
            f"Reporter {n}",
            f"2024-11-{10 + n}",
        )
        row = rows[n - 1]
        assert row["result"].claims == article.claims.count() > 0
        assert row["claims_url"] in page.replace("&amp;", "&")
        queue = admin_ui.get(row["claims_url"])
        assert {c.pk for c in queue.context["cl"].result_list} == set(article.claims.values_list("pk", flat=True))

        change = admin_ui.get(reverse("admin:claims_article_change", args=[article.pk])).content.decode()
        assert f'href="{article.url}"' in change  # the source link
        assert "outlet: <b>page</b>" in change
    assert not Article.objects.filter(url=server.url("/missing")).exists()


def test_pasted_text_with_metadata_and_the_same_address_again(admin_ui, server):
    response = admin_ui.post(
        ADD, {"text": webpages.ARTICLE_TEXT, "outlet": "Pasted Outlet", "date": "2024-11-28", "title": "Pasted"}
    )
    (row,) = response.context["results"]
    assert row["result"].status == "new"
    article = Article.objects.get(pk=row["result"].article_id)
    assert (article.title, article.outlet.name, article.metadata_sources["outlet"]) == (
        "Pasted",
        "Pasted Outlet",
        "explicit",
    )

    admin_ui.post(ADD, {"urls": server.url("/story/1")})
    again = admin_ui.post(ADD, {"urls": server.url("/story/1")})
    assert again.context["results"][0]["result"].status == "unchanged"
    assert "unchanged: already stored" in again.content.decode()


def test_uploaded_files_text_page_and_web_archive(admin_ui):
    archive = webpages.warc_of([("https://a.example/5", story_page(5))])
    files = [
        SimpleUploadedFile("plain.txt", webpages.ARTICLE_TEXT.encode(), "text/plain"),
        SimpleUploadedFile("saved.html", story_page(6).encode(), "text/html"),
        SimpleUploadedFile("crawl.warc.gz", archive, "application/gzip"),
    ]
    response = admin_ui.post(ADD, {"files": files})
    assert [row["result"].status for row in response.context["results"]] == ["new"] * 3
    assert ArticleSource.objects.get(url="https://a.example/5").kind == "warc"


def test_bad_input_is_refused_on_the_form(admin_ui):
    assert "Give at least one address" in admin_ui.post(ADD, {}).content.decode()
    response = admin_ui.post(ADD, {"urls": "not-an-address", "date": "yesterday"})
    assert response.context["results"] is None
    assert "Not a web address: not-an-address" in response.content.decode()
    assert not Article.objects.exists()


def test_the_page_is_for_those_who_may_add_articles(client, admin_ui, outsider):
    assert "Add articles" in admin_ui.get(reverse("admin:claims_article_changelist")).content.decode()
    assert admin_ui.get(ADD).status_code == 200
    client.force_login(outsider)
    assert client.get(ADD).status_code in (302, 403)


def test_the_snapshot_downloads_the_original_bytes(admin_ui):
    article = factories.ArticleFactory()
    original = b"<html><body>original</body></html>"
    source = ArticleSource.objects.create(
        article=article,
        kind="url",
        url="https://news.example/1",
        snapshot=zlib.compress(original),
        snapshot_size=len(original),
        snapshot_sha256="0" * 64,
    )
    url = reverse("admin:claims_article_snapshot", args=[article.pk, source.pk])
    response = admin_ui.get(url)
    assert response.content == original
    assert (
        response["Content-Disposition"].startswith("attachment;") and response["Content-Security-Policy"] == "sandbox"
    )
    change = admin_ui.get(reverse("admin:claims_article_change", args=[article.pk])).content.decode()
    assert url in change


def test_followed_feeds_are_edited_in_the_admin(admin_ui):
    add = reverse("admin:claims_followedfeed_add")
    response = admin_ui.post(
        add,
        {
            "url": "https://news.example/feed",
            "title": "News",
            "active": "on",
            "entries-TOTAL_FORMS": "0",
            "entries-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    feed = FollowedFeed.objects.get()
    assert feed.title == "News" and feed.active
    assert admin_ui.get(reverse("admin:claims_followedfeed_changelist")).status_code == 200
    assert Claim.objects.count() == 0


def test_the_followed_feeds_list_runs_as_many_queries_for_1_feed_as_for_12(admin_ui):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:claims_followedfeed_changelist")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_ui.get(url).status_code == 200
        return len(captured.captured_queries)

    FollowedFeed.objects.create(url="https://news.example/feed/0")
    admin_ui.get(url)  # warm the caches outside the measurement
    one = queries()
    FollowedFeed.objects.bulk_create(FollowedFeed(url=f"https://news.example/feed/{n}") for n in range(1, 12))
    assert queries() == one

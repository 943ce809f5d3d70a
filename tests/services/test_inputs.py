"""claims.services.inputs: every kind of input through one entry point, against a local HTTP server."""

from __future__ import annotations

import hashlib
import json
import zlib

import pytest

from claims.extraction.provenance import ExplicitMeta
from claims.models import Article, ArticleSource, Claim
from claims.services.fetching import Fetcher
from claims.services.inputs import Input, inputs_ingest
from tests import webpages
from tests.webpages import Server, html, story_page

pytestmark = pytest.mark.django_db

PDF = (200, b"%PDF-1.4 not a page", "application/pdf")


@pytest.fixture
def fetcher():
    return Fetcher(host_delay=0, read_timeout=2, connect_timeout=2)


@pytest.fixture
def server():
    routes = {f"/story/{n}": html(story_page(n)) for n in range(1, 5)}
    routes |= {
        "/robots.txt": (200, b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/private/story": html(story_page(9)),
        "/doc.pdf": PDF,
        "/mirror/1": html(
            story_page(1).replace("<title>", '<link rel="canonical" href="https://mirror.example/1">\n<title>')
        ),
        "/home": html(webpages.home_page()),
    }
    with Server(routes) as running:
        yield running


def ingest(inputs, fetcher, **kwargs):
    return list(inputs_ingest(inputs=inputs, fetcher=fetcher, **kwargs))


class TestAddresses:
    def test_pages_become_articles_with_their_metadata_and_provenance(self, server, fetcher):
        results = ingest([Input.for_url(server.url(f"/story/{n}")) for n in (1, 2, 3)], fetcher)
        assert [r.status for r in results] == ["new"] * 3
        article = Article.objects.get(pk=results[0].article_id)
        assert article.title == f"{webpages.TITLE} (part 1)"
        assert article.outlet.name == "The Daily Example"
        assert article.authors == "Lee Soo-jin"
        assert str(article.published_on) == "2024-11-11"
        assert article.url == server.url("/story/1")  # no canonical link: where it was fetched
        assert article.metadata_sources == {
            "title": "page",
            "outlet": "page",
            "authors": "page",
            "published_on": "page",
            "url": "guessed",
            "language": "page",
        }
        assert article.claims.exists() and set(article.claims.values_list("status", flat=True)) == {"extracted"}
        source = article.sources.get()
        served = story_page(1).encode()
        assert (source.kind, source.url, source.http_status) == ("url", server.url("/story/1"), 200)
        assert source.fetched_at is not None and source.content_type.startswith("text/html")
        assert zlib.decompress(bytes(source.snapshot)) == served
        assert source.snapshot_sha256 == hashlib.sha256(served).hexdigest() and source.snapshot_size == len(served)

    def test_each_failure_is_reported_with_its_reason_and_nothing_is_stored_for_it(self, server, fetcher):
        urls = ["/missing", "/doc.pdf", "/private/story", "/home", "/story/1"]
        results = ingest([Input.for_url(server.url(u)) for u in urls], fetcher)
        assert [r.status for r in results] == ["failed"] * 4 + ["new"]
        reasons = [r.error for r in results[:4]]
        assert reasons[0] == "404 Not Found"
        assert "not HTML" in reasons[1]
        assert reasons[2] == "disallowed by robots.txt"
        assert "no article in it" in reasons[3]
        assert Article.objects.count() == 1 and ArticleSource.objects.count() == 1

    def test_the_same_text_at_two_addresses_is_one_article_with_two_sources(self, server, fetcher):
        first, again, mirror = ingest(
            [Input.for_url(server.url(u)) for u in ("/story/1", "/story/1", "/mirror/1")], fetcher
        )
        assert first.status == "new" and again.status == mirror.status == "unchanged"
        assert again.sources_added == 0 and mirror.sources_added == 1
        assert Article.objects.count() == 1
        assert set(ArticleSource.objects.values_list("url", flat=True)) == {
            server.url("/story/1"),
            server.url("/mirror/1"),
        }

    def test_explicit_metadata_beats_the_page(self, server, fetcher):
        meta = ExplicitMeta(outlet="Stated Outlet", date="2024-12", authors=("Someone Else",))
        (result,) = ingest([Input.for_url(server.url("/story/2"), meta)], fetcher)
        article = Article.objects.get(pk=result.article_id)
        assert article.outlet.name == "Stated Outlet"
        assert (str(article.published_on), article.date_precision) == ("2024-12-01", "month")
        assert article.authors == "Someone Else"
        assert article.metadata_sources["outlet"] == "explicit" and article.metadata_sources["title"] == "page"

    def test_a_failure_while_storing_leaves_nothing_behind(self, server, fetcher, monkeypatch):
        def broken_save(self, *args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(ArticleSource, "save", broken_save)
        (result,) = ingest([Input.for_url(server.url("/story/3"))], fetcher)
        assert result.status == "failed" and "disk full" in result.error
        assert not Article.objects.exists() and not Claim.objects.exists()


class TestFeeds:
    def test_each_entry_is_fetched_and_the_feed_fills_what_the_page_lacks(self, fetcher):
        bare = webpages.bare_page()  # no author, a date only guessed from the text
        other = bare.replace("Seoul's central bank", "The central bank in Seoul")
        routes = {"/a": html(bare), "/b": html(other), "/gone": html("", 404)}
        with Server(routes) as server:
            feed = webpages.feed_of(server.base, ["/a", "/b", "/gone"])
            server.routes["/feed.xml"] = (200, feed.encode(), "application/rss+xml")
            results = ingest([Input.for_url(server.url("/feed.xml"))], fetcher)
        assert [r.status for r in results] == ["new", "new", "failed"]
        assert results[2].error == "404 Not Found" and results[2].url == server.url("/gone")
        article = Article.objects.get(pk=results[0].article_id)
        assert article.authors == "Feed Author" and str(article.published_on) == "2024-12-01"
        assert article.metadata_sources["authors"] == "feed" and article.metadata_sources["published_on"] == "feed"
        assert article.metadata_sources["title"] == "page"
        source = article.sources.get()
        assert (source.kind, source.feed_url) == ("feed", server.url("/feed.xml"))

    def test_a_feed_file_is_read_and_its_links_fetched(self, server, fetcher, tmp_path):
        path = tmp_path / "news.rss"
        path.write_text(webpages.feed_of(server.base, ["/story/1", "/story/2"]), encoding="utf-8")
        results = ingest([Input.for_path(path)], fetcher)
        assert [r.status for r in results] == ["new", "new"]

    def test_not_a_feed(self, fetcher, tmp_path):
        path = tmp_path / "news.rss"
        path.write_text("this is not a feed", encoding="utf-8")
        (result,) = ingest([Input.for_path(path)], fetcher)
        assert result.status == "failed" and "not an RSS or Atom feed" in result.error


class TestFilesAndArchives:
    def test_a_folder_mixing_text_pages_and_a_web_archive(self, fetcher, tmp_path):
        (tmp_path / "plain.txt").write_text(webpages.ARTICLE_TEXT.replace("Thursday", "Friday"), encoding="utf-8")
        (tmp_path / "plain.meta.json").write_text(
            json.dumps({"outlet": "Sidecar Times", "date": "2024-11-29", "author": "Kim A; Park B", "title": "T"}),
            encoding="utf-8",
        )
        (tmp_path / "saved.html").write_text(story_page(1), encoding="utf-8")
        archive = webpages.warc_of(
            [("https://a.example/2", story_page(2)), ("https://a.example/3", story_page(3))], garbage_after=0
        )
        (tmp_path / "crawl.warc.gz").write_bytes(archive)
        results = ingest([Input.for_path(tmp_path)], fetcher)
        by_status = sorted((r.status, r.source.rsplit("/", 1)[-1]) for r in results)
        assert [s for s, _ in by_status].count("new") == 4
        failed = [r for r in results if r.status == "failed"]
        assert len(failed) == 1 and "broken record" in failed[0].error and "crawl.warc.gz" in failed[0].source

        plain = Article.objects.get(source_file="plain.txt")
        assert (plain.outlet.name, str(plain.published_on), plain.authors, plain.title) == (
            "Sidecar Times",
            "2024-11-29",
            "Kim A; Park B",
            "T",
        )
        assert plain.metadata_sources["outlet"] == "explicit"
        assert plain.sources.get().kind == "text"
        archived = ArticleSource.objects.get(url="https://a.example/3")
        assert archived.kind == "warc" and archived.file_name == "crawl.warc.gz" and archived.http_status == 200
        assert archived.article.url == "https://a.example/3"
        assert Article.objects.get(source_file="saved.html").sources.get().kind == "page"

    def test_a_broken_sidecar_fails_its_file(self, fetcher, tmp_path):
        (tmp_path / "a.txt").write_text(webpages.ARTICLE_TEXT, encoding="utf-8")
        (tmp_path / "a.meta.json").write_text('{"outlet": "X", "colour": "red"}', encoding="utf-8")
        (result,) = ingest([Input.for_path(tmp_path)], fetcher)
        assert result.status == "failed" and "unknown metadata: colour" in result.error

    def test_html_behind_a_text_name_and_text_behind_an_html_name(self, fetcher, tmp_path):
        (tmp_path / "page.txt").write_text(story_page(4), encoding="utf-8")
        (tmp_path / "text.html").write_text(webpages.ARTICLE_TEXT, encoding="utf-8")
        results = ingest([Input.for_path(tmp_path / "page.txt"), Input.for_path(tmp_path / "text.html")], fetcher)
        assert results[0].status == "new" and results[0].title.endswith("(part 4)")
        assert results[1].status == "failed" and "not HTML" in results[1].error

    def test_pasted_text_with_metadata(self, fetcher):
        meta = ExplicitMeta(title="Pasted", outlet="Example Wire", url="https://wire.example/1")
        (result,) = ingest([Input.for_text(webpages.ARTICLE_TEXT, meta)], fetcher)
        article = Article.objects.get(pk=result.article_id)
        assert (article.title, article.outlet.name, article.url) == ("Pasted", "Example Wire", "https://wire.example/1")
        assert article.metadata_sources["url"] == "explicit"


def test_claims_through_html_are_those_of_the_plain_text(fetcher, tmp_path):
    (tmp_path / "a.html").write_text(webpages.cluttered_page(), encoding="utf-8")
    closing = "\nThe bank will publish the minutes of the meeting in two weeks, as it usually does.\n"
    (tmp_path / "b.txt").write_text(webpages.TITLE + "\n\n" + webpages.ARTICLE_TEXT + closing, encoding="utf-8")
    page, text = ingest([Input.for_path(tmp_path / "a.html"), Input.for_path(tmp_path / "b.txt")], fetcher)

    def claims(result):
        rows = Claim.objects.filter(article_id=result.article_id).values_list("expert__name", "text")
        return sorted((name or "", quoted) for name, quoted in rows)

    assert page.status == text.status == "new" and page.article_id != text.article_id
    assert len(claims(page)) >= 3 and claims(page) == claims(text)

"""claims.services.fetching against a small threaded HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from claims.extraction.feeds import read_feed
from claims.extraction.webpage import read_webpage
from claims.services.fetching import Fetcher, FetchError, fetch, user_agent
from tests import webpages

HUGE = 10 * 1024 * 1024
PAGES = {
    "/json-ld": webpages.json_ld_page,
    "/opengraph": webpages.opengraph_page,
    "/bare": webpages.bare_page,
    "/cluttered": webpages.cluttered_page,
}
ROBOTS = "User-agent: *\nDisallow: /private/\n"


class Handler(BaseHTTPRequestHandler):
    hits: Counter = Counter()
    agents: list[str] = []

    def log_message(self, *args):  # keep the test output clean
        pass

    def send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", **headers):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path
        Handler.hits[path] += 1
        Handler.agents.append(self.headers.get("User-Agent", ""))
        if path == "/robots.txt":
            self.send(200, ROBOTS.encode(), "text/plain")
        elif path in ("/article", "/private/article"):
            self.send(200, webpages.json_ld_page().encode())
        elif path in PAGES:
            self.send(200, PAGES[path]().encode())
        elif path == "/cp1252":  # the header's charset is right, the page's <meta charset="utf-8"> wrong
            self.send(200, webpages.json_ld_page().encode("cp1252"), "text/html; charset=windows-1252")
        elif path == "/feed.rss":
            self.send(200, webpages.rss_feed().encode(), "application/rss+xml")
        elif path == "/feed.atom":
            self.send(200, webpages.atom_feed().encode(), "application/atom+xml")
        elif path.startswith("/hop/"):
            left = int(path.rsplit("/", 1)[1])
            self.send(302 if left % 2 else 301, Location="/article" if left == 0 else f"/hop/{left - 1}")
        elif path == "/to-ftp":
            self.send(302, Location="ftp://files.example/article")
        elif path == "/missing":
            self.send(404, b"<html>not here</html>")
        elif path == "/busy":
            self.send(429, b"slow down", "text/plain", Retry_After="120")
        elif path == "/down":
            self.send(503, b"maintenance", "text/plain", Retry_After="Wed, 21 Oct 2099 07:28:00 GMT")
        elif path == "/broken":
            self.send(500, b"oops", "text/plain")
        elif path == "/slow":
            time.sleep(1.5)
            self.send(200, webpages.json_ld_page().encode())
        elif path == "/huge":
            self.send(200, b"<html><body>" + b"x" * HUGE + b"</body></html>")
        elif path == "/huge-unsized":  # no Content-Length: the cap must stop the stream itself
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"y" * 65536
            try:
                for _ in range(HUGE // len(chunk) + 1):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        elif path == "/doc.pdf":
            self.send(200, b"%PDF-1.7 not html", "application/pdf")
        else:
            self.send(404, b"no route")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def fetcher():
    Handler.hits.clear()
    Handler.agents.clear()
    return Fetcher(host_delay=0, connect_timeout=2, read_timeout=0.5)


def failure(fetcher: Fetcher, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(url)
    return caught.value


class TestSuccess:
    def test_a_page_comes_back_with_its_address_status_time_and_hash_and_reads_as_an_article(self, server, fetcher):
        fetched = fetcher.fetch(server + "/article")
        body = webpages.json_ld_page().encode()
        assert (fetched.url, fetched.status, fetched.content) == (server + "/article", 200, body)
        assert fetched.sha256 == hashlib.sha256(body).hexdigest()
        assert fetched.fetched_at.tzinfo is not None and not fetched.is_feed
        page = read_webpage(fetched.content, url=fetched.url, content_type=fetched.content_type)
        assert page.title == webpages.TITLE

    @pytest.mark.parametrize(
        ("path", "page_fields"),
        [
            ("/json-ld", {"title", "authors", "published", "outlet", "canonical_url", "language"}),
            ("/opengraph", {"title", "authors", "published", "outlet", "canonical_url", "description"}),
            ("/bare", {"title"}),
            ("/cluttered", {"title", "language"}),
        ],
    )
    def test_served_pages_read_as_the_article_with_what_each_declares(self, server, fetcher, path, page_fields):
        fetched = fetcher.fetch(server + path)
        page = read_webpage(fetched.content, url=fetched.url, content_type=fetched.content_type)
        assert page.text.startswith(webpages.TITLE + "\n\n") and page.text.endswith("\n\n" + webpages.ARTICLE_TEXT)
        assert {name for name, source in page.sources.items() if source == "page"} >= page_fields

    def test_the_charset_of_the_response_header_reaches_the_reader(self, server, fetcher):
        fetched = fetcher.fetch(server + "/cp1252")
        page = read_webpage(fetched.content, url=fetched.url, content_type=fetched.content_type)
        assert "\u201cInflation is coming down" in page.text

    @pytest.mark.parametrize("path", ["/feed.rss", "/feed.atom"])
    def test_feeds_are_accepted(self, server, fetcher, path):
        fetched = fetcher.fetch(server + path)
        assert fetched.is_feed
        assert read_feed(fetched.content).entries

    def test_a_redirect_chain_is_followed_and_the_final_address_recorded(self, server, fetcher):
        fetched = fetcher.fetch(server + "/hop/3")
        assert fetched.url == server + "/article"
        assert fetched.requested_url == server + "/hop/3"
        assert fetched.redirects == tuple(server + p for p in ("/hop/2", "/hop/1", "/hop/0", "/article"))

    def test_the_user_agent_names_the_project_from_pyproject(self, server, fetcher):
        fetcher.fetch(server + "/article")
        assert user_agent().startswith("expert-claims/0.1.0 (+https://")
        assert set(Handler.agents) == {user_agent()}

    def test_the_module_level_fetch_takes_the_same_options(self, server):
        assert fetch(server + "/article", host_delay=0).status == 200


class TestFailures:
    def test_404_is_permanent(self, server, fetcher):
        error = failure(fetcher, server + "/missing")
        assert (error.reason, error.status, error.transient) == ("404 Not Found", 404, False)

    def test_429_with_retry_after_is_retryable_and_says_when(self, server, fetcher):
        error = failure(fetcher, server + "/busy")
        assert error.transient and error.status == 429 and error.retry_after == 120
        assert "retry after 120 s" in error.reason

    def test_503_with_a_retry_after_date_is_retryable(self, server, fetcher):
        error = failure(fetcher, server + "/down")
        assert error.transient and error.status == 503 and error.retry_after > 0

    def test_a_server_error_is_transient(self, server, fetcher):
        error = failure(fetcher, server + "/broken")
        assert error.transient and error.status == 500

    def test_a_slow_page_times_out_as_a_transient_failure(self, server, fetcher):
        started = time.monotonic()
        error = failure(fetcher, server + "/slow")
        assert error.reason == "timed out reading the response" and error.transient
        assert time.monotonic() - started < 1.4

    @pytest.mark.parametrize("path", ["/huge", "/huge-unsized"])
    def test_a_page_past_the_size_cap_is_refused(self, server, fetcher, path):
        error = failure(fetcher, server + path)
        assert error.reason == "too large (over 5,000,000 bytes)" and not error.transient

    def test_a_pdf_is_not_html(self, server, fetcher):
        error = failure(fetcher, server + "/doc.pdf")
        assert error.reason == "not HTML or a feed (the content type is application/pdf)"
        assert not error.transient

    def test_robots_txt_is_respected_and_read_once_per_host(self, server, fetcher):
        error = failure(fetcher, server + "/private/article")
        assert error.reason == "disallowed by robots.txt" and not error.transient
        fetcher.fetch(server + "/article")
        fetcher.fetch(server + "/article")
        assert Handler.hits["/robots.txt"] == 1
        assert Handler.hits["/private/article"] == 0

    def test_too_many_redirects(self, server):
        error = failure(Fetcher(host_delay=0, max_redirects=2), server + "/hop/5")
        assert error.reason == "too many redirects (more than 2)" and not error.transient

    def test_a_redirect_off_the_web_is_refused(self, server, fetcher):
        error = failure(fetcher, server + "/to-ftp")
        assert error.reason == "redirected to a non-web address: 'ftp://files.example/article'"

    def test_not_a_web_address(self, fetcher):
        assert "not a web address" in failure(fetcher, "ftp://example.org/x").reason

    def test_dns_failure_is_transient(self):
        def refuse(request):
            raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

        error = failure(Fetcher(transport=httpx.MockTransport(refuse), respect_robots=False), "http://nowhere.test/")
        assert (error.reason, error.transient) == ("DNS lookup failed", True)

    def test_connect_timeout_is_transient(self):
        def hang(request):
            raise httpx.ConnectTimeout("timed out", request=request)

        error = failure(Fetcher(transport=httpx.MockTransport(hang), respect_robots=False), "http://slow.test/")
        assert (error.reason, error.transient) == ("timed out connecting", True)


def _site(robots_status: int, robots_body: str = ""):
    """A mock site whose robots.txt answers ``robots_status``; every other path is the article."""
    seen = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/robots.txt":
            return httpx.Response(robots_status, text=robots_body)
        return httpx.Response(200, content=webpages.json_ld_page().encode(), headers={"Content-Type": "text/html"})

    return Fetcher(host_delay=0, transport=httpx.MockTransport(handle)), seen


class TestRobots:
    def test_a_missing_robots_txt_allows_everything(self):
        fetcher, _ = _site(404)
        assert fetcher.fetch("http://site.test/private/a").status == 200

    def test_an_unreadable_robots_txt_allows_nothing_for_now_and_is_asked_again(self):
        fetcher, seen = _site(503)
        for _ in range(2):
            error = failure(fetcher, "http://site.test/a")
            assert (error.reason, error.transient) == ("robots.txt cannot be read (503)", True)
        assert seen == ["/robots.txt", "/robots.txt"]

    def test_rules_for_our_user_agent_apply(self):
        fetcher, _ = _site(200, "User-agent: expert-claims\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
        assert failure(fetcher, "http://site.test/a").reason == "disallowed by robots.txt"

    def test_robots_can_be_switched_off(self):
        fetcher, seen = _site(200, "User-agent: *\nDisallow: /\n")
        fetcher.respect_robots = False
        assert fetcher.fetch("http://site.test/a").status == 200
        assert seen == ["/a"]


def test_requests_to_one_host_are_spaced_by_the_delay(server):
    polite = Fetcher(host_delay=0.3, respect_robots=False)
    started = time.monotonic()
    polite.fetch(server + "/article")
    polite.fetch(server + "/article")
    polite.fetch(server + "/article")
    assert time.monotonic() - started >= 0.6


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "[::1]", "localhost"])
def test_private_and_local_addresses_are_refused_when_asked(host):
    with pytest.raises(FetchError) as error:
        Fetcher(allow_private=False, host_delay=0).fetch(f"http://{host}/page")
    assert "a private or local address" in error.value.reason and not error.value.transient

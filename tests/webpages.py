"""Small web pages and feeds written for the reader and fetcher tests (no real site's pages).

The article body is the same few paragraphs everywhere, so that a test can compare what the
reader takes out of a page with the plain text it was written from.
"""

from __future__ import annotations

import json

PARAGRAPHS = (
    "Seoul's central bank held its policy rate on Thursday, as analysts had widely expected after a "
    "month of mixed data on exports, prices and household debt across the country.",
    "\u201cInflation is coming down more slowly than we hoped, and the board wants to see several more "
    "months of evidence before it moves,\u201d said Kim Min-jun, a senior economist at the Korea "
    "Development Institute.",
    "Park Ji-won, a professor of economics at Seoul National University, said the pause was sensible. "
    "\u201cCutting now would risk another surge in apartment prices in the capital,\u201d she said.",
    "The bank's governor told reporters that the decision was unanimous and that the outlook for "
    "growth had improved slightly since the last meeting of the monetary policy board in October.",
)
ARTICLE_TEXT = "\n\n".join(PARAGRAPHS) + "\n"
TITLE = "Bank of Korea holds rates as inflation eases slowly"

_BODY = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
_NAV = """<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>"""
_COOKIES = """<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
By continuing to browse you accept our use of cookies. <button>Accept all cookies</button></div>"""
_FOOTER = """<footer><p>Contact us | Privacy policy | Terms of use</p>
<p>Copyright 2024 The Daily Example. All rights reserved.</p></footer>"""
COMMENT_TEXT = "This commenter thinks the central bank is always behind the curve on everything"
RELATED_TEXT = "Ten things to know before you refinance your mortgage this winter"
CAPTION_TEXT = "The headquarters of the central bank in downtown Seoul, photographed last spring"


def _page(head: str, body: str, *, lang: str = "en", charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="{charset}">\n{head}\n</head>\n'
        f"<body>{_NAV}\n{_COOKIES}\n{body}\n{_FOOTER}</body></html>\n"
    )


def json_ld_page() -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": TITLE,
        "datePublished": "2024-11-28T09:30:00+09:00",
        "author": [{"@type": "Person", "name": "Lee Soo-jin"}, {"@type": "Person", "name": "Tom Baker"}],
        "publisher": {"@type": "Organization", "name": "The Daily Example"},
        "inLanguage": "en",
    }
    head = (
        f"<title>{TITLE} | The Daily Example</title>\n"
        f'<script type="application/ld+json">{json.dumps(data)}</script>\n'
        '<link rel="canonical" href="https://news.example.com/2024/11/28/bok-rates">'
    )
    body = f"<main><article><h1>{TITLE}</h1>\n{_BODY}</article></main>"
    return _page(head, body)


def opengraph_page() -> str:
    head = (
        f"<title>{TITLE} - Example Times</title>\n"
        f'<meta property="og:title" content="{TITLE}">\n'
        '<meta property="og:site_name" content="Example Times">\n'
        '<meta property="og:url" content="https://www.example-times.com/business/bok-rates">\n'
        '<meta property="og:type" content="article">\n'
        '<meta property="og:description" content="The central bank waits for more evidence.">\n'
        '<meta property="article:published_time" content="2024-11-28">\n'
        '<meta name="author" content="Lee Soo-jin">'
    )
    body = f"<article><h1>{TITLE}</h1>\n{_BODY}</article>"
    return _page(head, body)


def bare_page() -> str:
    """No metadata at all: the title is the <title>, the rest must be guessed or left out."""
    head = f"<title>{TITLE}</title>"
    body = f"<div class='content'><h1>{TITLE}</h1>\n<p>Posted on 3 March 2023</p>\n{_BODY}</div>"
    return _page(head, body).replace(' lang="en"', "")


def cluttered_page() -> str:
    """An article with a caption, a related-stories box, a newsletter box and a comment section."""
    head = f'<title>{TITLE}</title>\n<meta property="og:title" content="{TITLE}">'
    related = "".join(f'<li><a href="/story/{i}">{RELATED_TEXT} (part {i})</a></li>' for i in range(1, 6))
    comments = "".join(
        f'<li class="comment"><p class="comment-author">reader{i}</p><p>{COMMENT_TEXT}, number {i}.</p></li>'
        for i in range(1, 4)
    )
    body = (
        f"<article><h1>{TITLE}</h1>\n"
        f'<figure><img src="/bok.jpg" alt=""><figcaption>{CAPTION_TEXT}</figcaption></figure>\n'
        f"{_BODY}\n"
        "<p>Sign up for our morning newsletter to get the top stories in your inbox.</p>\n"
        "</article>\n"
        f'<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>\n'
        f'<section id="comments" class="comments"><h2>Comments</h2><ol>{comments}</ol></section>'
    )
    return _page(head, body)


def home_page() -> str:
    links = "".join(f'<li><a href="/story/{i}">{RELATED_TEXT} (part {i})</a></li>' for i in range(1, 30))
    return _page("<title>The Daily Example: news</title>", f"<main><ul class='headlines'>{links}</ul></main>")


def login_wall_page() -> str:
    body = (
        f"<article><h1>{TITLE}</h1><p>Subscribe to read this article.</p>"
        "<form><input type='email' name='email'><input type='password' name='password'>"
        "<button>Log in</button></form></article>"
    )
    return _page(f"<title>{TITLE}</title>", body)


def rss_feed() -> str:
    return """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>The Daily Example - Business</title><link>https://news.example.com/business</link>
<description>Business news</description>
<item><title>Bank of Korea holds rates</title><link>https://news.example.com/2024/11/28/bok-rates</link>
<guid isPermaLink="false">dx-1001</guid><pubDate>Thu, 28 Nov 2024 09:30:00 +0900</pubDate>
<author>lee@example.com (Lee Soo-jin)</author></item>
<item><title>Exports rise for a third month</title><link>https://news.example.com/2024/11/27/exports</link>
<guid>https://news.example.com/2024/11/27/exports</guid><pubDate>Wed, 27 Nov 2024 08:00:00 +0900</pubDate></item>
</channel></rss>
"""


def atom_feed() -> str:
    return """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Example Times</title><id>urn:example-times:feed</id><updated>2024-11-28T10:00:00Z</updated>
<link href="https://www.example-times.com/"/>
<entry><title>Bank of Korea holds rates</title><id>urn:example-times:bok-rates</id>
<link rel="alternate" href="https://www.example-times.com/business/bok-rates"/>
<published>2024-11-28T00:30:00Z</published><updated>2024-11-28T02:00:00Z</updated>
<author><name>Lee Soo-jin</name></author></entry>
<entry><title>Undated brief</title><id>urn:example-times:brief</id>
<link href="https://www.example-times.com/brief"/></entry>
</feed>
"""


def story_page(number: int, *, outlet: str = "The Daily Example", author: str = "Lee Soo-jin") -> str:
    """A JSON-LD article page whose text differs by ``number`` (so each is its own article)."""
    title = f"{TITLE} (part {number})"
    extra = (
        f"This is part {number} of the series on the central bank, written for the readers who asked "
        f"for a closer look at what the board said in meeting number {number}."
    )
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": f"2024-11-{10 + number:02d}T09:30:00+09:00",
        "author": {"@type": "Person", "name": author},
        "publisher": {"@type": "Organization", "name": outlet},
    }
    head = f'<title>{title}</title>\n<script type="application/ld+json">{json.dumps(data)}</script>'
    body = f"<main><article><h1>{title}</h1>\n{_BODY}\n<p>{extra}</p></article></main>"
    return _page(head, body)


def feed_of(base: str, paths: list[str], *, title: str = "The Daily Example") -> str:
    """An RSS feed listing ``base + path`` for each path, with an entry title, author and date."""
    items = "".join(
        f"<item><title>Entry {i}</title><link>{base}{path}</link><guid isPermaLink='false'>entry-{path}</guid>"
        f"<pubDate>Mon, 0{i + 1} Dec 2024 08:00:00 +0000</pubDate>"
        "<author>desk@example.com (Feed Author)</author></item>"
        for i, path in enumerate(paths)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{title}</title>'
        f"<link>{base}/</link><description>News</description>{items}</channel></rss>\n"
    )


class Server:
    """A small threaded HTTP server on 127.0.0.1 serving ``routes`` (for the tests; never the internet).

    ``routes`` maps a path to (status, body bytes, content type[, headers dict]) or to a callable
    taking the request headers and returning one. ``hits`` counts requests per path. No robots.txt
    route means 404 (everything allowed).
    """

    def __init__(self, routes: dict):
        import threading
        from collections import Counter
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.routes = routes
        self.hits: Counter = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.hits[self.path] += 1
                route = server.routes.get(self.path, (404, b"<html><body>not found</body></html>", "text/html"))
                if callable(route):
                    route = route(self.headers)
                status, body, content_type, *rest = route
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (rest[0] if rest else {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path


def html(text: str, status: int = 200) -> tuple:
    return (status, text.encode("utf-8"), "text/html; charset=utf-8")


def warc_of(pages: list[tuple[str, str]], *, garbage_after: int | None = None) -> bytes:
    """A gzip'ed WARC holding an HTML response per (url, html); junk bytes after record ``garbage_after``."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for i, (url, page) in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(page.encode("utf-8")),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2024-11-28T09:30:00Z"},
        )
        writer.write_record(record)
        if i == garbage_after:
            buffer.write(b"this is not a WARC record at all\r\n\r\n" * 3)
    return buffer.getvalue()

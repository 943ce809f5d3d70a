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

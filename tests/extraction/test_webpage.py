"""claims.extraction.webpage: saved pages in, clean text and sourced metadata out."""

from __future__ import annotations

import datetime
import gzip

import pytest

from claims.domain.textfiles import normalize_text
from claims.extraction.types import ArticleMeta
from claims.extraction.webpage import NotAnArticle, WebArticle, decode_html, merge_meta, read_webpage
from tests import webpages

URL = "https://news.example.com/2024/11/28/bok-rates?utm_source=feed"
UNDATED_URL = "https://news.example.com/business/story?id=7"
EXPECTED_TEXT = webpages.TITLE + "\n\n" + webpages.ARTICLE_TEXT


def read(html: str, **kwargs) -> WebArticle:
    return read_webpage(html.encode("utf-8"), **kwargs)


class TestText:
    def test_paragraphs_come_out_separated_by_blank_lines_with_typographic_quotes(self):
        page = read(webpages.json_ld_page(), url=URL)
        assert page.text == EXPECTED_TEXT
        assert page.text.split("\n\n")[1:] == [*webpages.PARAGRAPHS[:-1], webpages.PARAGRAPHS[-1] + "\n"]
        assert "\u201cInflation is coming down" in page.text

    def test_the_text_is_already_in_the_stored_form(self):
        text = read(webpages.cluttered_page()).text
        assert normalize_text(text) == text  # so extraction offsets hold for the stored body

    def test_comments_related_stories_captions_banners_and_navigation_stay_out(self):
        page = read(webpages.cluttered_page(), url=URL)
        assert page.text == EXPECTED_TEXT
        for clutter in (
            webpages.COMMENT_TEXT,
            webpages.RELATED_TEXT,
            webpages.CAPTION_TEXT,
            "cookies",
            "newsletter",
            "Privacy policy",
            "All rights reserved",
            "Business\n",
        ):
            assert clutter not in page.text

    def test_gzipped_bytes_read_like_plain_ones(self):
        data = webpages.json_ld_page().encode()
        assert read_webpage(gzip.compress(data), url=URL) == read_webpage(data, url=URL)

    def test_text_is_nfc(self):
        decomposed = webpages.json_ld_page().replace("Seoul's", "Seoul's cafe\u0301")
        assert "Seoul's caf\u00e9 central" in read(decomposed).text

    def test_trailing_calls_to_action_legal_notes_and_look_alike_spam_are_dropped(self):
        tail = (
            "<p>Advertise with the most visited site ~ \u0410dv\u0435rt\u0456s\u0435 today.</p>"
            "<p>This article is the copyrighted property of Example News. Written permission must be"
            " obtained before reprint.</p><p>We want to hear what you think about this article.</p>"
        )
        page = read(webpages.json_ld_page().replace("</article>", tail + "</article>"))
        assert page.text == EXPECTED_TEXT

    def test_a_call_to_action_above_the_article_goes_but_a_headline_saying_copyright_stays(self):
        html = webpages.json_ld_page().replace(
            f"<h1>{webpages.TITLE}</h1>",
            "<p>Submit your letter to the editor via this form.</p><h1>EU copyright newsletter rules pass</h1>",
        )
        assert read(html).text == "EU copyright newsletter rules pass\n\n" + webpages.ARTICLE_TEXT

    def test_a_short_last_paragraph_about_copyright_is_article_text(self):
        last = "The court will rule on the copyright case next month."
        page = read(webpages.json_ld_page().replace("</article>", f"<p>{last}</p></article>"))
        assert page.text == EXPECTED_TEXT + "\n" + last + "\n"

    def test_teaser_lines_to_other_stories_are_dropped(self):
        teaser = '<p>Read: <a href="/other">Why exporters are nervous about the won</a></p>'
        html = webpages.json_ld_page().replace(f"<p>{webpages.PARAGRAPHS[2]}", teaser + f"<p>{webpages.PARAGRAPHS[2]}")
        assert read(html).text == EXPECTED_TEXT


class TestMetadata:
    def test_json_ld_news_article_is_read_and_marked_as_from_the_page(self):
        page = read(webpages.json_ld_page(), url=URL)
        assert page.title == webpages.TITLE
        assert page.authors == ("Lee Soo-jin", "Tom Baker")
        assert (page.published, page.date_precision) == (datetime.date(2024, 11, 28), "day")
        assert page.outlet == "The Daily Example"
        assert page.canonical_url == "https://news.example.com/2024/11/28/bok-rates"
        assert page.domain == "news.example.com"
        assert page.language == "en"
        assert set(page.sources.values()) == {"page"}
        assert set(page.sources) >= {"title", "authors", "published", "outlet", "canonical_url", "domain", "language"}

    def test_opengraph_alone_gives_title_outlet_address_date_author_and_description(self):
        page = read(webpages.opengraph_page(), url=URL)
        assert page.title == webpages.TITLE
        assert page.outlet == "Example Times"
        assert page.canonical_url == "https://www.example-times.com/business/bok-rates"
        assert page.domain == "example-times.com"
        assert page.published == datetime.date(2024, 11, 28)
        assert page.authors == ("Lee Soo-jin",)
        assert page.description == "The central bank waits for more evidence."
        assert page.sources["outlet"] == page.sources["published"] == "page"

    def test_a_page_without_metadata_has_its_gaps_guessed_and_marked_so(self):
        page = read(webpages.bare_page(), url=UNDATED_URL)
        assert page.title == webpages.TITLE and page.sources["title"] == "page"
        assert (page.published, page.sources["published"]) == (datetime.date(2023, 3, 3), "guessed")
        assert (page.canonical_url, page.sources["canonical_url"]) == (UNDATED_URL, "guessed")
        assert page.sources["domain"] == "guessed"
        assert page.authors == () and "authors" not in page.sources
        assert page.language is None and "language" not in page.sources

    def test_a_date_in_the_address_is_a_guess(self):
        page = read(webpages.bare_page(), url=URL)
        assert (page.published, page.sources["published"]) == (datetime.date(2024, 11, 28), "guessed")

    def test_a_bare_year_guessed_from_a_copyright_line_is_year_precision(self):
        page = read(webpages.cluttered_page(), url="https://news.example.com/story")
        assert page.sources.get("published") == "guessed"
        assert page.date_precision == "year"

    def test_the_printed_local_date_wins_over_a_utc_timestamp_on_the_next_day(self):
        html = webpages.json_ld_page().replace("2024-11-28T09:30:00+09:00", "2024-11-28T00:30:41Z")
        html = html.replace("<h1>", '<time datetime="2024-11-27 19:30:41">27 Nov</time><h1>')
        assert read(html).published == datetime.date(2024, 11, 27)

    def test_a_template_headline_no_other_source_agrees_with_loses_to_the_og_title(self):
        html = webpages.opengraph_page().replace(
            "<title>",
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "escenic"}</script><title>',
        )
        assert read(html).title == webpages.TITLE

    def test_organization_authors_and_the_outlet_as_author_are_not_people(self):
        html = webpages.json_ld_page().replace(
            '{"@type": "Person", "name": "Tom Baker"}', '{"@type": "Organization", "name": "Example Wire"}'
        )
        assert read(html).authors == ("Lee Soo-jin",)

    def test_language_is_the_primary_subtag_of_html_lang(self):
        assert read(webpages.json_ld_page().replace('lang="en"', 'lang="en-GB"')).language == "en"


class TestEncodings:
    def _encoded(self, charset: str, encoding: str) -> bytes:
        return webpages.json_ld_page().replace('charset="utf-8"', f'charset="{charset}"').encode(encoding)

    def test_the_declared_encoding_is_honoured(self):
        page = read_webpage(self._encoded("windows-1252", "cp1252"))
        assert page.encoding == "windows-1252"
        assert page.text == EXPECTED_TEXT

    def test_the_http_header_charset_wins_over_the_meta_one(self):
        data = webpages.json_ld_page().encode("cp1252")  # meta says utf-8, the bytes are cp1252
        page = read_webpage(data, content_type="text/html; charset=windows-1252")
        assert page.text == EXPECTED_TEXT

    def test_utf8_wrongly_declared_as_latin1_is_detected(self):
        page = read_webpage(self._encoded("iso-8859-1", "utf-8"))
        assert page.encoding == "utf-8"
        assert page.text == EXPECTED_TEXT

    def test_windows1252_wrongly_declared_as_utf8_is_detected(self):
        page = read_webpage(webpages.json_ld_page().encode("cp1252"))
        assert "\u201cInflation" in page.text
        assert page.text == EXPECTED_TEXT

    def test_a_byte_order_mark_wins(self):
        text, encoding = decode_html(b"\xef\xbb\xbf<html>caf\xc3\xa9</html>", "text/html; charset=latin-1")
        assert (text, encoding) == ("<html>caf\u00e9</html>", "utf-8")


class TestRefusals:
    @pytest.mark.parametrize(
        ("data", "content_type", "reason"),
        [
            (b"", None, "empty file"),
            (b"%PDF-1.7\n1 0 obj <<>> endobj\n" + b"x" * 500, None, "not HTML: a PDF file"),
            (b"Just some words in a text file, saved as page.html by mistake." * 20, None, "no HTML markup"),
            (webpages.json_ld_page().encode(), "application/pdf", "not HTML (the content type is application/pdf)"),
            (b"\x1f\x8b\x08\x00broken", None, "broken gzip"),
            (gzip.compress(webpages.json_ld_page().encode())[:200], None, "broken gzip data (truncated)"),
            (bytes(range(256)) * 40, None, "not HTML"),
        ],
    )
    def test_what_is_not_an_html_page_is_refused_with_the_reason(self, data, content_type, reason):
        with pytest.raises(NotAnArticle, match=reason.replace("(", r"\(").replace(")", r"\)")):
            read_webpage(data, content_type=content_type)

    @pytest.mark.parametrize("page", [webpages.home_page, webpages.login_wall_page])
    def test_a_page_with_no_article_in_it_is_refused(self, page):
        with pytest.raises(NotAnArticle, match="no article in it"):
            read(page())

    def test_an_article_page_with_an_xml_declaration_is_read(self):
        assert read('<?xml version="1.0" encoding="utf-8"?>\n' + webpages.json_ld_page()).text == EXPECTED_TEXT


class TestMergeMeta:
    TEXT_META = ArticleMeta(
        title="A first line",
        outlet="Guessed Outlet",
        outlet_domain="guessed.example",
        authors=("Someone Else",),
        published_on=datetime.date(2020, 1, 1),
        date_precision="year",
        language="en",
    )

    def test_what_the_page_declares_wins_over_the_text_extractors_guesses(self):
        page = read(webpages.json_ld_page(), url=URL)
        meta = merge_meta(page, self.TEXT_META)
        assert meta.title == webpages.TITLE
        assert meta.outlet == "The Daily Example" and meta.outlet_domain == "news.example.com"
        assert meta.authors == ("Lee Soo-jin", "Tom Baker")
        assert (meta.published_on, meta.date_precision) == (datetime.date(2024, 11, 28), "day")
        assert meta.url == "https://news.example.com/2024/11/28/bok-rates"

    def test_the_readers_guesses_only_fill_gaps(self):
        page = read(webpages.bare_page(), url=UNDATED_URL)
        kept = merge_meta(page, self.TEXT_META)
        assert (kept.published_on, kept.outlet) == (datetime.date(2020, 1, 1), "Guessed Outlet")
        assert kept.url == UNDATED_URL  # the text gave none
        filled = merge_meta(page, ArticleMeta(title=""))
        assert filled.published_on == datetime.date(2023, 3, 3)
        assert filled.url == UNDATED_URL
        assert filled.title == webpages.TITLE


def test_quotes_from_the_page_match_quotes_from_the_same_plain_text(extract):
    from_html = extract(read(webpages.cluttered_page(), url=URL).text)
    from_text = extract(EXPECTED_TEXT)
    assert len(from_text.quotes) >= 2

    def key(result):
        return sorted((q.speaker or "", q.text) for q in result.quotes)

    assert key(from_html) == key(from_text)
    assert {q.speaker for q in from_text.quotes} >= {"Kim Min-jun", "Park Ji-won"}

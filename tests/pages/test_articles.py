"""The article page: metadata, the text with each claim marked and attributed, visibility, escaping, queries."""

from __future__ import annotations

import datetime

import pytest

from claims.pages.text import MarkedSpan, marked_article
from tests import factories
from tests.factories import article_with_quotes, claim_with_text
from tests.pages.helpers import assert_same_queries, html, queries_of

pytestmark = pytest.mark.django_db


def url(article) -> str:
    return f"/articles/{article.pk}/"


def test_metadata_and_source_link(visitor, pages_world):
    a1 = pages_world.a1
    a1.url = "https://www.nknews.org/2024/03/talks/"
    a1.authors = "Jeongmin Kim"
    a1.save()
    page = html(visitor.get(url(a1)))
    assert "<h1>Talks stall as Moscow watches</h1>" in page
    assert "<strong>NK News</strong> · 1 Mar 2024 · by Jeongmin Kim" in page
    assert 'href="https://www.nknews.org/2024/03/talks/" rel="noopener noreferrer external"' in page


def test_every_approved_claim_is_marked_and_attributed(visitor, pages_world):
    w = pages_world
    page = html(visitor.get(url(w.a1)))
    assert page.count('<mark id="claim-') == 2
    assert f'<mark id="claim-{w.c1.pk}" class="claim status-approved"' in page
    assert ">The talks will go nowhere this spring</mark>" in page
    who = page.split(f'id="who-{w.c1.pk}"')[1].split("</li>")[0]
    assert 'href="/experts/andrei-lankov/"' in who
    assert "visiting fellow, Korea Institute for National Unification" in who
    assert f'href="#who-{w.c1.pk}"' in page  # the mark's number links to the attribution


def test_paragraphs_are_kept(visitor, pages_world):
    body = 'First paragraph.\n\n"Second paragraph quote," he said.\nThird.'
    article = factories.ArticleFactory(body=body, content_hash="a" * 64)
    claim_with_text("Second paragraph quote", expert=pages_world.cho, article=article)
    page = html(visitor.get(url(article)))
    gap = '<span class="paragraph-break"></span>'
    assert f"First paragraph.{gap}&quot;<mark" in page and f"he said.{gap}Third." in page
    assert 'class="article-text"' in page


def test_an_article_without_approved_claims_is_public_and_plain(visitor, pages_world):
    response = visitor.get(url(pages_world.a3))
    assert response.status_code == 200
    page = html(response)
    assert "A hidden remark about oil" in page  # the text itself is public
    assert "<mark" not in page
    assert "No claim in this article has been approved yet" in page


def test_curators_see_unapproved_claims_marked(curator_browser, pages_world):
    page = html(curator_browser.get(url(pages_world.a3)))
    assert f'<mark id="claim-{pages_world.c4.pk}" class="claim status-extracted"' in page
    assert '<span class="badge review">awaiting review</span>' in page
    assert "(awaiting review)" in page  # in the mark's title


def test_missing_article_is_404(visitor, db):
    assert visitor.get("/articles/999999/").status_code == 404


def test_hostile_text_is_escaped(visitor, pages_world):
    page = html(visitor.get(url(pages_world.a4)))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; more</mark>" in page
    assert "<h1>Hostile &lt;b&gt;title</h1>" in page


def test_marked_article_escapes_and_skips_bad_spans():
    body = "a <b> quote & more"
    spans = [
        MarkedSpan(2, 5, 1, 10, "approved", 'x" onmouseover="y'),
        MarkedSpan(3, 8, 2, 11, "approved", "overlaps the first"),
        MarkedSpan(15, 99, 3, 12, "approved", "out of range"),
    ]
    out = marked_article(body, spans)
    assert out.count("<mark") == 1
    assert (
        '<mark id="claim-10" class="claim status-approved" title="x&quot; onmouseover=&quot;y">&lt;b&gt;</mark>' in out
    )
    assert out.endswith(" quote &amp; more")


def test_queries_do_not_grow_with_the_claims(visitor, curator_browser, pages_world):
    def article_with(n):
        texts = [f"Claim {i} of {n} about talks" for i in range(n)]
        article = article_with_quotes(*texts, published_on=datetime.date(2022, 2, 2), outlet=pages_world.bbc)
        for text in texts:
            claim_with_text(text, expert=factories.ExpertFactory(), article=article)
        return article

    one, thirty = article_with(1), article_with(30)
    for client in (visitor, curator_browser):
        assert_same_queries(queries_of(client, url(one)), queries_of(client, url(thirty)))
    assert queries_of(visitor, url(one))[0] == 2


def test_marked_article_shows_each_line_as_a_paragraph():
    out = marked_article("First <p>.\nSecond & last.\n\nThird.", [MarkedSpan(0, 5, 1, 10, "approved", "t")])
    assert out.count('<span class="paragraph-break"></span>') == 2
    assert "Second &amp; last." in out and "\n" not in out

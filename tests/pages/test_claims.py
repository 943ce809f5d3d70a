"""The claims search page: filters (the API's grammar), paging, facets, quotes in context, visibility, queries."""

from __future__ import annotations

import datetime

import pytest

from claims.choices import ClaimKind, QuoteType
from claims.pages import site
from tests import factories
from tests.factories import HOSTILE, add_claims, article_with_quotes, claim_with_text
from tests.pages.helpers import assert_same_queries, html, queries_of

pytestmark = pytest.mark.django_db

URL = "/claims/"


def shown(response) -> list[int]:
    return [claim.pk for claim in response.context["claims"]]


def test_lists_approved_claims_newest_first(visitor, pages_world):
    w = pages_world
    response = visitor.get(URL)
    assert response.status_code == 200
    # Newest article first; c1 and c2 share an article, the later id first.
    assert shown(response) == [w.c2.pk, w.c1.pk, w.c5.pk, w.c3.pk]
    assert w.c4.pk not in shown(response)
    assert "A hidden remark about oil" not in html(response)


def test_curators_see_unreviewed_claims_marked_and_can_filter_by_status(curator_browser, pages_world):
    response = curator_browser.get(URL)
    assert pages_world.c4.pk in shown(response)
    assert '<span class="badge review">awaiting review</span>' in html(response)
    assert shown(curator_browser.get(URL + "?status=extracted")) == [pages_world.c4.pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("expert=lankov", {"c1", "c3", "c5"}),
        ("expert=andrey+lankov", {"c1", "c3", "c5"}),  # an alias
        ("organization=KINU", {"c1"}),
        ("outlet=bbc", {"c3"}),
        ("outlet=NK+News", {"c1", "c2", "c5"}),
        ("topic=sanctions", {"c1"}),
        ("kind=prediction", {"c3"}),
        ("published_after=2021-01-01", {"c1", "c2", "c5"}),
        ("published_before=2020-12-31", {"c3"}),
        ("published_after=2021-01-01&published_before=2021-12-31", {"c5"}),
        ("q=seat+table", {"c2"}),
        ("expert=lankov&outlet=nk-news", {"c1", "c5"}),
    ],
)
def test_each_filter_selects_a_strict_subset(visitor, pages_world, query, expected):
    response = visitor.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert set(shown(response)) == {getattr(pages_world, name).pk for name in expected}


def test_quote_type_filter(visitor, pages_world):
    indirect = claim_with_text("They might talk again", expert=pages_world.cho, quote_type=QuoteType.INDIRECT)
    assert shown(visitor.get(URL + "?quote_type=indirect")) == [indirect.pk]


def test_empty_fields_of_a_submitted_form_are_ignored(visitor, pages_world):
    response = visitor.get(URL + "?q=&expert=&organization=&outlet=bbc&topic=&kind=&quote_type=&published_after=")
    assert response.status_code == 200
    assert shown(response) == [pages_world.c3.pk]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("published_after=yesterday", "published_after"),
        ("kind=rumour", "kind"),
        ("speker=x", "speker"),
        ("page=0", "page"),
        ("page=51", "page"),
    ],
)
def test_bad_input_answers_400_and_says_what_is_wrong(visitor, pages_world, query, name):
    response = visitor.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert f"<code>{name}</code>" in html(response)
    assert response.context["claims"] == []


def test_the_form_keeps_the_values_so_the_url_can_be_shared(visitor, pages_world):
    page = html(visitor.get(URL + "?expert=lankov&kind=prediction"))
    assert 'name="expert" value="lankov"' in page
    assert '<option value="prediction" selected>' in page
    assert '<details class="more-filters" open>' in page  # kind is one of the "more" filters


def test_quote_is_highlighted_in_its_sentence_and_escaped(visitor, pages_world):
    page = html(visitor.get(URL + "?outlet=bbc"))
    snippet = page.split('<blockquote class="in-context">')[1].split("</blockquote>")[0]
    # The sentence the quote is in, not the one before it.
    assert snippet == "&quot;<mark>Sanctions will not be lifted before 2020</mark>,&quot; the expert said."
    hostile = html(visitor.get(URL + "?published_after=2021-01-01&published_before=2021-12-31"))
    assert "<script>alert" not in hostile and HOSTILE not in hostile
    assert "<mark>&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt; &amp; more</mark>" in hostile
    assert "Hostile &lt;b&gt;title" in hostile


def test_long_paragraphs_are_cut_with_an_ellipsis(visitor, pages_world):
    filler = " ".join(["word"] * 200)
    body = f'Intro {filler} "The quoted remark stands here," she said {filler} end.'
    article = factories.ArticleFactory(body=body, content_hash="f" * 64, outlet=pages_world.bbc)
    claim_with_text("The quoted remark stands here", expert=pages_world.cho, article=article)
    page = html(visitor.get(URL + "?q=quoted+remark"))
    snippet = page.split('<blockquote class="in-context">')[1].split("</blockquote>")[0]
    assert snippet.startswith("\u2026word") and snippet.endswith("word\u2026")
    assert len(snippet) < 2 * site.CONTEXT + 100


def test_each_result_links_speaker_article_and_source(visitor, pages_world):
    w = pages_world
    page = html(visitor.get(URL + "?outlet=bbc"))
    assert 'href="/experts/andrei-lankov/"' in page
    assert f'href="/articles/{w.a2.pk}/#claim-{w.c3.pk}"' in page
    assert f'href="{w.a2.url}"' in page or not w.a2.url
    assert "BBC · 20 Apr 2019" in page


def test_download_links_carry_the_same_filters(visitor, pages_world):
    page = html(visitor.get(URL + "?expert=lankov&outlet=bbc&page=1"))
    assert 'href="/api/claims?expert=lankov&amp;outlet=bbc&amp;format=csv"' in page
    assert 'href="/api/claims?expert=lankov&amp;outlet=bbc"' in page


def test_the_api_answers_the_download_links(visitor, pages_world):
    assert visitor.get("/api/claims?expert=lankov&outlet=bbc&format=csv").status_code == 200


def test_facets_count_experts_outlets_kinds_and_years_and_link_to_narrower_searches(visitor, pages_world):
    response = visitor.get(URL)
    facets = {facet["title"]: facet["rows"] for facet in response.context["facets"]}
    assert [(r["label"], r["n"]) for r in facets["Expert"]] == [("Andrei Lankov", 3), ("Cho Han-bum", 1)]
    assert [(r["label"], r["n"]) for r in facets["Outlet"]] == [("NK News", 3), ("BBC", 1)]
    assert [(r["label"], r["n"]) for r in facets["Kind"]] == [("Assessment", 3), ("Prediction", 1)]
    assert [(r["label"], r["n"]) for r in facets["Year"]] == [("2024", 2), ("2021", 1), ("2019", 1)]  # newest first
    lankov_url = facets["Expert"][0]["url"]
    assert lankov_url == f"?expert_id={pages_world.lankov.pk}"
    assert set(shown(visitor.get(URL + lankov_url))) == {pages_world.c1.pk, pages_world.c3.pk, pages_world.c5.pk}


def test_facets_are_skipped_above_the_limit(visitor, pages_world, monkeypatch):
    monkeypatch.setattr(site, "FACET_LIMIT", 3)
    response = visitor.get(URL)
    assert response.context["facets"] is None
    assert "More than <strong>3</strong> claims" in html(response)
    assert shown(visitor.get(URL + "?outlet=bbc")) and visitor.get(URL + "?outlet=bbc").context["facets"]


def test_paging_is_bounded_and_links_keep_the_filters(visitor, pages_world, monkeypatch):
    monkeypatch.setattr(site, "PAGE_SIZE", 2)
    first = visitor.get(URL + "?outlet=nk-news")
    assert len(shown(first)) == 2
    assert first.context["links"]["next"] == "?outlet=nk-news&page=2"
    second = visitor.get(URL + "?outlet=nk-news&page=2")
    assert len(shown(second)) == 1 and "next" not in second.context["links"]
    assert not set(shown(first)) & set(shown(second))
    assert 'start="3"' in html(second)


def test_the_last_page_says_the_list_stops(visitor, pages_world, monkeypatch):
    monkeypatch.setattr(site, "PAGE_SIZE", 1)
    monkeypatch.setattr(site, "MAX_PAGE", 2)
    response = visitor.get(URL + "?page=2")
    assert response.context["links"]["capped"] and "The list stops at page 2" in html(response)


def test_no_results_say_what_to_try(visitor, pages_world):
    page = html(visitor.get(URL + "?q=zeppelin"))
    assert "No claims match these filters." in page


def test_expert_name_suggestions(visitor, pages_world):
    assert visitor.get("/experts/names.json?q=lank").json() == {
        "results": [{"name": "Andrei Lankov", "slug": "andrei-lankov"}]
    }
    # Park has no approved claim: not suggested to visitors.
    assert visitor.get("/experts/names.json?q=park").json() == {"results": []}
    assert visitor.get("/experts/names.json?q=l").json() == {"results": []}
    assert visitor.get("/experts/names.json?q=" + "x" * 201).status_code == 400


def test_curators_get_every_expert_suggested(curator_browser, pages_world):
    assert curator_browser.get("/experts/names.json?q=park").json()["results"][0]["slug"] == "park-won-gon"


def test_queries_do_not_grow_with_the_data(visitor, pages_world):
    for url in (URL, URL + "?expert=lankov&kind=prediction", URL + "?q=remark"):
        before = queries_of(visitor, url)
        add_claims(30, expert=pages_world.lankov)
        after = queries_of(visitor, url)
        assert_same_queries(before, after)
        assert before[0] <= 8  # + the expert name lookup, before[1]


def test_many_claims_of_one_article(visitor, pages_world):
    texts = [f"Remark {i} about the border" for i in range(3)]
    article = article_with_quotes(*texts, outlet=pages_world.bbc, published_on=datetime.date(2023, 5, 5))
    made = [claim_with_text(t, expert=pages_world.cho, article=article, kind=ClaimKind.FACTUAL) for t in texts]
    response = visitor.get(URL + f"?article={article.pk}")
    assert set(shown(response)) == {c.pk for c in made}


def test_facets_count_the_filtered_claims_only(visitor, pages_world):
    facets = {f["title"]: f["rows"] for f in visitor.get(URL + "?expert=lankov").context["facets"]}
    assert [(r["label"], r["n"]) for r in facets["Expert"]] == [("Andrei Lankov", 3)]
    assert [(r["label"], r["n"]) for r in facets["Outlet"]] == [("NK News", 2), ("BBC", 1)]


def test_the_expert_kind_filter_tells_analysts_from_officials(visitor, pages_world):
    from claims.models import Expert

    Expert.objects.filter(pk=pages_world.cho.pk).update(kind="official")
    Expert.objects.filter(pk=pages_world.lankov.pk).update(kind="academic")
    page = html(visitor.get(URL))
    assert 'name="expert_kind"' in page and '<option value="official">Official</option>' in page
    assert set(shown(visitor.get(f"{URL}?expert_kind=official"))) == {pages_world.c2.pk}
    assert set(shown(visitor.get(f"{URL}?expert_kind=academic"))) == {
        pages_world.c1.pk,
        pages_world.c3.pk,
        pages_world.c5.pk,
    }
    assert visitor.get(f"{URL}?expert_kind=wizard").status_code == 400


@pytest.mark.postgres
@pytest.mark.parametrize("cap", [2, 5_000])
def test_a_visitors_search_by_words_counts_from_the_public_search_table(visitor, curator_browser, monkeypatch, cap):
    """The count (and the facets' claims) of a search by words alone come from the approved claims' vectors,
    the same as a curator's search of the approved claims gives; the page's claims are the newest, as always."""
    from claims.choices import ReviewStatus
    from claims.selectors.search import PUBLIC_SEARCH_TABLE

    monkeypatch.setattr(site, "FACET_LIMIT", cap)
    expert = factories.ExpertFactory(name="Andrei Lankov")
    made = [claim_with_text(f"Sanctions will hold, round {n}", expert=expert) for n in range(4)]
    claim_with_text("Sanctions awaiting review", expert=expert, status=ReviewStatus.EXTRACTED)
    count, statements = queries_of(visitor, URL + "?q=sanctions")
    assert any(PUBLIC_SEARCH_TABLE in sql for sql in statements)
    response = visitor.get(URL + "?q=sanctions")
    reviewed = curator_browser.get(URL + "?q=sanctions&status=approved")
    assert (response.context["total"], response.context["total_capped"]) == (
        reviewed.context["total"],
        reviewed.context["total_capped"],
    )
    facets = [[(r["label"], r["n"]) for r in f["rows"]] for f in response.context["facets"] or []]
    assert facets == [[(r["label"], r["n"]) for r in f["rows"]] for f in reviewed.context["facets"] or []]
    assert bool(facets) == (cap > 4)
    assert shown(response) == shown(reviewed) == [c.pk for c in reversed(made)]
    assert count == queries_of(visitor, URL + "?q=sanctions+-relief")[0]


@pytest.mark.postgres
@pytest.mark.parametrize("cap", [3, 5_000])
def test_a_visitors_search_by_words_pages_newest_first_from_the_public_search_table(
    visitor, curator_browser, monkeypatch, cap
):
    """With at most FACET_LIMIT matches the page's claims are read by id, in the order the public search table
    gives (its dates, migration 0017), not by walking every claim by date testing its vector (the whole date
    index for a word that matches nothing); above the limit the walk remains. Either way the pages are those of
    the approved claims newest first: the same as a curator's search of the approved claims, page by page."""
    from claims.choices import ReviewStatus

    monkeypatch.setattr(site, "FACET_LIMIT", cap)
    monkeypatch.setattr(site, "PAGE_SIZE", 2)
    expert = factories.ExpertFactory(name="Andrei Lankov")
    days = [datetime.date(2019, 5, 1), datetime.date(2021, 2, 3), datetime.date(2019, 5, 1), datetime.date(2020, 7, 9)]
    for n, day in enumerate(days):
        claim_with_text(f"Sanctions will hold, round {n}", expert=expert, published_on=day)
    claim_with_text("Sanctions awaiting review", expert=expert, status=ReviewStatus.EXTRACTED)
    claim_with_text("Talks will fail", expert=expert)
    pages = []
    for page in (1, 2, 3):
        response = visitor.get(f"{URL}?q=sanctions&page={page}")
        reviewed = curator_browser.get(f"{URL}?q=sanctions&status=approved&page={page}")
        assert shown(response) == shown(reviewed)
        assert response.context["links"] == {
            key: value.replace("&status=approved", "") if isinstance(value, str) else value
            for key, value in reviewed.context["links"].items()
        }
        pages.append(shown(response))
    assert [len(page) for page in pages] == [2, 2, 0]
    _, statements = queries_of(visitor, URL + "?q=sanctions")
    walks = [sql for sql in statements if '"claims_claim"."text_search" @@' in sql]
    assert bool(walks) == (cap < len(days))
    _, statements = queries_of(visitor, URL + "?q=zeppelin")
    assert not [sql for sql in statements if '"claims_claim"."text_search" @@' in sql]


def test_the_listed_claims_are_read_with_what_the_list_shows_only(visitor, pages_world):
    """The page's claims statement selects the columns a claim item shows (claims.selectors.claims.CLAIM_ITEM_FIELDS),
    not the claim's notes or text, nor the article's authors, metadata or the outlet's domain (the query-count tests
    check that no deferred field is read later, one query per claim)."""
    for url in (URL, URL + "?q=sanctions", f"/experts/{pages_world.lankov.slug}/"):
        _, statements = queries_of(visitor, url)
        (listed,) = [sql for sql in statements if sql.startswith('SELECT "claims_claim"."id"') and "body_window" in sql]
        columns = set(listed.split(" FROM ")[0].removeprefix("SELECT ").split(", "))
        assert {'"claims_claim"."status"', '"claims_article"."title"', '"claims_outlet"."name"'} <= columns, url
        unshown = {'"claims_claim"."text"', '"claims_claim"."notes"', '"claims_article"."authors"'}
        assert not columns & (unshown | {'"claims_article"."metadata_sources"', '"claims_outlet"."domain"'}), url

"""The expert page: names, affiliations, claims (paged), claims per year, forecasts and track record, co-quoted."""

from __future__ import annotations

import datetime
import re

import pytest

from claims.pages import site
from claims.pages.charts import year_chart
from tests import factories
from tests.factories import HOSTILE, add_claims, article_with_quotes, claim_with_text
from tests.pages.helpers import assert_same_queries, html, queries_of

pytestmark = pytest.mark.django_db

LANKOV = "/experts/andrei-lankov/"


def test_names_aliases_and_affiliations(visitor, pages_world):
    factories.AffiliationFactory(
        expert=pages_world.lankov,
        organization=factories.OrganizationFactory(name="Kookmin University"),
        role="professor",
        is_former=True,
        start_date=datetime.date(2004, 3, 1),
        end_date=datetime.date(2020, 2, 1),
    )
    response = visitor.get(LANKOV)
    assert response.status_code == 200
    page = html(response)
    assert "<h1>Andrei Lankov</h1>" in page
    assert "<li>Andrey Lankov</li>" in page
    assert "visiting fellow, Korea Institute for National Unification" in page
    assert "former professor, Kookmin University" in page and "(Mar 2004 – Feb 2020)" in page


def test_approved_claims_only_for_visitors(visitor, pages_world):
    response = visitor.get(LANKOV)
    assert {c.pk for c in response.context["claims"]} == {pages_world.c1.pk, pages_world.c3.pk, pages_world.c5.pk}
    hidden = claim_with_text("An unreviewed aside", expert=pages_world.lankov, status="extracted")
    assert hidden.pk not in {c.pk for c in visitor.get(LANKOV).context["claims"]}


def test_experts_without_an_approved_claim_are_404_for_visitors(visitor, pages_world):
    assert visitor.get("/experts/park-won-gon/").status_code == 404
    assert visitor.get("/experts/nobody-at-all/").status_code == 404


def test_curators_see_them_marked(curator_browser, pages_world):
    response = curator_browser.get("/experts/park-won-gon/")
    assert response.status_code == 200
    page = html(response)
    assert "not public" in page and "A hidden remark about oil" in page
    assert '<span class="badge review">awaiting review</span>' in page


def test_claims_per_year_chart(visitor, pages_world):
    response = visitor.get(LANKOV)
    years = response.context["years"]
    assert years.total == 3 and years.undated == 0
    page = html(response)
    # The chart (drawn by pygal) is in the page, with every year, empty ones included, in its description.
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'class="chart year-chart"' in page
    assert "2019: 1. 2020: 0. 2021: 1. 2022: 0. 2023: 0. 2024: 1." in page


def test_year_chart_counts_undated_claims_apart():
    years = year_chart([(None, 2), (2020, 4), (2022, 1)])
    assert years.undated == 2 and years.total == 7
    svg = str(years.chart)
    assert "2020: 4. 2021: 0. 2022: 1. Undated: 2." in svg
    # One bar per year, the tallest for 2020; an empty year's bar has no height.
    heights = [float(h) for h in re.findall(r'<rect[^>]* height="([\d.]+)"[^>]*class="rect', svg)]
    assert len(heights) == 3 and heights[0] > heights[2] > heights[1] == 0
    assert year_chart([(None, 3)]).chart is None


def test_forecasts_with_outcomes_and_track_record(visitor, pages_world):
    page = html(visitor.get(LANKOV))
    assert "Forecasts and track record" in page
    assert f'href="/predictions/{pages_world.prediction.pk}/"' in page
    assert '<span class="badge verdict-pending">Pending</span>' in page  # colour says whether they were right
    assert "Brier score" in page and 'class="chart calibration"' in page
    assert "Caution:" in page  # no judged forecast yet


def test_no_forecasts_no_track_record(visitor, pages_world):
    page = html(visitor.get("/experts/cho-han-bum/"))
    assert "Forecasts and track record" not in page


def test_co_quoted_experts_by_shared_articles(visitor, pages_world):
    w = pages_world
    third = factories.ExpertFactory(name="Third Person", slug="third-person")
    for day in (1, 2):
        article = article_with_quotes(
            f"Lankov remark {day}", f"Third remark {day}", published_on=datetime.date(2023, 1, day), outlet=w.bbc
        )
        claim_with_text(f"Lankov remark {day}", expert=w.lankov, article=article)
        claim_with_text(f"Third remark {day}", expert=third, article=article)
    # Park shares an article too, but his claim is not approved: not listed for visitors.
    claim_with_text("Moscow wants a seat", expert=w.park, article=w.a1, status="extracted")
    rows = visitor.get(LANKOV).context["co_quoted"]
    assert [(r["slug"], r["articles"]) for r in rows] == [("third-person", 2), ("cho-han-bum", 1)]
    assert 'href="/experts/third-person/"' in html(visitor.get(LANKOV))


def test_claims_are_paged(visitor, pages_world, monkeypatch):
    monkeypatch.setattr(site, "PAGE_SIZE", 2)
    first = visitor.get(LANKOV)
    second = visitor.get(LANKOV + "?page=2")
    assert len(first.context["claims"]) == 2 and len(second.context["claims"]) == 1
    assert first.context["links"]["next"] == "?page=2"
    assert visitor.get(LANKOV + "?page=x").status_code == 400


def test_hostile_text_is_escaped(visitor, pages_world):
    page = html(visitor.get(LANKOV))
    assert "<script>alert" not in page and HOSTILE not in page
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in page


def test_expert_names_link_here_from_the_other_pages(visitor, pages_world):
    assert f'href="{LANKOV}"' in html(visitor.get("/claims/"))
    assert f'href="{LANKOV}"' in html(visitor.get(f"/articles/{pages_world.a1.pk}/"))
    assert f'href="{LANKOV}"' in html(visitor.get("/"))


def test_queries_do_not_grow_with_the_data(visitor, curator_browser, pages_world):
    counts = []
    for client in (visitor, curator_browser):
        before = queries_of(client, LANKOV)
        add_claims(30, expert=pages_world.lankov)
        after = queries_of(client, LANKOV)
        assert_same_queries(before, after)
        counts.append(before[0])
    # The expert with aliases and affiliations (3), a page of claims, forecasts, track record (its stored counts),
    # years, co-quoted.
    assert counts[0] == 8
    # A curator's session, user and permissions (4), and whether the expert is public.
    assert counts[1] == 13


def test_co_quoted_looks_at_the_articles_of_the_newest_claims_only(pages_world):
    from claims.selectors.people import co_quoted_experts

    w = pages_world
    older = article_with_quotes("Lankov in 2010", "Other in 2010", published_on=datetime.date(2010, 1, 1))
    other = factories.ExpertFactory(name="Older Colleague", slug="older-colleague")
    claim_with_text("Lankov in 2010", expert=w.lankov, article=older)
    claim_with_text("Other in 2010", expert=other, article=older)
    everyone = [r["slug"] for r in co_quoted_experts(user=None, expert=w.lankov)]
    assert everyone == ["cho-han-bum", "older-colleague"]
    # Lankov's newest claim is in a1 (2024), where Cho is quoted too.
    assert [r["slug"] for r in co_quoted_experts(user=None, expert=w.lankov, articles=1)] == ["cho-han-bum"]


def test_the_expert_page_says_what_kind_of_person(visitor, pages_world):
    from claims.models import Expert

    assert 'class="badge kind-other"' in html(visitor.get(LANKOV))
    Expert.objects.filter(pk=pages_world.lankov.pk).update(kind="academic", kind_curated=True)
    page = html(visitor.get(LANKOV))
    assert '<span class="badge kind-academic"' in page and ">Academic</span>" in page
    assert "checked by a curator" in page


def test_the_forecasts_are_read_with_what_the_list_shows_only(visitor, curator_browser, pages_world):
    """One statement: each forecast's shown fields, its claim's status and its article's date, no other column of the
    claim, the article or its outlet (building those cost the page a third of its Python); nothing read later."""
    for client in (visitor, curator_browser):
        _, statements = queries_of(client, LANKOV)
        (forecasts,) = [sql for sql in statements if sql.startswith('SELECT "claims_prediction"')]
        selected = forecasts.split(" FROM ")[0]
        shown = ('"claims_prediction"."proposition"', '"claims_claim"."status"', '"claims_article"."published_on"')
        assert all(column in selected for column in shown), selected
        for column in ('"claims_claim"."text"', '"claims_claim"."notes"', '"claims_article"."title"', "claims_outlet"):
            assert column not in forecasts
        assert not [sql for sql in statements if "claims_prediction" in sql and sql != forecasts]

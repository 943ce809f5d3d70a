"""The home page: what the database holds, newest claims, forecasts due, most quoted, search; visibility; queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from claims.choices import ReviewStatus
from claims.pages.site import home_page_key
from tests import factories
from tests.factories import HOSTILE, add_claims, claim_with_text
from tests.pages.helpers import assert_same_queries, html, queries_of

pytestmark = pytest.mark.django_db


def test_the_root_is_the_home_page_not_a_redirect(visitor, pages_world):
    response = visitor.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "claims/home.html"


def test_counts_of_what_the_public_sees(visitor, pages_world):
    response = visitor.get("/")
    page = html(response)
    # 4 approved claims (Park's awaits review), 2 experts with one (Lankov, Cho), 4 articles, 2 outlets, 1 forecast.
    counts = response.context["counts"]
    assert counts == {"claims": 4, "experts": 2, "articles": 4, "outlets": 2, "forecasts": 1}
    assert "awaiting review" not in page


def test_curators_also_see_how_many_await_review(curator_browser, pages_world):
    response = curator_browser.get("/")
    assert response.context["counts"]["awaiting_review"] == 1
    assert "awaiting review" in html(response)


def test_newest_claims_are_approved_ones_newest_first(visitor, pages_world):
    page = html(visitor.get("/"))
    assert page.index("The talks will go nowhere") < page.index("Sanctions will not be lifted before 2020")
    assert "A hidden remark about oil" not in page
    assert 'href="/experts/andrei-lankov/"' in page
    assert f'href="/articles/{pages_world.a1.pk}/#claim-{pages_world.c1.pk}"' in page


def test_curators_see_unreviewed_claims_marked(curator_browser, pages_world):
    page = html(curator_browser.get("/"))
    assert "A hidden remark about oil" in page
    assert '<span class="badge review">awaiting review</span>' in page


def test_forecasts_due_are_pending_with_a_past_horizon(visitor, pages_world):
    resolved = add_claims(1, year=2018)[0].prediction
    resolved.outcome = "came_true"
    resolved.resolved_at = timezone.now()
    resolved.resolved_by = factories.UserFactory(username="resolver")
    resolved.resolution_note = "It happened."
    resolved.save()
    future = add_claims(1, year=timezone.localdate().year + 2)[0].prediction
    page = html(visitor.get("/"))
    due = page.split('id="due-title"')[1].split("</section>")[0]
    assert "Sanctions will not be lifted before 2020." in due
    assert resolved.proposition not in due and future.proposition not in due


def test_most_quoted_in_the_last_30_days(visitor, pages_world):
    today = timezone.localdate()
    recent = factories.ExpertFactory(name="Recent Speaker", slug="recent-speaker")
    claim_with_text("Said only last week", expert=recent, published_on=today - datetime.timedelta(days=7))
    response = visitor.get("/")
    assert [row["slug"] for row in response.context["quoted"]] == ["recent-speaker"]
    assert response.context["quoted_all_time"] is False
    assert "In articles of the last 30 days." in html(response)


def test_most_quoted_falls_back_to_all_time_and_says_so(visitor, pages_world):
    response = visitor.get("/")
    assert response.context["quoted_all_time"] is True
    assert [(row["slug"], row["n"]) for row in response.context["quoted"]] == [("andrei-lankov", 3), ("cho-han-bum", 1)]
    assert "All time: nobody was quoted in articles of the last 30 days." in html(response)


def test_search_box_and_links_to_the_api(visitor, pages_world):
    page = html(visitor.get("/"))
    assert 'action="/claims/" method="get"' in page and 'name="q"' in page
    assert 'href="/api/"' in page and 'href="/api/docs/"' in page
    for label in ("Home", "Claims", "Predictions", "API", "API docs"):
        assert f">{label}</a>" in page


def test_hostile_text_is_escaped(visitor, pages_world):
    page = html(visitor.get("/"))
    assert HOSTILE not in page and "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in page


def test_an_empty_database_says_so(visitor, db):
    page = html(visitor.get("/"))
    assert "No claims have been approved yet" in page and "Nobody yet." in page


def test_queries_do_not_grow_with_the_data(visitor, pages_world):
    before = queries_of(visitor, "/")
    add_claims(30, year=2018)
    after = queries_of(visitor, "/")
    assert_same_queries(before, after)
    assert before[0] <= 9


def test_counts_are_cached(visitor, pages_world):
    first = visitor.get("/")
    claim_with_text("One more", expert=pages_world.cho, status=ReviewStatus.APPROVED)
    assert visitor.get("/").content == first.content  # the public's page is kept whole for a minute
    cache.delete(home_page_key(timezone.localdate()))
    assert visitor.get("/").context["counts"]["claims"] == 4  # the counts, five minutes


def test_curators_home_page_is_live(curator_browser, pages_world):
    curator_browser.get("/")
    claim_with_text("A claim to review", expert=pages_world.cho, status=ReviewStatus.EXTRACTED)
    assert "A claim to review" in html(curator_browser.get("/"))


@pytest.mark.parametrize("path", ["/no-such-page/", "/experts/nobody-at-all/", "/predictions/999999/"])
def test_a_missing_page_keeps_the_site_frame_and_shows_the_ways_on(visitor, path):
    response = visitor.get(path)
    assert response.status_code == 404
    page = html(response)
    assert '<header class="site">' in page and "<title>Not found · Expert claims</title>" in page
    assert f"<code>{path}</code>" in page
    for link in ('href="/"', 'href="/claims/"', 'href="/predictions/"'):
        assert link in page.split('class="ways-on"')[1]


def test_a_missing_api_address_still_answers_json(visitor):
    response = visitor.get("/api/no-such-endpoint")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


def test_the_server_error_page_renders_without_a_request():
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "Something went wrong on our side" in page and 'href="/claims/"' in page

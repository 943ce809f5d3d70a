"""Every page, at 1366x900 and 390x844, with the curated fixtures and with 1,000 generated claims.

The public pages (home, claims search, an expert, an article, the forecasts, one forecast, not found) and the
login page have no click target lower or narrower than 24 CSS px in their main content, whatever their <details>
fold away (WCAG 2.2, 2.5.8; what is measured and what is excepted: tests/browser/helpers.py); the admin's index,
review queue, claim page, Add articles and due forecasts neither, or (their dense lists) none closer than 24 px.
The pages the other walks leave out get a full-page screenshot in artifacts/screenshots/ (git-ignored): a
forecast's page, not found, the login page, and, logged in as a curator, the admin's review queue, a claim's
change page, Add articles and the forecasts due for judgement. Nothing is wider than the screen, nothing in a
public page scrolls sideways; no console error, no request leaves the site.
"""

from __future__ import annotations

import re

import pytest
from django.db.models import Count

from claims.models import Article, Claim, Expert, Prediction
from tests.browser.helpers import PASSWORD, VIEWPORTS, scrolling_sideways, small_targets, visit
from tests.conftest import open_page

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def public_pages(server) -> dict[str, str]:
    """The public pages to measure, named: the expert with the most approved claims (pager), an article with one."""
    expert = (
        Expert.objects.filter(claims__status="approved")
        .annotate(n=Count("claims"))
        .order_by("-n", "id")
        .values_list("slug", flat=True)
        .first()
    )
    article = Article.objects.filter(claims__status="approved").order_by("id").values_list("id", flat=True).first()
    prediction = Prediction.objects.filter(claim__status="approved").order_by("id").values_list("id", flat=True).first()
    assert expert and article and prediction
    return {
        "home": "/",
        "claims": "/claims/?q=the",
        "expert": f"/experts/{expert}/",
        "article": f"/articles/{article}/",
        "predictions": "/predictions/",
        "prediction": f"/predictions/{prediction}/",
    }


@pytest.fixture(params=["curated", "generated"])
def world(request):
    return request.param, request.getfixturevalue(request.param)


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_every_page_with_click_targets_of_at_least_24px_square(world, browser, curator, viewport):
    name, server = world
    base, tag = server.url, "" if name == "curated" else "-generated"
    page, problems = open_page(browser, server, viewport=VIEWPORTS[viewport])
    too_small, sideways = {}, {}
    for key, path in public_pages(server).items():
        shot = f"{key}-review{tag}" if key == "prediction" else None
        visit(page, f"{base}{path}", viewport=viewport, shot=shot)
        # Nothing scrolls sideways inside the page either (a phone gets a timeline drawn for its width).
        scrolling = scrolling_sideways(page)
        if scrolling:
            sideways[key] = scrolling
        too_small[key] = small_targets(page)
    assert sideways == {}
    visit(page, f"{base}/experts/nobody-at-all/", viewport=viewport, status=404, shot=f"not-found{tag}")
    expect(page.locator("h1")).to_have_text("Nothing here")
    # The browser reports the page's own 404 status on the console: expected here, and only here.
    problems.remove("console error: Failed to load resource: the server responded with a status of 404 (Not Found)")
    too_small["not found"] = small_targets(page)
    visit(page, f"{base}/admin/login/?next=/admin/", viewport=viewport, shot=f"login{tag}")
    too_small["login"] = small_targets(page)
    assert {key: found for key, found in too_small.items() if found} == {}

    # The curator's pages.
    page.fill("#id_username", curator.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    # The admin's click targets too, its dense lists under WCAG's spacing exception (tests/browser/helpers.py).
    too_small = {"admin index": small_targets(page, spacing=True)}
    visit(page, f"{base}/admin/claims/claim/", viewport=viewport, shot=f"admin-queue-full{tag}")
    too_small["admin queue"] = small_targets(page, spacing=True)
    queue = Claim.objects.filter(status="extracted").order_by("id")
    claim = (queue.first() or Claim.objects.order_by("id").first()).pk
    visit(page, f"{base}/admin/claims/claim/{claim}/change/", viewport=viewport, shot=f"admin-claim-change{tag}")
    expect(page.locator("#claim_form")).to_be_visible()
    too_small["admin claim"] = small_targets(page, spacing=True)
    visit(page, f"{base}/admin/claims/article/add-articles/", viewport=viewport, shot=f"admin-add-articles-form{tag}")
    expect(page.locator("#add-articles-form")).to_be_visible()
    too_small["admin add articles"] = small_targets(page, spacing=True)
    visit(page, f"{base}/admin/claims/prediction/?due=yes", viewport=viewport, shot=f"admin-due-full{tag}")
    too_small["admin due"] = small_targets(page, spacing=True)
    assert {key: found for key, found in too_small.items() if found} == {}
    visit(page, f"{base}/", viewport=viewport, shot=f"home-curator{tag}")
    assert problems == [], problems

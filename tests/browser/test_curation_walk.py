"""The curator's queue in headless Chromium, with 1,000 generated claims: the claim list opens on the review queue
in compact rows (the whole quote, the speaker and the confidence, no column under the filter sidebar), and the
claim page's review bar approves with the keyboard and opens the next claim; the forecasts due for judgement.

Screenshots at 1366x900 and 390x844 go to artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claims.choices import ReviewStatus
from claims.models import Claim
from tests.conftest import open_page
from tests.factories import SMALL, ClaimFactory, dated_article, extracted_claim

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
PASSWORD = "correct horse battery staple"  # tests/factories.py UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def generated(live_server, curator):
    from dataclasses import replace

    from claims.services.synthetic import synthetic_generate

    synthetic_generate(spec=replace(SMALL, articles=250, claims=1_000, body_chars=1_500))
    return live_server


def log_in(page, server, user) -> None:
    page.goto(f"{server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def shot(page, name: str, viewport: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{viewport}.png"))


def assert_filters_full_width(page) -> None:
    """On a phone the filter sidebar, under the list, is as wide as the list (not a narrow column beside nothing)."""
    sidebar = page.locator("#changelist-filter").bounding_box()
    changelist = page.locator("#changelist").bounding_box()
    assert sidebar["width"] >= changelist["width"] - 2, (sidebar, changelist)


def test_the_queue_fits_a_laptop_screen_and_the_keyboard_approves(generated, browser, curator):
    page, problems = open_page(browser, generated, viewport=VIEWPORTS["desktop"])
    log_in(page, generated, curator)
    page.goto(f"{generated.url}/admin/claims/claim/")
    rows = page.locator("#result_list tbody tr")
    expect(rows.first).to_be_visible()
    expect(page.locator("#changelist-filter")).to_contain_text("Awaiting review (the queue)")
    # Nothing wider than the screen, and the last column ends before the filter sidebar starts.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    last_column = page.locator("#result_list thead th").last.bounding_box()
    sidebar = page.locator("#changelist-filter").bounding_box()
    assert last_column["x"] + last_column["width"] <= sidebar["x"], (last_column, sidebar)
    # The whole quote is in the row.
    first_id = int(rows.first.locator("input.action-select").get_attribute("value"))
    first = Claim.objects.get(pk=first_id)
    expect(rows.first).to_contain_text(" ".join(first.text.split()))
    # At least twenty rows fit a 1366 x 768 laptop screen.
    page.set_viewport_size({"width": 1366, "height": 768})
    heights = [box["height"] for box in (row.bounding_box() for row in rows.all()[:20])]
    on_screen = sum(1 for row in rows.all() if row.bounding_box()["y"] + row.bounding_box()["height"] <= 768)
    print(f"\nreview queue at 1366x768: {on_screen} rows on the first screen; row heights {heights}")
    shot(page, "admin-queue", "laptop-768")
    assert on_screen >= 20, (on_screen, heights)
    page.set_viewport_size(VIEWPORTS["desktop"])
    shot(page, "admin-queue", "desktop")

    # Open the first claim of the queue; A approves it and opens the next one; N skips on.
    rows.first.locator("th a").click()
    expect(page.locator("#review-bar")).to_be_visible()
    shot(page, "admin-claim-review", "desktop")
    if first.expert_id is None:
        expect(page.locator("#review-approve")).to_be_disabled()
        page.keyboard.press("r")
        expected = ReviewStatus.REJECTED
    else:
        page.keyboard.press("a")
        expected = ReviewStatus.APPROVED
    expect(page.locator(".messagelist .success")).to_contain_text("Next in the queue")
    first.refresh_from_db()
    assert first.status == expected and first.reviewed_by == curator
    second_url = page.url
    assert f"/{first.pk}/change/" not in second_url
    # Keys typed into a field are text, not commands.
    page.locator("#id_notes").press("a")
    expect(page).to_have_url(second_url)
    page.locator("body").click(position={"x": 5, "y": 5})
    with page.expect_navigation():
        page.keyboard.press("n")
    assert page.url != second_url
    assert problems == [], problems


def test_the_queue_and_the_due_forecasts_on_a_phone_and_a_laptop(generated, browser, curator):
    for viewport in ("desktop", "phone"):
        page, problems = open_page(browser, generated, viewport=VIEWPORTS[viewport])
        log_in(page, generated, curator)
        page.goto(f"{generated.url}/admin/claims/claim/")
        expect(page.locator("#result_list tbody tr").first).to_be_visible()
        if viewport == "phone":
            shot(page, "admin-queue", viewport)
            assert_filters_full_width(page)
        page.goto(f"{generated.url}/admin/claims/prediction/")
        page.get_by_role("link", name=re.compile(r"Due for judgement \(\d+\)")).click()
        expect(page).to_have_url(re.compile(r"due=yes"))
        expect(page.locator("#result_list tbody tr").first).to_be_visible()
        expect(page.locator("#result_list tbody tr").first).to_contain_text("Pending")
        shot(page, "admin-due", viewport)
        if viewport == "phone":
            assert_filters_full_width(page)
        first_claim = Claim.objects.filter(status=ReviewStatus.EXTRACTED).order_by("id").first()
        page.goto(f"{generated.url}/admin/claims/claim/{first_claim.pk}/change/")
        expect(page.locator("#review-bar")).to_be_visible()
        if viewport == "phone":
            shot(page, "admin-claim-review", viewport)
        assert problems == [], problems
        page.context.close()


# A key pressed on the page, as the browser dispatches it: True when the review bar acted on it (it then prevents the
# key's default).
PRESS = """(key) => {
  const event = new KeyboardEvent("keydown", {key, bubbles: true, cancelable: true});
  document.body.dispatchEvent(event);
  return event.defaultPrevented;
}"""


def test_the_review_bar_offers_and_keys_only_the_decisions_that_change_the_claim(live_server, browser, curator):
    approved = ClaimFactory(article=dated_article(2025))
    waiting = extracted_claim(article=dated_article(2020))
    page, problems = open_page(browser, live_server, viewport=VIEWPORTS["desktop"])
    log_in(page, live_server, curator)
    page.goto(f"{live_server.url}/admin/claims/claim/{approved.pk}/change/")
    expect(page.locator("#review-status")).to_have_text("Approved")
    expect(page.locator("#review-approve")).to_have_count(0)
    expect(page.locator("#review-help")).to_contain_text("Keys: R, N (outside text fields).")
    shot(page, "admin-claim-approved", "desktop")
    # A approves nothing here: the bar does not offer it, so the key is not taken.
    assert page.evaluate(PRESS, "a") is False
    # R rejects it, and the next claim of the queue opens.
    with page.expect_navigation():
        page.keyboard.press("r")
    expect(page).to_have_url(re.compile(rf"/{waiting.pk}/change/$"))
    approved.refresh_from_db()
    assert approved.status == ReviewStatus.REJECTED
    page.goto(f"{live_server.url}/admin/claims/claim/{approved.pk}/change/")
    expect(page.locator("#review-status")).to_have_text("Rejected")
    expect(page.locator("#review-reject")).to_have_count(0)
    assert page.evaluate(PRESS, "r") is False
    assert problems == [], problems

"""The API's HTML faces in headless Chromium: Swagger UI from local assets under the CSP, and the
browsable API with its filter form, reached with the admin's session (one login for both)."""

from __future__ import annotations

import os

import pytest

from tests import factories

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct horse battery staple"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def browser_page(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        # Requests cut short by navigating away (net::ERR_ABORTED) are not failures.
        page.on(
            "requestfailed",
            lambda r: (
                problems.append(f"request failed: {r.url} {r.failure}") if "ABORTED" not in (r.failure or "") else None
            ),
        )
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
        page.set_default_timeout(10_000)
        yield page, problems, outside
        browser.close()


def test_swagger_ui_renders_offline_under_the_csp(live_server, browser_page):
    page, problems, outside = browser_page
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Expert claims API")
    expect(page.locator(".opblock-summary-path", has_text="/api/claims/").first).to_be_visible()
    assert outside == [], f"requests left the site: {outside}"
    assert problems == [], problems


def test_browsable_api_shows_filters_and_shares_the_admin_session(live_server, browser_page, curator):
    factories.ClaimFactory(status="extracted", reviewed_at=None)
    page, problems, _ = browser_page
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", curator.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/api/claims?status=extracted")
    expect(page.locator("body")).to_contain_text('"status": "extracted"')  # a curator sees the queue
    expect(page.get_by_role("button", name="Filters")).to_be_visible()
    expect(page.locator("body")).to_contain_text(curator.username)  # logged in, no second login
    assert problems == [], problems

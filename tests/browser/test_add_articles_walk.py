"""The admin's "Add articles" page in headless Chromium: a curator pastes three addresses served by a local HTTP
server (and one that 404s), submits, and reads what happened: three new articles with their claims in the review
queue, the fourth reported. The claims link leads to that article's queue.

Screenshots at 1366x900 and 390x844 go to artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claims.models import Article
from tests import webpages
from tests.conftest import open_page
from tests.webpages import Server, html, story_page

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
PASSWORD = "correct horse battery staple"  # tests/factories.py UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def news_site(settings):
    # The site is on 127.0.0.1, which addresses typed by a user are not fetched from unless allowed.
    settings.INGEST_FETCHER = {"host_delay": 0, "read_timeout": 5, "allow_private": True}
    outlets = {1: "The Daily Example", 2: "Example Times", 3: "Example Wire"}
    routes = {f"/story/{n}": html(story_page(n, outlet=o, author=f"Reporter {n}")) for n, o in outlets.items()}
    with Server(routes) as running:
        yield running


def log_in(page, server, user) -> None:
    page.goto(f"{server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_paste_addresses_submit_and_see_the_results(live_server, browser, curator, news_site, viewport):
    page, problems = open_page(browser, live_server, viewport=VIEWPORTS[viewport])
    log_in(page, live_server, curator)
    page.goto(f"{live_server.url}/admin/claims/article/")
    page.get_by_role("link", name=re.compile("Add articles", re.IGNORECASE)).click()
    expect(page.locator("#add-articles-form")).to_be_visible()
    # Every field of both fieldsets has its label (one include lays out every row).
    for name in ("urls", "text", "files", "title", "outlet", "date"):
        expect(page.locator(f"label[for=id_{name}]")).to_have_count(1)
    addresses = [news_site.url(f"/story/{n}") for n in (1, 2, 3)] + [news_site.url("/missing")]
    page.fill("#id_urls", "\n".join(addresses))
    page.locator("#add-articles-form input[type=submit]").click()

    rows = page.locator("#ingest-results tbody tr")
    expect(rows).to_have_count(4)
    expect(page.locator("#ingest-results tr.ingest-new")).to_have_count(3)
    expect(rows.nth(3)).to_contain_text("failed: 404 Not Found")
    for n in (1, 2, 3):
        expect(rows.nth(n - 1)).to_contain_text(f"{webpages.TITLE} (part {n})")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"admin-add-articles-{viewport}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]

    # The first article's claims, in the review queue.
    article = Article.objects.get(url=addresses[0])
    claims = article.claims.count()
    assert claims > 0
    rows.first.get_by_role("link", name=re.compile(r"claims? in the review queue")).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(claims)
    assert problems == [], problems

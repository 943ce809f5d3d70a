"""The public pages in headless Chromium: home, claims search, an expert, an article.

Walked with the curated fixtures and with 1,000 generated claims, at 1366x900 and 390x844: no console error,
no request leaving the site, nothing wider than the screen; the search works with and without JavaScript and
its links lead to the expert and article pages. Screenshots go to artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

import re

import pytest
from django.db.models import Count

from claims.models import Article, Expert
from tests.browser.helpers import SCREENSHOTS, VIEWPORTS, visit
from tests.conftest import open_page

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def walk(page, server, viewport: str, *, expert: str, article: int, tag: str) -> None:
    visit(page, f"{server.url}/", shot=f"home{tag}", viewport=viewport)
    expect(page.locator("h1")).to_have_text("Who said what, and did it come true?")
    expect(page.locator(".counts")).to_contain_text("approved claims")
    visit(page, f"{server.url}/claims/", shot=f"claims{tag}", viewport=viewport)
    expect(page.locator("ol.claim-list > li").first).to_be_visible()
    expect(page.locator("ol.claim-list mark").first).to_be_visible()
    words, who = page.locator("#id_q").bounding_box(), page.locator("#id_expert").bounding_box()
    button = page.locator("#claim-filters button[type=submit]").bounding_box()
    if viewport == "phone":
        # Both fields the form's whole width, the button under them (not squeezing the expert field).
        assert abs(words["width"] - who["width"]) < 1 and words["x"] == who["x"], (words, who)
        assert button["y"] >= who["y"] + who["height"], (button, who)
    else:
        assert abs(button["y"] - who["y"]) < who["height"], (button, who)  # beside the fields
    visit(page, f"{server.url}/experts/{expert}/", shot=f"expert{tag}", viewport=viewport)
    expect(page.locator("svg.year-chart")).to_be_visible()
    visit(page, f"{server.url}/articles/{article}/", shot=f"article{tag}", viewport=viewport)
    expect(page.locator(".article-text mark.claim").first).to_be_visible()
    visit(page, f"{server.url}/predictions/", shot=f"predictions{tag}", viewport=viewport)
    expect(page.locator("table.predictions tbody tr").first).to_be_visible()
    expect(page.locator("table.leaderboard").first).to_be_visible()
    # The outcome filter, chosen in the form, narrows the table to that outcome (written out in every row).
    page.locator("#id_outcome").select_option("did_not_happen")
    if page.url.endswith("/predictions/"):  # without the script that submits on change
        page.click("#filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"outcome=did_not_happen"))
    rows = page.locator("table.predictions tbody tr")
    expect(rows.first).to_be_visible()
    for row in rows.all():
        expect(row).to_contain_text("Event: did not happen")
    visit(page, page.url, shot=f"predictions-filtered{tag}", viewport=viewport)


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_walk_the_pages_with_the_curated_fixtures(curated, browser, viewport):
    page, problems = open_page(browser, curated, viewport=VIEWPORTS[viewport])
    walk(page, curated, viewport, expert="cho-han-bum", article=4, tag="")
    assert problems == [], problems


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_walk_the_pages_with_a_thousand_generated_claims(generated, browser, viewport):
    expert = (
        Expert.objects.filter(claims__status="approved")
        .annotate(n=Count("claims"))
        .order_by("-n", "id")
        .values_list("slug", flat=True)
        .first()
    )
    article = Article.objects.filter(claims__status="approved").order_by("id").values_list("id", flat=True).first()
    assert expert and article
    page, problems = open_page(browser, generated, viewport=VIEWPORTS[viewport])
    walk(page, generated, viewport, expert=expert, article=article, tag="-generated")
    # Page 2 of the search, then of the expert's claims.
    visit(page, f"{generated.url}/claims/")
    page.click("a[rel=next]")
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("ol.claim-list")).to_have_attribute("start", "21")
    assert problems == [], problems


def test_search_filters_and_links_without_javascript(curated, browser):
    page, problems = open_page(browser, curated, viewport=VIEWPORTS["desktop"], javascript=False)
    page.goto(f"{curated.url}/")
    page.fill("#home-q", "Russia")
    page.click("form[role=search] button")
    expect(page).to_have_url(f"{curated.url}/claims/?q=Russia")
    all_russia = page.locator("ol.claim-list > li").count()
    assert all_russia > 1
    # The extra filters fold away in a <details>, which opens without a script.
    page.click("details.more-filters summary")
    page.select_option("#id_kind", "prediction")
    page.click("#claim-filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"q=Russia.*kind=prediction"))
    predictions = page.locator("ol.claim-list > li")
    assert 0 < predictions.count() < all_russia
    for item in predictions.all():
        expect(item).to_contain_text("prediction")
    # A speaker's name leads to their page, an article's title to the article with the claim marked.
    first = predictions.first
    speaker = first.locator("a.speaker").inner_text()
    first.locator("a.speaker").click()
    expect(page.locator("h1")).to_have_text(speaker)
    page.go_back()
    page.locator("ol.claim-list > li").first.locator(".links a").first.click()
    expect(page).to_have_url(re.compile(r"/articles/\d+/#claim-\d+$"))
    claim_id = page.url.rsplit("#", 1)[1]
    expect(page.locator(f"mark#{claim_id}")).to_be_visible()
    # A facet narrows the search.
    page.goto(f"{curated.url}/claims/")
    page.locator("aside.facets a", has_text="Cho Han-bum").click()
    expect(page.locator("ol.claim-list > li")).to_have_count(2)
    assert problems == [], problems


def test_expert_names_are_suggested_with_javascript(curated, browser):
    page, problems = open_page(browser, curated, viewport=VIEWPORTS["desktop"])
    page.goto(f"{curated.url}/claims/")
    page.locator("#id_expert").press_sequentially("lank", delay=30)
    expect(page.locator("datalist#expert-names option")).to_have_count(1)
    assert page.locator("datalist#expert-names option").first.get_attribute("value") == "Andrei Lankov"
    page.fill("#id_expert", "Andrei Lankov")
    page.press("#id_expert", "Enter")
    expect(page).to_have_url(re.compile(r"expert=Andrei\+Lankov"))
    expect(page.locator("ol.claim-list > li")).to_have_count(1)
    assert problems == [], problems


def test_the_skip_link_is_the_first_stop_and_moves_to_the_content(curated, browser):
    page, problems = open_page(browser, curated, viewport=VIEWPORTS["desktop"])
    page.goto(f"{curated.url}/claims/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    assert problems == [], problems


def article_with_many_attributions(n: int = 15):
    """An article quoting ``n`` experts, each claim approved, with a long text after the quotes."""
    from tests.factories import AffiliationFactory, ArticleFactory, ExpertFactory, claim_with_text

    texts = [f"Remark number {i} on the talks is quoted here at some length" for i in range(1, n + 1)]
    quoted = "\n".join(f'"{text}," the expert said, and went on about the region for a while.' for text in texts)
    filler = "\n".join("Diplomats met again on Tuesday and said little in public afterwards." for _ in range(30))
    article = ArticleFactory(body=f"Reporters asked about the summit.\n{quoted}\n{filler}", title="Many voices")
    for i, text in enumerate(texts):
        expert = ExpertFactory(name=f"Quoted Expert{i}")
        affiliation = AffiliationFactory(expert=expert)
        claim_with_text(text, expert=expert, article=article, affiliation=affiliation, cue="said")
    return article


def test_the_who_said_what_list_stays_in_view_and_scrolls_on_its_own(live_server, browser):
    article = article_with_many_attributions()
    claims = list(article.claims.order_by("start"))
    page, problems = open_page(browser, live_server, viewport=VIEWPORTS["desktop"])
    visit(page, f"{live_server.url}/articles/{article.pk}/", shot="article-many", viewport="desktop")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "article-many-screen-desktop.png"))  # the screen, not the whole page
    aside = page.locator("aside.article-claims")
    height = VIEWPORTS["desktop"]["height"]
    # Longer than the screen, the list scrolls inside its box, which ends on the screen below a one-line title.
    assert aside.evaluate("a => a.scrollHeight > a.clientHeight")
    assert aside.bounding_box()["y"] + aside.bounding_box()["height"] <= height
    # Scrolled to the end of the article, the list is still in view (sticky).
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    box = aside.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
    # A claim's number in the text leads to its attribution, scrolled into view inside the list.
    last = claims[-1]
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(f'a.claim-ref[href="#who-{last.pk}"]').click()
    expect(page.locator(f"#who-{last.pk}")).to_be_in_viewport()
    item, box = page.locator(f"#who-{last.pk}").bounding_box(), aside.bounding_box()
    assert box["y"] <= item["y"] and item["y"] + item["height"] <= box["y"] + box["height"] + 1, (item, box)
    # From the keyboard: the first attribution's "show in the text" scrolls into the list's view when focused, and
    # Enter shows its quote in the text.
    first = claims[0]
    link = page.locator(f'#who-{first.pk} a[href="#claim-{first.pk}"]')
    link.focus()
    expect(link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"#claim-{first.pk}$"))
    expect(page.locator(f"mark#claim-{first.pk}")).to_be_in_viewport()
    assert problems == [], problems


def test_on_a_phone_the_who_said_what_list_follows_the_text_unboxed(live_server, browser):
    article = article_with_many_attributions()
    page, problems = open_page(browser, live_server, viewport=VIEWPORTS["phone"])
    visit(page, f"{live_server.url}/articles/{article.pk}/", shot="article-many", viewport="phone")
    aside, text = page.locator("aside.article-claims"), page.locator(".article-text")
    assert aside.bounding_box()["y"] >= text.bounding_box()["y"] + text.bounding_box()["height"]
    assert aside.evaluate("a => a.scrollHeight <= a.clientHeight + 1 && getComputedStyle(a).position === 'static'")
    assert problems == [], problems

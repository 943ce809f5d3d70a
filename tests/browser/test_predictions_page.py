"""The /predictions/ page in headless Chromium, with the curated fixtures: it renders under the CSP without a
console error, shows Cho Han-bum's forecast as right (it came true), and its filters work with and without JavaScript;
with 1,000 generated claims it stays within a height budget at 1366 px and a phone sees its timeline on the first
screen, with the names at a readable size.

A full-page screenshot goes to artifacts/screenshots/predictions.png (git-ignored).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import open_page

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

ROOT = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
VIEWPORT = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# The whole page at 1366 px wide with 1,000 generated claims (10 forecasts a page, the leaderboard, the scorecards):
# 3,558 px before the legend folded and the page held 10 forecasts instead of 15.
HEIGHT_BUDGET = 3_000
CHO = "Kim Jong Un will not visit Russia in May 2015."
LANKOV = "Without a change in the US position, North Korea will not get sanctions relief."

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def table_rows(page):
    return page.locator("table.predictions tbody tr")


def test_the_page_shows_the_forecasts_and_cho_han_bums_came_true(curated, browser):
    page, problems = open_page(browser, curated, viewport=VIEWPORT)
    page.goto(f"{curated.url}/predictions/")
    expect(page.locator("h1")).to_have_text("Were the forecasters right?")
    expect(table_rows(page)).to_have_count(9)
    cho = table_rows(page).filter(has_text=CHO)
    expect(cho).to_have_count(1)
    expect(cho.locator(".badge")).to_have_text("Right")
    expect(cho).to_contain_text("Event: came true")
    expect(cho).to_contain_text("Cho Han-bum")
    # The timeline (drawn by pygal on the server) is visible, names the forecaster and links the forecast.
    timeline = page.locator("svg.chart.timeline-svg")
    expect(timeline).to_be_visible()
    expect(timeline.locator("text", has_text="Cho Han-bum")).to_have_count(1)
    cho_pk = page.locator("table.predictions tr", has_text=CHO).get_attribute("data-prediction")
    link = timeline.locator(f'.verdict-right a[*|href="/predictions/{cho_pk}/"]')
    expect(link).to_have_count(1)
    assert timeline.bounding_box()["height"] > 100
    # The scorecards: a compact table, and the calibration charts folded below it, drawn once opened.
    expect(page.locator("#scorecard-cho-han-bum-row")).to_be_visible()
    expect(page.locator("article.scorecard svg.chart.calibration").first).to_be_hidden()
    page.locator("details.calibration-cards summary").click()
    expect(page.locator("article.scorecard svg.chart.calibration").first).to_be_visible()
    expect(page.locator("#scorecard-cho-han-bum")).to_contain_text("Brier score")
    expect(page.locator("table.leaderboard")).to_contain_text("Cho Han-bum")
    expect(page.locator(".legend")).to_contain_text("Right but late")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "predictions.png"), full_page=True)
    assert problems == [], problems


def test_the_expert_field_suggests_names_and_filters_with_javascript(curated, browser):
    page, problems = open_page(browser, curated, viewport=VIEWPORT)
    page.goto(f"{curated.url}/predictions/")
    # Typing asks the site for names, which fill the field's <datalist>.
    page.locator("#id_expert").press_sequentially("Cho Han", delay=20)
    expect(page.locator("#expert-names option[value='Cho Han-bum']")).to_have_count(1)
    page.fill("#id_expert", "Cho Han-bum")
    with page.expect_navigation():
        page.press("#id_expert", "Enter")
    assert "expert=Cho+Han-bum" in page.url
    expect(table_rows(page)).to_have_count(1)
    expect(table_rows(page).first).to_contain_text(CHO)
    expect(page.locator("article.scorecard")).to_have_count(1)
    with page.expect_navigation():
        page.select_option("#id_topic", label="Sanctions")
    expect(page.locator("p.empty")).to_contain_text("No forecasts match")
    assert problems == [], problems


def test_the_filters_work_without_javascript(curated, browser):
    page, problems = open_page(browser, curated, viewport=VIEWPORT, javascript=False)
    page.goto(f"{curated.url}/predictions/")
    page.select_option("#id_topic", label="Sanctions")
    page.click("button[type=submit]")
    assert "topic=sanctions" in page.url
    expect(table_rows(page)).to_have_count(1)
    expect(table_rows(page).first).to_contain_text(LANKOV)
    page.click("text=Show all")
    expect(table_rows(page)).to_have_count(9)
    # A typed name, without suggestions, is matched on the server.
    page.fill("#id_expert", "han-bum cho")
    page.click("button[type=submit]")
    expect(table_rows(page)).to_have_count(1)
    expect(table_rows(page).first).to_contain_text(CHO)
    assert problems == [], problems


def test_a_forecast_page_gives_the_reasons_and_the_evidence(curated, browser):
    page, problems = open_page(browser, curated, viewport=VIEWPORT)
    page.goto(f"{curated.url}/predictions/")
    page.locator("table.predictions a.proposition", has_text=CHO).click()
    expect(page.locator("h1")).to_have_text(CHO)
    expect(page.locator(".verdict .badge")).to_have_text("Right")
    expect(page.locator(".verdict .outcome")).to_contain_text("Came true")
    expect(page.locator("section.note")).to_contain_text("Victory Day parade")
    expect(page.locator("ol.events > li")).to_have_count(2)
    expect(page.locator("ol.events")).to_contain_text("The Moscow Times")
    # Its one-row timeline, with the two deciding events.
    expect(page.locator("svg.chart.timeline-svg")).to_be_visible()
    expect(page.locator("svg.chart.timeline-svg .events circle")).to_have_count(2)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "prediction-detail.png"), full_page=True)
    assert problems == [], problems


def test_the_page_stays_within_its_height_budget_and_a_phone_reads_the_timelines_names(generated, browser):
    page, problems = open_page(browser, generated, viewport=VIEWPORT)
    page.goto(f"{generated.url}/predictions/")
    height = page.evaluate("document.scrollingElement.scrollHeight")
    assert height <= HEIGHT_BUDGET, f"/predictions/ is {height}px tall at 1366 (budget {HEIGHT_BUDGET})"
    # Above the fold: the filters, the count, the legend and the start of the timeline.
    assert page.locator("figure.timeline").bounding_box()["y"] < VIEWPORT["height"]
    expect(page.locator("svg.chart.timeline-svg-narrow")).to_be_hidden()
    # The axis ends soon after the latest forecast made (charts.timeline_axis): a far horizon is clipped at the
    # edge with an arrow, rather than stretching the axis and crowding the others to the left.
    made = [int(text[-4:]) for text in page.locator('table.predictions td[data-label="Made"]').all_inner_texts()]
    ticks = page.locator("svg.chart.timeline-svg .axis.x text").all_text_contents()
    years = [int(tick) for tick in ticks if tick.isdigit()]
    assert max(years) <= max(made) + 2, (ticks, made)
    for arrow in page.locator("svg.chart.timeline-svg .clipped .arrow title").all_text_contents():
        assert re.search(r"runs on past the chart's edge, to \d+ \w+ \d{4}$", arrow), arrow

    phone, phone_problems = open_page(browser, generated, viewport=PHONE)
    phone.goto(f"{generated.url}/predictions/")
    narrow = phone.locator("svg.chart.timeline-svg-narrow")
    expect(narrow).to_be_visible()
    expect(phone.locator("svg.chart.timeline-svg")).to_be_hidden()
    assert narrow.bounding_box()["y"] < PHONE["height"], "the timeline starts below the phone's first screen"
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    # The expert names on the phone's timeline are drawn at least 11 px tall (they were 8 px, scaled down).
    sizes = narrow.locator(".axis.y text").evaluate_all("texts => texts.map((t) => t.getBoundingClientRect().height)")
    assert sizes and min(sizes) >= 11, sizes
    # A row the timeline cuts at its edge gives its horizon in the table (the phone's table hides the others').
    arrows = narrow.locator(".clipped .arrow").count()
    assert phone.locator("table.predictions tr.past-axis").count() == arrows
    for row in phone.locator("table.predictions tr.past-axis").all():
        expect(row.locator('td[data-label="Horizon"]')).to_be_visible()
    # The scorecards do not repeat the leaderboard on a phone: an expert's row keeps the counts by outcome, and
    # the pending forecasts, Brier score and hit rate are the leaderboard's (the overall row, not in it, keeps them).
    expert_row = phone.locator("table.scoreboard tbody tr:not(.overall)").first
    expect(expert_row.locator("td.outcome-came_true")).to_be_visible()
    for label in ("Pending", "Brier score", "Hit rate"):
        expect(expert_row.locator(f'td[data-label="{label}"]')).to_be_hidden()
        expect(phone.locator(f'table.scoreboard tr.overall td[data-label="{label}"]')).to_be_visible()
    expect(phone.locator(".scorecards-section .phone-only")).to_be_visible()
    wide_row = page.locator("table.scoreboard tbody tr:not(.overall)").first
    expect(wide_row.locator('td[data-label="Brier score"]')).to_be_visible()  # a desktop keeps both tables whole
    expect(page.locator(".scorecards-section .phone-only")).to_be_hidden()
    assert problems == [] and phone_problems == [], (problems, phone_problems)

"""A curator's session in headless Chromium: queue, fix a speaker, approve in bulk, merge two spellings, history.

Runs against pytest-django's live server. Skipped when Chromium is missing
(required when REQUIRE_BROWSER=1, see tests/conftest.py). Saves a screenshot
of the claim change page to artifacts/screenshots/claim-change.png.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from claims.choices import ReviewStatus
from claims.models import Claim, Expert
from tests import factories

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SCREENSHOT = SCREENSHOTS / "claim-change.png"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct horse battery staple"  # tests/factories.py UserFactory

# The live server needs committed data; serialized_rollback restores what the migrations created
# (the Curators group) for the tests that run after this one.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BODY = (
    "Pyongyang promoted a veteran official on Tuesday, state media said.\n"
    "\u201cThe reshuffle signals continuity rather than change,\u201d the professor said, adding that the party "
    "wanted a familiar face at the top.\n"
    "Choe Ryong Hae said the country would \u201cnever give up its nuclear deterrent\u201d, according to KCNA.\n"
    "Mr Choi Ryong-hae told delegates that the economy would grow this year.\n"
    "Andrei Lankov said sanctions were unlikely to be lifted before the summit."
)


def _span(text: str) -> dict:
    start = BODY.index(text)
    return {"start": start, "end": start + len(text), "text": text}


@pytest.fixture
def session_data():
    outlet = factories.OutletFactory(name="NK News")
    article = factories.ArticleFactory(title="Pyongyang reshuffles its leadership", outlet=outlet, body=BODY)
    lankov = factories.ExpertFactory(name="Andrei Lankov")
    kookmin = factories.AffiliationFactory(
        expert=lankov, organization=factories.OrganizationFactory(name="Kookmin University"), role="professor"
    )
    factories.AffiliationFactory(role="senior fellow")  # someone else's: must not be offered for Lankov
    choe = factories.ExpertFactory(name="Choe Ryong Hae")
    choi = factories.ExpertFactory(name="Choi Ryong-hae")
    choe.possible_duplicates.add(choi)
    pending = {"status": ReviewStatus.EXTRACTED, "reviewed_at": None, "article": article, "confidence": 0.6}
    claims = {
        "unknown": factories.ClaimFactory(
            expert=None, speaker_mention="the professor", **pending, **_span("The reshuffle signals continuity")
        ),
        "choe": factories.ClaimFactory(expert=choe, **pending, **_span("never give up its nuclear deterrent")),
        "choi": factories.ClaimFactory(
            expert=choi, quote_type="indirect", **pending, **_span("the economy would grow this year")
        ),
        "lankov": factories.ClaimFactory(
            expert=lankov, quote_type="indirect", **pending, **_span("sanctions were unlikely to be lifted")
        ),
    }
    return {"claims": claims, "lankov": lankov, "kookmin": kookmin, "choe": choe, "choi": choi}


@pytest.fixture
def page(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.console_errors = []
        page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
        page.on("pageerror", lambda error: page.console_errors.append(f"uncaught: {error}"))
        try:
            yield page
        finally:
            context.close()
            browser.close()


def _autocomplete_answer(page, field: str, term: str = ""):
    """Wait for the autocomplete request of ``field`` (with ``term``) to be answered.

    Picking an option before select2's debounced search request is answered would
    leave that request running beside the next one; the live server shares one
    in-memory SQLite connection between its threads, and two requests at once can
    find the database locked.
    """

    def matches(response):
        url = response.url
        return "/admin/autocomplete/" in url and f"field_name={field}" in url and (not term or f"term={term}" in url)

    return page.expect_response(matches)


def _open_autocomplete(page, field: str) -> None:
    with _autocomplete_answer(page, field):
        page.locator(f"#id_{field} + .select2 .select2-selection").click()


def _choose_in_autocomplete(page, field: str, term: str, option: str) -> None:
    _open_autocomplete(page, field)
    with _autocomplete_answer(page, field, term):
        page.locator(".select2-container--open .select2-search__field").fill(term)
    page.locator(".select2-results__option", has_text=option).click()


def _snapshot(page, name: str) -> None:
    """Keep a picture of other pages of the session for people reviewing the admin (not asserted)."""
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _run_action(page, action: str) -> None:
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").click()


def test_a_curator_session(page, live_server, curator, session_data):
    claims = session_data["claims"]
    base = live_server.url

    # Log in.
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", curator.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#site-name")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # Open the review queue from the claims list.
    page.goto(f"{base}/admin/claims/claim/")
    page.get_by_role("link", name="Review queue (4 awaiting)").click()
    expect(page).to_have_url(re.compile(r"status__exact=extracted"))
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(4)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _snapshot(page, "review-queue")

    # Fix the speaker of the claim whose speaker is unknown: expert, then that expert's affiliation.
    rows.filter(has_text="Unknown (printed: \u201cthe professor\u201d)").locator("th a").click()
    expect(page.locator(".claim-context mark")).to_have_text("The reshuffle signals continuity")
    _choose_in_autocomplete(page, "expert", "Lankov", "Andrei Lankov")
    _open_autocomplete(page, "affiliation")
    offered = page.locator(".select2-container--open .select2-results__option")
    expect(offered).to_have_count(1)  # only Lankov's affiliation: claim_form.js forwards the chosen expert
    expect(offered).to_have_text(str(session_data["kookmin"]))
    offered.click()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    fixed = Claim.objects.get(pk=claims["unknown"].pk)
    assert (fixed.expert, fixed.affiliation) == (session_data["lankov"], session_data["kookmin"])

    # The claim's change page, as a curator sees it, with the speaker and affiliation just saved.
    page.goto(f"{base}/admin/claims/claim/{fixed.pk}/change/")
    expect(page.locator(".claim-context mark")).to_be_visible()
    expect(page.locator("#id_expert")).to_have_value(str(session_data["lankov"].pk))
    expect(page.locator("#id_affiliation")).to_have_value(str(session_data["kookmin"].pk))
    expect(page.locator("#id_affiliation + .select2")).to_contain_text("professor, Kookmin University")
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.exists() and SCREENSHOT.stat().st_size > 10_000

    # Approve three claims of the queue at once.
    page.goto(f"{base}/admin/claims/claim/?status__exact=extracted")
    for key in ("unknown", "choe", "lankov"):
        page.locator(f"input.action-select[value='{claims[key].pk}']").check()
    _run_action(page, "approve_selected")
    expect(page.locator(".messagelist .success")).to_have_text("Approved 3 claims.")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    assert set(Claim.objects.filter(status=ReviewStatus.APPROVED).values_list("reviewed_by__username", flat=True)) == {
        curator.username
    }

    # Merge the two spellings of one expert, keeping "Choe Ryong Hae".
    page.goto(f"{base}/admin/claims/expert/?has_duplicates=yes")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    page.locator("#action-toggle").check()
    _run_action(page, "merge_experts")
    expect(page.locator("h1")).to_have_text("Merge experts")
    page.locator(f"#merge-target-{session_data['choe'].pk}").check()
    _snapshot(page, "merge-confirmation")
    page.locator("#merge-form input[type=submit]").click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        "Merged \u201cChoi Ryong-hae\u201d into \u201cChoe Ryong Hae\u201d: moved 1 claim"
    )
    assert not Expert.objects.filter(pk=session_data["choi"].pk).exists()
    assert Claim.objects.get(pk=claims["choi"].pk).expert_id == session_data["choe"].pk
    assert session_data["choe"].aliases.filter(name="Choi Ryong-hae").exists()

    # The fixed claim's history shows who changed the speaker.
    page.goto(f"{base}/admin/claims/claim/{fixed.pk}/change/")
    page.locator("a.historylink").click()
    history = page.locator("#change-history")
    expect(history).to_contain_text("Andrei Lankov")
    expect(history).to_contain_text(curator.username)
    newest, fix = history.locator("tbody tr").nth(0), history.locator("tbody tr").nth(1)
    expect(newest).to_contain_text(re.compile(r"Status:\s+Extracted \(awaiting review\)\s+→\s+Approved"))
    expect(fix).to_contain_text(re.compile(r"Expert:\s+—\s+→\s+Andrei Lankov"))
    _snapshot(page, "claim-history")

    # The article shows its four claims marked in its text.
    page.goto(f"{base}/admin/claims/article/{fixed.article_id}/change/")
    expect(page.locator(".article-body mark")).to_have_count(4)
    _snapshot(page, "article-change")
    page.goto(f"{base}/admin/claims/expert/{session_data['choe'].pk}/change/")
    _snapshot(page, "expert-change")

    # Every page ran under the site's Content-Security-Policy without a blocked script or style, and no
    # script failed.
    problems = [e for e in page.console_errors if "Content Security Policy" in e or e.startswith("uncaught")]
    assert not problems, page.console_errors

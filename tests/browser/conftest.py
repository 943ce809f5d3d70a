"""Headless Chromium (Debian's) driven by Playwright, one browser per test; the two worlds the pages are walked
with: the curated fixtures and 1,000 generated claims."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import CHROMIUM, CHROMIUM_ARGS

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "curated.json"


@pytest.fixture
def browser(monkeypatch):
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test are still safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def curated(live_server):
    """The live server with the curated fixtures (as bootstrap loads them)."""
    call_command("loaddata", str(FIXTURE), verbosity=0)
    call_command("track_records", "--rebuild", verbosity=0)  # as bootstrap does after loaddata
    return live_server


@pytest.fixture
def generated(live_server):
    """The live server with 1,000 generated claims by 60 experts in 250 articles."""
    from claims.services.synthetic import SyntheticSpec, synthetic_generate

    spec = SyntheticSpec(experts=60, organizations=12, articles=250, claims=1_000, outlets=6, body_chars=1_500)
    synthetic_generate(spec=spec)
    return live_server

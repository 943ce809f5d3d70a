"""The rule of an expert's kind under ingestion (claims.domain.people.kind_after_ingestion)."""

from __future__ import annotations

import pytest

from claims.choices import ExpertKind
from claims.domain.people import kind_after_ingestion
from claims.extraction.kinds import PERSON_KINDS


@pytest.mark.parametrize(
    ("current", "curated", "seen", "after"),
    [
        ("other", False, "analyst", "analyst"),  # an automatic "other" is upgraded
        ("other", False, "other", "other"),
        ("other", False, None, "other"),
        ("analyst", False, "official", "analyst"),  # an automatic specific kind stays
        ("analyst", False, "other", "analyst"),  # and is never downgraded
        ("other", True, "official", "other"),  # a curator's kind is never changed, even "other"
        ("journalist", True, "analyst", "journalist"),
    ],
)
def test_kind_after_ingestion(current, curated, seen, after):
    assert kind_after_ingestion(current, curated=curated, seen=seen) == after


def test_the_stored_kinds_are_the_extractors_kinds():
    assert tuple(ExpertKind.values) == PERSON_KINDS

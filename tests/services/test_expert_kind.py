"""An expert's kind: set by ingestion from what the article prints, never over a curator's choice."""

from __future__ import annotations

import dataclasses

import pytest

from claims.domain.names import name_match_key
from claims.extraction.types import Person
from claims.models import Expert
from claims.services.people import expert_create, expert_kind_observe, expert_merge, expert_update
from tests import factories
from tests.services.test_ingestion import TEXT, extraction

pytestmark = pytest.mark.django_db


def with_kinds(text: str = TEXT, **kinds) -> object:
    """The test extraction, its people printed as ``kinds`` (name -> kind)."""
    people = tuple(Person(name=name, kind=kind, key=name_match_key(name)) for name, kind in kinds.items())
    return dataclasses.replace(extraction(text), people=people)


def ingest(result, text: str = TEXT):
    from claims.services.ingestion import article_ingest

    return article_ingest(text=text, source="t.txt", extraction=result)


def second_text() -> str:
    return TEXT.replace("Moscow and Pyongyang draw closer", "Pyongyang and Moscow draw closer")


def test_a_new_expert_gets_the_kind_the_article_prints():
    ingest(with_kinds(**{"Cho Han-bum": "analyst", "Choe Ryong Hae": "official"}))
    cho, choe = Expert.objects.get(name="Cho Han-bum"), Expert.objects.get(name="Choe Ryong Hae")
    assert (cho.kind, cho.kind_curated) == ("analyst", False)
    assert (choe.kind, choe.kind_curated) == ("official", False)


def test_without_people_the_kind_is_other():
    ingest(extraction())
    assert set(Expert.objects.values_list("kind", flat=True)) == {"other"}


def test_an_automatic_other_is_upgraded_by_a_later_article_and_a_specific_kind_stays():
    ingest(with_kinds(**{"Cho Han-bum": "other"}))
    cho = Expert.objects.get(name="Cho Han-bum")
    assert cho.kind == "other"
    version = cho.version
    ingest(with_kinds(second_text(), **{"Cho Han-bum": "analyst"}), text=second_text())
    cho.refresh_from_db()
    assert cho.kind == "analyst" and cho.version == version + 1
    assert cho.history.first().history_change_reason.startswith("ingest run")
    third = TEXT.replace("Moscow and Pyongyang draw closer", "A third headline")
    ingest(with_kinds(third, **{"Cho Han-bum": "official"}), text=third)
    cho.refresh_from_db()
    assert cho.kind == "analyst"


def test_ingestion_never_changes_a_curators_kind():
    cho = expert_create(name="Cho Han-bum", kind="other")  # a curator said: other
    assert cho.kind_curated
    ingest(with_kinds(**{"Cho Han-bum": "official"}))
    cho.refresh_from_db()
    assert (cho.kind, cho.kind_curated) == ("other", True)


def test_a_curators_edit_marks_the_kind_as_theirs():
    expert = factories.ExpertFactory(name="Kim Dong-yub")
    assert not expert.kind_curated
    expert = expert_update(expert=expert, data={"kind": "academic"})
    assert (expert.kind, expert.kind_curated) == ("academic", True)
    assert expert_kind_observe(expert=expert, kind="official").kind == "academic"
    expert = expert_update(expert=expert, data={"bio": "Professor."})  # other edits leave the kind as it is
    assert (expert.kind, expert.kind_curated) == ("academic", True)


def test_the_kind_is_re_read_under_a_lock_so_a_curators_choice_saved_meanwhile_wins():
    expert = factories.ExpertFactory(name="Kim Dong-yub")
    stale = Expert.objects.get(pk=expert.pk)
    expert_update(expert=expert, data={"kind": "journalist"})
    expert_kind_observe(expert=stale, kind="analyst")  # the stale copy says "other", not curated
    expert.refresh_from_db()
    assert (expert.kind, expert.kind_curated) == ("journalist", True)


def test_an_unknown_kind_is_ignored():
    expert = factories.ExpertFactory(name="Kim Dong-yub")
    assert expert_kind_observe(expert=expert, kind="wizard").kind == "other"


@pytest.mark.parametrize(
    ("target", "duplicate", "after"),
    [
        (("other", False), ("analyst", False), ("analyst", False)),  # a specific kind survives
        (("analyst", False), ("official", True), ("official", True)),  # a curator's kind wins
        (("academic", True), ("official", True), ("academic", True)),  # the kept expert's curator wins
        (("analyst", False), ("official", False), ("analyst", False)),
    ],
)
def test_a_merge_keeps_the_curators_kind_else_a_specific_one(target, duplicate, after):
    kept = factories.ExpertFactory(name="Choe Ryong Hae", kind=target[0], kind_curated=target[1])
    other = factories.ExpertFactory(name="Choi Ryong-hae", kind=duplicate[0], kind_curated=duplicate[1])
    kept = expert_merge(target=kept, duplicates=[other])
    assert (kept.kind, kept.kind_curated) == after

"""The public search table (claims_public_claim_search, PostgreSQL) holds the approved claims' vectors and dates.

Triggers on claims_claim keep it, so every write path keeps it: the services (create, edit, review one by one
and in bulk), the admin (which calls them), ingestion's bulk inserts, the merge of experts, deletes, raw
updates and TRUNCATE. After each write the table must equal what it would be built from scratch.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from claims.choices import ReviewStatus
from claims.models import Claim
from claims.selectors.search import PUBLIC_SEARCH_TABLE
from claims.services.articles import article_update
from claims.services.claims import claim_create, claim_review, claim_update, claims_review_bulk
from claims.services.people import expert_merge
from claims.services.synthetic import SyntheticSpec, synthetic_generate
from tests import factories
from tests.conftest import form_data
from tests.factories import claim_with_text, extracted_claim
from tests.services.test_ingestion import ingest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def table_rows() -> set[tuple[int, str]]:
    """(id, vector) of each row."""
    return {(pk, vector) for pk, vector, _ in dated_rows()}


def dated_rows() -> set[tuple[int, str, datetime.date]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, text_search::text, sort_date FROM {PUBLIC_SEARCH_TABLE}")
        return set(cursor.fetchall())


def rebuilt_rows() -> set[tuple[int, str, datetime.date]]:
    """What the table holds when built from scratch (as migrations 0016 and 0017 fill it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, to_tsvector('english', text)::text, sort_date FROM claims_claim WHERE status = 'approved'"
        )
        return set(cursor.fetchall())


def assert_in_step() -> set[int]:
    rows = dated_rows()
    assert rows == rebuilt_rows()
    return {pk for pk, _, _ in rows}


def test_created_claims_enter_when_approved(curator):
    expert = factories.ExpertFactory()
    approved = claim_with_text("Sanctions will bite", expert=expert)
    pending = claim_with_text("Sanctions will not bite", expert=expert, status=ReviewStatus.EXTRACTED)
    article = factories.ArticleFactory(body="He said the talks would fail.")
    created = claim_create(
        article=article, start=8, end=28, expert=expert, status=ReviewStatus.APPROVED, reviewer=curator
    )
    assert assert_in_step() == {approved.pk, created.pk}
    assert pending.pk not in assert_in_step()


def test_review_one_by_one_and_in_bulk(curator):
    expert = factories.ExpertFactory()
    claims = [claim_with_text(f"Sanctions round {n}", expert=expert, status=ReviewStatus.EXTRACTED) for n in range(4)]
    assert assert_in_step() == set()
    claim_review(claim=claims[0], status=ReviewStatus.APPROVED, user=curator)
    assert assert_in_step() == {claims[0].pk}
    claims_review_bulk(claims=claims[1:], status=ReviewStatus.APPROVED, user=curator)
    assert assert_in_step() == {c.pk for c in claims}
    claim_review(claim=Claim.objects.get(pk=claims[1].pk), status=ReviewStatus.REJECTED, user=curator)
    claims_review_bulk(claims=claims[2:], status=ReviewStatus.EXTRACTED, user=curator)
    assert assert_in_step() == {claims[0].pk}


def test_an_edit_of_the_text_changes_the_vector_and_other_edits_leave_it(curator):
    expert = factories.ExpertFactory()
    article = factories.ArticleFactory(body="Sanctions will bite. Talks will fail.")
    claim = claim_create(
        article=article, start=0, end=19, expert=expert, status=ReviewStatus.APPROVED, reviewer=curator
    )
    assert dict(table_rows())[claim.pk] == "'bite':3 'sanction':1"
    claim = claim_update(claim=claim, data={"start": 21, "end": 36}, user=curator)
    assert claim.text == "Talks will fail"
    assert assert_in_step() == {claim.pk}
    assert dict(table_rows())[claim.pk] == "'fail':3 'talk':1"
    claim_update(claim=claim, data={"notes": "checked", "expert": factories.ExpertFactory()}, user=curator)
    assert assert_in_step() == {claim.pk}


def test_a_new_date_of_the_article_moves_its_claims(curator):
    """The claims page orders a visitor's search by the table's dates: an article's new date reaches them."""
    expert = factories.ExpertFactory()
    claim = claim_with_text("Sanctions will bite", expert=expert)
    other = claim_with_text("Sanctions elsewhere", expert=expert)
    article_update(article=claim.article, data={"published_on": datetime.date(2011, 3, 4)}, user=curator)
    assert Claim.objects.get(pk=claim.pk).sort_date == datetime.date(2011, 3, 4)
    assert assert_in_step() == {claim.pk, other.pk}
    assert {pk: date for pk, _, date in dated_rows()}[claim.pk] == datetime.date(2011, 3, 4)
    Claim.objects.filter(pk=other.pk).update(sort_date=datetime.date(2001, 1, 2))  # a raw update, as a script writes
    assert assert_in_step() == {claim.pk, other.pk}


def test_the_admin_review_and_change_page(curator):
    admin_ui = Client()
    admin_ui.force_login(curator)
    claims = [extracted_claim(), extracted_claim()]
    admin_ui.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "approve_selected", "_selected_action": [c.pk for c in claims], "index": 0},
        follow=True,
    )
    assert assert_in_step() == {c.pk for c in claims}
    url = reverse("admin:claims_claim_change", args=[claims[0].pk])
    admin_ui.post(url, form_data(admin_ui.get(url), status=ReviewStatus.REJECTED))
    assert Claim.objects.get(pk=claims[0].pk).status == ReviewStatus.REJECTED
    assert assert_in_step() == {claims[1].pk}


def test_ingestion_stores_claims_awaiting_review_and_approval_adds_them(curator):
    assert ingest().status == "new"  # bulk inserts, as ingestion writes
    stored = list(Claim.objects.all())
    assert stored and all(c.status == ReviewStatus.EXTRACTED for c in stored)
    assert assert_in_step() == set()
    approvable = [c for c in stored if c.expert_id is not None]
    claims_review_bulk(claims=approvable, status=ReviewStatus.APPROVED, user=curator)
    assert approvable and assert_in_step() == {c.pk for c in approvable}


def test_a_merge_of_experts_keeps_the_claims_in(curator):
    keep, duplicate = factories.ExpertFactory(), factories.ExpertFactory()
    claims = [claim_with_text("Sanctions first", expert=keep), claim_with_text("Sanctions second", expert=duplicate)]
    expert_merge(target=keep, duplicates=[duplicate], user=curator)
    assert Claim.objects.get(pk=claims[1].pk).expert_id == keep.pk
    assert assert_in_step() == {c.pk for c in claims}


def test_deletes_raw_updates_and_truncate():
    expert = factories.ExpertFactory()
    kept = claim_with_text("Sanctions kept", expert=expert)
    deleted = claim_with_text("Sanctions deleted", expert=expert)
    Claim.objects.filter(pk=deleted.pk).delete()
    assert assert_in_step() == {kept.pk}
    Claim.objects.filter(pk=kept.pk).update(text="Talks resumed!")  # the same length: the span still fits
    assert dict(table_rows())[kept.pk] == "'resum':2 'talk':1"
    Claim.objects.filter(pk=kept.pk).update(status=ReviewStatus.REJECTED)
    assert assert_in_step() == set()
    Claim.objects.filter(pk=kept.pk).update(status=ReviewStatus.APPROVED)
    assert assert_in_step() == {kept.pk}
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending (deferred) checks
        cursor.execute("TRUNCATE claims_claim CASCADE")
    assert table_rows() == set()


def test_fixtures_and_the_generator_fill_it():
    call_command("loaddata", "curated", verbosity=0)
    assert len(assert_in_step()) == Claim.objects.filter(status=ReviewStatus.APPROVED).count() > 0


def test_the_migration_fills_it_from_the_approved_claims():
    from importlib import import_module

    migration = import_module("claims.migrations.0017_public_claim_search_sort_date")
    (fill,) = [statement for statement in migration.FORWARD if statement.strip().startswith("INSERT")]
    expert = factories.ExpertFactory()
    claims = [claim_with_text(f"Sanctions {n}", expert=expert) for n in range(3)]
    extracted_claim(expert=expert)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {PUBLIC_SEARCH_TABLE}")
        cursor.execute(fill)
    assert assert_in_step() == {c.pk for c in claims}


def test_synthetic_data_is_in_step():
    """The generator loads claims with COPY: the row triggers fire for it too."""
    synthetic_generate(spec=SyntheticSpec(experts=20, organizations=4, articles=40, claims=200, outlets=3, seed=1))
    assert len(assert_in_step()) == Claim.objects.filter(status=ReviewStatus.APPROVED).count() > 0

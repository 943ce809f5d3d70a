"""expert_merge against a concurrent review, on PostgreSQL with two connections: no version or history is lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from claims.choices import ReviewStatus
from claims.models import Claim
from claims.services import people
from claims.services.claims import claim_review
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_review_racing_a_merge_keeps_both_changes(monkeypatch):
    target = factories.ExpertFactory(name="Andrei Lankov")
    duplicate = factories.ExpertFactory(name="Andrey Lankov")
    claim = factories.ClaimFactory(expert=duplicate, status=ReviewStatus.EXTRACTED, reviewed_at=None)
    reviewer = factories.UserFactory()
    assert claim.version == 1
    errors: list[BaseException] = []

    def review_in_another_connection():
        try:
            claim_review(claim=Claim.objects.get(pk=claim.pk), status=ReviewStatus.APPROVED, user=reviewer)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    reviewing = threading.Thread(target=review_in_another_connection)
    real_bulk_update = people.bulk_update_with_history

    def review_between_read_and_write(objs, *args, **kwargs):
        # The merge has read the claims it moves; a curator approves one of them now. Without a row
        # lock the approval commits at once and the merge then writes its stale version over it; with
        # the lock the approval waits for the merge to commit.
        if not reviewing.is_alive() and reviewing.ident is None:
            reviewing.start()
            reviewing.join(timeout=2)
        return real_bulk_update(objs, *args, **kwargs)

    monkeypatch.setattr(people, "bulk_update_with_history", review_between_read_and_write)
    people.expert_merge(target=target, duplicates=[duplicate], user=reviewer)
    reviewing.join(timeout=30)
    assert not reviewing.is_alive() and not errors

    claim.refresh_from_db()
    assert claim.expert_id == target.pk
    assert claim.status == ReviewStatus.APPROVED
    assert claim.version == 3  # 1, then the merge and the review each added one
    versions = sorted(claim.history.values_list("version", flat=True))
    assert versions[-2:] == [2, 3]
    assert claim.history.get(version=3).expert_id == target.pk

"""A stored public track record against a concurrent writer, on PostgreSQL with two connections.

A public read computes the record from the counts it read at a revision and stores it afterwards; a writer that
changed the counts in between has bumped the revision in its own transaction. While the writer has not committed,
the store waits for it (the row, or the key being inserted, is locked), and then finds the new revision: nothing
is stored, and the next read computes the record of the new counts.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, transaction

from claims.choices import ClaimKind
from claims.models import PublicTrackRecord
from claims.selectors.predictions import public_track_record
from claims.services.predictions import prediction_create
from claims.services.track_records import public_track_record_keep
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("row", [False, True], ids=["no row yet", "a row at a revision"])
def test_a_record_stored_while_a_writer_commits_is_refused(row):
    expert = factories.ExpertFactory(name="Raced Expert")
    factories.make_prediction("It will rain, raced.", expert=expert, made=datetime.date(2020, 1, 1), hedge="likely")
    if not row:
        PublicTrackRecord.objects.filter(expert=expert).delete()  # as before migration 0018's first writer
    read = public_track_record(expert_id=expert.pk, computed_by="test")
    assert read.overall is None and read.revision == (1 if row else 0)
    stored: list[bool] = []

    def store_in_another_connection():
        try:
            stored.append(
                public_track_record_keep(
                    expert_id=expert.pk, revision=read.revision, overall="{}", topics="[]", computed_by="test"
                )
            )
        finally:
            connection.close()

    storing = threading.Thread(target=store_in_another_connection)
    with transaction.atomic():
        claim = factories.claim_with_text("It will snow, raced.", expert=expert, kind=ClaimKind.PREDICTION)
        prediction_create(claim=claim, proposition="Snow.", hedge="likely")  # bumps the revision, uncommitted
        storing.start()
        storing.join(timeout=1)
        assert storing.is_alive()  # the store waits for the writer's transaction
    storing.join(timeout=30)
    assert not storing.is_alive() and stored == [False]
    again = public_track_record(expert_id=expert.pk, computed_by="test")
    assert again.overall is None and again.revision == read.revision + 1
    assert again.computed.overall.made == 2

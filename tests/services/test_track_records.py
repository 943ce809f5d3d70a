"""The track records' stored counts (TrackRecordCount) equal a recount from scratch after any sequence of writes.

Hypothesis draws sequences of the services that change what the counts count:
predictions made, re-hedged and resolved; their claims reviewed (one by one or
in bulk), re-attributed and re-topicked; experts merged; topics renamed; and public reads that store the
record they computed (PublicTrackRecord). Refused writes (an approval without an
expert, say) are part of the sequences: they must leave the counts as they were.
After each sequence the stored rows must be exactly the recount, the track records
read from them (public and curator) exactly what the pure math makes of the
visible predictions, and a stored public record the one of the current counts.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter

import orjson
import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.choices import ClaimKind, Outcome, ReviewStatus
from claims.domain.track_record import Forecast, track_record, track_record_by_topic
from claims.models import Claim, Expert, Prediction, PublicTrackRecord, TrackRecordCount
from claims.selectors.base import visible_predictions
from claims.selectors.predictions import _stored_counts, expert_track_record, public_track_record
from claims.services.claims import claim_review, claim_update, claims_review_bulk
from claims.services.curation import curated_record_save
from claims.services.errors import ConflictError
from claims.services.people import expert_merge
from claims.services.predictions import prediction_create, prediction_resolve, prediction_update
from claims.services.track_records import public_track_record_keep
from tests import factories
from tests.factories import claim_with_text

pytestmark = pytest.mark.django_db

HEDGES = ["", "very unlikely", "likely", "I expect", "may", "almost certain", "probably not"]
OUTCOMES = [o for o in Outcome.values if o != Outcome.PENDING]
STATUSES = ReviewStatus.values
EXPERTS = 3  # an index of EXPERTS stands for "no expert"
TOPICS = 3

index = st.integers(0, 30)
topic_sets = st.frozensets(st.integers(0, TOPICS - 1), max_size=TOPICS)
operations = st.one_of(
    st.tuples(
        st.just("make"),
        st.integers(0, EXPERTS),
        topic_sets,
        st.sampled_from(HEDGES),
        st.booleans(),
        st.sampled_from(STATUSES),
    ),
    st.tuples(st.just("resolve"), index, st.sampled_from(OUTCOMES)),
    st.tuples(st.just("review"), index, st.sampled_from(STATUSES)),
    st.tuples(st.just("review_bulk"), st.frozensets(index, max_size=4), st.sampled_from(STATUSES)),
    st.tuples(st.just("retopic"), index, topic_sets),
    st.tuples(st.just("reattribute"), index, st.integers(0, EXPERTS)),
    st.tuples(st.just("rehedge"), index, st.sampled_from(HEDGES), st.booleans()),
    st.tuples(st.just("merge"), st.integers(0, EXPERTS - 1), st.integers(0, EXPERTS - 1)),
    st.tuples(st.just("rename"), st.integers(0, TOPICS - 1)),
    st.tuples(st.just("read"), st.integers(0, EXPERTS - 1)),
    st.tuples(st.just("read"), st.integers(0, EXPERTS - 1)),
)


def recount() -> dict[tuple, int]:
    """The counts from scratch, in Python, from every prediction (nothing shared with the services' SQL)."""
    counts: Counter = Counter()
    for prediction in Prediction.objects.select_related("claim").prefetch_related("claim__topics"):
        claim = prediction.claim
        for topic_id in [None, *(topic.pk for topic in claim.topics.all())]:
            counts[(claim.expert_id, topic_id, claim.status, prediction.outcome, prediction.probability)] += 1
    return dict(counts)


def stored() -> dict[tuple, int]:
    return {
        (row.expert_id, row.topic_id, row.status, row.outcome, row.probability): row.count
        for row in TrackRecordCount.objects.all()
    }


CODE = "test-code"  # the fingerprint of the code that writes the stored records (here: the marks below)


def counts_mark(key) -> str:
    """A stand-in for a stored record: the public counts it was computed from (the selector's key of them)."""
    return orjson.dumps(key).decode()


def record_from_scratch(expert: Expert, user):
    predictions = visible_predictions(user).filter(claim__expert=expert).prefetch_related("claim__topics")
    forecasts = [Forecast(p.outcome, p.probability, tuple(t.slug for t in p.claim.topics.all())) for p in predictions]
    return track_record(forecasts), track_record_by_topic(forecasts)


class World:
    def __init__(self):
        self.experts = [factories.ExpertFactory(name=f"Expert {n}") for n in range(EXPERTS)]
        self.topics = [factories.TopicFactory(name=f"Topic {n}", slug=f"topic-{n}") for n in range(TOPICS)]
        self.curator = factories.UserFactory(username="curator-tr", is_staff=True)
        self.curator.groups.add(Group.objects.get(name="Curators"))
        settled = datetime.date(2025, 6, 1)
        self.event = factories.EventFactory(title="It was settled", slug="settled", occurred_on=settled)
        self.predictions: list[Prediction] = []
        self.made = 0

    def expert(self, n: int) -> Expert | None:
        return self.experts[n] if n < EXPERTS else None

    def nth(self, n: int) -> Prediction | None:
        if not self.predictions:
            return None
        return Prediction.objects.select_related("claim").get(pk=self.predictions[n % len(self.predictions)].pk)

    def apply(self, operation: tuple) -> None:
        kind, *args = operation
        getattr(self, kind)(*args)

    def make(self, expert, topics, hedge, inverted, status):
        expert = self.expert(expert)
        if expert is None or not Expert.objects.filter(pk=expert.pk).exists():
            expert, status = None, ReviewStatus.EXTRACTED  # an unattributed claim cannot be approved
        self.made += 1
        claim = claim_with_text(
            f"Forecast number {self.made} of the sequence",
            expert=expert,
            kind=ClaimKind.PREDICTION,
            status=status,
            topics=[self.topics[t] for t in sorted(topics)],
        )
        proposition = f"Proposition {self.made}."
        made = prediction_create(claim=claim, proposition=proposition, hedge=hedge, hedge_inverted=inverted)
        self.predictions.append(made)

    def resolve(self, n, outcome):
        if prediction := self.nth(n):
            prediction_resolve(prediction=prediction, outcome=outcome, events=[self.event], user=self.curator, note="x")

    def review(self, n, status):
        if prediction := self.nth(n):
            claim_review(claim=prediction.claim, status=status, user=self.curator)

    def review_bulk(self, ns, status):
        claims = [p.claim for p in filter(None, (self.nth(n) for n in ns))]
        claims_review_bulk(claims=claims, status=status, user=self.curator)

    def retopic(self, n, topics):
        if prediction := self.nth(n):
            claim_update(claim=prediction.claim, data={"topics": [self.topics[t] for t in sorted(topics)]})

    def reattribute(self, n, expert):
        expert = self.expert(expert)
        if (prediction := self.nth(n)) and (expert is None or Expert.objects.filter(pk=expert.pk).exists()):
            claim_update(claim=prediction.claim, data={"expert": expert})

    def rehedge(self, n, hedge, inverted):
        if prediction := self.nth(n):
            prediction_update(prediction=prediction, data={"hedge": hedge, "hedge_inverted": inverted})

    def rename(self, n):
        topic = self.topics[n]
        topic.name += " (renamed)"
        curated_record_save(record=topic, user=self.curator)

    def read(self, n):
        """A public read that stores what it computed (a mark of the counts it read) with their revision."""
        expert = self.experts[n]
        found = public_track_record(expert_id=expert.pk, computed_by=CODE)
        if found is not None and found.overall is None:
            public_track_record_keep(
                expert_id=expert.pk,
                revision=found.revision,
                overall=counts_mark(found.computed.key),
                topics="[]",
                computed_by=CODE,
            )

    def merge(self, target, duplicate):
        alive = set(Expert.objects.filter(pk__in=[e.pk for e in self.experts]).values_list("pk", flat=True))
        target, duplicate = self.experts[target], self.experts[duplicate]
        if {target.pk, duplicate.pk} <= alive:
            expert_merge(target=target, duplicates=[duplicate])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operations, min_size=1, max_size=14))
def test_stored_counts_equal_a_recount_after_any_sequence_of_writes(db, sequence):
    with transaction.atomic():
        world = World()
        for operation in sequence:
            try:
                world.apply(operation)
            except (ValidationError, ConflictError):
                pass  # refused: the service's transaction rolled back, counts included
        assert stored() == recount()
        for expert in Expert.objects.filter(pk__in=[e.pk for e in world.experts]):
            for user in (AnonymousUser(), world.curator):
                result = expert_track_record(expert=expert, user=user)
                assert (result.overall, result.topics) == record_from_scratch(expert, user)
        assert_stored_records_current(world)
        transaction.set_rollback(True)


def assert_stored_records_current(world: World) -> None:
    """A stored public record is the one of the current counts, whatever came between its read and now."""
    for expert in Expert.objects.filter(pk__in=[e.pk for e in world.experts]):
        found = public_track_record(expert_id=expert.pk, computed_by=CODE)
        if found is not None and found.overall is not None:
            assert found.overall == counts_mark(_stored_counts(expert, AnonymousUser())[0])


@pytest.mark.parametrize(
    "write",
    [
        ("make", 0, frozenset({0}), "likely", False, ReviewStatus.APPROVED),
        ("resolve", 0, Outcome.CAME_TRUE),
        ("review", 0, ReviewStatus.REJECTED),
        ("review_bulk", frozenset({0, 1}), ReviewStatus.EXTRACTED),
        ("retopic", 0, frozenset({1})),
        ("reattribute", 0, 1),
        ("rehedge", 0, "almost certain", False),
        ("merge", 0, 1),
        ("merge", 1, 0),
        ("rename", 0),
    ],
    ids=lambda write: write[0],
)
def test_a_stored_public_record_never_outlives_a_write(write):
    world = World()
    world.apply(("make", 0, frozenset({0}), "likely", False, ReviewStatus.APPROVED))
    world.apply(("make", 0, frozenset({0}), "probably not", False, ReviewStatus.APPROVED))
    world.apply(("make", 1, frozenset({0}), "", False, ReviewStatus.APPROVED))
    world.apply(("read", 0))
    world.apply(("read", 1))
    assert PublicTrackRecord.objects.filter(overall__isnull=False).count() == 2
    world.apply(write)
    assert_stored_records_current(world)
    assert PublicTrackRecord.objects.filter(overall__isnull=False).count() < 2  # the record written is gone


def test_the_public_counts_leave_out_unreviewed_claims(curator):
    expert = factories.ExpertFactory(name="Half Public")
    event = factories.EventFactory(title="Settled", slug="settled-2", occurred_on=datetime.date(2025, 6, 1))
    approved = factories.make_prediction(
        "It will rain in the approved claim", expert=expert, made=datetime.date(2020, 1, 1), hedge="likely"
    )
    factories.make_prediction(
        "It will rain in the unreviewed claim",
        expert=expert,
        made=datetime.date(2020, 1, 1),
        hedge="likely",
        status=ReviewStatus.EXTRACTED,
    )
    prediction_resolve(prediction=approved, outcome=Outcome.CAME_TRUE, events=[event], user=curator, note="Rained.")
    public = expert_track_record(expert=expert, user=AnonymousUser()).overall
    curated = expert_track_record(expert=expert, user=curator).overall
    assert (public.made, public.came_true, public.pending) == (1, 1, 0)
    assert (curated.made, curated.came_true, curated.pending) == (2, 1, 1)


def test_the_rebuild_command_recounts_what_raw_writes_left_stale(curator):
    expert = factories.ExpertFactory(name="Raw Writes")
    prediction = factories.make_prediction(
        "It will snow, raw", expert=expert, made=datetime.date(2020, 1, 1), hedge="very unlikely"
    )
    Claim.objects.filter(pk=prediction.claim_id).update(status=ReviewStatus.REJECTED)  # behind the services' back
    assert stored() != recount()
    out = io.StringIO()
    call_command("track_records", "--rebuild", stdout=out)
    assert stored() == recount()
    assert out.getvalue() == f"Track records recounted: {TrackRecordCount.objects.count()} aggregate rows.\n"


def test_the_counts_refuse_impossible_rows():
    expert = factories.ExpertFactory(name="Constraint")
    with pytest.raises(ValidationError):
        TrackRecordCount(expert=expert, status="approved", outcome="came_true", probability=0.5, count=0).full_clean()
    with pytest.raises(ValidationError):
        TrackRecordCount(expert=expert, status="approved", outcome="won", probability=0.5, count=1).full_clean()
    TrackRecordCount.objects.create(expert=expert, status="approved", outcome="came_true", probability=None, count=1)
    with pytest.raises(ValidationError):  # one row per key, a missing probability or topic included
        TrackRecordCount(expert=expert, status="approved", outcome="came_true", probability=None, count=2).full_clean()

"""The track records' stored aggregates (``claims.models.TrackRecordCount``), kept current in the writers' transactions.

A track record is a function of how many of an expert's predictions share an
outcome and a probability (``claims.domain.track_record.track_record_of_counts``),
so those counts are stored, per expert, per topic and per claim status, and
the track-record reads (API, expert page, leaderboard) read them instead of
every prediction. Every service that changes what they count calls
``track_records_refresh`` for the experts concerned, in its own transaction;
``manage.py track_records --rebuild`` recounts them all (after a bulk load).

Beside them each expert's public track record as the API writes it (``claims.models.PublicTrackRecord``) is
stored with the revision of the counts it was computed at: every writer here bumps the revisions of the
experts whose counts it changes and empties their records, in the same transaction, and a read stores a
record only while the revision it read beside the counts is still the current one
(``public_track_record_keep``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import IntegrityError, connections, router, transaction
from django.db.models import F, Q

from claims.models import Claim, Expert, PublicTrackRecord, TrackRecordCount

__all__ = [
    "expert_ids_of_claims",
    "public_track_record_keep",
    "track_records_add",
    "track_records_rebuild",
    "track_records_refresh",
    "track_records_topics_changed",
]

# The counts of predictions by expert, claim status, outcome and probability: overall (no topic), then per topic
# of the claim. ``{where}`` narrows both to some experts; one statement rebuilds them all.
_TABLE = PublicTrackRecord._meta.db_table

# A new revision, and no record, for the experts ``{experts}`` selects (ids in key order): an upsert, so that an
# expert whose row a reader has not created yet gets one (a reader that read revision 0 then stores nothing).
_BUMP_SQL = f"""
INSERT INTO {_TABLE} AS s (expert_id, revision, overall, topics, computed_by)
SELECT e.id, 1, NULL, NULL, '' FROM claims_expert e WHERE {{experts}} ORDER BY e.id
ON CONFLICT (expert_id) DO UPDATE SET revision = s.revision + 1, overall = NULL, topics = NULL
"""

# A record computed from the counts read at a revision, stored only while that is still the revision (and the expert
# still there: a deletion committed since finds no row, one not committed yet fails the foreign key at commit).
_KEEP_SQL = f"""
INSERT INTO {_TABLE} AS s (expert_id, revision, overall, topics, computed_by)
SELECT e.id, %s, %s, %s, %s FROM claims_expert e WHERE e.id = %s
ON CONFLICT (expert_id) DO UPDATE SET overall = excluded.overall, topics = excluded.topics,
  computed_by = excluded.computed_by
WHERE s.revision = excluded.revision
"""

_COUNTS_SQL = """
INSERT INTO claims_trackrecordcount (expert_id, topic_id, status, outcome, probability, count)
SELECT c.expert_id, NULL, c.status, p.outcome, p.probability, COUNT(*)
  FROM claims_prediction p JOIN claims_claim c ON c.id = p.claim_id
 WHERE {where}
 GROUP BY c.expert_id, c.status, p.outcome, p.probability
UNION ALL
SELECT c.expert_id, ct.topic_id, c.status, p.outcome, p.probability, COUNT(*)
  FROM claims_prediction p JOIN claims_claim c ON c.id = p.claim_id JOIN claims_claim_topics ct ON ct.claim_id = c.id
 WHERE {where}
 GROUP BY c.expert_id, ct.topic_id, c.status, p.outcome, p.probability
"""


def _experts_where(expert_ids: set[int | None], column: str) -> tuple[str, list]:
    """A SQL condition: ``column`` is one of ``expert_ids`` (None: is null)."""
    known = sorted(pk for pk in expert_ids if pk is not None)
    parts, params = [], []
    if known:
        parts.append(f"{column} IN ({', '.join(['%s'] * len(known))})")
        params.extend(known)
    if None in expert_ids:
        parts.append(f"{column} IS NULL")
    return "(" + " OR ".join(parts) + ")", params


def track_records_refresh(*, expert_ids: Iterable[int | None]) -> None:
    """Recount the stored track-record aggregates (TrackRecordCount) of these experts (None: unattributed claims).

    Called inside the transaction of every write that changes what they count:
    a prediction made, re-hedged or resolved; a claim with a prediction
    reviewed, re-attributed or re-topicked; experts merged. Two writers
    refreshing the same expert take turns (a row lock on the expert, an
    advisory lock for the unattributed; SQLite writes one at a time anyway), and
    each recount reads what was committed before it, so the last one to commit
    counts every change. The recount is one ``INSERT ... SELECT`` grouping the
    experts' predictions (overall, then per topic), found from their claims.
    """
    ids = set(expert_ids)
    if not ids:
        return
    connection = connections[router.db_for_write(TrackRecordCount)]
    with transaction.atomic(using=connection.alias):
        known = _lock_experts(ids, connection)
        of_experts = Q(expert_id__in=known) | (Q(expert__isnull=True) if None in ids else Q(pk__in=[]))
        TrackRecordCount.objects.using(connection.alias).filter(of_experts).delete()
        claims_where, claims_params = _experts_where(ids, "c.expert_id")
        with connection.cursor() as cursor:
            cursor.execute(_COUNTS_SQL.format(where=claims_where), claims_params * 2)
        _bump(known, connection)


def _lock_experts(ids: set[int | None], connection) -> list[int]:
    """Take the turn of these experts' counts: a row lock on each expert (in key order), an advisory lock for the
    unattributed (SQLite writes one at a time anyway). The experts' ids, without None."""
    known = sorted(pk for pk in ids if pk is not None)
    if known:
        list(Expert.objects.using(connection.alias).select_for_update().filter(pk__in=known).order_by("pk"))
    if None in ids and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended('track_records:unattributed', 0))")
    return known


def _bump(expert_ids: list[int], connection) -> None:
    """New revisions for these experts' public track records (their counts changed in this transaction)."""
    if expert_ids:
        where, params = _experts_where(set(expert_ids), "e.id")
        with connection.cursor() as cursor:
            cursor.execute(_BUMP_SQL.format(experts=where), params)


def track_records_topics_changed(*, topic_ids: Iterable[int]) -> None:
    """New revisions for the experts with counts on these topics: a topic renamed or deleted changes their
    records (which name each topic) though not their counts. Call it in the topic's write transaction, before
    a deletion (which takes the counts with it)."""
    ids = sorted(set(topic_ids))
    if not ids:
        return
    connection = connections[router.db_for_write(TrackRecordCount)]
    with transaction.atomic(using=connection.alias):
        counted = TrackRecordCount.objects.using(connection.alias).filter(topic_id__in=ids, expert__isnull=False)
        known = _lock_experts(set(counted.values_list("expert_id", flat=True).distinct()), connection)
        _bump(known, connection)


def public_track_record_keep(*, expert_id: int, revision: int, overall: str, topics: str, computed_by: str) -> bool:
    """Store an expert's public track record (the API's JSON of ``overall`` and ``topics``, written by the code
    ``computed_by`` names) computed from the counts read at ``revision``; only while that is still the revision (a
    writer that came between has moved it on and the record is not stored). Whether it was stored."""
    connection = connections[router.db_for_write(PublicTrackRecord)]
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(_KEEP_SQL, [revision, overall, topics, computed_by, expert_id])
            return cursor.rowcount == 1
    except IntegrityError:  # the expert was deleted (or merged into another) since
        return False


def track_records_add(*, predictions: Iterable) -> None:
    """Count new predictions in (their claims saved, with no topics yet): ingestion's path, an increment per
    (expert, status, outcome, probability) instead of a recount of every forecast of a prolific expert.

    Under the same locks as track_records_refresh, so the two take turns: a recount that comes after reads
    these predictions, an increment that comes after a recount adds to its rows.
    """
    added = Counter((p.claim.expert_id, p.claim.status, p.outcome, p.probability) for p in predictions)
    if not added:
        return
    connection = connections[router.db_for_write(TrackRecordCount)]
    counts = TrackRecordCount.objects.using(connection.alias)
    with transaction.atomic(using=connection.alias):
        known = _lock_experts({expert_id for expert_id, *_ in added}, connection)
        for (expert_id, status, outcome, probability), n in sorted(added.items(), key=str):
            key = Q(topic__isnull=True, status=status, outcome=outcome)
            key &= Q(expert_id=expert_id) if expert_id is not None else Q(expert__isnull=True)
            key &= Q(probability=probability) if probability is not None else Q(probability__isnull=True)
            if not counts.filter(key).update(count=F("count") + n):
                counts.create(expert_id=expert_id, status=status, outcome=outcome, probability=probability, count=n)
        _bump(known, connection)


def track_records_rebuild() -> int:
    """Recount every stored track-record aggregate from the predictions; the number of rows written."""
    connection = connections[router.db_for_write(TrackRecordCount)]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TrackRecordCount._meta.db_table}")
        cursor.execute(_COUNTS_SQL.format(where="1 = 1"))
        cursor.execute(_BUMP_SQL.format(experts="1 = 1"))
        return TrackRecordCount.objects.using(connection.alias).count()


def expert_ids_of_claims(claim_ids: Iterable[int]) -> set[int | None]:
    """The experts of those of these claims that carry a prediction (whose track records they are in)."""
    return set(
        Claim.objects.filter(pk__in=list(claim_ids), prediction__isnull=False).values_list("expert_id", flat=True)
    )

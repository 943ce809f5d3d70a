"""Writes the curator's workbench needs beyond the core services.

Small reference records (organizations, outlets, topics) and the rows edited
inline on an expert's page (aliases, affiliations) have no business rules of
their own beyond their model's validation, so one pair of services saves and
deletes them: validated with ``full_clean()``, inside a transaction, with the
acting user recorded in their history. Dismissing a possible-duplicate flag is
the one curation decision with a service of its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import ProtectedError

from claims.domain.names import name_match_key, normalize_name
from claims.models import Affiliation, Alias, Expert, Organization, Outlet, Topic
from claims.services.errors import ConflictError
from claims.services.track_records import track_records_topics_changed

__all__ = [
    "CURATED_RECORD_TYPES",
    "DELETABLE_RECORD_TYPES",
    "curated_record_delete",
    "curated_record_save",
    "expert_duplicates_dismiss",
]

CURATED_RECORD_TYPES = (Organization, Outlet, Topic, Alias, Affiliation)
DELETABLE_RECORD_TYPES = (Expert, Alias, Affiliation, Organization, Outlet, Topic)

PROTECTED_RECORD = "{record} cannot be deleted while {count} {what} still point to it."

CuratedRecord = Organization | Outlet | Topic | Alias | Affiliation


@transaction.atomic
def curated_record_save(*, record: CuratedRecord, user=None) -> CuratedRecord:
    """Validate and save a reference record or an expert's alias or affiliation as a curator edited it."""
    if not isinstance(record, CURATED_RECORD_TYPES):
        raise TypeError(f"curated_record_save does not save {type(record).__name__} records; use its own service.")
    if isinstance(record, Alias):
        # The stored forms are derived from the spelling; derive them before validating.
        record.name = " ".join(record.name.split())
        record.normalized = normalize_name(record.name)
        record.match_key = name_match_key(record.name)
    record.full_clean()
    if user is not None:
        record._history_user = user
    record.save()
    if isinstance(record, Topic):  # its name and slug are in the public track records that count it
        track_records_topics_changed(topic_ids=[record.pk])
    return record


@transaction.atomic
def curated_record_delete(*, record: CuratedRecord | Expert, user=None) -> None:
    """Delete a record nothing protected points to; ConflictError names what still does."""
    if not isinstance(record, DELETABLE_RECORD_TYPES):
        raise TypeError(f"curated_record_delete does not delete {type(record).__name__} records.")
    if user is not None:
        record._history_user = user
    if isinstance(record, Topic):  # before the deletion takes its counts with it
        track_records_topics_changed(topic_ids=[record.pk])
    try:
        record.delete()
    except ProtectedError as exc:
        protected = list(exc.protected_objects)
        what = protected[0]._meta.verbose_name_plural if protected else "records"
        raise ConflictError(PROTECTED_RECORD.format(record=record, count=len(protected), what=what)) from exc


@transaction.atomic
def expert_duplicates_dismiss(*, expert: Expert, others: Iterable[Expert]) -> int:
    """Clear the possible-duplicate flag between ``expert`` and each of ``others``: they are different people.

    The flag is symmetrical, so it disappears from both experts. Returns how many flags were cleared.
    """
    other_ids = {other.pk for other in others} - {expert.pk}
    if not other_ids:
        return 0
    through = Expert.possible_duplicates.through
    flagged = set(
        through.objects.filter(from_expert_id=expert.pk, to_expert_id__in=other_ids).values_list(
            "to_expert_id", flat=True
        )
    )
    expert.possible_duplicates.remove(*flagged)
    return len(flagged)

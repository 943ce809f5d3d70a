"""Writes for claims: create, edit, review. The admin, the API and ingestion all call these."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from claims.choices import ClaimKind, QuoteType, ReviewStatus
from claims.models import UNKNOWN_SORT_DATE, Affiliation, Article, Claim, Expert, Topic
from claims.services.track_records import expert_ids_of_claims, track_records_refresh
from claims.services.versioning import lock_for_update, versioned_save

OFFSETS_OUTSIDE_ARTICLE = "The span {start}..{end} lies outside the article, whose text is {length} characters long."
TEXT_NOT_AT_OFFSETS = "The text does not match the article at {start}..{end}."
AFFILIATION_OF_ANOTHER_EXPERT = "The affiliation belongs to another expert."
APPROVE_WITHOUT_EXPERT = "A claim cannot be approved while its speaker is unknown: set the expert first."

EDITABLE_FIELDS = frozenset(
    {"expert", "affiliation", "start", "end", "text", "quote_type", "cue", "speaker_mention", "kind", "notes", "topics"}
)


def article_sort_date(article: Article):
    return article.published_on or UNKNOWN_SORT_DATE


def check_span(claim: Claim, article: Article) -> None:
    """Offsets inside the article and the text exactly ``body[start:end]``."""
    length = len(article.body)
    if claim.start is None or claim.end is None or not 0 <= claim.start < claim.end <= length:
        raise ValidationError(
            {"start": OFFSETS_OUTSIDE_ARTICLE.format(start=claim.start, end=claim.end, length=length)}
        )
    expected = article.body[claim.start : claim.end]
    if not claim.text:
        claim.text = expected
    elif claim.text != expected:
        raise ValidationError({"text": TEXT_NOT_AT_OFFSETS.format(start=claim.start, end=claim.end)})


def _check_affiliation(claim: Claim) -> None:
    if claim.affiliation_id is not None and claim.affiliation.expert_id != claim.expert_id:
        raise ValidationError({"affiliation": AFFILIATION_OF_ANOTHER_EXPERT})


def claim_validate(claim: Claim) -> None:
    """Everything the database cannot check on its own, then the model's own validation."""
    check_span(claim, claim.article)
    _check_affiliation(claim)
    if claim.status == ReviewStatus.APPROVED and claim.expert_id is None:
        raise ValidationError({"expert": APPROVE_WITHOUT_EXPERT})
    claim.full_clean(exclude=["topics"])


@transaction.atomic
def claim_create(
    *,
    article: Article,
    start: int,
    end: int,
    text: str = "",
    expert: Expert | None = None,
    affiliation: Affiliation | None = None,
    quote_type: str = QuoteType.DIRECT,
    cue: str = "",
    speaker_mention: str = "",
    kind: str = ClaimKind.ASSESSMENT,
    topics: Iterable[Topic] = (),
    notes: str = "",
    confidence: float | None = None,
    status: str = ReviewStatus.EXTRACTED,
    reviewer=None,
) -> Claim:
    claim = Claim(
        article=article,
        expert=expert,
        affiliation=affiliation,
        start=start,
        end=end,
        text=text,
        quote_type=quote_type,
        cue=cue[:120],
        speaker_mention=speaker_mention[:200],
        kind=kind,
        notes=notes,
        confidence=confidence,
        status=status,
        sort_date=article_sort_date(article),
    )
    if status != ReviewStatus.EXTRACTED:
        claim.reviewed_by, claim.reviewed_at = reviewer, timezone.now()
    claim_validate(claim)
    claim.save()
    if topics:
        claim.topics.set(topics)
    return claim


@transaction.atomic
def claim_update(*, claim: Claim, data: dict, expected_version: int | None = None, user=None) -> Claim:
    """Apply a curator's edit. ``data`` maps field names (EDITABLE_FIELDS) to new values.

    Changing the span re-reads the text from the article unless ``text`` is
    given too, in which case it must match. A change of expert drops an
    affiliation that belonged to the previous one.
    """
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"claim_update cannot change {sorted(unknown)}")
    claim = lock_for_update(claim, expected_version)
    counted_under = claim.expert_id
    topics = data.get("topics")
    for field, value in data.items():
        if field != "topics":
            setattr(claim, field, value)
    if ("start" in data or "end" in data) and "text" not in data:
        claim.text = ""
    if "expert" in data and "affiliation" not in data and claim.affiliation_id is not None:
        if claim.affiliation.expert_id != claim.expert_id:
            claim.affiliation = None
    versioned_save(claim, user=user, validate=claim_validate)
    if topics is not None:
        claim.topics.set(topics)
    if ("expert" in data or topics is not None) and expert_ids_of_claims([claim.pk]):
        track_records_refresh(expert_ids={counted_under, claim.expert_id})
    return claim


@transaction.atomic
def claim_review(
    *, claim: Claim, status: str, user, expected_version: int | None = None, notes: str | None = None
) -> Claim:
    """Approve, reject or send back to the queue one claim, recording who and when."""
    claim = lock_for_update(claim, expected_version)
    _apply_review(claim, status, user)
    if notes is not None:
        claim.notes = notes
    versioned_save(claim, user=user, validate=claim_validate)
    track_records_refresh(expert_ids=expert_ids_of_claims([claim.pk]))
    return claim


def _apply_review(claim: Claim, status: str, user) -> None:
    if status not in ReviewStatus.values:
        raise ValidationError({"status": f"Unknown status {status!r}; use one of {', '.join(ReviewStatus.values)}."})
    if status == ReviewStatus.APPROVED and claim.expert_id is None:
        raise ValidationError({"expert": APPROVE_WITHOUT_EXPERT})
    claim.status = status
    if status == ReviewStatus.EXTRACTED:
        claim.reviewed_by, claim.reviewed_at = None, None
    else:
        claim.reviewed_by, claim.reviewed_at = user, timezone.now()


@transaction.atomic
def claims_review_bulk(*, claims: QuerySet[Claim] | Iterable[Claim], status: str, user) -> tuple[int, int]:
    """Review many claims at once. Returns (changed, skipped).

    Claims already in ``status`` are left as they are; claims without a
    speaker are skipped (and counted) on approval.
    """
    ids = [c.pk for c in claims]
    locked = list(Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    changed, skipped = [], 0
    for claim in locked:
        if claim.status == status:
            continue  # already there: its reviewer and time stay as they were
        if status == ReviewStatus.APPROVED and claim.expert_id is None:
            skipped += 1
            continue
        _apply_review(claim, status, user)
        claim.version += 1
        claim.updated_at = timezone.now()
        changed.append(claim)
    bulk_update_with_history(
        changed,
        Claim,
        ["status", "reviewed_by", "reviewed_at", "version", "updated_at"],
        batch_size=500,
        default_user=user,
    )
    track_records_refresh(expert_ids=expert_ids_of_claims([claim.pk for claim in changed]))
    return len(changed), skipped

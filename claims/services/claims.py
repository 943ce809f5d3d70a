"""Writes for claims: create, edit, review. The admin, the API and ingestion all call these."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from claims.choices import ClaimKind, QuoteType, ReviewStatus
from claims.domain.topics import TopicMatcher, claim_context, compile_cues
from claims.models import UNKNOWN_SORT_DATE, Affiliation, Article, Claim, Expert, Topic, TopicRemoval
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
        _topics_set_by_curator(claim, topics, user=user)
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


# -- topics from cue phrases ------------------------------------------------------------------------

TOPICS_REASON = "topics from cue phrases"


def topic_matcher_load(*, topic_ids: Iterable[int] | None = None) -> TopicMatcher:
    """The curated topics' cue phrases (of ``topic_ids`` only, if given), compiled (claims.domain.topics),
    keyed by topic id.

    One query; the compiled expressions are cached for as long as the cues stay the same. Ingestion
    loads it once per batch of articles, never per claim.
    """
    topics = Topic.objects.exclude(cues="").order_by("pk")
    if topic_ids is not None:
        topics = topics.filter(pk__in=list(topic_ids))
    cues = dict(topics.values_list("pk", "cues"))
    return compile_cues(cues)


def claim_topic_ids(*, claim: Claim, body: str, matcher: TopicMatcher) -> list[int]:
    """The ids of the topics whose cues occur in the claim or the sentence(s) it lies in."""
    return matcher.match(claim_context(body, claim.start, claim.end))


def _topics_set_by_curator(claim: Claim, topics: Iterable, *, user) -> None:
    """Set ``claim``'s topics as a curator chose them, remembering the ones taken off (TopicRemoval) so that the
    cue matcher does not put them back, and forgetting that for the ones put back."""
    before = set(claim.topics.values_list("pk", flat=True))
    claim.topics.set(topics)
    after = set(claim.topics.values_list("pk", flat=True))
    TopicRemoval.objects.filter(claim=claim, topic_id__in=after - before).delete()
    TopicRemoval.objects.bulk_create(
        [TopicRemoval(claim=claim, topic_id=pk, removed_by=user) for pk in sorted(before - after)],
        ignore_conflicts=True,  # removed before, put back by a link made behind this service's back, removed again
    )


def _topic_links_missing(wanted: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (claim id, topic id) pairs of ``wanted`` that are not links yet and that no curator removed."""
    claim_ids = {claim_id for claim_id, _ in wanted}
    through = Claim.topics.through
    linked = set(through.objects.filter(claim_id__in=claim_ids).values_list("claim_id", "topic_id"))
    removed = set(TopicRemoval.objects.filter(claim_id__in=claim_ids).values_list("claim_id", "topic_id"))
    return wanted - linked - removed


def claims_topics_add(*, links: dict[int, Iterable[int]], reason: str = TOPICS_REASON, new: bool = False) -> int:
    """Add topic links (claim id -> topic ids) that the cue matcher found; existing links stay, and so do the
    topics a curator removed from a claim (TopicRemoval): they are not added back. Returns how many links were
    added.

    ``new``: the claims were just created (ingestion): their links are recorded in the history record of
    their creation. Otherwise each claim that gains a topic gets a new version and a history record.
    Never removes a topic, so a curator's topics are never lost.
    """
    through = Claim.topics.through
    wanted = {(claim_id, topic_id) for claim_id, topic_ids in links.items() for topic_id in topic_ids}
    if not wanted:
        return 0
    claim_ids = sorted({claim_id for claim_id, _ in wanted})
    if not new:
        wanted = _topic_links_missing(wanted)
        if not wanted:
            return 0
        claim_ids = sorted({claim_id for claim_id, _ in wanted})
    added = sorted(wanted)
    through.objects.bulk_create([through(claim_id=c, topic_id=t) for c, t in added], batch_size=1000)
    if not new:
        claims = list(Claim.objects.select_for_update().filter(pk__in=claim_ids).order_by("pk"))
        now = timezone.now()
        for claim in claims:
            claim.version += 1
            claim.updated_at = now
        bulk_update_with_history(
            claims, Claim, ["version", "updated_at"], batch_size=500, default_change_reason=reason[:100]
        )
        # Their forecasts now count under these topics too (ingestion counts its new claims' topics itself).
        track_records_refresh(expert_ids=expert_ids_of_claims(claim_ids))
    _record_topics_in_history(claim_ids)
    return len(added)


def _record_topics_in_history(claim_ids: list[int]) -> None:
    """Give each claim's latest history record the topics it has now (what simple-history's m2m
    tracking would write, for links made in bulk)."""
    history = Claim.history.model
    m2m = history.topics.model  # simple-history's HistoricalClaim_topics
    latest = dict(
        history.objects.filter(id__in=claim_ids).values("id").annotate(last=Max("history_id")).values_list("id", "last")
    )
    links = Claim.topics.through.objects.filter(claim_id__in=claim_ids).values_list("id", "claim_id", "topic_id")
    m2m.objects.filter(history_id__in=latest.values()).delete()
    m2m.objects.bulk_create(
        [m2m(history_id=latest[c], id=pk, claim_id=c, topic_id=t) for pk, c, t in links if c in latest],
        batch_size=1000,
    )


def claims_topics_assign(
    *,
    claims: QuerySet[Claim] | None = None,
    topic_ids: Iterable[int] | None = None,
    dry_run: bool = False,
    chunk_size: int = 500,
) -> dict[str, int]:
    """Match the topics' cues (of ``topic_ids`` only, if given) on existing claims (all of them by
    default) and add the topics found.

    Only adds: a topic a curator set by hand is never removed here, and one a curator removed is not added
    again (TopicRemoval). Reads the claims article by article, so that each article's text is
    read once. Returns {"claims": examined, "claims_changed": gaining a topic, "links": added}.
    """
    matcher = topic_matcher_load(topic_ids=topic_ids)
    counts = {"claims": 0, "claims_changed": 0, "links": 0}
    if not matcher:
        return counts
    claims = (claims if claims is not None else Claim.objects.all()).order_by("article_id", "pk")
    rows = claims.values_list("pk", "article_id", "start", "end")
    pending: list[tuple[int, int, int, int]] = []

    def flush():
        if not pending:
            return
        bodies = dict(Article.objects.filter(pk__in={r[1] for r in pending}).values_list("pk", "body"))
        found: dict[int, list[int]] = {}
        for pk, article_id, start, end in pending:
            topic_ids = matcher.match(claim_context(bodies[article_id], start, end))
            if topic_ids:
                found[pk] = topic_ids
        missing = _topic_links_missing({(pk, t) for pk, ids in found.items() for t in ids})
        new_links: dict[int, list[int]] = {}
        for pk, t in sorted(missing):
            new_links.setdefault(pk, []).append(t)
        counts["claims"] += len(pending)
        counts["claims_changed"] += len(new_links)
        counts["links"] += sum(len(ids) for ids in new_links.values())
        if new_links and not dry_run:
            with transaction.atomic():
                claims_topics_add(links=new_links)
        pending.clear()

    for row in rows.iterator(chunk_size=chunk_size):
        pending.append(row)
        if len(pending) >= chunk_size:
            flush()
    flush()
    return counts

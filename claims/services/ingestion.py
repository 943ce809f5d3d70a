"""Ingestion: article text in, an article with its experts, affiliations, claims and predictions out.

One article is one transaction: it is stored whole or not at all. The same
text (after newline normalization) is never stored twice: the content hash is
unique in the database, so two processes ingesting the same folder at once
create each article exactly once. Re-ingesting never touches what exists, so a
curator's changes survive, and costs no extraction: a text is hashed first,
and a known hash is answered "unchanged" before any extraction runs.

Extraction (claims.extraction) is pure and runs before the transaction opens;
this module only maps its results onto rows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from itertools import combinations, islice

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from claims.choices import AliasOrigin, ClaimKind, DatePrecision, ExpertKind, QuoteType, ReviewStatus
from claims.domain.forecasts import hedge_fields, parse_horizon
from claims.domain.names import family_name_key, name_match_key, names_resemble, strip_honorifics
from claims.domain.textfiles import NotAnArticle, content_hash, prepare_text
from claims.domain.topics import TopicMatcher
from claims.extraction.types import ArticleExtraction, ExtractedAffiliation, ExtractedQuote
from claims.models import Affiliation, Alias, Article, Claim, Expert, Outlet, Prediction
from claims.services import ingest_worker
from claims.services.claims import article_sort_date, check_span, claim_topic_ids, claims_topics_add, topic_matcher_load
from claims.services.people import (
    affiliation_get_or_create,
    alias_add,
    expert_create,
    expert_kind_observe,
    organization_get_or_create,
    unique_slug,
)
from claims.services.track_records import track_records_add

__all__ = ["IngestResult", "NotAnArticle", "article_ingest", "articles_ingest", "content_hash", "ingest_run_label"]

Extractor = Callable[[str], ArticleExtraction]
# Texts in, (extraction or None, error or None) out, one per text and in order (ingest_worker.Extractor).
BatchExtractor = Callable[[list[str]], Iterable[ingest_worker.Extracted]]

BATCH_SIZE = 200


@dataclass
class IngestResult:
    source: str
    status: str  # "new" | "unchanged" | "failed" | "would-add" (dry run) | "skipped" (a feed another poller holds)
    article_id: int | None = None
    title: str = ""
    claims: int = 0
    experts_new: int = 0
    experts_matched: int = 0
    possible_duplicates: int = 0
    error: str = ""
    url: str = ""  # where the text was found, when it came from an address
    sources_added: int = 0  # addresses (or files) recorded as sources of an article already stored

    def as_dict(self) -> dict:
        return asdict(self)


def default_extractor(nlp=None) -> Extractor:
    from claims.extraction import extract_article

    return lambda text: extract_article(text, nlp=nlp)


def article_ingest(
    *,
    text: str,
    source: str = "",
    extractor: Extractor | None = None,
    extraction: ArticleExtraction | None = None,
    dry_run: bool = False,
) -> IngestResult:
    """Store one article and what extraction found in it; idempotent on the text.

    ``text`` is brought to its stored form (``claims.domain.textfiles.prepare_text``).
    ``extraction`` may be computed beforehand; otherwise ``extractor``
    (default: the spaCy-backed one) runs here, and only if the text is new.
    Raises NotAnArticle for input that is not an article; any other error
    leaves nothing behind.
    """
    text = prepare_text(text)  # raises NotAnArticle
    name = os.path.basename(source) if source else "-"
    if extraction is None:
        extraction = extractor or default_extractor()  # called by _ingest only if the text is new
    return _ingest(text, content_hash(text), name, extraction, dry_run, run=ingest_run_label())


def articles_ingest(
    *,
    items: Iterable[ingest_worker.Item],
    extract: BatchExtractor,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    reraise: tuple[type[BaseException], ...] = (),
) -> Iterator[IngestResult]:
    """Ingest many inputs (files, or bytes already read), yielding one result per input, in order.

    Each input is read and hashed first (``ingest_worker.load``); texts
    already stored are answered "unchanged" without being extracted, with one
    query per batch of ``batch_size``. ``extract`` (``ingest_worker.Extractor``:
    in this process or a pool of workers) extracts the rest of the batch, and
    each article is stored in its own transaction. A failure is reported
    (status "failed", with the reason) and the batch goes on, except for the
    exception types in ``reraise`` (an ingestion job retries a deadlock later).
    """
    items = iter(items)
    run = ingest_run_label()
    while batch := list(islice(items, batch_size)):
        loaded = [ingest_worker.load(item) for item in batch]
        known = _stored({entry.digest for entry in loaded if entry.digest is not None})
        fresh = [entry.text for entry in loaded if entry.digest is not None and entry.digest not in known]
        topics = topic_matcher_load() if fresh else None  # the topics' cues, read once per batch
        extracted = iter(extract(fresh)) if fresh else iter(())
        for entry in loaded:
            name = os.path.basename(entry.label)
            if entry.error is not None:
                yield IngestResult(source=entry.label, status="failed", error=entry.error)
            elif entry.digest in known:
                article_id, title = known[entry.digest]
                yield IngestResult(source=name, status="unchanged", article_id=article_id, title=title)
            else:
                extraction, error = next(extracted)
                if error is not None:
                    yield IngestResult(source=entry.label, status="failed", error=error)
                    continue
                if entry.page is not None:
                    from claims.extraction.webpage import merge_meta  # trafilatura loads only for web pages

                    # What the page declares (title, date, authors, outlet) beats what the text suggests.
                    extraction = replace(extraction, meta=merge_meta(entry.page, extraction.meta))
                try:
                    yield _ingest(entry.text, entry.digest, name, extraction, dry_run, run=run, topics=topics)
                except reraise:
                    raise
                except Exception as exc:  # noqa: BLE001 - the article's transaction rolled back; the batch goes on
                    yield IngestResult(source=entry.label, status="failed", error=f"{type(exc).__name__}: {exc}")


def _stored(digests: set[str]) -> dict[str, tuple[int, str]]:
    """Content hash -> (article id, title) for the hashes already stored."""
    if not digests:
        return {}
    rows = Article.objects.filter(content_hash__in=digests).values_list("content_hash", "id", "title")
    return {digest: (pk, title) for digest, pk, title in rows}


def ingest_run_label() -> str:
    """How the history records of one ingest run name it (there is no signed-in user to name)."""
    return f"ingest run {timezone.now():%Y-%m-%d %H:%M:%S} UTC"


def _ingest(
    text: str,
    digest: str,
    name: str,
    extraction: ArticleExtraction | Extractor | Callable[[str], tuple[ArticleExtraction, dict]],
    dry_run: bool,
    *,
    on_stored: Callable[[Article, bool], int] | None = None,
    run: str = "",
    topics: TopicMatcher | None = None,
) -> IngestResult:
    """Store a text already in its stored form; ``extraction`` may be an extractor, called only if the text is new.

    ``extraction`` may also answer (extraction, origins of the metadata fields). ``on_stored(article,
    created)`` runs inside the article's transaction, for a new article and for one already stored
    alike (it records where the text was found), and returns how many sources it added. ``topics`` is the
    topics' compiled cues (claims.services.claims.topic_matcher_load), read here when not given.
    """
    existing = Article.objects.filter(content_hash=digest).only("id", "title").first()
    if existing is not None:
        return _unchanged(existing, name, dry_run, on_stored)
    origins: dict = {}
    if not isinstance(extraction, ArticleExtraction):
        extraction = extraction(text)
        if isinstance(extraction, tuple):
            extraction, origins = extraction
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                reason = ((run or ingest_run_label()) + (f": {name}" if name else ""))[:100]
                result, article = _store(text, digest, name, extraction, origins, reason=reason, topics=topics)
                if on_stored is not None:
                    on_stored(article, True)
                if dry_run:
                    result.status, result.article_id = "would-add", None
                    transaction.set_rollback(True)
                return result
        except (IntegrityError, ValidationError):
            # Another process stored the same text, or created the same outlet,
            # organization or slug, between our reads and our writes.
            winner = Article.objects.filter(content_hash=digest).only("id", "title").first()
            if winner is not None:
                return _unchanged(winner, name, dry_run, on_stored)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _unchanged(
    article: Article, name: str, dry_run: bool, on_stored: Callable[[Article, bool], int] | None
) -> IngestResult:
    result = IngestResult(source=name, status="unchanged", article_id=article.pk, title=article.title)
    if on_stored is not None and not dry_run:
        with transaction.atomic():
            result.sources_added = on_stored(article, False)
    return result


def _serialize_on(key: str) -> None:
    """Make concurrent transactions that resolve the same name take turns (PostgreSQL).

    Without it two processes could both miss an expert and both create one.
    SQLite needs nothing: its write transactions are already serial (IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def _store(
    text: str,
    digest: str,
    source: str,
    extraction: ArticleExtraction,
    origins: dict | None = None,
    *,
    reason: str = "",
    topics: TopicMatcher | None = None,
) -> tuple[IngestResult, Article]:
    """Write one article and everything extraction found in it, in bulk; what happened, and the article.

    Claims and predictions are validated in memory (span, text, choices) and
    inserted with one statement per table, their history with another; the
    database's constraints back every rule. Experts, affiliations and
    organizations are resolved once per article. Each claim is filed under the topics whose cues
    occur in it or in its sentence (``topics``, claims.domain.topics).
    """
    meta = extraction.meta
    precision = meta.date_precision if meta.published_on else DatePrecision.UNKNOWN
    article = Article(
        title=_title(meta.title or text.strip().splitlines()[0]),
        outlet=_outlet(meta.outlet, meta.outlet_domain),
        authors="; ".join(meta.authors)[:500],
        url=(meta.url or "")[:1000],
        published_on=meta.published_on,
        date_precision=precision if precision in DatePrecision.values else DatePrecision.UNKNOWN,
        language=(meta.language or "en")[:16],
        body=text,
        content_hash=digest,
        source_file=source[:500],
        metadata_sources=origins or {},
    )
    # Field checks only: the constraints (and the content hash's uniqueness,
    # so that a concurrent insert of the same text is an IntegrityError) are
    # the database's.
    article.clean_fields(exclude=["outlet", "content_hash"])
    article._change_reason = reason  # the history records name the ingest run
    article.save()
    result = IngestResult(source=source, status="new", article_id=article.pk, title=article.title)

    experts: dict[str, Expert] = {}
    # What kind of person each speaker is printed as (claims.extraction.kinds), by identity key and by name.
    kinds = {key: person.kind for person in extraction.people for key in (person.key, person.name) if key}
    affiliations: dict[tuple, Affiliation | None] = {}
    claims: list[Claim] = []
    quotes: list[ExtractedQuote] = []
    spans: set[tuple[int, int]] = set()
    for quote in extraction.quotes:
        if (quote.start, quote.end) in spans or not 0 <= quote.start < quote.end <= len(text):
            continue
        spans.add((quote.start, quote.end))
        expert, affiliation = None, None
        if quote.speaker:
            name = strip_honorifics(quote.speaker)
            # The identity key extraction worked out; worked out here only for results made without one.
            key = quote.speaker_key or name_match_key(name)
            if key not in experts:
                kind = kinds.get(key) or kinds.get(quote.speaker)
                experts[key] = _expert_for(name, key, quote.affiliation, result, kind=kind, reason=reason)
            expert = experts[key]
            if quote.affiliation is not None:
                printed = (expert.pk, quote.affiliation)
                if printed not in affiliations:
                    affiliations[printed] = _affiliation_for(expert, quote.affiliation)
                affiliation = affiliations[printed]
        claim = Claim(
            article=article,
            start=quote.start,
            end=quote.end,
            text=text[quote.start : quote.end],
            expert=expert,
            affiliation=affiliation,
            quote_type=quote.kind if quote.kind in QuoteType.values else QuoteType.DIRECT,
            cue=(quote.cue or "")[:120],
            speaker_mention=(quote.speaker_mention or "")[:200],
            kind=quote.claim_kind if quote.claim_kind in ClaimKind.values else ClaimKind.ASSESSMENT,
            confidence=max(0.0, min(1.0, float(quote.confidence))),
            status=ReviewStatus.EXTRACTED,
            sort_date=article_sort_date(article),
        )
        check_span(claim, article)
        claims.append(claim)
        quotes.append(quote)
    bulk_create_with_history(claims, Claim, batch_size=500, default_change_reason=reason)
    if topics is None:
        topics = topic_matcher_load()
    links: dict[int, list[int]] = {}
    if topics:
        links = {claim.pk: claim_topic_ids(claim=claim, body=text, matcher=topics) for claim in claims}
        claims_topics_add(links=links, reason=reason, new=True)
    predictions = [
        _prediction_for(claim, quote, article)
        for claim, quote in zip(claims, quotes, strict=True)
        if claim.kind == ClaimKind.PREDICTION
    ]
    bulk_create_with_history(predictions, Prediction, batch_size=500, default_change_reason=reason)
    track_records_add(predictions=predictions, topics=links)  # new claims: an increment, not a recount
    result.claims = len(claims)
    return result, article


TITLE_MAX = 150
_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s")


def _title(first_line: str) -> str:
    """A headline, or for articles that open without one, the first sentence (cut at a word if long)."""
    title = " ".join(first_line.split())
    if len(title) <= TITLE_MAX:
        return title
    sentence = _SENTENCE_END.split(title, maxsplit=1)[0]
    if len(sentence) <= TITLE_MAX:
        return sentence
    return title[:TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _outlet(name: str | None, domain: str | None) -> Outlet | None:
    if not name and not domain:
        return None
    if domain:
        found = Outlet.objects.filter(domain__iexact=domain).first()
        if found:
            return found
    if name:
        found = Outlet.objects.filter(name__iexact=name).first()
        if found:
            return found
        for outlet in Outlet.objects.exclude(alternate_names=[]):
            if name.casefold() in (alt.casefold() for alt in outlet.alternate_names):
                return outlet
    name = name or domain
    outlet = Outlet(name=name[:200], slug=unique_slug(Outlet, name), domain=(domain or "")[:200])
    outlet.full_clean()
    outlet.save()
    return outlet


def _expert_for(
    name: str,
    key: str,
    affiliation: ExtractedAffiliation | None,
    result: IngestResult,
    *,
    kind: str | None = None,
    reason: str = "",
) -> Expert:
    """The expert a printed name (with its identity key) belongs to: matched by the key, else created.

    A new expert whose name resembles others' is flagged as their possible duplicate. ``kind`` is what
    kind of person the article prints them as; a matched expert's kind follows
    claims.services.people.expert_kind_observe.
    """
    _serialize_on(f"expert:{key}")
    candidates = list(
        Expert.objects.filter(aliases__match_key=key).distinct().prefetch_related("affiliations__organization")
    )
    family = _experts_of_family(key) if key and " " not in key else []
    if not candidates and len(family) == 1:
        # A family name printed alone ("Obama said") that fits exactly one known person.
        candidates = family
    if candidates:
        expert = _best_candidate(candidates, affiliation)
        alias_add(expert=expert, name=name, origin=AliasOrigin.EXTRACTED, match_key=key, constraints_by_database=True)
        result.experts_matched += 1
        return expert_kind_observe(expert=expert, kind=kind, reason=reason)
    expert = expert_create(
        name=name,
        origin=AliasOrigin.EXTRACTED,
        match_key=key,
        kind=kind if kind in ExpertKind.values else "",
        constraints_by_database=True,
    )
    result.experts_new += 1
    similar = _resembling_experts(expert, name, key)
    # A family name alone and a full name with it may be one person ("Obama" / "Barack Obama"): the
    # curator decides. Several people it fits, or a full name arriving after the family name alone.
    known_by_family_name = family if len(family) > 1 else _experts_known_as(family_name_key(name), exclude=expert)
    similar += [other for other in known_by_family_name if other not in similar and other.pk != expert.pk]
    if similar:
        expert.possible_duplicates.add(*similar)
        result.possible_duplicates += len(similar)
    return expert


def _experts_of_family(key: str, limit: int = 20) -> list[Expert]:
    """Experts whose family name is the one-word ``key`` ("obama" fits Barack Obama, not Obama Smith)."""
    containing = (
        Q(match_key__startswith=f"{key} ") | Q(match_key__endswith=f" {key}") | Q(match_key__contains=f" {key} ")
    )
    ids = Alias.objects.filter(containing).values("expert_id")
    experts = Expert.objects.filter(pk__in=ids).order_by("pk")[:limit]
    return [expert for expert in experts if family_name_key(expert.name) == key]


def _experts_known_as(key: str, *, exclude: Expert) -> list[Expert]:
    """Experts known by the one-word name ``key`` alone (the family name of a new full name)."""
    if not key or " " in key:
        return []
    return list(Expert.objects.filter(aliases__match_key=key).exclude(pk=exclude.pk).distinct().order_by("pk")[:20])


def _best_candidate(candidates: list[Expert], affiliation: ExtractedAffiliation | None) -> Expert:
    """Among experts sharing a name key, prefer the one already at the printed organization."""
    if affiliation is not None and affiliation.organization and len(candidates) > 1:
        wanted = affiliation.organization.casefold()
        for expert in candidates:
            if any(a.organization and a.organization.name.casefold() == wanted for a in expert.affiliations.all()):
                return expert
    return min(candidates, key=lambda e: e.pk)


def _resembling_experts(expert: Expert, name: str, key: str, limit: int = 500) -> list[Expert]:
    """Other experts whose names resemble ``name`` (claims.domain.names.names_resemble).

    Candidates share the first three letters of every part of the name (of
    all but one part for names of three parts or more), which keeps the scan
    small; names_resemble then decides.
    """
    prefixes = [part[:3] for part in key.split()]
    if len(prefixes) < 2:
        return []
    required = len(prefixes) if len(prefixes) <= 2 else len(prefixes) - 1
    condition = Q()
    for kept in combinations(prefixes, required):
        both = Q()
        for prefix in kept:
            both &= Q(match_key__contains=prefix)
        condition |= both
    aliases = Alias.objects.filter(condition).exclude(expert=expert).select_related("expert").order_by("id")[:limit]
    return list({a.expert_id: a.expert for a in aliases if names_resemble(a.name, name)}.values())


def _affiliation_for(expert: Expert, extracted: ExtractedAffiliation | None):
    if extracted is None:
        return None
    organization = None
    if extracted.organization:
        organization = organization_get_or_create(
            name=extracted.organization, acronym=extracted.acronym or "", constraints_by_database=True
        )
    role = (extracted.role or "").strip()
    if not role and organization is None:
        role = extracted.text.strip()
    if not role and organization is None:
        return None
    return affiliation_get_or_create(
        expert=expert,
        organization=organization,
        role=role[:300],
        is_former=bool(extracted.is_former),
        constraints_by_database=True,
    )


def _prediction_for(claim: Claim, quote: ExtractedQuote, article: Article) -> Prediction:
    """A pending prediction for a forecast: the hedge mapped to a probability band, the horizon resolved."""
    horizon = parse_horizon(claim.text, article.published_on)
    return Prediction(
        claim=claim,
        proposition=claim.text[:2000],
        hedge=(quote.hedge or "")[:120],
        **hedge_fields(quote.hedge, inverted=False),
        horizon_text=horizon.text[:200],
        horizon_start=horizon.start,
        horizon_end=horizon.end,
    )

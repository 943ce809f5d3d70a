"""Followed feeds: ``manage.py follow`` adds them, ``ingest --feeds`` polls them, and so does celery beat.

Two ways to poll, one rule: a feed is polled by one poller at a time. ``feed_poll_claim`` takes
the feed's row lock (``SELECT ... FOR UPDATE SKIP LOCKED``: a second poller skips the feed instead
of waiting), fetches the feed and records its new entries (``FeedEntry`` without an article) in
the caller's transaction, so that no other poller fetches them again. Then the poll of an
ingestion job (``claims.services.ingest_jobs``, run on schedule by celery beat) turns each entry
into a job of its own, and ``feeds_poll`` (``ingest --feeds``) ingests them in this process, after
the claim committed (the lock is held for one fetch of the feed, never while entries are
extracted). Either way ``feed_entry_done`` records each entry's article when it is stored.

A poll asks each active feed with the ETag and Last-Modified it answered last time (a 304 costs
nothing), fetches only entries whose id it has not recorded, and records every entry ingested
(new or already stored) or failed for good; an entry that failed for a reason that may pass
(a timeout, a 503) is tried again next time. So a feed polled twice ingests its new entries once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from claims.extraction.feeds import FeedEntry as Entry
from claims.extraction.feeds import NotAFeed, read_feed
from claims.models import FeedEntry, FollowedFeed
from claims.services.fetching import Fetcher, FetchError
from claims.services.ingestion import BatchExtractor, IngestResult
from claims.services.inputs import ExplicitMeta, default_fetcher, documents_ingest, from_feed

__all__ = [
    "Polled",
    "feed_delete",
    "feed_entry_done",
    "feed_follow",
    "feed_poll_claim",
    "feed_save",
    "feed_unfollow",
    "feeds_poll",
]

ANOTHER_POLLER = "skipped: another worker is polling this feed"
NOT_FOLLOWED = "skipped: the feed is no longer followed"
QUEUED_AS_JOBS = "queued as jobs"
INGESTED_HERE = "being ingested in this process"
NOT_MODIFIED = "not modified"


def feed_follow(*, url: str, title: str = "") -> tuple[FollowedFeed, bool]:
    """Follow the feed at ``url`` (again, if it was paused); returns (feed, created)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"not a web address: {url!r}")
    with transaction.atomic():
        feed = FollowedFeed.objects.select_for_update().filter(url=url).first()
        if feed is not None:
            if not feed.active:
                feed.active = True
                feed.save(update_fields=["active"])
            return feed, False
        feed = FollowedFeed(url=url, title=title[:500])
        feed.full_clean()
        feed.save()
        return feed, True


def feed_unfollow(*, url: str) -> bool:
    """Stop polling the feed at ``url`` (what it brought stays); False if it was not followed."""
    return bool(FollowedFeed.objects.filter(url=url, active=True).update(active=False))


def feeds_poll(
    *,
    extract: BatchExtractor,
    fetcher: Fetcher | None = None,
    dry_run: bool = False,
    feeds: list[FollowedFeed] | None = None,
) -> Iterator[IngestResult]:
    """Poll the active followed feeds (or ``feeds``) and ingest their new entries in this process.

    One result per new entry, one per feed that failed, and one ``skipped`` per feed that another
    poller (a worker's poll job, another ``ingest --feeds``) holds at that moment: each feed is
    claimed as the jobs claim it (``feed_poll_claim``), so no entry is fetched by two pollers.
    """
    fetcher = fetcher or default_fetcher()
    for feed in feeds if feeds is not None else FollowedFeed.objects.filter(active=True):
        yield from _poll_here(feed.pk, extract, fetcher, dry_run)


def _poll_here(feed_id: int, extract: BatchExtractor, fetcher: Fetcher, dry_run: bool) -> Iterator[IngestResult]:
    with transaction.atomic():  # the feed's row lock, for the fetch of the feed only
        polled = feed_poll_claim(feed_id=feed_id, fetcher=fetcher, dry_run=dry_run, then=INGESTED_HERE)
    if polled.skipped:
        yield IngestResult(source=polled.feed_url, status="skipped", url=polled.feed_url, error=polled.note)
        return
    if polled.error is not None:
        yield IngestResult(source=polled.feed_url, status="failed", url=polled.feed_url, error=polled.error)
        return
    if polled.note == NOT_MODIFIED:
        return
    # Claimed (recorded) entries not ingested when this stops early (an error, ^C) are forgotten, so that
    # the next poll fetches them; a process killed outright leaves them recorded (see docs/scaling.md).
    pending = {entry.id[:1000] for entry in polled.entries}
    counts = {"new": 0, "unchanged": 0, "failed": 0}
    documents = from_feed(b"", polled.feed_url, polled.feed_url, ExplicitMeta(), fetcher, entries=polled.entries)
    try:
        for doc, result in documents_ingest(documents, extract=extract, dry_run=dry_run):
            counts[result.status if result.status in counts else "new"] += 1
            if not dry_run:
                passing = result.status == "failed" and doc.transient
                feed_entry_done(feed_id=feed_id, entry_id=doc.entry.id, article_id=result.article_id, passing=passing)
            pending.discard(doc.entry.id[:1000])
            yield result
    finally:
        if pending and not dry_run:
            with contextlib.suppress(DatabaseError):
                FeedEntry.objects.filter(feed_id=feed_id, entry_id__in=pending, article__isnull=True).delete()
    if not dry_run:
        FollowedFeed.objects.filter(pk=feed_id).update(
            last_result=f"{len(polled.entries)} new entries: {counts['new']} new, {counts['unchanged']} unchanged, "
            f"{counts['failed']} failed"
        )


@dataclass(frozen=True)
class Polled:
    """What one poll of a feed found: its new entries (already recorded, unless a dry run), or why it found
    none (``skipped``: another poller holds the feed, or it is no longer followed)."""

    feed_url: str
    entries: tuple[Entry, ...] = ()
    note: str = ""
    error: str | None = None
    transient: bool = False
    retry_after: float | None = None
    skipped: bool = False


def feed_poll_claim(
    *, feed_id: int, fetcher: Fetcher | None = None, dry_run: bool = False, then: str = QUEUED_AS_JOBS
) -> Polled:
    """Claim one poll of a followed feed: fetch it (with its ETag), record its new entries, return them.

    Must run inside a transaction (``transaction.atomic``): the feed's row stays locked until it ends,
    and the entries are recorded (``FeedEntry`` without an article) in it, together with the jobs the
    caller makes of them. A feed locked by another poller, or no longer followed, is skipped. ``then``
    says in the feed's last result what becomes of the entries; ``dry_run`` records nothing.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("feed_poll_claim must run inside transaction.atomic (it holds the feed's row lock)")
    fetcher = fetcher or default_fetcher()
    feed = FollowedFeed.objects.select_for_update(skip_locked=True).filter(pk=feed_id).first()
    if feed is None:
        url = FollowedFeed.objects.filter(pk=feed_id).values_list("url", flat=True).first()
        if url is not None:
            return Polled(feed_url=url, note=ANOTHER_POLLER, skipped=True)
        return Polled(feed_url="", note=NOT_FOLLOWED, skipped=True)
    if not feed.active:
        return Polled(feed_url=feed.url, note=NOT_FOLLOWED, skipped=True)

    def done(result: str, **changes) -> None:
        if not dry_run:
            changes |= {"last_polled_at": timezone.now(), "last_result": result[:500]}
            FollowedFeed.objects.filter(pk=feed.pk).update(**changes)

    try:
        fetched = fetcher.fetch(feed.url, etag=feed.etag or None, last_modified=feed.last_modified or None)
    except FetchError as exc:
        done(f"failed: {exc.reason}")
        return Polled(feed.url, error=exc.reason, transient=exc.transient, retry_after=exc.retry_after)
    if fetched.not_modified:
        done(NOT_MODIFIED)
        return Polled(feed.url, note=NOT_MODIFIED)
    try:
        parsed = read_feed(fetched.content)
    except NotAFeed as exc:
        done(f"failed: {exc}")
        return Polled(feed.url, error=str(exc))
    seen = set(FeedEntry.objects.filter(feed=feed).values_list("entry_id", flat=True))
    fresh: dict[str, Entry] = {}
    for entry in parsed.entries:
        key = entry.id[:1000]
        if key not in seen and key not in fresh:
            fresh[key] = replace(entry, link=urljoin(fetched.url, entry.link))
    if not dry_run:
        FeedEntry.objects.bulk_create(
            FeedEntry(feed=feed, entry_id=key, link=entry.link[:1000]) for key, entry in fresh.items()
        )
    note = f"{len(fresh)} new entries {then}"
    done(
        note,
        etag=(fetched.etag or "")[:500],
        last_modified=(fetched.last_modified or "")[:100],
        title=feed.title or (parsed.title or "")[:500],
    )
    return Polled(feed.url, entries=tuple(fresh.values()), note=note)


def feed_entry_done(*, feed_id: int, entry_id: str, article_id: int | None, passing: bool = False) -> None:
    """An entry's job ended: record its article, or, when it failed for a reason that may pass
    (``passing``), forget the entry so that the next poll queues it again."""
    entries = FeedEntry.objects.filter(feed_id=feed_id, entry_id=entry_id[:1000])
    if passing:
        entries.filter(article__isnull=True).delete()
    elif article_id is not None:
        entries.update(article_id=article_id)


@transaction.atomic
def feed_save(*, feed: FollowedFeed) -> FollowedFeed:
    """Save a followed feed as a curator edited it (address, title, active)."""
    feed.full_clean()
    feed.save()
    return feed


@transaction.atomic
def feed_delete(*, feed: FollowedFeed) -> None:
    """Forget a followed feed and the entries it has seen (the articles stay)."""
    feed.delete()

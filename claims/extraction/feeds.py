"""RSS and Atom feeds: bytes in, the entries' addresses and what the feed says about them out.

Pure (no Django, no I/O); feedparser does the parsing. A feed entry's metadata ranks below
the page's own (explicit > page > feed > guessed: see docs/ingestion-inputs.md).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

import feedparser

__all__ = ["Feed", "FeedEntry", "NotAFeed", "read_feed"]


class NotAFeed(ValueError):
    """Bytes that are not an RSS or Atom feed, with the reason in plain words."""


@dataclass(frozen=True)
class FeedEntry:
    link: str
    id: str  # the entry's guid/id; its link when it has none
    title: str | None = None
    published: datetime.datetime | None = None  # UTC; the updated date when no published one is given
    author: str | None = None


@dataclass(frozen=True)
class Feed:
    title: str | None
    link: str | None
    version: str  # "rss20", "atom10", ... as feedparser names them
    entries: tuple[FeedEntry, ...]


def _utc(parsed) -> datetime.datetime | None:
    if not parsed:
        return None
    return datetime.datetime.fromtimestamp(calendar.timegm(parsed), tz=datetime.UTC)


def _text(value) -> str | None:
    value = " ".join(str(value).split()) if value else ""
    return value or None


def read_feed(data: bytes) -> Feed:
    """Parse an RSS (0.9x, 1.0, 2.0) or Atom feed; raise ``NotAFeed`` for anything else.

    Entries without a link are left out (there is nothing to fetch); a feed with entries but
    small syntax errors is still read, as feedparser reads it.
    """
    if not data or not data.strip():
        raise NotAFeed("empty feed")
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.version:
        reason = parsed.get("bozo_exception")
        detail = f" ({reason})" if reason else ""
        raise NotAFeed(f"not an RSS or Atom feed{detail}")
    if parsed.bozo and not parsed.entries:
        raise NotAFeed(f"not an RSS or Atom feed: broken ({parsed.get('bozo_exception')})")
    entries = []
    for entry in parsed.entries:
        link = _text(entry.get("link"))
        if not link:
            continue
        entries.append(
            FeedEntry(
                link=link,
                id=_text(entry.get("id")) or link,
                title=_text(entry.get("title")),
                published=_utc(entry.get("published_parsed") or entry.get("updated_parsed")),
                # RSS writes "desk@example.com (Lee Soo-jin)": the name, when feedparser found one.
                author=_text((entry.get("author_detail") or {}).get("name")) or _text(entry.get("author")),
            )
        )
    return Feed(
        title=_text(parsed.feed.get("title")),
        link=_text(parsed.feed.get("link")),
        version=parsed.version,
        entries=tuple(entries),
    )

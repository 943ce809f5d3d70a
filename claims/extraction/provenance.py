"""Which value of each article field wins, and where it came from: explicit > page > feed > guessed.

Pure (no Django, no I/O). ``ExplicitMeta`` is what a user states (command flags, a sidecar
``NAME.meta.json``, a form or an API request); the page's own metadata is a ``WebArticle``
(``claims.extraction.webpage``); a feed entry's a ``FeedEntry`` (``claims.extraction.feeds``);
the guesses are the web reader's and the text extractor's (``ArticleMeta``).

    meta, origins = resolve_meta(text_meta, page=page, entry=entry, explicit=explicit)
    # origins == {"title": "page", "outlet": "explicit", "published_on": "feed", ...}
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import urlsplit

from claims.extraction.feeds import FeedEntry
from claims.extraction.types import ArticleMeta
from claims.extraction.webpage import WebArticle

__all__ = ["FIELDS", "ORIGINS", "ExplicitMeta", "parse_date", "resolve_meta"]

ORIGINS = ("explicit", "page", "feed", "guessed")
# The article fields whose origin is recorded.
FIELDS = ("title", "outlet", "authors", "published_on", "url", "language")
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def parse_date(value: str) -> tuple[datetime.date, str]:
    """``2024-11-28`` (day), ``2024-11`` (month) or ``2024`` (year); ValueError otherwise."""
    match = _DATE.match(value.strip())
    if not match:
        raise ValueError(f"not a date: {value!r} (write 2024-11-28, 2024-11 or 2024)")
    year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
    precision = "day" if match[3] else "month" if match[2] else "year"
    try:
        return datetime.date(year, month, day), precision
    except ValueError:
        raise ValueError(f"not a date: {value!r}") from None


@dataclass(frozen=True)
class ExplicitMeta:
    """Metadata a user states for one input; every field optional."""

    title: str | None = None
    outlet: str | None = None
    date: str | None = None  # 2024-11-28, 2024-11 or 2024
    url: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None

    def __post_init__(self) -> None:
        if self.date:
            parse_date(self.date)
        if self.url:
            parts = urlsplit(self.url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"not a web address: {self.url!r}")
        if self.language and not _LANGUAGE.match(self.language):
            raise ValueError(f"not a language code: {self.language!r} (write en, ko, ...)")

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> ExplicitMeta:
        """From a sidecar file, a form or a request: keys title, outlet, date, url, author(s), language.

        Raises ValueError for an unknown key or a value of the wrong kind.
        """
        if not isinstance(data, dict):
            raise ValueError("metadata must be an object")
        known = {f.name for f in fields(cls)} | {"author"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown metadata: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        values: dict[str, Any] = {}
        for key, value in data.items():
            if value in (None, "", [], ()):
                continue
            if key in ("author", "authors"):
                names = [value] if isinstance(value, str) else value
                if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
                    raise ValueError(f"{key} must be a name or a list of names")
                values["authors"] = tuple(n.strip() for a in names for n in a.split(";") if n.strip())
            elif not isinstance(value, str):
                raise ValueError(f"{key} must be text")
            else:
                values[key] = value.strip()
        return cls(**values)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def _domain(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def resolve_meta(
    text_meta: ArticleMeta,
    *,
    page: WebArticle | None = None,
    entry: FeedEntry | None = None,
    explicit: ExplicitMeta | None = None,
    fallback_url: str | None = None,
) -> tuple[ArticleMeta, dict[str, str]]:
    """The article's metadata and, for every field found, its origin (``ORIGINS``).

    Per field the first of: what the user stated; what the page declares; what the feed entry
    says; a guess (the text extractor's, else the web reader's). ``fallback_url`` (where the
    bytes were fetched) is the address when nothing else gives one.
    """
    explicit = explicit or ExplicitMeta()
    page_sources = page.sources if page is not None else {}
    origins: dict[str, str] = {}

    def choose(name: str, explicit_value, page_field: str | None, page_value, feed_value, guesses):
        if explicit_value:
            origins[name] = "explicit"
            return explicit_value
        if page_field and page_sources.get(page_field) == "page" and page_value:
            origins[name] = "page"
            return page_value
        if feed_value:
            origins[name] = "feed"
            return feed_value
        for guess in guesses:
            if guess:
                origins[name] = "guessed"
                return guess
        return None

    guessed_page = page is not None
    title = choose(
        "title",
        explicit.title,
        "title",
        page.title if page else None,
        entry.title if entry else None,
        (text_meta.title, page.title if guessed_page else None),
    )
    authors = choose(
        "authors",
        tuple(explicit.authors),
        "authors",
        tuple(page.authors) if page else (),
        (entry.author,) if entry and entry.author else (),
        (tuple(text_meta.authors), tuple(page.authors) if guessed_page else ()),
    )
    url = choose(
        "url",
        explicit.url,
        "canonical_url",
        page.canonical_url if page else None,
        entry.link if entry else None,
        (text_meta.url, fallback_url, page.canonical_url if guessed_page else None),
    )
    language = choose(
        "language", explicit.language, "language", page.language if page else None, None, (text_meta.language,)
    )

    # The date and its precision travel together.
    explicit_date = parse_date(explicit.date) if explicit.date else None
    page_date = (page.published, page.date_precision) if page and page.published else None
    feed_date = (entry.published.date(), "day") if entry and entry.published else None
    text_date = (text_meta.published_on, text_meta.date_precision) if text_meta.published_on else None
    page_guess = page_date if page_sources.get("published") == "guessed" else None
    date = choose("published_on", explicit_date, "published", page_date, feed_date, (text_date, page_guess))

    # The outlet and its domain travel together: a domain from another source would pick another outlet.
    # The page's domain only when the page names its own address: the host it was fetched from
    # may be a mirror, a syndication partner or a test server.
    page_domain = page.domain if page and page_sources.get("canonical_url") == "page" else None
    page_outlet = (page.outlet, page_domain) if page and page.outlet else None
    text_outlet = (text_meta.outlet, text_meta.outlet_domain) if text_meta.outlet else None
    outlet = choose(
        "outlet",
        (explicit.outlet, _domain(explicit.url)) if explicit.outlet else None,
        "outlet",
        page_outlet,
        None,
        (text_outlet, page_outlet),
    )

    meta = replace(
        text_meta,
        title=title or text_meta.title,
        authors=tuple(authors or ()),
        url=url,
        language=language or "en",
        published_on=date[0] if date else None,
        date_precision=date[1] if date else "unknown",
        outlet=outlet[0] if outlet else None,
        outlet_domain=outlet[1] if outlet else None,
    )
    return meta, {name: origins[name] for name in FIELDS if name in origins}

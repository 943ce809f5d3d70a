"""The extraction contract: plain, immutable results, no Django, no I/O.

``claims.extraction.extract_article(text)`` returns an ``ArticleExtraction``;
ingestion (claims.services.ingestion) turns it into rows. All offsets are
character offsets into the exact text passed in (Python ``str`` indices).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

__all__ = ["DERIVED", "ArticleExtraction", "ArticleMeta", "ExtractedAffiliation", "ExtractedQuote", "Person"]

# Field metadata of values derived from others (identity keys): carried to ingestion so that it
# need not work them out again, but not part of what extraction found (left out of the golden files).
DERIVED = {"derived": True}


@dataclass(frozen=True)
class ArticleMeta:
    title: str
    outlet: str | None = None  # "NK News", "BBC", "The Hankyoreh"; None when it cannot be told
    outlet_domain: str | None = None  # "nknews.org", "hani.co.kr"
    authors: tuple[str, ...] = ()
    published_on: datetime.date | None = None
    date_precision: str = "unknown"  # "day" | "month" | "year" | "unknown" (None date <=> "unknown")
    language: str = "en"
    url: str | None = None
    # The region of the text that is the article proper; boilerplate (comment
    # forms, "Most viewed articles", social log-in text) lies outside it.
    body_start: int = 0
    body_end: int = 0


@dataclass(frozen=True)
class ExtractedAffiliation:
    """An affiliation as printed next to a name."""

    text: str  # as printed: "senior research fellow at the Korea Institute for National Unification (KINU)"
    role: str  # "senior research fellow"; "" when only an organization is printed
    organization: str | None = None  # "Korea Institute for National Unification"
    acronym: str | None = None  # "KINU"
    place: str | None = None  # "Perth, Australia"
    is_former: bool = False
    start: int | None = None
    end: int | None = None
    # Added by the extractor: the body an organization belongs to, when printed ("Institute for
    # Peace and Unification Studies at Seoul National University" -> "Seoul National University").
    parent_organization: str | None = None


@dataclass(frozen=True)
class Person:
    """A person introduced in the article, with every mention resolved to them."""

    name: str  # the fullest form printed: "Alexander Matsegora"
    mentions: tuple[tuple[int, int], ...] = ()  # spans of every mention, including "he", "the Russian diplomat"
    affiliation: ExtractedAffiliation | None = None
    # What kind of person, from the titles and affiliation printed (claims.extraction.kinds.PERSON_KINDS):
    # "analyst", "academic", "official", "politician", "journalist" or "other".
    kind: str = "other"
    # The identity key of the name (claims.domain.names.name_match_key): what experts are matched on.
    key: str = field(default="", metadata=DERIVED)


@dataclass(frozen=True)
class ExtractedQuote:
    start: int  # offsets of the quoted content (without the quote marks for direct quotes)
    end: int
    text: str  # == article_text[start:end]
    kind: str  # "direct" | "mixed" | "indirect"
    speaker: str | None = None  # resolved full name, None when unknown
    speaker_start: int | None = None  # the mention at the cue: "Matsegora", "he", "Mr Muraviev"
    speaker_end: int | None = None
    speaker_mention: str | None = None
    cue: str | None = None  # "said", "told BBC Korean", "estimated", "according to"
    cue_start: int | None = None
    cue_end: int | None = None
    affiliation: ExtractedAffiliation | None = None  # the speaker's affiliation as printed in this article
    confidence: float = 0.5  # 0..1
    claim_kind: str = "assessment"  # "prediction" | "assessment" | "factual" | "recommendation"
    hedge: str | None = None  # for predictions: "very unlikely", "I expect", "high possibility"
    # Added by the extractor (defaults keep the contract):
    speaker_kind: str | None = None  # "person" | "organization" | "group" | "unknown"; None without a source
    claim_reason: str | None = None  # the rule behind claim_kind: "hedge: very unlikely", "modal: should"
    # The rule that attributed the quote: a name in claims.extraction.attribution.RULES ("before",
    # "after", "colon", "label", "dash", "signed", "indirect", "transcript", "joined", "context",
    # "inherit", "previous", "none") or one of their variants ("mixed", "according").
    rule: str | None = None
    # The speaker's identity key (Person.key), None without a speaker; ingestion matches experts on it.
    speaker_key: str | None = field(default=None, metadata=DERIVED)


@dataclass(frozen=True)
class ArticleExtraction:
    meta: ArticleMeta
    quotes: tuple[ExtractedQuote, ...] = ()
    people: tuple[Person, ...] = field(default_factory=tuple)

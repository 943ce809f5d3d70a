"""Article metadata from the text alone: title, outlet, authors, date, language and the body bounds."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from claims.extraction.lexicon import BOILERPLATE_LINE, BYLINE_LINE, DOMAIN_TO_OUTLET, MONTHS
from claims.extraction.text import Paragraph, paragraphs
from claims.extraction.types import ArticleMeta

__all__ = ["MetaResult", "extract_meta"]

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_NAMES})\.?,?\s+(?P<year>(?:19|20)\d\d)",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b(?P<month>{_MONTH_NAMES})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)")
_MONTH_YEAR = re.compile(rf"\b(?P<month>{_MONTH_NAMES})\.?,?\s+(?P<year>(?:19|20)\d\d)(?!\d)", re.IGNORECASE)
_YEAR_ONLY_LINE = re.compile(
    r"^(?:(?:posted|published|updated|date)\s*(?:on|in)?\s*:?\s*)?(?:©\s*)?(?P<year>(?:19|20)\d\d)$", re.IGNORECASE
)
_POSTED = re.compile(r"^(?:posted|published|first published|updated|date)\b", re.IGNORECASE)
_KST_POSTED = re.compile(r"posted on\s*:\s*(?:19|20)\d\d-\d\d-\d\d[^\n]*\bKST\b", re.IGNORECASE)
_DOMAIN = re.compile(r"(?<![\w.-])(?:https?://)?(?:www\.)?(?P<domain>[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})", re.I)
_URL = re.compile(r"https?://[^\s<>\"'\]\[)]+")
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|bin|al|la|le|da|di|der)){1,3}"
_ENTRY_BY = re.compile(rf"\bposted\b[^\n]*?\bby\s+(?P<name>{_NAME})\s*\.?\s*$", re.IGNORECASE)
_WRITTEN_BY = re.compile(
    rf"^(?:written by|author|words by|reporting by)\s*:?\s*(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)"
)
# NK News style: the date runs straight into the author and the comment count.
_DATE_AUTHOR = re.compile(
    rf"^(?P<month>(?i:{_MONTH_NAMES}))\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)"
    rf"\s*(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){{1,2}})(?P<count>\d*)$"
)
_SENTENCE_INSIDE = re.compile(r"[.!?][\"”’)]*\s+[\"“‘(]?[A-Z]")
_TERMINAL = re.compile(r"[.!?…][\"”’')\]]*$")


@dataclass(frozen=True)
class MetaResult:
    meta: ArticleMeta
    # Lines inside the body that are boilerplate (skipped by quote extraction).
    skipped: tuple[tuple[int, int], ...] = ()


def _words(s: str) -> int:
    return len(s.split())


def _is_plain_prose(line: str) -> bool:
    """Running text for sure: two sentences, a sentence ending on a full stop, or a long line."""
    if _SENTENCE_INSIDE.search(line):
        return True
    n = _words(line)
    # Decks and headlines rarely end on a full stop.
    return (n >= 4 and bool(re.search(r"[^.]\.[\"”’')\]]*$", line))) or n >= 35


def _is_prose(line: str) -> bool:
    """A line of running text, not a headline, deck or byline."""
    return _is_plain_prose(line) or (_words(line) >= 8 and bool(_TERMINAL.search(line)))


def _is_lead_sentence(line: str) -> bool:
    """A first line that is the article's opening sentence, not a headline: long, and ending on a full
    stop (headlines do not)."""
    return _words(line) >= 20 and bool(re.search(r"[^.]\.[\"”’')\]]*$", line.rstrip()))


def _is_meta_line(line: str) -> bool:
    return bool(
        _POSTED.match(line)
        or _DATE_AUTHOR.match(line)
        or BYLINE_LINE.match(line)
        or (len(line) < 60 and (_MONTH_DAY_YEAR.search(line) or _ISO_DATE.search(line)))
    )


def _make_date(year: str, month: str, day: str | None) -> datetime.date | None:
    try:
        m = int(month) if month.isdigit() else MONTHS[month.casefold().rstrip(".")]
        return datetime.date(int(year), m, int(day) if day else 1)
    except (KeyError, ValueError, OverflowError):
        return None


def _find_date(line: str) -> tuple[datetime.date, str] | None:
    for rx in (_ISO_DATE, _MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        for m in rx.finditer(line):
            d = _make_date(m.group("year"), m.group("month"), m.group("day"))
            if d:
                return d, "day"
    for m in _MONTH_YEAR.finditer(line):
        d = _make_date(m.group("year"), m.group("month"), None)
        if d:
            return d, "month"
    m = _YEAR_ONLY_LINE.match(line.strip())
    if m:
        d = _make_date(m.group("year"), "1", None)
        if d:
            return d, "year"
    return None


def _split_names(names: str) -> list[str]:
    out = []
    for part in re.split(r"\s*(?:,|\band\b|&)\s*", names):
        part = part.strip(" .")
        if re.fullmatch(_NAME, part):
            out.append(part)
    return out


def _outlet_from(text: str, lines: list[tuple[Paragraph, str]], body: tuple[int, int]) -> tuple[str | None, str | None]:
    # Only the lines around the article proper (masthead, dateline, footer): an outlet merely
    # named or linked in the body is not where the article was published.
    outside = [s for p, s in lines if p.end <= body[0] or p.start >= body[1]]
    for chunk in outside:
        for m in _DOMAIN.finditer(chunk[:200_000]):
            domain = m.group("domain").casefold()
            for known, name in DOMAIN_TO_OUTLET.items():
                if domain == known or domain.endswith("." + known):
                    return name, known
    if _KST_POSTED.search(text[:5000]):
        return "The Hankyoreh", "hani.co.kr"
    for _, line in lines[:8]:
        if _DATE_AUTHOR.match(line):
            return "NK News", "nknews.org"
    return None, None


def _language(text: str) -> str:
    sample = text[:20000]
    letters = hangul = cyrillic = cjk = 0
    for ch in sample:
        if ch.isalpha():
            letters += 1
            o = ord(ch)
            if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
                hangul += 1
            elif 0x0400 <= o <= 0x04FF:
                cyrillic += 1
            elif 0x4E00 <= o <= 0x9FFF:
                cjk += 1
    if letters == 0:
        return "en"
    if hangul / letters > 0.3:
        return "ko"
    if cyrillic / letters > 0.3:
        return "ru"
    if cjk / letters > 0.3:
        return "zh"
    return "en"


def extract_meta(text: str) -> MetaResult:
    paras = paragraphs(text)
    lines = [(p, text[p.start : p.end]) for p in paras]
    if not lines:
        return MetaResult(ArticleMeta(title="", body_start=0, body_end=0, language=_language(text)))
    title = lines[0][1]
    if len(title) > 500:
        cut = title.rfind(" ", 0, 500)
        title = title[: cut if cut > 100 else 500].rstrip()

    # Body start: the first prose line after the title and header lines.
    first = lines[0][1]
    if _SENTENCE_INSIDE.search(first) or _words(first) >= 40 or _is_lead_sentence(first):
        start_i = 0
    else:
        start_i = None
        # A byline or date line closes the header: the body starts after the last one near the top.
        after = 1
        for i, (_, line) in enumerate(lines[1:8], start=1):
            if _is_meta_line(line):
                after = i + 1
            elif _is_plain_prose(line):
                break  # a byline after the first paragraph closes the article, not the header
        for i, (_, line) in enumerate(lines[after : after + 10], start=after):
            if _is_meta_line(line) or BOILERPLATE_LINE.match(line):
                continue
            if _is_prose(line) or (line[:1] in '"“' and _words(line) >= 4):
                start_i = i
                break
        if start_i is None:
            start_i = min(after, len(lines) - 1)
    body_start = lines[start_i][0].start

    # Body end: the first boilerplate line after which no real prose follows.
    end_i = len(lines)
    skipped: list[tuple[int, int]] = []
    for i in range(start_i + 1, len(lines)):
        line = lines[i][1]
        if BOILERPLATE_LINE.match(line) or BYLINE_LINE.match(line) or _ENTRY_BY.search(line):
            rest = [s for _, s in lines[i + 1 :] if not BOILERPLATE_LINE.match(s)]
            if sum(1 for s in rest if _is_prose(s) and _words(s) >= 20) < 2:
                end_i = i
                break
            skipped.append((lines[i][0].start, lines[i][0].end))
    body_end = lines[end_i - 1][0].end if end_i > start_i else lines[start_i][0].end

    header = [s for p, s in lines[:start_i]]
    footer = [s for p, s in lines[end_i:]]

    # Dates: "Posted on" lines first, then the header, then the footer.
    published = None
    precision = "unknown"
    posted_lines = [s for _, s in lines if _POSTED.match(s)]
    footer_meta = [s for s in footer if _is_meta_line(s)]
    for line in (*posted_lines, *header[1:], *footer_meta, *header[:1]):
        found = _find_date(line)
        if found:
            published, precision = found
            break

    # Authors.
    authors: list[str] = []
    for line in (*header, *footer):
        m = _DATE_AUTHOR.match(line)
        if m:
            authors.append(m.group("name"))
            continue
        m = BYLINE_LINE.match(line)
        if m:
            authors.extend(_split_names(m.group("names")))
            continue
        m = _ENTRY_BY.search(line)
        if m:
            authors.extend(_split_names(m.group("name")))
            continue
        m = _WRITTEN_BY.match(line)
        if m:
            authors.extend(_split_names(m.group("names")))
    seen: set[str] = set()
    authors = [a for a in authors if not (a in seen or seen.add(a))]

    outlet, domain = _outlet_from(text, lines, (body_start, body_end))
    url = None
    for chunk in (*header, *footer):
        for m in _URL.finditer(chunk):
            if domain is None or domain in m.group(0):
                url = m.group(0).rstrip(".,;")
                break
        if url:
            break

    meta = ArticleMeta(
        title=title,
        outlet=outlet,
        outlet_domain=domain,
        authors=tuple(authors),
        published_on=published,
        date_precision=precision if published else "unknown",
        language=_language(text),
        url=url,
        body_start=body_start,
        body_end=body_end,
    )
    return MetaResult(meta, tuple(skipped))

"""Saved or fetched web pages: HTML bytes in, clean article text and sourced metadata out.

Pure (no Django, no I/O). trafilatura finds the main text (comments, navigation, related
stories, captions and cookie banners stay out); the metadata comes from what the page
declares (JSON-LD ``NewsArticle``, OpenGraph ``og:*``, ``article:published_time``,
``<meta name=...>``, ``<time datetime>``, the canonical link, ``<html lang>``), and only
when the page declares nothing from guesses (htmldate's search of the URL and the text,
trafilatura's byline search, the site name in the ``<title>``, the outlet lexicon).
``WebArticle.sources`` says which was which for every field found.

    page = read_webpage(data, url="https://example.org/news/1")   # -> WebArticle
    meta = merge_meta(page, extract_article(page.text).meta)       # page > text guesses

The text comes out as paragraphs separated by blank lines, typographic quotes kept,
in Unicode NFC. Anything that is not an article raises ``NotAnArticle`` with the reason.
"""

from __future__ import annotations

import codecs
import datetime
import email.utils
import json
import re
import unicodedata
import zlib
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import trafilatura
from charset_normalizer import from_bytes
from htmldate import find_date
from lxml.html import HtmlElement

from claims.domain.textfiles import NotAnArticle
from claims.extraction.lexicon import DOMAIN_TO_OUTLET
from claims.extraction.types import ArticleMeta

__all__ = [
    "MAX_PAGE_BYTES",
    "MIN_PAGE_WORDS",
    "NotAnArticle",
    "Source",
    "WebArticle",
    "decode_html",
    "merge_meta",
    "read_webpage",
]

Source = Literal["page", "guessed"]

# Saved pages with inline scripts and styles run to a few megabytes; the text is a few kilobytes.
MAX_PAGE_BYTES = 20_000_000
# Less main text than this is a home page, a login wall or a paywall stub, not an article.
MIN_PAGE_WORDS = 60
# A text more than this share of whose words are whole links is a list of headlines.
LINK_TEXT_SHARE = 0.5

HTML_TYPES = ("text/html", "application/xhtml+xml")
ARTICLE_TYPES = {
    "Article",
    "NewsArticle",
    "AnalysisNewsArticle",
    "AskPublicNewsArticle",
    "BackgroundNewsArticle",
    "OpinionNewsArticle",
    "ReportageNewsArticle",
    "ReviewNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "Report",
    "ScholarlyArticle",
}
# Magic numbers of the files most often saved under an .html name by mistake.
_NOT_HTML_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"RIFF": "a RIFF file (WebP image or audio)",
    b"\x00\x00\x00": "a binary file",
}
_MARKUP = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|article|main|div|p|title|meta)[\s>/]", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{2,}")
_ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T\s]|$)")
_UTC_TIMESTAMP = re.compile(r"\d[T\s]\d{1,2}:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:Z|[+-]00:?00|UTC|GMT)\s*$", re.I)
_BYLINE_PREFIX = re.compile(r"^\s*(?:(?:article|story|words|written|posted|reporting)\s+)?by\b[:\s]*", re.IGNORECASE)
_BYLINE_SUFFIX = re.compile(r"\s+(?:for|from)\s+(?:the\s+)?[A-Z].*$|\s+by$", re.IGNORECASE)

# Post-cleaning, by general rules (no site names): trailing paragraphs that ask the reader to do
# something or state the page's legal terms, and teaser lines pointing at other stories.
_TAIL_BOILERPLATE = re.compile(
    r"©|\bcopyright(?:ed property|\s+\d{4}|\s+©)|\ball rights reserved\b|\bsubscribe (?:now|today|to|for)\b"
    r"|\bsign up\b|\bnewsletter\b|\bdownload (?:the|our)\b.*\bapps?\b|\bfollow us\b|\bletters? to the editor\b"
    r"|\bwhat you think\b|\bour standards\b|\btrust principles\b|\badvertise with\b|\bwithout permission\b"
    r"|\bclick here\b|[\w.+-]+@[\w-]+\.[\w.]+",
    re.IGNORECASE,
)
_HEAD_BOILERPLATE = re.compile(
    r"\b(?:submit|subscribe|sign up|click here|letters? to the editor|download (?:the|our)\b.*\bapps?)\b",
    re.IGNORECASE,
)
_TEASER = re.compile(
    r"^(?:read(?: more)?|related|see also|more|watch|listen|recommended|also read)\s*:\s", re.IGNORECASE
)
_TAIL_MAX_WORDS = 60
_TAIL_MAX_PARAGRAPHS = 4
_HEAD_MAX_WORDS = 25


@dataclass(frozen=True)
class WebArticle:
    """An article read from a web page: its main text and what the page says about it."""

    text: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime.date | None = None
    date_precision: str = "unknown"  # "day" | "month" | "year" | "unknown" (None date <=> "unknown")
    outlet: str | None = None
    domain: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    description: str | None = None
    # field name -> "page" (declared by the page) or "guessed"; a field not found is absent.
    sources: dict[str, Source] = field(default_factory=dict)
    encoding: str = "utf-8"  # how the bytes were decoded


# ---------------------------------------------------------------------------------------------
# Bytes -> str


def _gunzip(data: bytes) -> bytes:
    """Decompress gzip'ed bytes, refusing a broken stream or one that inflates past the cap."""
    inflater = zlib.decompressobj(31)
    try:
        out = inflater.decompress(data, MAX_PAGE_BYTES + 1)
    except zlib.error as exc:
        raise NotAnArticle(f"broken gzip data ({exc})") from None
    if len(out) > MAX_PAGE_BYTES:
        raise NotAnArticle(f"page too large once decompressed (over {MAX_PAGE_BYTES:,} bytes)")
    if not inflater.eof:
        raise NotAnArticle("broken gzip data (truncated)")
    return out


def _declared_encoding(data: bytes, content_type: str | None) -> str | None:
    if content_type and (match := _HEADER_CHARSET.search(content_type)):
        return match[1].lower()
    if match := _META_CHARSET.search(data[:4096]):
        return match[1].decode("ascii").lower()
    return None


def _is_single_byte(encoding: str) -> bool:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name in {"latin-1", "iso8859-1", "cp1252", "ascii", "iso8859-15", "cp1250", "iso8859-2"}


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode HTML bytes: the declared encoding (HTTP header, then ``<meta charset>``) when the
    bytes agree with it, else the detected one. Returns (text, encoding used).

    A byte-order mark wins over any declaration. A page declared as a single-byte encoding
    (ISO-8859-1, windows-1252) whose non-ASCII bytes are valid UTF-8 is UTF-8: that is
    the common mistake, and such bytes are almost never meant as Latin-1.
    """
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    declared = _declared_encoding(data, content_type)
    if declared:
        if _is_single_byte(declared) and not data.isascii():
            try:
                return data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass  # declared wrongly (or unknown): detect below
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise NotAnArticle("cannot tell the text encoding of the page")
    return str(best), best.encoding


def _check_is_html(data: bytes, content_type: str | None) -> None:
    if content_type:
        mime = content_type.split(";")[0].strip().lower()
        if mime and mime not in HTML_TYPES:
            raise NotAnArticle(f"not HTML (the content type is {mime})")
    for magic, what in _NOT_HTML_MAGIC.items():
        if data.startswith(magic):
            raise NotAnArticle(f"not HTML: {what}")
    if not _MARKUP.search(data[:65536].replace(b"\x00", b"")):
        raise NotAnArticle("not HTML: no HTML markup in it")


# ---------------------------------------------------------------------------------------------
# Declared metadata


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _json_ld_objects(tree: HtmlElement) -> list[dict]:
    """Every JSON-LD object of the page, flattened out of lists and ``@graph``."""
    found: list[dict] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            found.append(node)
            walk(node.get("@graph"))

    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            walk(json.loads(script.text_content(), strict=False))
        except (ValueError, RecursionError):
            continue  # a broken block of JSON-LD: the other sources remain
    return found


def _types(node: dict) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def _names(value: Any, *, organizations: bool = True) -> list[str]:
    """Person or organization names out of a JSON-LD value (a string, an object or a list)."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, dict) and _types(item) & {"Organization", "NewsMediaOrganization"} and not organizations:
            continue
        name = _clean(item.get("name")) if isinstance(item, dict) else _clean(item)
        if name and not name.startswith(("http://", "https://")):
            names.append(name)
    return names


def _metas(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` contents keyed by their lower-cased property, name, itemprop or http-equiv (first wins)."""
    out: dict[str, str] = {}
    for meta in tree.xpath("//meta[@content]"):
        content = _clean(meta.get("content"))
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (meta.get(attr) or "").strip().lower()
            if key:
                out.setdefault(key, content)
    return out


def _first(*values: str | None) -> str | None:
    return next((v for v in values if v), None)


def _parse_date(value: str | None) -> tuple[datetime.date, str] | None:
    """A date as printed in metadata: ISO 8601 (any precision; the local date as written, no
    time-zone shift) or RFC 2822. None for anything else or an implausible year."""
    if not value:
        return None
    if match := _ISO_DATE.match(value):
        year, month, day = int(match[1]), match[2], match[3]
        try:
            if day:
                parsed, precision = datetime.date(year, int(month), int(day)), "day"
            elif month:
                parsed, precision = datetime.date(year, int(month), 1), "month"
            else:
                parsed, precision = datetime.date(year, 1, 1), "year"
        except ValueError:
            return None
    else:
        try:
            parsed, precision = email.utils.parsedate_to_datetime(value).date(), "day"
        except (TypeError, ValueError, IndexError):
            return None
    if not 1900 <= parsed.year <= datetime.date.today().year + 1:
        return None
    return parsed, precision


_DATE_METAS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "date",
)


def _declared_date(tree: HtmlElement, ld: dict, metas: dict[str, str]) -> tuple[datetime.date, str] | None:
    candidates = [_clean(ld.get("datePublished")), _clean(ld.get("dateCreated"))]
    candidates += [metas.get(key) for key in _DATE_METAS]
    candidates += tree.xpath(
        "//time[@itemprop='datePublished' or @pubdate]/@datetime"
        " | //*[@itemprop='datePublished']/@content"
        " | //article//time/@datetime | //header//time/@datetime"
    )
    parsed = [(c, p) for c in candidates if (p := _parse_date(c))]
    if not parsed:
        return None
    # A UTC timestamp ("...T00:30:41Z") can fall on the day after the one the outlet printed:
    # a declared date in local time (an offset, or none) within a day of it is the printed one.
    first = parsed[0][1]
    if _UTC_TIMESTAMP.search(parsed[0][0]):
        for candidate, (day, precision) in parsed[1:]:
            if not _UTC_TIMESTAMP.search(candidate) and precision == "day" and abs((day - first[0]).days) <= 1:
                return day, precision
    return first


def _declared_authors(ld: dict, metas: dict[str, str]) -> list[str]:
    names = _names(ld.get("author"), organizations=False) or _names(ld.get("creator"), organizations=False)
    if not names:
        for key in ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl"):
            value = metas.get(key)
            if value and not value.startswith(("http://", "https://")):
                names = [value]
                break
    return _split_authors(names)


def _split_authors(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        name = _BYLINE_PREFIX.sub("", name)
        for part in re.split(r"\s*(?:;|,|\band\b|&|\|)\s*", name, flags=re.IGNORECASE):
            part = _BYLINE_SUFFIX.sub("", part).strip(" .")
            if part and _WORD.search(part) and part not in out:
                out.append(part)
    return out


def _corroborated(*titles: str | None) -> str | None:
    """The first title another source agrees with (one holds the other), else the first one.

    Pages do carry stale or template values ("headline": "escenic"); two sources rarely share them.
    """
    found = [t for t in titles if t]
    for title in found:
        key = title.casefold()
        if any(key in other.casefold() or other.casefold() in key for other in found if other is not title):
            return title
    return found[0] if found else None


def _single_h1(tree: HtmlElement) -> str | None:
    headings = tree.xpath("//h1")
    return _clean(headings[0].text_content()) if len(headings) == 1 else None


def _http_url(value: str | None, base: str | None) -> str | None:
    if not value:
        return None
    absolute = urljoin(base or "", value.strip())
    parts = urlsplit(absolute)
    return absolute if parts.scheme in ("http", "https") and parts.hostname else None


def _not_a_link(value: str | None) -> str | None:
    return None if not value or value.startswith(("http://", "https://")) else value


def _domain(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _language(tree: HtmlElement, ld: dict, metas: dict[str, str]) -> str | None:
    declared = _first(
        _clean(tree.get("lang")),
        _clean(tree.get("{http://www.w3.org/XML/1998/namespace}lang")),
        metas.get("content-language"),
        metas.get("og:locale"),
        _clean(ld.get("inLanguage")) if isinstance(ld.get("inLanguage"), str) else None,
    )
    if not declared:
        return None
    primary = re.split(r"[-_,\s]", declared)[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


# ---------------------------------------------------------------------------------------------
# Main text


def _paragraphs(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _is_boilerplate(paragraph: str, max_words: int = _TAIL_MAX_WORDS) -> bool:
    if len(paragraph.split()) > max_words:
        return False
    return bool(_TAIL_BOILERPLATE.search(paragraph) or _mixed_script(paragraph))


def _mixed_script(paragraph: str) -> bool:
    """Words spelled with Latin and Cyrillic letters together: look-alike spam, never prose."""
    for word in paragraph.split():
        scripts = {unicodedata.name(ch, "").split(" ")[0] for ch in word if ch.isalpha()}
        if {"LATIN", "CYRILLIC"} <= scripts:
            return True
    return False


def _post_clean(paragraphs: list[str]) -> list[str]:
    """Drop teaser lines ("Read: ...", "Related: ...") and calls to action and legal notes at either end."""
    kept = [p for p in paragraphs if not (_TEASER.match(p) and len(p.split()) <= 25)]
    dropped = 0
    while kept and dropped < _TAIL_MAX_PARAGRAPHS and _is_boilerplate(kept[-1]):
        kept.pop()
        dropped += 1
    dropped = 0
    # At the top only sentences asking the reader to act go (a headline has no full stop and may
    # well say "copyright" or "newsletter").
    while (
        kept
        and dropped < _TAIL_MAX_PARAGRAPHS
        and _HEAD_BOILERPLATE.search(kept[0])
        and _is_boilerplate(kept[0], _HEAD_MAX_WORDS)
        and kept[0].rstrip().endswith((".", "!"))
    ):
        kept.pop(0)
        dropped += 1
    return kept


def _mostly_links(tree: HtmlElement, text: str) -> bool:
    """True when most words of the text are the words of whole links: a list of headlines, not prose."""
    anchors = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    anchors.discard("")
    words = linked = 0
    for paragraph in text.split("\n\n"):
        count = len(paragraph.split())
        words += count
        linked += count if paragraph.strip() in anchors else 0
    return words > 0 and linked / words > LINK_TEXT_SHARE


def _main_text(tree: HtmlElement, url: str | None) -> str:
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        with_metadata=False,
        deduplicate=False,
    )
    text = document.text if document is not None and document.text else ""
    paragraphs = _post_clean(_paragraphs(unicodedata.normalize("NFC", text)))
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


# ---------------------------------------------------------------------------------------------
# The reader


def read_webpage(data: bytes, *, url: str | None = None, content_type: str | None = None) -> WebArticle:
    """Read one web page (gzip'ed or not) into a ``WebArticle``; raise ``NotAnArticle`` if it holds none.

    ``url`` is where the page came from (it resolves relative links and is the fallback
    address); ``content_type`` is the HTTP header, whose charset wins over ``<meta charset>``.
    """
    if not data or not data.strip():
        raise NotAnArticle("empty file")
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    if len(data) > MAX_PAGE_BYTES:
        raise NotAnArticle(f"page too large: {len(data):,} bytes (the limit is {MAX_PAGE_BYTES:,})")
    _check_is_html(data, content_type)
    html, encoding = decode_html(data, content_type)
    tree = trafilatura.load_html(_XML_DECLARATION.sub("", html, count=1))
    if tree is None:
        raise NotAnArticle("broken HTML: it cannot be parsed")

    text = _main_text(tree, url)
    if _mostly_links(tree, text):
        raise NotAnArticle("no article in it: its main text is a list of links (a home or section page?)")
    words = len(_WORD.findall(text))
    if words < MIN_PAGE_WORDS:
        raise NotAnArticle(
            f"no article in it (only {words} words of main text; a home page, a login wall or a paywall"
            f" stub?), an article has at least {MIN_PAGE_WORDS}"
        )
    return _with_metadata(tree, text, url, encoding)


def _with_metadata(tree: HtmlElement, text: str, url: str | None, encoding: str) -> WebArticle:
    sources: dict[str, Source] = {}
    objects = _json_ld_objects(tree)
    ld = next((o for o in objects if _types(o) & ARTICLE_TYPES), {})
    metas = _metas(tree)
    # trafilatura's own reading: meta tags, JSON-LD, then <h1>/<title>, byline search, htmldate.
    guess = trafilatura.extract_metadata(tree, default_url=url)

    def pick(name: str, page: str | None, guessed: str | None = None) -> str | None:
        if page:
            sources[name] = "page"
            return page
        if guessed:
            sources[name] = "guessed"
            return guessed
        return None

    title = pick(
        "title",
        _corroborated(
            _clean(ld.get("headline")),
            metas.get("og:title"),
            metas.get("twitter:title"),
            metas.get("headline"),
            _single_h1(tree),
        )
        or _clean(guess.title),
    )

    canonical = _first(
        *(_http_url(href, url) for href in tree.xpath("//link[@rel='canonical']/@href")),
        _http_url(metas.get("og:url"), url),
        _http_url(_clean(ld.get("url")), url),
    )
    canonical_url = pick("canonical_url", canonical, _http_url(url, None))
    domain = _domain(canonical_url)
    if domain:
        sources["domain"] = sources["canonical_url"]

    authors = _declared_authors(ld, metas)
    if authors:
        sources["authors"] = "page"
    elif guess.author:
        authors = _split_authors([guess.author])
        if authors:
            sources["authors"] = "guessed"

    published, precision = None, "unknown"
    if declared := _declared_date(tree, ld, metas):
        (published, precision), sources["published"] = declared, "page"
    else:
        found = find_date(tree, extensive_search=True, original_date=True, url=canonical_url)
        if found and (parsed := _parse_date(found)):
            (published, precision), sources["published"] = parsed, "guessed"
            if published.month == 1 and published.day == 1:
                precision = "year"  # htmldate answers a bare year ("Copyright 2024") with its 1 January

    publisher = ld.get("publisher")
    page_outlet = _first(
        (_names(publisher) or [None])[0],
        metas.get("og:site_name"),
        metas.get("application-name"),
        metas.get("al:ios:app_name"),
        _not_a_link(metas.get("article:publisher")),
    )
    known = DOMAIN_TO_OUTLET.get(domain or "")
    outlet = pick("outlet", page_outlet, _first(known, _clean(guess.sitename)))

    if outlet and authors:
        authors = [a for a in authors if a.casefold() != outlet.casefold()] or authors
    language = pick("language", _language(tree, ld, metas))
    description = pick(
        "description",
        _first(metas.get("og:description"), metas.get("description"), _clean(ld.get("description"))),
    )
    return WebArticle(
        text=text,
        title=title,
        authors=tuple(authors),
        published=published,
        date_precision=precision,
        outlet=outlet,
        domain=domain,
        canonical_url=canonical_url,
        language=language,
        description=description,
        sources=sources,
        encoding=encoding,
    )


def merge_meta(page: WebArticle, meta: ArticleMeta) -> ArticleMeta:
    """The metadata of an article read from ``page``: what the page declares wins over what the text
    extractor guessed from ``page.text``; what the reader only guessed fills in gaps the text left.

    Precedence, per field: page > text extractor > reader's guess. (Explicit values a user
    gives, and a feed entry's, are applied by the caller: explicit > page > feed > guessed.)
    """

    def choose(name: str, page_value, text_value):
        source = page.sources.get(name)
        if source == "page":
            return page_value
        if text_value:
            return text_value
        return page_value if source == "guessed" else text_value

    date_source = page.sources.get("published")
    if date_source == "page" or (date_source == "guessed" and meta.published_on is None):
        published, precision = page.published, page.date_precision
    else:
        published, precision = meta.published_on, meta.date_precision
    domain = choose("domain", page.domain, meta.outlet_domain)
    return replace(
        meta,
        title=choose("title", page.title, meta.title) or meta.title,
        authors=choose("authors", page.authors, meta.authors),
        outlet=choose("outlet", page.outlet, meta.outlet),
        outlet_domain=domain,
        published_on=published,
        date_precision=precision,
        language=page.language if page.sources.get("language") == "page" else meta.language,
        url=choose("canonical_url", page.canonical_url, meta.url),
    )

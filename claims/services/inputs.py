"""The one ingestion entry point for every kind of input: text, saved pages, addresses, feeds, web archives.

    results = inputs_ingest(inputs=[Input.for_url("https://..."), Input.for_path("saved/")])
    for result in results:          # one IngestResult per article-sized input, in order
        print(result.status, result.source, result.error)

The command (``manage.py ingest``), the admin's "Add articles" page and ``POST /api/articles/ingest``
all call ``inputs_ingest``. An input expands into documents: a folder into its files, a feed into
its entries (each link fetched), a web archive into its HTML responses; each document is read
(``read_webpage`` for HTML, ``decode_article`` for text), answered "unchanged" when its text is
already stored (and the address recorded as one more source of that article), else extracted and
stored in its own transaction together with where it came from (``ArticleSource``: the address,
fetch time, HTTP status and a compressed snapshot of the original bytes). Metadata precedence is
explicit > page > feed > guessed (``claims.extraction.provenance.resolve_meta``). Every failure is
one result with status "failed" and the reason; nothing is stored for it.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings

from claims.choices import SourceKind
from claims.domain.textfiles import NotAnArticle, content_hash, decode_article, looks_like_html, prepare_text, read_file
from claims.domain.topics import TopicMatcher
from claims.extraction.feeds import FeedEntry, NotAFeed, read_feed
from claims.extraction.provenance import ExplicitMeta, resolve_meta
from claims.models import Article, ArticleSource
from claims.services import ingest_worker
from claims.services.claims import topic_matcher_load
from claims.services.fetching import Fetcher, FetchError
from claims.services.ingestion import BATCH_SIZE, BatchExtractor, IngestResult, _ingest, _stored, ingest_run_label

__all__ = [
    "Document",
    "ExplicitMeta",
    "IngestResult",
    "Input",
    "Parts",
    "default_fetcher",
    "document_for_entry",
    "document_for_record",
    "document_ingest",
    "documents_ingest",
    "expand",
    "folder_files",
    "from_feed",
    "input_ingest",
    "input_split",
    "inputs_ingest",
]

SEVERAL_ARTICLES = "it holds several articles (a feed or a web archive): add it with manage.py ingest or the admin"

WARC_SUFFIXES = (".warc", ".warc.gz")
FEED_SUFFIXES = (".rss", ".atom", ".rdf")
SIDECAR_SUFFIX = ".meta.json"
_FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S)


@dataclass(frozen=True)
class Input:
    """One thing to ingest: a file or folder (``path``), bytes already read (``data``), or an address."""

    label: str
    path: str | None = None
    data: bytes | None = None
    url: str | None = None
    meta: ExplicitMeta = ExplicitMeta()

    @classmethod
    def for_path(cls, path: str | os.PathLike, meta: ExplicitMeta | None = None) -> Input:
        return cls(label=str(path), path=str(path), meta=meta or ExplicitMeta())

    @classmethod
    def for_url(cls, url: str, meta: ExplicitMeta | None = None) -> Input:
        return cls(label=url, url=url, meta=meta or ExplicitMeta())

    @classmethod
    def for_bytes(cls, label: str, data: bytes, meta: ExplicitMeta | None = None) -> Input:
        """Bytes read elsewhere (standard input, an upload); ``label`` is its name (its suffix counts)."""
        return cls(label=label, data=data, meta=meta or ExplicitMeta())

    @classmethod
    def for_text(cls, text: str, meta: ExplicitMeta | None = None, label: str = "pasted text") -> Input:
        return cls(label=label, data=text.encode("utf-8"), meta=meta or ExplicitMeta())


@dataclass(frozen=True)
class Document:
    """One article-sized piece of an input, with where it came from (or why it cannot be ingested)."""

    label: str
    kind: str  # SourceKind
    raw: bytes = b""
    html: bool = False
    url: str = ""
    requested_url: str = ""
    feed_url: str = ""
    file_name: str = ""
    fetched_at: datetime.datetime | None = None
    http_status: int | None = None
    content_type: str = ""
    explicit: ExplicitMeta = ExplicitMeta()
    entry: FeedEntry | None = None
    error: str | None = None
    transient: bool = False  # the error may go away later (a timeout, a 503)


def default_fetcher(*, trusted: bool = True) -> Fetcher:
    """A fetcher with the options of ``settings.INGEST_FETCHER`` (a dict of ``Fetcher`` fields), if any.

    ``trusted=False`` (addresses typed by web users: the admin, the API) refuses private and local
    addresses unless ``INGEST_FETCHER`` says ``allow_private``.
    """
    return Fetcher(**({"allow_private": trusted} | getattr(settings, "INGEST_FETCHER", {})))


def folder_files(folder: Path) -> list[Path]:
    """Every entry below ``folder`` except hidden ones and metadata sidecars, sorted.

    What cannot be read (FIFOs, broken links, links to folders, unreadable folders) is listed too,
    so that reading it reports why and nothing is skipped silently.
    """
    entries: list[Path] = []

    def unreadable(error: OSError) -> None:
        entries.append(Path(error.filename))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        base = Path(root)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in list(dirs):
            if (base / name).is_symlink():  # os.walk does not follow it: report it
                dirs.remove(name)
                entries.append(base / name)
        entries.extend(base / name for name in files if not name.startswith(".") and not name.endswith(SIDECAR_SUFFIX))
    return sorted(entries)


def _sidecar(path: Path) -> ExplicitMeta | None:
    """``NAME.meta.json`` (or ``NAME.txt.meta.json``) next to ``NAME.txt``; ValueError when it is broken."""
    stem = path.name.removesuffix(".gz")
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    for candidate in (path.with_name(stem + SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX)):
        if candidate.is_file():
            try:
                data = json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ValueError(f"{candidate.name}: not JSON ({exc})") from None
            try:
                return ExplicitMeta.from_mapping(data)
            except ValueError as exc:
                raise ValueError(f"{candidate.name}: {exc}") from None
    return None


def _combine(base: ExplicitMeta, specific: ExplicitMeta | None) -> ExplicitMeta:
    """``specific`` (a sidecar) wins field by field over ``base`` (flags for every input)."""
    if not specific:
        return base
    return replace(base, **{k: v for k, v in specific.__dict__.items() if v})


def _is_warc(head: bytes, name: str) -> bool:
    if name.casefold().endswith(WARC_SUFFIXES):
        return True
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(31).decompress(head[:4096], 16)
        except zlib.error:
            return False
    return head.startswith(b"WARC/")


def _is_feed(head: bytes, name: str) -> bool:
    return name.casefold().endswith(FEED_SUFFIXES) or bool(_FEED_START.match(head[:4096].lstrip(b"\xef\xbb\xbf")))


# ---------------------------------------------------------------------------------------------
# Inputs -> documents


def expand(item: Input, fetcher: Fetcher) -> Iterator[Document]:
    """The documents of one input, lazily (a feed's entries are fetched as they are reached)."""
    if item.url is not None:
        yield from _from_url(item.url, item.meta, fetcher)
        return
    if item.path is not None:
        path = Path(item.path)
        if path.is_dir():
            # Each entry below is read as a file: one that cannot be (a folder it could not list, a
            # link to a folder) is reported with its reason, never walked again.
            for child in folder_files(path):
                yield from _from_path(replace(item, label=str(child), path=str(child)), fetcher)
            return
        yield from _from_path(item, fetcher)
        return
    name = os.path.basename(item.label)
    data = item.data or b""
    if _is_warc(data[:4096], name):
        yield from _from_warc(io.BytesIO(data), item.label, name, item.meta)
    else:
        yield from _from_bytes(item.label, name, data, item.meta, fetcher)


def _from_path(item: Input, fetcher: Fetcher) -> Iterator[Document]:
    """The documents of one file (not a folder: reading one says why it cannot be ingested)."""
    path = Path(item.path)
    try:
        explicit = _combine(item.meta, _sidecar(path))
    except ValueError as exc:
        yield Document(label=item.label, kind=SourceKind.TEXT, file_name=path.name, error=str(exc))
        return
    if path.is_file() and _is_warc(_head(path), path.name):
        try:
            with open(path, "rb") as stream:
                yield from _from_warc(stream, item.label, path.name, explicit)
        except OSError as exc:
            yield Document(label=item.label, kind=SourceKind.WARC, file_name=path.name, error=str(exc))
        return
    try:
        data = read_file(path)
    except NotAnArticle as exc:
        yield Document(label=item.label, kind=SourceKind.TEXT, file_name=path.name, error=str(exc))
        return
    yield from _from_bytes(item.label, path.name, data, explicit, fetcher)


def _head(path: Path) -> bytes:
    """The first bytes of a regular file (a FIFO or a device is never opened here: reading it says why)."""
    if not path.is_file():
        return b""
    try:
        with open(path, "rb") as stream:
            return stream.read(4096)
    except OSError:
        return b""  # reading it again reports why


def _from_bytes(label: str, name: str, data: bytes, explicit: ExplicitMeta, fetcher: Fetcher) -> Iterator[Document]:
    plain = data
    if data[:2] == b"\x1f\x8b" and name.casefold().endswith((".xml.gz", ".rss.gz", ".atom.gz")):
        plain = gzip.decompress(data)
    if _is_feed(plain, name.removesuffix(".gz")):
        yield from from_feed(plain, label, "", explicit, fetcher)
        return
    html = looks_like_html(data, name) or (data[:2] == b"\x1f\x8b" and ".htm" in name.casefold())
    kind = SourceKind.PAGE if html else SourceKind.TEXT
    yield Document(label=label, kind=kind, raw=data, html=html, file_name=name, explicit=explicit)


def _from_url(url: str, explicit: ExplicitMeta, fetcher: Fetcher) -> Iterator[Document]:
    try:
        fetched = fetcher.fetch(url)
    except FetchError as exc:
        yield Document(
            label=url, kind=SourceKind.URL, url=url, http_status=exc.status, error=exc.reason, transient=exc.transient
        )
        return
    if fetched.is_feed or _is_feed(fetched.content, ""):
        yield from from_feed(fetched.content, url, fetched.url, explicit, fetcher)
        return
    yield _fetched_document(url, fetched, SourceKind.URL, explicit)


def _fetched_document(label, fetched, kind, explicit, *, feed_url: str = "", entry=None) -> Document:
    return Document(
        label=label,
        kind=kind,
        raw=fetched.content,
        html=True,
        url=fetched.url,
        requested_url=fetched.requested_url if fetched.requested_url != fetched.url else "",
        feed_url=feed_url,
        fetched_at=fetched.fetched_at,
        http_status=fetched.status,
        content_type=fetched.content_type,
        explicit=explicit,
        entry=entry,
    )


def from_feed(
    data: bytes, label: str, feed_url: str, explicit: ExplicitMeta, fetcher: Fetcher, entries=None
) -> Iterator[Document]:
    """Each entry's link fetched. ``entries`` (already read) may be given instead of ``data``."""
    if entries is None:
        try:
            entries = read_feed(data).entries
        except NotAFeed as exc:
            yield Document(label=label, kind=SourceKind.FEED, url=feed_url, error=str(exc))
            return
        if not entries:
            yield Document(label=label, kind=SourceKind.FEED, url=feed_url, error="the feed has no entries with a link")
            return
    for entry in entries:
        if feed_url:  # a link relative to the feed's own address
            entry = replace(entry, link=urljoin(feed_url, entry.link))
        try:
            fetched = fetcher.fetch(entry.link)
        except FetchError as exc:
            yield Document(
                label=entry.link,
                kind=SourceKind.FEED,
                url=entry.link,
                feed_url=feed_url,
                http_status=exc.status,
                error=exc.reason,
                transient=exc.transient,
                entry=entry,
            )
            continue
        yield _fetched_document(entry.link, fetched, SourceKind.FEED, explicit, feed_url=feed_url, entry=entry)


def _from_warc(stream, label: str, name: str, explicit: ExplicitMeta) -> Iterator[Document]:
    from claims.extraction.warc import WarcError, iter_warc

    pages = 0
    for record in iter_warc(stream):
        pages += not isinstance(record, WarcError)
        yield _record_document(record, f"{label} @{record.offset}", name, explicit)
    if not pages:
        yield Document(label=label, kind=SourceKind.WARC, file_name=name, error="no HTML pages in the web archive")


# ---------------------------------------------------------------------------------------------
# One article at a time: what the ingestion jobs use (one job per article)


@dataclass(frozen=True)
class Parts:
    """The articles of an input that holds several, each to become a job of its own: a feed's entries
    (their links fetched by those jobs) or a web archive's records (``(offset, url, error)``: the
    HTML pages, and the broken records with why)."""

    entries: tuple[FeedEntry, ...] = ()
    feed_url: str = ""
    warc_path: str = ""
    records: tuple[tuple[int, str, str | None], ...] = ()


def input_split(item: Input, fetcher: Fetcher) -> Parts | list[Document]:
    """``item`` as the parts it holds (a web archive file, a feed file or address), or as its documents.

    A feed's entry links are not fetched here, nor a web archive's pages kept: each part is read
    again by the job that ingests it (``document_for_entry``, ``document_for_record``)."""
    if item.path is not None and Path(item.path).is_file():
        path = Path(item.path)
        head = _head(path)
        if _is_warc(head, path.name):
            from claims.extraction.warc import iter_warc

            try:
                with open(path, "rb") as stream:
                    records = tuple((r.offset, r.url or "", getattr(r, "reason", None)) for r in iter_warc(stream))
            except OSError as exc:
                return [Document(label=item.label, kind=SourceKind.WARC, file_name=path.name, error=str(exc))]
            return Parts(warc_path=str(path.resolve()), records=records)
        if _is_feed(head, path.name.removesuffix(".gz")):
            return _feed_parts(item, "", lambda: _plain(read_file(path)))
    if item.url is not None:
        try:
            fetched = fetcher.fetch(item.url)
        except FetchError as exc:
            return list(_from_url(item.url, item.meta, _Failing(exc)))
        if fetched.is_feed or _is_feed(fetched.content, ""):
            return _feed_parts(item, fetched.url, lambda: fetched.content)
        return [_fetched_document(item.url, fetched, SourceKind.URL, item.meta)]
    return list(expand(item, fetcher))


def _plain(data: bytes) -> bytes:
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _feed_parts(item: Input, feed_url: str, content) -> Parts | list[Document]:
    try:
        entries = read_feed(content()).entries
    except (NotAFeed, NotAnArticle) as exc:
        return [Document(label=item.label, kind=SourceKind.FEED, url=feed_url, error=str(exc))]
    if feed_url:
        entries = tuple(replace(entry, link=urljoin(feed_url, entry.link)) for entry in entries)
    return Parts(entries=tuple(entries), feed_url=feed_url)


class _Failing:
    """A fetcher that fails again as it did (the fetch is not repeated to describe the failure)."""

    def __init__(self, error: FetchError) -> None:
        self._error = error

    def fetch(self, *_args, **_kwargs):
        raise self._error


def document_for_entry(entry: FeedEntry, feed_url: str, explicit: ExplicitMeta, fetcher: Fetcher) -> Document:
    """The document of one feed entry: its link fetched (a failure is the document's error)."""
    return next(from_feed(b"", entry.link, feed_url, explicit, fetcher, entries=[entry]))


def document_for_record(path: str, offset: int, explicit: ExplicitMeta) -> Document:
    """The document of the web archive record at ``offset`` of the file at ``path``."""
    from claims.extraction.warc import warc_record_at

    name = os.path.basename(path)
    label = f"{path} @{offset}"
    try:
        with open(path, "rb") as stream:
            record = warc_record_at(stream, offset)
    except OSError as exc:
        return Document(label=label, kind=SourceKind.WARC, file_name=name, error=str(exc))
    return _record_document(record, label, name, explicit)


def _record_document(record, label: str, name: str, explicit: ExplicitMeta) -> Document:
    """The document of one web archive record (a broken record is the document's error)."""
    from claims.extraction.warc import WarcError

    if isinstance(record, WarcError):
        return Document(label=label, kind=SourceKind.WARC, url=record.url or "", file_name=name, error=record.reason)
    return Document(
        label=f"{label} {record.url}",
        kind=SourceKind.WARC,
        raw=record.payload,
        html=True,
        url=record.url,
        file_name=name,
        fetched_at=record.fetched_at,
        http_status=record.status,
        content_type=record.content_type,
        explicit=explicit,
    )


def document_ingest(
    document: Document, *, extract: BatchExtractor, reraise: tuple[type[Exception], ...] = ()
) -> IngestResult:
    """One document read, hashed, extracted if its text is new, and stored (``documents_ingest`` of one)."""
    return next(documents_ingest([document], extract=extract, reraise=reraise))[1]


# ---------------------------------------------------------------------------------------------
# Documents -> articles


@dataclass(frozen=True)
class _Read:
    text: str | None = None
    digest: str | None = None
    page: object | None = None
    error: str | None = None


def _read(doc: Document) -> _Read:
    if doc.error is not None:
        return _Read(error=doc.error)
    try:
        if doc.html:
            from claims.extraction.webpage import read_webpage

            page = read_webpage(doc.raw, url=doc.url or None, content_type=doc.content_type or None)
            text = prepare_text(page.text)
            return _Read(text, content_hash(text), page)
        text = decode_article(doc.raw)
    except NotAnArticle as exc:
        return _Read(error=str(exc))
    return _Read(text, content_hash(text))


def _source_recorder(doc: Document):
    """``on_stored`` for ``_ingest``: record ``doc`` as a source of the article (once per address or file)."""

    def record(article: Article, created: bool) -> int:
        existing = ArticleSource.objects.filter(article=article)
        sha256 = hashlib.sha256(doc.raw).hexdigest() if doc.raw else ""
        if doc.url:
            existing = existing.filter(url=doc.url[:1000])
        else:
            existing = existing.filter(url="", file_name=doc.file_name[:500], snapshot_sha256=sha256)
        if existing.exists():
            return 0
        source = ArticleSource(
            article=article,
            kind=doc.kind,
            url=doc.url[:1000],
            requested_url=doc.requested_url[:1000],
            file_name=doc.file_name[:500] if not doc.url or doc.kind == SourceKind.WARC else "",
            feed_url=doc.feed_url[:1000],
            fetched_at=doc.fetched_at,
            http_status=doc.http_status,
            content_type=doc.content_type[:200],
            snapshot=zlib.compress(doc.raw, 6) if doc.raw else b"",
            snapshot_sha256=sha256,
            snapshot_size=len(doc.raw),
        )
        if not source.url and not source.file_name:
            return 0  # pasted text: nothing to point back to
        source.full_clean(exclude=["article", "snapshot"], validate_constraints=False)
        source.save()
        return 1

    return record


def documents_ingest(
    documents: Iterable[Document],
    *,
    extract: BatchExtractor,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    reraise: tuple[type[Exception], ...] = (),
) -> Iterator[tuple[Document, IngestResult]]:
    """Each document with its result, in order: read and hashed first, only new texts extracted (in batches).

    A failure to store one document is its result and the others go on, except for the exception
    types in ``reraise`` (an ingestion job retries a deadlock later)."""
    documents = iter(documents)
    run = ingest_run_label()
    while batch := list(islice(documents, batch_size)):
        reads = [_read(doc) for doc in batch]
        known = _stored({r.digest for r in reads if r.digest})
        fresh = [r.text for r in reads if r.digest and r.digest not in known]
        topics = topic_matcher_load() if fresh else None  # the topics' cues, read once per batch
        extracted = iter(extract(fresh)) if fresh else iter(())
        for doc, read in zip(batch, reads, strict=True):
            yield doc, _one(doc, read, known, extracted, dry_run, run, reraise, topics=topics)


def _one(
    doc: Document,
    read: _Read,
    known: dict,
    extracted: Iterator,
    dry_run: bool,
    run: str,
    reraise: tuple = (),
    *,
    topics: TopicMatcher | None = None,
) -> IngestResult:
    failed = IngestResult(source=doc.label, status="failed", url=doc.url)
    if read.error is not None:
        failed.error = read.error
        return failed
    extraction = None
    if read.digest not in known:
        extraction, error = next(extracted)
        if error is not None:
            failed.error = error
            return failed

    def with_meta(_text):
        meta, origins = resolve_meta(
            extraction.meta, page=read.page, entry=doc.entry, explicit=doc.explicit, fallback_url=doc.url or None
        )
        return replace(extraction, meta=meta), origins

    name = doc.file_name if doc.kind in (SourceKind.TEXT, SourceKind.PAGE) else ""
    try:
        # The history records name the run and the input (a file by its name, else its address or label).
        run_label = run if name else f"{run}: {doc.label}"
        result = _ingest(
            read.text,
            read.digest,
            name,
            with_meta,
            dry_run,
            on_stored=_source_recorder(doc),
            run=run_label,
            topics=topics,
        )
    except reraise:
        raise
    except Exception as exc:  # noqa: BLE001 - the article's transaction rolled back; the others go on
        failed.error = f"{type(exc).__name__}: {exc}"
        return failed
    # A file is named by its name alone once stored (as ingest always printed it); failures by the full path.
    result.source = doc.file_name if doc.kind in (SourceKind.TEXT, SourceKind.PAGE) and doc.file_name else doc.label
    result.url = doc.url
    return result


def inputs_ingest(
    *,
    inputs: Iterable[Input],
    extract: BatchExtractor | None = None,
    fetcher: Fetcher | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
) -> Iterator[IngestResult]:
    """Ingest every input (see the module's docstring); one result per document, in order.

    ``extract`` defaults to the in-process spaCy extractor (loaded only if a text is new),
    ``fetcher`` to ``default_fetcher()``.
    """
    fetcher = fetcher or default_fetcher()
    documents = (doc for item in inputs for doc in expand(item, fetcher))
    if extract is not None:
        for _doc, result in documents_ingest(documents, extract=extract, dry_run=dry_run, batch_size=batch_size):
            yield result
        return
    with ingest_worker.Extractor(settings.SPACY_MODEL) as default:
        for _doc, result in documents_ingest(documents, extract=default, dry_run=dry_run, batch_size=batch_size):
            yield result


def input_ingest(
    *,
    item: Input,
    extract: BatchExtractor | None = None,
    fetcher: Fetcher | None = None,
    reraise: tuple[type[Exception], ...] = (),
) -> IngestResult:
    """Exactly one article from ``item`` (the API's and an ingestion job's unit); an input holding several is
    refused before anything is stored (status "failed", ``SEVERAL_ARTICLES``). ``reraise`` as in
    ``documents_ingest``."""
    fetcher = fetcher or default_fetcher()
    documents = list(islice(expand(item, fetcher), 2))
    if len(documents) > 1:
        return IngestResult(source=item.label, status="failed", url=item.url or "", error=SEVERAL_ARTICLES)
    if not documents:
        return IngestResult(source=item.label, status="failed", url=item.url or "", error="nothing to ingest")
    if extract is not None:
        return next(documents_ingest(documents, extract=extract, reraise=reraise))[1]
    with ingest_worker.Extractor(settings.SPACY_MODEL) as default:
        return next(documents_ingest(documents, extract=default, reraise=reraise))[1]

"""Web archives (WARC, ``.warc`` or ``.warc.gz``): the HTML pages in them, one record at a time.

Pure (no Django; it reads only the stream it is given); warcio does the parsing. Only
``response`` records of status 200 with an HTML content type are pages; a broken record
is reported as a ``WarcError`` and skipped, and reading goes on with the next record
(on a seekable stream; a broken one ends a non-seekable stream).

    for item in iter_warc(open("crawl.warc.gz", "rb")):
        if isinstance(item, WarcPage):
            article = read_webpage(item.payload, url=item.url, content_type=item.content_type)
"""

from __future__ import annotations

import datetime
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

__all__ = ["MAX_PAYLOAD_BYTES", "WarcError", "WarcPage", "iter_warc"]

# A page larger than this is not an article page; its record is skipped as an error.
MAX_PAYLOAD_BYTES = 20_000_000
HTML_TYPES = ("text/html", "application/xhtml+xml")
_RECORD_START = re.compile(rb"(?:\x1f\x8b\x08|WARC/1\.[01]\r?\n)")
_BROKEN = (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, EOFError, ValueError, OSError)


@dataclass(frozen=True)
class WarcPage:
    url: str
    fetched_at: datetime.datetime | None
    status: int
    content_type: str
    payload: bytes  # the HTTP body, transfer- and content-decoded
    offset: int  # of the record in the file


@dataclass(frozen=True)
class WarcError:
    offset: int
    reason: str
    url: str | None = None


def _fetched_at(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _page(record, offset: int) -> WarcPage | WarcError | None:
    url = record.rec_headers.get_header("WARC-Target-URI")
    if record.format != "warc":
        return WarcError(offset, "not a WARC record (an ARC record, or not an archive at all)", url)
    if record.rec_type is None:
        return WarcError(offset, "broken record: no WARC-Type header", url)
    if record.rec_type != "response" or record.http_headers is None:
        return None
    try:
        status = int(record.http_headers.get_statuscode() or 0)
    except ValueError:
        return WarcError(offset, "broken record: an unreadable HTTP status line", url)
    content_type = record.http_headers.get_header("Content-Type") or ""
    if status != 200 or content_type.split(";")[0].strip().lower() not in HTML_TYPES:
        return None
    payload = record.content_stream().read(MAX_PAYLOAD_BYTES + 1)
    if len(payload) > MAX_PAYLOAD_BYTES:
        return WarcError(offset, f"page too large (over {MAX_PAYLOAD_BYTES:,} bytes)", url)
    return WarcPage(
        url=url or "",
        fetched_at=_fetched_at(record.rec_headers.get_header("WARC-Date")),
        status=status,
        content_type=content_type,
        payload=payload,
        offset=offset,
    )


def _next_record_start(stream: BinaryIO, after: int) -> int | None:
    """The offset of the next thing that looks like a record (a gzip member or a WARC header) past ``after``."""
    stream.seek(after)
    position, tail = after, b""
    while chunk := stream.read(1 << 16):
        block = tail + chunk
        if match := _RECORD_START.search(block):
            return position - len(tail) + match.start()
        tail = block[-16:]
        position += len(chunk)
    return None


def iter_warc(stream: BinaryIO) -> Iterator[WarcPage | WarcError]:
    """The HTML pages of a WARC stream (gzip'ed per record or not), and an error for each broken record."""
    seekable = hasattr(stream, "seekable") and stream.seekable()
    while True:
        iterator = ArchiveIterator(stream, arc2warc=False)
        try:
            for record in iterator:
                offset = iterator.offset  # where this record starts (warcio's offsets are stream positions)
                try:
                    item = _page(record, offset)
                except _BROKEN as exc:
                    item = WarcError(offset, f"broken record: {exc}", record.rec_headers.get_header("WARC-Target-URI"))
                if item is not None:
                    yield item
            return
        except _BROKEN as exc:
            failed_at = iterator.offset  # where the record that could not be read starts
            yield WarcError(failed_at, f"broken record: {str(exc).splitlines()[0][:200]}")
            if not seekable:
                return
            resume = _next_record_start(stream, failed_at + 1)
            if resume is None:
                return
            stream.seek(resume)


def warc_record_at(stream: BinaryIO, offset: int) -> WarcPage | WarcError:
    """The HTML page of the record starting at ``offset`` (as ``iter_warc`` gave it), or why there is none."""
    try:
        stream.seek(offset)
        iterator = ArchiveIterator(stream, arc2warc=False)
        record = next(iter(iterator), None)
        if record is None:
            return WarcError(offset, "no record at this offset")
        item = _page(record, offset)
    except _BROKEN as exc:
        return WarcError(offset, f"broken record: {str(exc).splitlines()[0][:200]}")
    return item if item is not None else WarcError(offset, "not an HTML page (no HTTP 200 response with HTML)")

"""claims.extraction.warc: the HTML pages of a web archive, streamed; broken records reported and skipped."""

from __future__ import annotations

import datetime
import io
import os

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claims.extraction.warc import WarcError, WarcPage, iter_warc

PAGES = [
    ("https://e.example/a", "200 OK", "text/html; charset=utf-8", b"<html><body><p>page a</p></body></html>"),
    ("https://e.example/b", "200 OK", "text/html", b"<html><body><p>page b</p></body></html>"),
    ("https://e.example/c.pdf", "200 OK", "application/pdf", b"%PDF-1.4"),
    ("https://e.example/gone", "404 Not Found", "text/html", b"<html>not found</html>"),
    ("https://e.example/d", "200 OK", "text/html", b"<html><body><p>page d</p></body></html>"),
]


def build(*, gzip: bool) -> tuple[bytes, list[int]]:
    """A WARC with a warcinfo record, a request and the responses above; the offset of each response."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))
    offsets = []
    for url, status, content_type, body in PAGES:
        if url.endswith("/b"):
            request = StatusAndHeaders("GET /b HTTP/1.1", [("Host", "e.example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2024-11-28T09:30:00Z"},
        )
        offsets.append(buffer.tell())
        writer.write_record(record)
    return buffer.getvalue(), offsets


@pytest.mark.parametrize("gzip", [False, True], ids=["warc", "warc.gz"])
def test_only_html_responses_with_status_200_come_out_with_their_url_date_status_and_payload(gzip):
    data, offsets = build(gzip=gzip)
    items = list(iter_warc(io.BytesIO(data)))
    assert all(isinstance(item, WarcPage) for item in items)
    assert [item.url for item in items] == ["https://e.example/a", "https://e.example/b", "https://e.example/d"]
    first = items[0]
    assert first.payload == PAGES[0][3]
    assert first.status == 200
    assert first.content_type == "text/html; charset=utf-8"
    assert first.fetched_at == datetime.datetime(2024, 11, 28, 9, 30, tzinfo=datetime.UTC)
    assert first.offset == offsets[0]


@pytest.mark.parametrize("gzip", [False, True], ids=["warc", "warc.gz"])
def test_a_broken_record_is_reported_and_the_rest_is_read(gzip):
    data, offsets = build(gzip=gzip)
    broken = offsets[1]
    data = data[: broken + 10] + b"\x00\xff" * 20 + data[broken + 50 :]
    items = list(iter_warc(io.BytesIO(data)))
    errors = [item for item in items if isinstance(item, WarcError)]
    pages = [item.url for item in items if isinstance(item, WarcPage)]
    assert pages == ["https://e.example/a", "https://e.example/d"]
    assert len(errors) == 1
    assert errors[0].offset == broken
    assert "broken record" in errors[0].reason


def test_a_file_that_is_not_a_warc_gives_one_error_and_ends():
    items = list(iter_warc(io.BytesIO(b"<html>this is not an archive</html>" * 10)))
    assert len(items) == 1 and isinstance(items[0], WarcError)


def test_records_are_streamed_one_at_a_time():
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for i in range(200):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = b"<html><p>" + os.urandom(4000).hex().encode() + b"</p></html>"
        writer.write_record(
            writer.create_warc_record(
                f"https://e.example/{i}", "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    data = buffer.getvalue()
    stream = io.BytesIO(data)
    first = next(iter_warc(stream))
    assert first.url == "https://e.example/0"
    assert stream.tell() < len(data) // 10

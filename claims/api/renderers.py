"""Output: representations built in bulk for the big lists, and CSV (``?format=csv`` on every list).

``ClaimRepresentation`` and ``ExpertRepresentation`` give exactly what
``ClaimSerializer`` and ``ExpertSerializer`` give (tests/perf pins that), from
the flat rows of ``claims.selectors.claim_rows``/``expert_rows``, without the
serializer machinery: DRF spends ~20 ms of Python on a 50-claim nested page,
these under 1 ms.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from functools import cache

import orjson
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.reverse import reverse

# An id no row has, to turn a reversed URL into a prefix and a suffix.
_SENTINEL_PK = 9_876_543_210_123


def _url_maker(view_name: str, request, format=None):
    """pk -> the absolute URL HyperlinkedIdentityField would give, reversed once per request."""
    url = reverse(view_name, kwargs={"pk": _SENTINEL_PK}, request=request, format=format)
    prefix, _, suffix = url.partition(str(_SENTINEL_PK))
    return lambda pk: f"{prefix}{pk}{suffix}"


def _datetime(value):
    """DRF's DateTimeField output for an aware UTC datetime (the database gives those: USE_TZ), or that text already."""
    if value is None or isinstance(value, str):
        return value
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _date(value):
    # A date, or already its ISO text (dates inside JSON built by PostgreSQL).
    return value if value is None or isinstance(value, str) else value.isoformat()


def _float(value):
    return None if value is None else float(value)


@cache
def _source_url():
    """ArticleBriefSerializer's source_url field turns a stored URL into its output."""
    from claims.api.serializers import ArticleBriefSerializer

    return ArticleBriefSerializer().fields["source_url"].to_representation


class ClaimRepresentation:
    """ClaimSerializer's output for rows of ``claims.selectors.claim_rows``."""

    def __init__(self, request, format=None):
        self.claim_url = _url_maker("api:claim-detail", request, format)
        self.article_url = _url_maker("api:article-detail", request, format)
        self.source_url = _source_url()

    def many(self, rows: Iterable[dict]) -> list[dict]:
        return [self.one(row) for row in rows]

    def one(self, r: dict) -> dict:
        expert_id = r["expert_id"]
        affiliation_id = r["affiliation_id"]
        if affiliation_id is None:
            affiliation = None
        else:
            organization_id = r["affiliation__organization_id"]
            affiliation = {
                "id": affiliation_id,
                "role": r["affiliation__role"],
                "is_former": r["affiliation__is_former"],
                "organization": None
                if organization_id is None
                else {
                    "id": organization_id,
                    "name": r["affiliation__organization__name"],
                    "acronym": r["affiliation__organization__acronym"],
                },
            }
        article_id = r["article_id"]
        outlet = r["article__outlet__name"]
        return {
            "id": r["id"],
            "url": self.claim_url(r["id"]),
            "text": r["text"],
            "quote_type": r["quote_type"],
            "kind": r["kind"],
            "status": r["status"],
            "cue": r["cue"],
            "speaker_mention": r["speaker_mention"],
            "start": r["start"],
            "end": r["end"],
            "topics": r["topics"],
            "expert": None
            if expert_id is None
            else {"id": expert_id, "name": r["expert__name"], "slug": r["expert__slug"]},
            "affiliation": affiliation,
            "article": {
                "id": article_id,
                "url": self.article_url(article_id),
                "title": r["article__title"],
                "outlet": None if outlet is None else str(outlet),
                "published_on": _date(r["article__published_on"]),
                "source_url": self.source_url(r["article__url"]),
            },
            "confidence": _float(r["confidence"]),
            "reviewed_at": _datetime(r["reviewed_at"]),
            "created_at": _datetime(r["created_at"]),
            "updated_at": _datetime(r["updated_at"]),
            "version": r["version"],
        }


class ExpertRepresentation:
    """ExpertSerializer's output for rows of ``claims.selectors.expert_rows``."""

    def __init__(self, request, format=None):
        self.expert_url = _url_maker("api:expert-detail", request, format)

    def many(self, rows: Iterable[dict]) -> list[dict]:
        return [self.one(row) for row in rows]

    def one(self, r: dict) -> dict:
        return {
            "id": r["id"],
            "url": self.expert_url(r["id"]),
            "name": r["name"],
            "sort_name": r["sort_name"],
            "slug": r["slug"],
            "wikidata_id": r["wikidata_id"],
            "bio": r["bio"],
            "aliases": r["aliases"],
            "affiliations": [
                {
                    "id": a["id"],
                    "role": a["role"],
                    "is_former": a["is_former"],
                    "organization": None
                    if a["organization_id"] is None
                    else {
                        "id": a["organization_id"],
                        "name": a["organization__name"],
                        "acronym": a["organization__acronym"],
                    },
                    "start_date": _date(a["start_date"]),
                    "end_date": _date(a["end_date"]),
                }
                for a in r["affiliations"]
            ],
            "claim_count": r["claim_count"],
            "version": r["version"],
        }


LABEL_KEYS = ("name", "slug", "title", "role", "url", "id")


def flatten(record: dict, prefix: str = "") -> dict[str, object]:
    """{"expert": {"id": 1, "name": "X"}} -> {"expert.id": 1, "expert.name": "X"}; lists joined by '; '."""
    flat: dict[str, object] = {}
    for key, value in record.items():
        column = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{column}."))
        elif isinstance(value, list):
            flat[column] = "; ".join(_label(item) for item in value)
        else:
            flat[column] = "" if value is None else value
    return flat


def _label(item) -> str:
    if isinstance(item, dict):
        for key in LABEL_KEYS:
            if item.get(key) not in (None, ""):
                return str(item[key])
        return ""
    return str(item)


def _safe(value):
    # Cells starting with =, +, - or @ are formulas to spreadsheet programs.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def csv_lines(records: Iterable[dict]) -> Iterator[str]:
    """Encode records as CSV lines; the header comes from the first record."""
    buffer = io.StringIO()
    writer = None
    for record in records:
        flat = flatten(record)
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=list(flat), extrasaction="ignore")
            writer.writeheader()
        writer.writerow({key: _safe(value) for key, value in flat.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        elif isinstance(data, dict):
            data = [data]
        return "".join(csv_lines(data)).encode("utf-8")


class FastJSONRenderer(JSONRenderer):
    """DRF's JSON renderer with orjson doing the encoding: the same bytes, in a tenth of the time.

    On a 50-claim page the standard library's encoder costs ~0.4 ms of the
    ~2.5 ms a request takes. Types orjson does not handle natively (dates and
    times are passed through on purpose, lazy strings, decimals) go to DRF's
    own encoder, so the output is byte-for-byte what JSONRenderer writes
    (tests/api/test_renderers.py). Indented output (the browsable API) stays
    with JSONRenderer.
    """

    _options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_NON_STR_KEYS

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        renderer_context = renderer_context or {}
        if self.get_indent(accepted_media_type or "", renderer_context) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            return orjson.dumps(data, default=self._fallback, option=self._options)
        except (TypeError, orjson.JSONEncodeError):
            return super().render(data, accepted_media_type, renderer_context)

    def _fallback(self, value):
        return self.encoder_class().default(value)

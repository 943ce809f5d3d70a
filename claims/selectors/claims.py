"""Reads of claims: the querysets of the detail views and the flat rows of the list pages.

List pages load rows in bulk for the ids of one page, one query per table (no model instances,
no article bodies): the row fields of CLAIM_SHAPE (claims.selectors.shapes), which also gives
their representation.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import OuterRef, QuerySet

from claims.models import Claim, Topic
from claims.selectors.base import (
    IsoDateTimeUTC,
    fetch_compiled,
    utc_output,
    visible_claims,
)
from claims.selectors.shapes import (
    ARTICLE_BRIEF,
    CLAIM_AFFILIATION,
    EXPERT_BRIEF,
    Link,
    Loaded,
    One,
    Shape,
    Value,
    as_float,
    iso_datetime,
)

__all__ = ["CLAIM_SHAPE", "claim_queryset", "claim_rows"]


def claim_queryset(*, user) -> QuerySet[Claim]:
    """Claims ``user`` may see, with what a claim's representation needs loaded."""
    # Claim lists never load article bodies: a body is ~3 KB and a page has 50 claims.
    return (
        visible_claims(user)
        .select_related("expert", "affiliation__organization", "article__outlet")
        .defer("article__body", "article__content_hash", "article__source_file")
        .prefetch_related("topics")
    )


# The claims list's record (ClaimSerializer documents it; claims.api.serializers.ShapeRepresentation builds it).
CLAIM_SHAPE = Shape(
    Value("id"),
    Link("url", "api:claim-detail"),
    Value("text"),
    Value("quote_type"),
    Value("kind"),
    Value("status"),
    Value("cue"),
    Value("speaker_mention"),
    Value("start"),
    Value("end"),
    Loaded("topics"),
    One("expert", EXPERT_BRIEF),
    One("affiliation", CLAIM_AFFILIATION),
    One("article", ARTICLE_BRIEF, nullable=False),
    Value("confidence", convert=as_float),
    Value("reviewed_at", convert=iso_datetime),
    Value("created_at", convert=iso_datetime),
    Value("updated_at", convert=iso_datetime),
    Value("version"),
)


def claim_rows(
    ids: list[int], *, user=None, claims: QuerySet[Claim] | None = None, shape: Shape = CLAIM_SHAPE
) -> list[dict]:
    """The claims ``ids`` that ``user`` may see, as flat dicts in the order of ``ids``.

    Each row has the row fields of ``shape`` plus "topics" (slugs in the
    topics' own order, as a prefetch gives them). Ids that are gone, or that
    ``user`` may no longer see, are skipped. On PostgreSQL it is one statement,
    compiled once per process; elsewhere one query for the claims and one for topics.
    """
    if not ids:
        return []
    claims = visible_claims(user) if claims is None else claims
    if connection.vendor == "postgresql":
        found = _claim_rows_postgres(ids, claims, shape)
    else:
        found = _claim_rows_portable(ids, claims, shape)
    return [found[pk] for pk in ids if pk in found]


def _claim_rows_portable(ids, claims, shape) -> dict[int, dict]:
    rows = {row["id"]: row for row in claims.filter(pk__in=ids).order_by().values(*shape.row_fields)}
    for row in rows.values():
        row["topics"] = []
    links = (
        Claim.topics.through.objects.filter(claim_id__in=list(rows))
        .order_by("topic__name", "topic_id")  # Topic's own ordering, as a prefetch would use
        .values_list("claim_id", "topic__slug")
    )
    for claim_id, slug in links:
        rows[claim_id]["topics"].append(slug)
    return rows


def _claim_rows_postgres(ids, claims, shape) -> dict[int, dict]:
    # The statement depends only on the visibility filter and the shape.
    def build(ids_filter):
        from django.contrib.postgres.expressions import ArraySubquery

        # Topic's own ordering, as a prefetch would use.
        slugs = Topic.objects.filter(claims=OuterRef("pk")).order_by("name", "id").values("slug")
        # Timestamps come back as the text DRF would make of them (when it
        # makes UTC ones): parsing and formatting them in Python is a third of
        # the page's row handling.
        as_text = {f"{name}_text": IsoDateTimeUTC(name) for name in shape.converted_by(iso_datetime)}
        as_text = as_text if utc_output() else {}
        fields = [f"{name}_text" if f"{name}_text" in as_text else name for name in shape.row_fields]
        return (
            claims.filter(pk__in=ids_filter)
            .order_by()
            .annotate(topic_slugs=ArraySubquery(slugs), **as_text)
            .values(*fields, "topic_slugs")
        )

    fetched = fetch_compiled((str(claims.query.where), connection.alias, shape), build, ids)
    names = (*shape.row_fields, "topics")
    return {row[0]: dict(zip(names, row, strict=True)) for row in fetched}

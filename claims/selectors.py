"""Reads: what a user may see, shaped for the API, the admin and the commands.

Visibility lives here and nowhere else: anonymous users and users without
curation rights see approved claims only.
"""

from __future__ import annotations

from collections import defaultdict

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CharField, Count, Func, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from claims.choices import ReviewStatus
from claims.filtersets import ClaimFilterSet
from claims.models import Affiliation, Alias, Article, Claim, Expert, Topic

__all__ = [
    "CLAIM_ROW_FIELDS",
    "EXPERT_ROW_FIELDS",
    "article_queryset",
    "can_see_unreviewed",
    "claim_list",
    "claim_queryset",
    "claim_rows",
    "expert_claim_counts",
    "expert_queryset",
    "expert_rows",
    "visible_claim_count",
    "visible_claims",
]


def can_see_unreviewed(user) -> bool:
    """Curators (anyone allowed to change claims) see every claim; others approved ones only."""
    return bool(user is not None and user.is_authenticated and user.has_perm("claims.change_claim"))


def visible_claims(user) -> QuerySet[Claim]:
    claims = Claim.objects.all()
    if not can_see_unreviewed(user):
        claims = claims.filter(status=ReviewStatus.APPROVED)
    return claims


def claim_queryset(*, user) -> QuerySet[Claim]:
    """Claims ``user`` may see, with what a claim's representation needs loaded."""
    # Claim lists never load article bodies: a body is ~3 KB and a page has 50 claims.
    return (
        visible_claims(user)
        .select_related("expert", "affiliation__organization", "article__outlet")
        .defer("article__body", "article__content_hash", "article__source_file")
        .prefetch_related("topics")
    )


def claim_list(*, user, filters: dict | None = None) -> QuerySet[Claim]:
    """Claims ``user`` may see, filtered with the API's grammar (ClaimFilterSet)."""
    filterset = ClaimFilterSet(filters or {}, queryset=claim_queryset(user=user))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def visible_claim_count(user):
    """An expert annotation: how many of their claims ``user`` may see."""
    claims = visible_claims(user).filter(expert_id=OuterRef("pk")).order_by()
    counted = claims.values("expert_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def expert_queryset(*, user) -> QuerySet[Expert]:
    """Experts with their aliases, affiliations and the number of claims ``user`` may see."""
    return Expert.objects.annotate(claim_count=visible_claim_count(user)).prefetch_related(
        Prefetch("aliases", queryset=Alias.objects.order_by("name", "id")),
        Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization").order_by("-id")),
    )


def article_queryset(*, user, with_claims: bool = False) -> QuerySet[Article]:
    """Articles; the detail view also carries the claims ``user`` may see."""
    articles = Article.objects.select_related("outlet")
    if not with_claims:
        return articles.defer("body")
    claims = (
        visible_claims(user)
        .select_related("expert", "affiliation__organization")
        .prefetch_related("topics")
        .order_by("start", "id")
    )
    return articles.prefetch_related(Prefetch("claims", queryset=claims))


# Bulk reads for lists: flat rows for the ids of one page, one query per table
# (no model instances, no article bodies), shaped by claims.api.renderers.

CLAIM_ROW_FIELDS = (
    "id",
    "text",
    "quote_type",
    "kind",
    "status",
    "cue",
    "speaker_mention",
    "start",
    "end",
    "confidence",
    "reviewed_at",
    "created_at",
    "updated_at",
    "version",
    "expert_id",
    "expert__name",
    "expert__slug",
    "affiliation_id",
    "affiliation__role",
    "affiliation__is_former",
    "affiliation__organization_id",
    "affiliation__organization__name",
    "affiliation__organization__acronym",
    "article_id",
    "article__title",
    "article__published_on",
    "article__url",
    "article__outlet__name",
)


def claim_rows(ids: list[int], *, user=None, claims: QuerySet[Claim] | None = None) -> list[dict]:
    """The claims ``ids`` that ``user`` may see, as flat dicts in the order of ``ids``.

    Each row has CLAIM_ROW_FIELDS plus "topics" (slugs in the topics' own
    order, as a prefetch gives them). Ids that are gone, or that ``user`` may
    no longer see, are skipped. On PostgreSQL it is one statement, compiled
    once per process; elsewhere one query for the claims and one for topics.
    """
    if not ids:
        return []
    claims = visible_claims(user) if claims is None else claims
    found = (
        _claim_rows_postgres(ids, claims) if connection.vendor == "postgresql" else _claim_rows_portable(ids, claims)
    )
    return [found[pk] for pk in ids if pk in found]


def _claim_rows_portable(ids, claims) -> dict[int, dict]:
    rows = {row["id"]: row for row in claims.filter(pk__in=ids).order_by().values(*CLAIM_ROW_FIELDS)}
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


_IDS_MARKER = ["ids"]
_DATETIME_FIELDS = ("reviewed_at", "created_at", "updated_at")


def _utc_output() -> bool:
    return bool(settings.USE_TZ) and settings.TIME_ZONE == "UTC"


class IsoDateTimeUTC(Func):
    """A timestamp as DRF's DateTimeField writes a UTC one: 2024-05-01T12:00:00Z, .ffffff only when not zero."""

    output_field = CharField()
    template = (
        "(to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
        "CASE WHEN mod(extract(microseconds FROM %(expressions)s)::bigint, 1000000) = 0 THEN '' "
        "ELSE to_char(%(expressions)s AT TIME ZONE 'UTC', '.US') END || 'Z')"
    )


_compiled: dict[tuple, tuple[str, tuple, int]] = {}


def _fetch_compiled(key: tuple, build, ids) -> list[tuple]:
    """Rows of the statement ``build`` makes, compiled once per process per ``key``, for ``ids``.

    Compiling a multi-join ``values()`` query costs more Python than running
    it, and the statement depends only on ``key``: ``build(ids_filter)`` gets
    the ``pk__in`` value to filter on (the ids as one array parameter) and
    returns the queryset, whose SQL is kept and re-run with each page's ids.
    """
    compiled = _compiled.get(key)
    if compiled is None:
        query = build(RawSQL("SELECT unnest(%s::bigint[])", [_IDS_MARKER]))
        sql, params = query.query.sql_with_params()
        position = next(i for i, p in enumerate(params) if p is _IDS_MARKER)
        compiled = _compiled[key] = (sql, tuple(params), position)
    sql, params, position = compiled
    params = list(params)
    params[position] = list(ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _claim_rows_postgres(ids, claims) -> dict[int, dict]:
    # The statement depends only on the visibility filter.
    def build(ids_filter):
        from django.contrib.postgres.expressions import ArraySubquery

        # Topic's own ordering, as a prefetch would use.
        slugs = Topic.objects.filter(claims=OuterRef("pk")).order_by("name", "id").values("slug")
        # Timestamps come back as the text DRF would make of them (when it
        # makes UTC ones): parsing and formatting them in Python is a third of
        # the page's row handling.
        as_text = {f"{name}_text": IsoDateTimeUTC(name) for name in _DATETIME_FIELDS} if _utc_output() else {}
        fields = [f"{name}_text" if f"{name}_text" in as_text else name for name in CLAIM_ROW_FIELDS]
        return (
            claims.filter(pk__in=ids_filter)
            .order_by()
            .annotate(topic_slugs=ArraySubquery(slugs), **as_text)
            .values(*fields, "topic_slugs")
        )

    fetched = _fetch_compiled((str(claims.query.where), connection.alias), build, ids)
    names = (*CLAIM_ROW_FIELDS, "topics")
    return {row[0]: dict(zip(names, row, strict=True)) for row in fetched}


EXPERT_ROW_FIELDS = ("id", "name", "sort_name", "slug", "wikidata_id", "bio", "version")
AFFILIATION_ROW_FIELDS = (
    "id",
    "expert_id",
    "role",
    "is_former",
    "start_date",
    "end_date",
    "organization_id",
    "organization__name",
    "organization__acronym",
)


def expert_claim_counts(ids: list[int], *, user) -> dict[int, int]:
    """How many claims ``user`` may see for each expert of ``ids`` (an index-only count per expert)."""
    counted = visible_claims(user).filter(expert_id__in=ids).order_by().values("expert_id").annotate(n=Count("id"))
    return {row["expert_id"]: row["n"] for row in counted}


def expert_rows(ids: list[int], *, user) -> list[dict]:
    """The experts ``ids`` as flat dicts in that order, with "aliases", "affiliations" and "claim_count".

    On PostgreSQL one statement (compiled once per process and visibility),
    elsewhere one query per table.
    """
    if not ids:
        return []
    if connection.vendor == "postgresql":
        found = _expert_rows_postgres(ids, user)
        return [found[pk] for pk in ids if pk in found]
    rows = {row["id"]: row for row in Expert.objects.filter(pk__in=ids).order_by().values(*EXPERT_ROW_FIELDS)}
    aliases = defaultdict(list)
    for expert_id, name in (
        Alias.objects.filter(expert_id__in=ids).order_by("name", "id").values_list("expert_id", "name")
    ):
        aliases[expert_id].append(name)
    affiliations = defaultdict(list)
    for row in Affiliation.objects.filter(expert_id__in=ids).order_by("-id").values(*AFFILIATION_ROW_FIELDS):
        affiliations[row["expert_id"]].append(row)
    counts = expert_claim_counts(ids, user=user)
    result = []
    for pk in ids:
        row = rows.get(pk)
        if row is not None:
            row["aliases"] = aliases.get(pk, [])
            row["affiliations"] = affiliations.get(pk, [])
            row["claim_count"] = counts.get(pk, 0)
            result.append(row)
    return result


def _expert_rows_postgres(ids, user) -> dict[int, dict]:
    def build(ids_filter):
        from django.contrib.postgres.expressions import ArraySubquery
        from django.db.models.functions import JSONObject

        aliases = Alias.objects.filter(expert=OuterRef("pk")).order_by("name", "id").values("name")
        affiliations = (
            Affiliation.objects.filter(expert=OuterRef("pk"))
            .order_by("-id")
            .values(row=JSONObject(**{name.replace("__", "_"): name for name in AFFILIATION_ROW_FIELDS}))
        )
        return (
            Expert.objects.filter(pk__in=ids_filter)
            .order_by()
            .annotate(
                alias_names=ArraySubquery(aliases),
                affiliation_rows=ArraySubquery(affiliations),
                visible_claims=visible_claim_count(user),
            )
            .values(*EXPERT_ROW_FIELDS, "alias_names", "affiliation_rows", "visible_claims")
        )

    fetched = _fetch_compiled(("experts", can_see_unreviewed(user), connection.alias), build, ids)
    names = (*EXPERT_ROW_FIELDS, "aliases", "affiliations", "claim_count")
    rows = {}
    for values in fetched:
        row = dict(zip(names, values, strict=True))
        # jsonb[] items arrive as text (Django loads jsonb as text); orjson decodes them ~5x faster.
        affiliations = (orjson.loads(a) if isinstance(a, str) else a for a in row["affiliations"])
        row["affiliations"] = [
            {name: a[name.replace("__", "_")] for name in AFFILIATION_ROW_FIELDS} for a in affiliations
        ]
        rows[row["id"]] = row
    return rows

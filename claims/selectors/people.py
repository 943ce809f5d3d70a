"""Reads of experts: the detail queryset, claim counts and the flat rows of the list pages.

The list's rows are those of EXPERT_SHAPE (claims.selectors.shapes), which also gives their representation.
"""

from __future__ import annotations

from collections import defaultdict

import orjson
from django.db import connection, router
from django.db.models import Count, OuterRef, Prefetch, QuerySet

from claims.models import Affiliation, Alias, Expert
from claims.selectors.base import (
    ShapeJSON,
    can_see_unreviewed,
    fetch_compiled,
    fetch_json_records,
    visible_claim_count,
    visible_claims,
    visible_experts,
)
from claims.selectors.shapes import ORGANIZATION_BRIEF, Link, Loaded, One, Shape, Value, iso_date

__all__ = [
    "AFFILIATION_SHAPE",
    "EXPERT_SHAPE",
    "expert_claim_counts",
    "expert_json_rows",
    "expert_queryset",
    "expert_rows",
]


def expert_queryset(*, user) -> QuerySet[Expert]:
    """Experts with their aliases, affiliations and the number of claims ``user`` may see."""
    return (
        visible_experts(user)
        .annotate(claim_count=visible_claim_count(user))
        .prefetch_related(
            Prefetch("aliases", queryset=Alias.objects.order_by("name", "id")),
            Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization").order_by("-id")),
        )
    )


# An expert's affiliations as the experts list shows them (AffiliationSerializer documents it).
AFFILIATION_SHAPE = Shape(
    Value("id"),
    Value("role"),
    Value("is_former"),
    One("organization", ORGANIZATION_BRIEF),
    Value("start_date", convert=iso_date),
    Value("end_date", convert=iso_date),
)
# The experts list's record (ExpertSerializer documents it; claims.api.serializers.ShapeRepresentation builds it).
EXPERT_SHAPE = Shape(
    Value("id"),
    Link("url", "api:expert-detail"),
    Value("name"),
    Value("sort_name"),
    Value("slug"),
    Value("wikidata_id"),
    Value("bio"),
    Value("kind"),
    Loaded("aliases"),
    Loaded("affiliations", AFFILIATION_SHAPE),
    Loaded("claim_count"),
    Value("version"),
)


def _affiliation_fields(shape: Shape) -> tuple[str, ...]:
    """The row fields of the affiliations of ``shape``, and the expert's id (to group them by)."""
    (affiliations,) = (field for field in shape.fields if field.name == "affiliations")
    return (*affiliations.shape.row_fields, "expert_id")


def expert_claim_counts(ids: list[int], *, user) -> dict[int, int]:
    """How many claims ``user`` may see for each expert of ``ids`` (an index-only count per expert)."""
    counted = visible_claims(user).filter(expert_id__in=ids).order_by().values("expert_id").annotate(n=Count("id"))
    return {row["expert_id"]: row["n"] for row in counted}


def expert_rows(ids: list[int], *, user, shape: Shape = EXPERT_SHAPE) -> list[dict]:
    """The experts ``ids`` as flat dicts in that order: ``shape``'s row fields, aliases, affiliations, claim_count.

    On PostgreSQL one statement (compiled once per process, visibility and shape),
    elsewhere one query per table.
    """
    if not ids:
        return []
    if connection.vendor == "postgresql":
        found = _expert_rows_postgres(ids, user, shape)
        return [found[pk] for pk in ids if pk in found]
    rows = {row["id"]: row for row in Expert.objects.filter(pk__in=ids).order_by().values(*shape.row_fields)}
    aliases = defaultdict(list)
    for expert_id, name in (
        Alias.objects.filter(expert_id__in=ids).order_by("name", "id").values_list("expert_id", "name")
    ):
        aliases[expert_id].append(name)
    affiliations = defaultdict(list)
    for row in Affiliation.objects.filter(expert_id__in=ids).order_by("-id").values(*_affiliation_fields(shape)):
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


def _expert_rows_postgres(ids, user, shape) -> dict[int, dict]:
    affiliation_fields = _affiliation_fields(shape)

    def build(ids_filter):
        from django.contrib.postgres.expressions import ArraySubquery
        from django.db.models.functions import JSONObject

        aliases = Alias.objects.filter(expert=OuterRef("pk")).order_by("name", "id").values("name")
        affiliations = (
            Affiliation.objects.filter(expert=OuterRef("pk"))
            .order_by("-id")
            .values(row=JSONObject(**{name.replace("__", "_"): name for name in affiliation_fields}))
        )
        return (
            Expert.objects.filter(pk__in=ids_filter)
            .order_by()
            .annotate(
                alias_names=ArraySubquery(aliases),
                affiliation_rows=ArraySubquery(affiliations),
                visible_claims=visible_claim_count(user),
            )
            .values(*shape.row_fields, "alias_names", "affiliation_rows", "visible_claims")
        )

    fetched = fetch_compiled(("experts", can_see_unreviewed(user), shape), build, ids, using=router.db_for_read(Expert))
    names = (*shape.row_fields, "aliases", "affiliations", "claim_count")
    rows = {}
    for values in fetched:
        row = dict(zip(names, values, strict=True))
        # jsonb[] items arrive as text (Django loads jsonb as text); orjson decodes them ~5x faster.
        affiliations = (orjson.loads(a) if isinstance(a, str) else a for a in row["affiliations"])
        row["affiliations"] = [{name: a[name.replace("__", "_")] for name in affiliation_fields} for a in affiliations]
        rows[row["id"]] = row
    return rows


def expert_json_rows(ids: list[int], *, user, shape: Shape = EXPERT_SHAPE, link_parts) -> list[str] | None:
    """The experts ``ids`` that ``user`` may see, each as the JSON text of its record, in the order of ``ids``.

    Byte for byte what orjson writes for ``shape``'s representation of ``expert_rows``
    (tests/perf/test_bulk_lists.py), written by PostgreSQL (see claims.selectors.claims.claim_json_rows);
    None elsewhere: use ``expert_rows``. One statement, compiled once per process.
    """
    if connection.vendor != "postgresql":
        return None
    affiliation_fields = _affiliation_fields(shape)
    (affiliations_field,) = (field for field in shape.fields if field.name == "affiliations")

    def build(ids_filter):
        from django.contrib.postgres.expressions import ArraySubquery

        aliases = Alias.objects.filter(expert=OuterRef("pk")).order_by("name", "id").values("name")
        affiliations = (
            Affiliation.objects.filter(expert=OuterRef("pk"))
            .order_by("-id")
            .values(record=ShapeJSON(affiliations_field.shape, affiliation_fields[:-1]))
        )
        return (
            Expert.objects.filter(pk__in=ids_filter)
            .order_by()
            .annotate(
                alias_names=ArraySubquery(aliases),
                affiliation_records=ArraySubquery(affiliations),
                visible_claims=visible_claim_count(user),
            )
            .values(*shape.row_fields, "alias_names", "affiliation_records", "visible_claims")
        )

    return fetch_json_records(
        ("experts", can_see_unreviewed(user), shape),
        build,
        (*shape.row_fields, "aliases", "affiliations", "claim_count"),
        shape,
        ids,
        using=router.db_for_read(Expert),
        link_parts=link_parts,
    )


# The public pages (claims.pages) ------------------------------------------------------------------------------


def expert_page_get(*, user, slug: str) -> Expert | None:
    """The expert ``slug`` with aliases, affiliations and ``claim_count``, or None when ``user`` may not see them.

    Experts are public once one of their claims is approved; curators see every expert.
    """
    expert = (
        Expert.objects.annotate(claim_count=visible_claim_count(user))
        .prefetch_related(
            Prefetch("aliases", queryset=Alias.objects.order_by("name", "id")),
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.select_related("organization").order_by(
                    "is_former", "-end_date", "-start_date", "-id"
                ),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if expert is None or (not expert.claim_count and not can_see_unreviewed(user)):
        return None
    return expert


def most_quoted_experts(*, user, since=None, limit: int = 10) -> list[dict]:
    """The experts with the most claims ``user`` may see (of articles published on or after ``since``).

    Rows of "expert_id", "name", "slug" and "n", most claims first.
    """
    claims = visible_claims(user).filter(expert__isnull=False)
    if since is not None:
        claims = claims.filter(sort_date__gte=since)
    rows = claims.order_by().values("expert_id").annotate(n=Count("id")).order_by("-n", "expert_id")[:limit]
    counts = {row["expert_id"]: row["n"] for row in rows}
    experts = Expert.objects.filter(pk__in=list(counts)).values("id", "name", "slug") if counts else []
    found = [{"expert_id": e["id"], "name": e["name"], "slug": e["slug"], "n": counts[e["id"]]} for e in experts]
    return sorted(found, key=lambda row: (-row["n"], row["name"], row["expert_id"]))


CO_QUOTED_ARTICLES = 1_000


def co_quoted_experts(*, user, expert: Expert, limit: int = 10, articles: int = CO_QUOTED_ARTICLES) -> list[dict]:
    """Other experts quoted in the same articles as ``expert`` (claims ``user`` may see), most shared articles first.

    Only the articles of ``expert``'s newest ``articles`` claims are looked at, so that the cost stays
    bounded for the most quoted experts. Rows of "expert_id", "name", "slug" and "articles" (one query).
    """
    newest = visible_claims(user).filter(expert=expert).order_by("-sort_date", "-id")
    articles = newest.values("article_id")[:articles]
    rows = (
        visible_claims(user)
        .filter(article_id__in=articles, expert__isnull=False)
        .exclude(expert=expert)
        .order_by()
        .values("expert_id", "expert__name", "expert__slug")
        .annotate(articles=Count("article_id", distinct=True))
        .order_by("-articles", "expert__sort_name", "expert_id")[:limit]
    )
    return [
        {"expert_id": r["expert_id"], "name": r["expert__name"], "slug": r["expert__slug"], "articles": r["articles"]}
        for r in rows
    ]


def expert_name_suggestions(*, user, query: str, limit: int = 10) -> list[dict]:
    """Experts whose name or an alias contains ``query`` (normalized), with a claim ``user`` may see; by name."""
    from django.db.models import Exists

    from claims.selectors.search import alias_expert_ids

    visible = visible_claims(user).filter(expert_id=OuterRef("pk"))
    return list(
        Expert.objects.filter(pk__in=alias_expert_ids(query))
        .filter(Exists(visible))
        .order_by("sort_name", "id")
        .values("name", "slug")[:limit]
    )


__all__ += [
    "CO_QUOTED_ARTICLES",
    "co_quoted_experts",
    "expert_name_suggestions",
    "expert_page_get",
    "most_quoted_experts",
]

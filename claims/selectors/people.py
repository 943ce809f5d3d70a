"""Reads of experts: the detail queryset, claim counts and the flat rows of the list pages.

The list's rows are those of EXPERT_SHAPE (claims.selectors.shapes), which also gives their representation.
"""

from __future__ import annotations

from collections import defaultdict

import orjson
from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, QuerySet

from claims.models import Affiliation, Alias, Expert
from claims.selectors.base import (
    can_see_unreviewed,
    fetch_compiled,
    visible_claim_count,
    visible_claims,
)
from claims.selectors.shapes import ORGANIZATION_BRIEF, Link, Loaded, One, Shape, Value, iso_date

__all__ = [
    "AFFILIATION_SHAPE",
    "EXPERT_SHAPE",
    "expert_claim_counts",
    "expert_queryset",
    "expert_rows",
]


def expert_queryset(*, user) -> QuerySet[Expert]:
    """Experts with their aliases, affiliations and the number of claims ``user`` may see."""
    return Expert.objects.annotate(claim_count=visible_claim_count(user)).prefetch_related(
        Prefetch("aliases", queryset=Alias.objects.order_by("name", "id")),
        Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization").order_by("-id")),
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

    fetched = fetch_compiled(("experts", can_see_unreviewed(user), connection.alias, shape), build, ids)
    names = (*shape.row_fields, "aliases", "affiliations", "claim_count")
    rows = {}
    for values in fetched:
        row = dict(zip(names, values, strict=True))
        # jsonb[] items arrive as text (Django loads jsonb as text); orjson decodes them ~5x faster.
        affiliations = (orjson.loads(a) if isinstance(a, str) else a for a in row["affiliations"])
        row["affiliations"] = [{name: a[name.replace("__", "_")] for name in affiliation_fields} for a in affiliations]
        rows[row["id"]] = row
    return rows

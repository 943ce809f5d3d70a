"""Visibility, written once: what a user may see of claims and predictions; and the compiled-statement cache.

Anonymous users and users without curation rights see approved claims only, and the
predictions and experts of approved claims only (everywhere: API lists, details, filters, CSV,
pages). Every selector starts from these functions.
"""

from __future__ import annotations

import orjson
from django.conf import settings
from django.db import connections
from django.db.models import CharField, Count, Exists, Func, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from claims.choices import ReviewStatus
from claims.models import Claim, Expert, Prediction, TrackRecordCount

__all__ = [
    "IsoDateTimeUTC",
    "ShapeJSON",
    "can_see_unreviewed",
    "fetch_compiled",
    "fetch_json_records",
    "utc_output",
    "visible_claim_count",
    "visible_claims",
    "visible_experts",
    "visible_predictions",
    "visible_track_record_counts",
]


def can_see_unreviewed(user) -> bool:
    """Curators (anyone allowed to change claims) see every claim; others approved ones only."""
    return bool(user is not None and user.is_authenticated and user.has_perm("claims.change_claim"))


# The public's querysets, built once per process and cloned per request: resolving their filters
# (lookups, joins, the Exists subquery) costs more Python than cloning the result.
_public: dict[str, QuerySet] = {}


def _public_queryset(name: str, build) -> QuerySet:
    base = _public.get(name)
    if base is None:
        base = _public[name] = build()
    return base.all()


def _approved_claims() -> QuerySet[Claim]:
    return Claim.objects.filter(status=ReviewStatus.APPROVED)


def _experts_with_approved_claims() -> QuerySet[Expert]:
    approved = Claim.objects.filter(expert_id=OuterRef("pk"), status=ReviewStatus.APPROVED)
    return Expert.objects.filter(Exists(approved))


def _predictions_of_approved_claims() -> QuerySet[Prediction]:
    return Prediction.objects.filter(claim__status=ReviewStatus.APPROVED)


def visible_claims(user) -> QuerySet[Claim]:
    if can_see_unreviewed(user):
        return Claim.objects.all()
    return _public_queryset("claims", _approved_claims)


def visible_experts(user) -> QuerySet[Expert]:
    """Experts ``user`` may see: for the public, those with an approved claim (an expert known only from
    unreviewed claims is our unreviewed attribution, not public); curators see every expert."""
    if can_see_unreviewed(user):
        return Expert.objects.all()
    return _public_queryset("experts", _experts_with_approved_claims)


def visible_predictions(user) -> QuerySet[Prediction]:
    """Predictions whose claim ``user`` may see."""
    if can_see_unreviewed(user):
        return Prediction.objects.all()
    return _public_queryset("predictions", _predictions_of_approved_claims)


def visible_track_record_counts(user) -> QuerySet[TrackRecordCount]:
    """The stored track-record counts of the predictions ``user`` may see (they keep their claim's status)."""
    counts = TrackRecordCount.objects.all()
    if not can_see_unreviewed(user):
        counts = counts.filter(status=ReviewStatus.APPROVED)
    return counts


def visible_claim_count(user):
    """An expert annotation: how many of their claims ``user`` may see."""
    claims = visible_claims(user).filter(expert_id=OuterRef("pk")).order_by()
    counted = claims.values("expert_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


_IDS_MARKER = ["ids"]


def utc_output() -> bool:
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


def fetch_compiled(key: tuple, build, ids, *, using: str, wrap=None, leading=()) -> list[tuple]:
    """Rows of the statement ``build`` makes, compiled once per process per ``key``, for ``ids``, read from ``using``.

    Compiling a multi-join ``values()`` query costs more Python than running
    it, and the statement depends only on ``key``: ``build(ids_filter)`` gets
    the ``pk__in`` value to filter on (the ids as one array parameter) and
    returns the queryset, whose SQL is kept and re-run with each page's ids. ``using`` is the database alias
    the router gives the queryset's reads (a replica in a public request, project/replicas.py).
    ``wrap(sql)``, when given, makes the statement run of the queryset's (once, with the SQL kept), and
    ``leading`` are the parameters of what it puts before the queryset's SQL (a part of ``key``
    whenever the wrapper's SQL depends on their number).
    """
    key = (*key, using)
    compiled = _compiled.get(key)
    if compiled is None:
        query = build(RawSQL("SELECT unnest(%s::bigint[])", [_IDS_MARKER]))
        sql, params = query.query.sql_with_params()
        position = next(i for i, p in enumerate(params) if p is _IDS_MARKER)
        if wrap is not None:
            sql = wrap(sql)
        compiled = _compiled[key] = (sql, tuple(params), position)
    sql, params, position = compiled
    params = [*leading, *params]
    params[len(leading) + position] = list(ids)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def fetch_json_records(key: tuple, build, names: tuple[str, ...], shape, ids, *, using: str, link_parts) -> list[str]:
    """The records of ``shape`` for ``ids`` as the JSON texts PostgreSQL writes (``Shape.json_sql``), in ``ids`` order.

    ``build`` makes the rows as for ``fetch_compiled``, their columns named ``names`` (``shape``'s row
    fields, then its Loaded values), the first one the id; the statement wraps that query and returns the
    id and the record's text. ``link_parts(view_name)`` gives the text before and after the pk of that
    view's URLs (parameters, so the statement is compiled once whatever the origin).
    """
    if not ids:
        return []
    columns = {name: f"t.c{n}" for n, name in enumerate(names)}
    expression, parameters = shape.json_sql(columns.__getitem__)
    aliases = ", ".join(f"c{n}" for n in range(len(names)))
    escaped = {}
    for view_name in dict.fromkeys(view_name for view_name, _ in parameters):
        # The text inside a JSON string: orjson's escaping of the URL, as the dict path's output has it.
        prefix, suffix = link_parts(view_name)
        escaped[view_name, "prefix"] = orjson.dumps(prefix).decode()[1:-1]
        escaped[view_name, "suffix"] = orjson.dumps(suffix).decode()[1:-1]
    fetched = fetch_compiled(
        ("json", *key),
        build,
        ids,
        using=using,
        wrap=lambda sql: f"SELECT {columns[names[0]]}, {expression} FROM ({sql}) AS t({aliases})",
        leading=[escaped[parameter] for parameter in parameters],
    )
    found = dict(fetched)
    return [found[pk] for pk in ids if pk in found]


class ShapeJSON(Func):
    """A record of ``shape`` as its JSON text (``Shape.json_sql``), from the fields of the queryset it annotates.

    ``fields`` are the row fields the shape reads (lookups of the model, e.g. "organization__name"). For
    records nested in a list (an expert's affiliations); a shape with links needs ``fetch_json_records``.
    """

    output_field = CharField()

    def __init__(self, shape, fields: tuple[str, ...]):
        from django.db.models import F

        expression, parameters = shape.json_sql(lambda name: name)
        if parameters:
            raise ValueError("a shape with links has parameters: use fetch_json_records")
        self.shape, self.fields = shape, tuple(fields)
        super().__init__(*(F(name) for name in fields))

    def as_sql(self, compiler, connection, **extra_context):
        compiled = {}
        params = []
        for name, expression in zip(self.fields, self.get_source_expressions(), strict=True):
            sql, sql_params = compiler.compile(expression)
            if sql_params:
                raise ValueError(f"{name}: only plain columns")
            compiled[name] = sql
        expression, _ = self.shape.json_sql(compiled.__getitem__)
        return expression, params

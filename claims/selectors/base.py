"""Visibility, written once: what a user may see of claims and predictions; and the compiled-statement cache.

Anonymous users and users without curation rights see approved claims only, and the
predictions and experts of approved claims only (everywhere: API lists, details, filters, CSV,
pages). Every selector starts from these functions.
"""

from __future__ import annotations

import datetime

import orjson
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    Exists,
    Expression,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import Col, RawSQL
from django.db.models.functions import Coalesce

from claims.choices import ReviewStatus
from claims.models import Claim, Expert, Prediction, TrackRecordCount

__all__ = [
    "IdLiteral",
    "IsoDateTimeUTC",
    "ShapeJSON",
    "can_see_unreviewed",
    "fetch_compiled",
    "fetch_json_records",
    "fetch_rows",
    "fetch_statement",
    "rows_statement",
    "utc_output",
    "visible_claim_count",
    "visible_claims",
    "visible_expert",
    "visible_experts",
    "visible_predictions",
    "visible_track_record_counts",
]


class IdLiteral(Expression):
    """A row id written into the statement as a number, not sent as a parameter: ``expert_id = 1``.

    psycopg prepares a statement on its fifth execution, and PostgreSQL soon plans it once for any value
    (the generic plan) when that plan looks no dearer than the custom ones. For a filter on one expert the
    generic plan assumes an expert of average size (about 50 claims): for the expert page's forecasts it
    read all of Andrei Lankov's 10,000 claims to sort the predictions of 9,044 of them (50 ms at 1,000,000
    claims) instead of walking his claims newest first until 50 forecasts were found (2 ms). With the id in
    the text, each expert's statement is planned with that expert's statistics (one prepared statement per
    expert and connection, psycopg keeps the last 100). Ids only: an int, so nothing else can get in.
    """

    def __init__(self, pk: int):
        super().__init__(output_field=BigIntegerField())
        self.pk = int(pk)

    def as_sql(self, compiler, connection):
        return str(self.pk), []


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


def _approved_claims_of_expert() -> QuerySet[Claim]:
    """The approved claims of the outer query's expert: what makes an expert public."""
    return Claim.objects.filter(expert_id=OuterRef("pk"), status=ReviewStatus.APPROVED)


def _experts_with_approved_claims() -> QuerySet[Expert]:
    return Expert.objects.filter(Exists(_approved_claims_of_expert()))


def visible_expert(user, pk: int) -> QuerySet[Expert]:
    """The expert ``pk`` if ``user`` may see them (visible_experts' rule, for one expert).

    For the public the rule is asked as "the first approved claim found": PostgreSQL plans visible_experts'
    EXISTS as a semi join, and for one expert with thousands of approved claims it reads their whole index
    range into a bitmap first (2.5 ms for 9,044 claims); a subquery with LIMIT 1 stops at the first entry.
    """
    if can_see_unreviewed(user):
        return Expert.objects.filter(pk=pk)
    first = Subquery(_approved_claims_of_expert().order_by().values("pk")[:1])
    return Expert.objects.filter(pk=pk).alias(first_approved=first).filter(first_approved__isnull=False)


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
    # The array's text ("{1,2,3}"), cast by the statement: psycopg's dumping of a Python list costs more (~40 µs
    # for a page of ids) than the join, and the ids are integers, so the text is exact.
    params[len(leading) + position] = "{" + ",".join(str(int(pk)) for pk in ids) + "}"
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# (shape, column names) -> the wrapping statement's text around the rows' query, and its parameters.
_json_statements: dict[tuple, tuple[str, str, tuple]] = {}


def fetch_json_records(key: tuple, build, names: tuple[str, ...], shape, ids, *, using: str, link_parts) -> list[str]:
    """The records of ``shape`` for ``ids`` as the JSON texts PostgreSQL writes (``Shape.json_sql``), in ``ids`` order.

    ``build`` makes the rows as for ``fetch_compiled``, their columns named ``names`` (``shape``'s row
    fields, then its Loaded values), the first one the id; the statement wraps that query and returns the
    id and the record's text. ``link_parts(view_name)`` gives the text before and after the pk of that
    view's URLs (parameters, so the statement is compiled once whatever the origin).
    """
    if not ids:
        return []
    statement = _json_statements.get((shape, names))
    if statement is None:
        columns = {name: f"t.c{n}" for n, name in enumerate(names)}
        expression, parameters = shape.json_sql(columns.__getitem__)
        aliases = ", ".join(f"c{n}" for n in range(len(names)))
        select = f"SELECT {columns[names[0]]}, {expression} FROM ("
        statement = _json_statements[shape, names] = (select, f") AS t({aliases})", parameters)
    select, alias, parameters = statement
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
        wrap=lambda sql: f"{select}{sql}{alias}",
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


# Statements of the lists' key queries, by the structure of the query that made them (see fetch_rows).
_by_structure: dict[tuple, tuple[str, int] | None] = {}
_BY_STRUCTURE_MAX = 512
_PLAIN_VALUES = (int, float, str, datetime.date, datetime.datetime)


class _NotPlain(Exception):
    """A query (part) whose SQL may depend on more than its structure, or whose parameters are not its values."""


def fetch_rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a ``values_list()`` queryset, its SQL compiled once per process per query structure.

    A list's key query (claims.api.pagination) is built anew on each request, but its SQL depends only
    on its structure: the tables, joins, lookups, ordering, limit and the shape (not the values) of what
    it compares, while the values are its parameters. ``_structure`` walks the query for both (far less
    Python than compiling it); the first query of a structure is compiled, and its SQL kept when the
    values found are exactly the parameters the compiler bound (anything else, such as a search
    expression, a pattern made of a value or an annotation, is compiled on every request, as before).
    """
    statement = rows_statement(queryset)
    if statement is None:
        return list(queryset)
    return fetch_statement(queryset.db, *statement)


def rows_statement(queryset: QuerySet) -> tuple[str, tuple] | None:
    """The kept SQL and the parameters that ``fetch_rows`` runs for ``queryset``; None where it runs the queryset."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":  # elsewhere rows may need the ORM's converters (SQLite's dates)
        return None
    params: list = []
    try:
        key = (queryset.db, _structure(queryset.query, params, connection.ops))
    except _NotPlain:
        return None
    compiled = _by_structure.get(key, False)
    if compiled is False:
        compiler = queryset.query.get_compiler(queryset.db)
        try:
            sql, bound = compiler.as_sql()
        except EmptyResultSet:
            return None
        converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
        same = [(type(p), p) for p in bound] == [(type(p), p) for p in params]
        compiled = (sql, len(params)) if same and not converters else None
        if len(_by_structure) >= _BY_STRUCTURE_MAX:
            _by_structure.clear()
        _by_structure[key] = compiled
    if compiled is None or compiled[1] != len(params):
        return None
    return compiled[0], tuple(params)


def fetch_statement(using: str, sql: str, params) -> list[tuple]:
    """The rows of one statement on the connection ``using``."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _structure(query, params: list, ops) -> tuple:
    """What determines ``query``'s SQL but its values; appends those to ``params`` in the order SQL binds them."""
    if query.combinator:
        parts = tuple(_structure(part, params, ops) for part in query.combined_queries)
        return (
            "combined",
            query.model,
            query.combinator,
            query.combinator_all,
            parts,
            _ordering(query),
            query.low_mark,
            query.high_mark,
        )
    if (
        query.extra
        or query.distinct
        or query.distinct_fields
        or query.group_by is not None
        or query.select_for_update
        or query.select_related
        or query.extra_order_by
    ):
        raise _NotPlain
    annotations = []
    for name, annotation in query.annotation_select.items():  # selected before the columns' WHERE
        if type(annotation) is not Value or not isinstance(annotation.value, _PLAIN_VALUES):
            raise _NotPlain
        # What Value.as_sql binds (Int4(1) for the 1 of EXISTS(SELECT 1 ...) on PostgreSQL).
        params.append(annotation.output_field.get_db_prep_value(annotation.value, connection=ops.connection))
        annotations.append((name, type(annotation.value)))
    if len(query.annotations) != len(annotations):
        raise _NotPlain
    joins = tuple(
        (alias, join.identity, getattr(join, "join_type", None))
        for alias, join in query.alias_map.items()
        if query.alias_refcount[alias]
    )
    return (
        "select",
        query.model,
        query.default_cols,
        query.deferred_loading[0] and (tuple(sorted(query.deferred_loading[0])), query.deferred_loading[1]),
        query.values_select,
        tuple(column.identity for column in query.select),
        tuple(annotations),
        joins,
        _condition(query.where, params, ops),
        _ordering(query),
        query.default_ordering,
        query.standard_ordering,
        query.low_mark,
        query.high_mark,
    )


def _ordering(query) -> tuple:
    return tuple(item if isinstance(item, str) else item.identity for item in query.order_by)


def _condition(node, params: list, ops) -> tuple:
    from django.db.models.lookups import Exact, In, IsNull, Lookup, PatternLookup
    from django.db.models.sql.query import Query
    from django.db.models.sql.where import WhereNode

    if isinstance(node, WhereNode):
        return ("node", node.connector, node.negated, tuple(_condition(child, params, ops) for child in node.children))
    if type(node) is Exists:
        return ("exists", _structure(node.query, params, ops))
    if type(node) is Exact and type(node.lhs) is Exists and isinstance(node.rhs, bool):
        # filter(Exists(...)) is "EXISTS(...) = true", written as the EXISTS alone (or NOT EXISTS).
        return ("exists is", node.rhs, _structure(node.lhs.query, params, ops))
    if not isinstance(node, Lookup) or type(node.lhs) is not Col:
        raise _NotPlain
    rhs = node.rhs
    if isinstance(node, IsNull):
        if not isinstance(rhs, bool):
            raise _NotPlain
        compared = ("is", rhs)  # IS NULL / IS NOT NULL: no parameter
    elif type(rhs) is Col:
        compared = ("column", rhs.identity)
    elif isinstance(node, In) and type(rhs) is Query:
        compared = ("subquery", _structure(rhs, params, ops))
    elif isinstance(node, PatternLookup) and isinstance(rhs, str):
        params.append(node.param_pattern % ops.prep_for_like_query(rhs))  # "%lankov%", as the lookup binds it
        compared = ("pattern", str)
    elif isinstance(rhs, bool):
        params.append(rhs)
        compared = ("value", rhs)
    elif isinstance(rhs, _PLAIN_VALUES):
        params.append(rhs)
        compared = ("value", type(rhs))
    elif isinstance(rhs, (list, tuple)) and all(isinstance(v, _PLAIN_VALUES) and not isinstance(v, bool) for v in rhs):
        params.extend(rhs)
        compared = ("values", tuple(type(v) for v in rhs))
    else:
        raise _NotPlain
    return ("lookup", type(node), node.lhs.identity, compared)

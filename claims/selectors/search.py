"""Text and name search that works on PostgreSQL and SQLite alike.

On PostgreSQL, ``q`` is full-text search (websearch syntax, English stemming)
over stored vectors or expressions that match the GIN indexes (migrations 0002
and 0005), ranked with ts_rank. A visitor's search of claims by words alone
reads the public search table instead (approved claims' ids and vectors, kept
by triggers, migration 0016): ``public_search_keys``, ``public_search_ids``.
On SQLite the fallback requires every word to occur in the text
(case-insensitive), ranked by nothing.

Name lookups compare the normalized query parts (claims.domain.names) with
``Alias.normalized`` as substrings; on PostgreSQL a trigram index serves them.
"""

from __future__ import annotations

import functools
import re

from django.db import connection, connections, router
from django.db.models import BooleanField, F, FloatField, Func, Q, QuerySet, TextField, Value

from claims.domain.names import MAX_QUERY_PARTS, name_query
from claims.models import Alias, Claim
from claims.selectors.lookups import recorded_lookup

__all__ = [
    "MAX_SEARCH_WORDS",
    "PUBLIC_SEARCH_TABLE",
    "RANK",
    "alias_expert_ids",
    "is_postgres",
    "matching_expert_ids",
    "public_search_ids",
    "public_search_keys",
    "text_search",
    "websearch_words",
]

FTS_CONFIG = "english"
# websearch_to_tsquery keeps every word; more than this many are dropped (a search is a few words).
MAX_SEARCH_WORDS = 32
_WORD_CHARACTER = re.compile(r"\w")
# The annotation text_search ranks rows by (the "relevance" ordering sorts on it).
RANK = "rank"
# Approved claims' (id, vector, sort_date), kept by triggers on claims_claim (PostgreSQL only, migrations 0016, 0017).
PUBLIC_SEARCH_TABLE = "claims_public_claim_search"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


class ToTsVector(Func):
    """to_tsvector('english'::regconfig, <document>): the exact form of the GIN index expressions.

    One field compiles to the bare column; several to
    ``COALESCE(a, '') || ' ' || COALESCE(b, '')``, as in migration 0002.
    """

    output_field = TextField()

    def __init__(self, *fields: str):
        super().__init__(*(F(name) for name in fields))

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.source_expressions:
            sql, part_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(part_params)
        document = parts[0] if len(parts) == 1 else " || ' ' || ".join(f"COALESCE({p}, '')" for p in parts)
        return f"to_tsvector('{FTS_CONFIG}'::regconfig, {document})", params


class StoredVector(Func):
    """A stored tsvector column that sits beside a text column (see migration 0005).

    The model does not declare it (SQLite has no tsvector); compiling the text
    field gives its table alias, and the vector column is named after it.
    """

    output_field = TextField()

    def __init__(self, text_field: str, column: str):
        super().__init__(F(text_field))
        self.column = column

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        table, _, field = sql.rpartition(".")
        if not table or not field.startswith('"'):
            raise ValueError(f"cannot find the table of {sql}")
        return f'{table}."{self.column}"', params


class TsMatch(Func):
    """<tsvector> @@ <tsquery>"""

    output_field = BooleanField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        vector, vector_params = compiler.compile(self.source_expressions[0])
        query, query_params = compiler.compile(self.source_expressions[1])
        return f"({vector} @@ {query})", (*vector_params, *query_params)


class WebSearchQuery(Func):
    """``(SELECT websearch_to_tsquery('english'::regconfig, %s))``: the query parsed once per statement.

    A bare ``websearch_to_tsquery(%s)`` is a constant only when the planner sees the value; in a prepared
    statement's generic plan (psycopg prepares a statement on its fifth execution) it is evaluated for every
    row it appears in, once for the match and once more for each rank. A scalar subquery is an InitPlan:
    evaluated once, and the GIN index still serves the match.
    """

    output_field = TextField()

    def __init__(self, words: str):
        super().__init__(Value(words))

    def as_sql(self, compiler, connection, **extra_context):
        words, params = compiler.compile(self.source_expressions[0])
        return f"(SELECT websearch_to_tsquery('{FTS_CONFIG}'::regconfig, {words}))", params


class TsRank(Func):
    """``ts_rank(vector, query)::float8``.

    ts_rank returns a ``real``; a cursor carries the rank back as a double, and ``real <= double`` compares
    the real widened (0.075990885 is 0.07599088549613953): the rows tied with the cursor's rank were skipped.
    Widened here, the rank is the exact double the cursor carries; the order is the same.
    """

    template = "ts_rank(%(expressions)s)::float8"
    output_field = FloatField()


def text_search(
    queryset: QuerySet,
    query: str,
    *,
    fields: tuple[str, ...],
    stored_vector: str | None = None,
    rank_alias: str = RANK,
) -> QuerySet:
    """Rows whose ``fields`` match ``query``, annotated with a relevance rank.

    On PostgreSQL the match and the rank use ``stored_vector`` (a generated
    tsvector column of ``fields[0]``, GIN-indexed) when given; otherwise
    ``fields`` must be those a GIN expression index of migration 0002 was
    built on, in the same order, so that the index serves the match.
    """
    if is_postgres():
        vector = StoredVector(fields[0], stored_vector) if stored_vector else ToTsVector(*fields)
        tsquery = WebSearchQuery(websearch_words(query))
        return queryset.filter(TsMatch(vector, tsquery)).annotate(**{rank_alias: TsRank(vector, tsquery)})
    words = [w.strip("\"'()") for w in query.split() if not w.startswith("-") and w.lower() not in ("or", "and")]
    words = [w for w in words if w]
    if not words:
        return queryset.none().annotate(**{rank_alias: Value(0.0, output_field=FloatField())})
    condition = Q()
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return queryset.filter(condition).annotate(**{rank_alias: Value(0.0, output_field=FloatField())})


def public_search_keys(
    query: str, *, limit: int, after: tuple[float, int] | None = None, descending: bool = True
) -> list[tuple[float, int]]:
    """(rank, id) of the approved claims matching ``query``, by rank then id, ``limit`` at most (PostgreSQL only).

    The same keys, in the same order, as ``text_search`` over the approved claims ordered by (rank, id),
    read from PUBLIC_SEARCH_TABLE alone: the query is parsed once, every match is ranked once, and no
    block of claims_claim is read. ``after`` is a cursor's (rank, id): only the rows strictly after it
    (before it when not ``descending``) are returned.
    """
    db = connections[router.db_for_read(Claim)]
    with db.cursor() as cursor:
        cursor.execute(_public_search_sql(descending, after is not None), _public_search_params(query, limit, after))
        return cursor.fetchall()


def public_search_ids(query: str, *, limit: int) -> list[int]:
    """Ids of approved claims matching ``query``, ``limit`` at most, newest first (PostgreSQL only).

    Newest first is the claims page's order (sort_date, then id, descending): when fewer than ``limit`` match,
    these are all the matches in that order, read from PUBLIC_SEARCH_TABLE alone (the date is kept beside the
    vector, migration 0017); otherwise they are ``limit`` of the matches, ordered the same way.
    """
    db = connections[router.db_for_read(Claim)]
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT m.id FROM (SELECT s.id, s.sort_date FROM {PUBLIC_SEARCH_TABLE} s, "
            f"websearch_to_tsquery('{FTS_CONFIG}'::regconfig, %s) AS q(query) WHERE s.text_search @@ q.query LIMIT %s) "
            "AS m ORDER BY m.sort_date DESC, m.id DESC",
            [websearch_words(query), limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _public_search_params(query: str, limit: int, after: tuple[float, int] | None) -> list:
    params = [websearch_words(query)]
    if after is not None:
        rank, pk = after
        params += [rank, rank, pk]
    return [*params, limit]


@functools.lru_cache(maxsize=4)
def _public_search_sql(descending: bool, after: bool) -> str:
    # OFFSET 0 keeps the subquery whole, so that each match's rank is computed once, not again in the
    # cursor's condition; the tsquery is a function scan, evaluated once whatever the plan.
    beyond, direction = ("<", "DESC") if descending else (">", "ASC")
    condition = f"WHERE m.rank {beyond}= %s AND (m.rank {beyond} %s OR m.id {beyond} %s)" if after else ""
    return (
        f"SELECT m.rank, m.id FROM ("
        f"SELECT s.id, ts_rank(s.text_search, q.query)::float8 AS rank "
        f"FROM {PUBLIC_SEARCH_TABLE} s, websearch_to_tsquery('{FTS_CONFIG}'::regconfig, %s) AS q(query) "
        f"WHERE s.text_search @@ q.query OFFSET 0) AS m {condition} "
        f"ORDER BY m.rank {direction}, m.id {direction} LIMIT %s"
    )


def websearch_words(query: str) -> str:
    """``query`` as PostgreSQL can parse it in web-search syntax: at most MAX_SEARCH_WORDS words.

    A run of negations with nothing to negate ("----", "- - -", "-!") overflows PostgreSQL's
    tsquery stack ("tsquery stack too small", a 500): a word keeps one leading "-" at most, and
    words without a letter or digit (which match nothing) are dropped.
    """
    words = []
    for word in query.split():
        bare = word.lstrip("-")
        if _WORD_CHARACTER.search(bare):
            words.append(f"-{bare}" if bare != word else bare)
    return " ".join(words[:MAX_SEARCH_WORDS])


def alias_expert_ids(query: str) -> QuerySet:
    """Ids of the experts with an alias that matches the name search ``query`` (claims.domain.names.name_query).

    "Lankov", "lankov", "andrei lankov" and "Lankov, Andrei" all match the
    alias "Andrei Lankov", "Pak Byung Hwan" the alias "Park Byung Hwan"; an
    empty query matches no one. Parts past MAX_QUERY_PARTS are ignored (the
    filters refuse such a search before it gets here).
    """
    parts = name_query(query)[:MAX_QUERY_PARTS]
    aliases = Alias.objects.all() if parts else Alias.objects.none()
    for written, folded in parts:
        aliases = aliases.filter(Q(match_key__contains=written) | Q(match_key__contains=folded))
    return aliases.values("expert_id")


@recorded_lookup  # the claims list's keys depend on the ids alone (claims.selectors.lookups)
def matching_expert_ids(query: str, *, limit: int = 1000) -> list[int] | None:
    """``alias_expert_ids(query)`` evaluated: the ids, ascending, or None when more than ``limit`` match.

    The claims list filters on the ids and pages each expert's claims from the
    (expert, date, id) index (ClaimFilterSet keeps them for its partitions).
    """
    parts = name_query(query)[:MAX_QUERY_PARTS]
    if parts:
        # On the connection the router reads aliases from (a replica in a public request).
        db = connections[router.db_for_read(Alias)]
        patterns = ["%" + db.ops.prep_for_like_query(spelling) + "%" for part in parts for spelling in part]
        with db.cursor() as cursor:
            cursor.execute(_alias_ids_sql(db.alias, db.vendor, len(parts), limit), patterns)
            ids = [row[0] for row in cursor.fetchall()]
    else:
        ids = []
    return ids if len(ids) <= limit else None


@functools.lru_cache(maxsize=4 * MAX_QUERY_PARTS)
def _alias_ids_sql(database: str, vendor: str, parts: int, limit: int) -> str:
    """The SQL of alias_expert_ids for ``parts`` parts, distinct ids ascending, ``limit`` + 1 at most.

    Built by the ORM once per database and number of parts (at most MAX_QUERY_PARTS; an LRU cache of
    bounded size besides, so a process never keeps more than a few dozen statements) and reused: the
    parameters are the LIKE patterns of each part's two spellings, in order.
    """
    aliases = Alias.objects.all()
    for n in range(parts):
        aliases = aliases.filter(Q(match_key__contains=f"w{n}") | Q(match_key__contains=f"f{n}"))
    rows = aliases.order_by("expert_id").values_list("expert_id", flat=True).distinct()[: limit + 1]
    sql, params = rows.query.sql_with_params()
    if len(params) != 2 * parts:  # the patterns must be the only parameters
        raise RuntimeError(f"unexpected parameters in {sql!r}: {params!r}")
    return sql

"""Text and name search that works on PostgreSQL and SQLite alike.

On PostgreSQL, ``q`` is full-text search (websearch syntax, English stemming)
over expressions that match the GIN indexes created in migration 0002, ranked
with ts_rank. On SQLite the fallback requires every word to occur in the
text (case-insensitive), ranked by nothing.

Name lookups compare the normalized query parts (claims.domain.names) with
``Alias.normalized`` as substrings; on PostgreSQL a trigram index serves them.
"""

from __future__ import annotations

import functools
import re

from django.contrib.postgres.search import SearchQuery
from django.db import connection, connections, router
from django.db.models import BooleanField, F, FloatField, Func, Q, QuerySet, TextField, Value

from claims.domain.names import MAX_QUERY_PARTS, name_query
from claims.models import Alias
from claims.selectors.lookups import recorded_lookup

__all__ = [
    "MAX_SEARCH_WORDS",
    "RANK",
    "alias_expert_ids",
    "is_postgres",
    "matching_expert_ids",
    "text_search",
    "websearch_words",
]

FTS_CONFIG = "english"
# websearch_to_tsquery keeps every word; more than this many are dropped (a search is a few words).
MAX_SEARCH_WORDS = 32
_WORD_CHARACTER = re.compile(r"\w")
# The annotation text_search ranks rows by (the "relevance" ordering sorts on it).
RANK = "rank"


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


class TsRank(Func):
    function = "ts_rank"
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
        tsquery = SearchQuery(websearch_words(query), config=FTS_CONFIG, search_type="websearch")
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

"""Output shapes of the bulk-built lists, declared once: the row fields a selector loads and the representation.

A ``Shape`` lists the output fields of one record in output order, each with where its value
comes from in a flat row (a ``values()`` dict):

- ``Value("outlet", source="outlet__name", convert=as_text)``: a column, converted as DRF would;
- ``Link("url", "api:claim-detail")``: the record's API URL, from its id;
- ``One("expert", EXPERT_BRIEF)``: a record nested through a foreign key, null when the key is;
  its fields are read from the row under "expert__..." (its id from the key column "expert_id");
- ``Loaded("topics")``: a value the selector adds beside the columns (a list of slugs, a count),
  optionally a list of records of a shape (``Loaded("affiliations", AFFILIATION_SHAPE)``).

From one declaration come ``row_fields`` (what claims.selectors.claims/people load), ``names``
(the ``Meta.fields`` of the serializer that documents the shape in OpenAPI, claims.api.serializers)
and ``representation()``: a function from a row to exactly what that serializer outputs, generated
as Python source once, when the shape is declared, and compiled (a dict literal per record: no
per-field calls, no serializer machinery). tests/perf/test_bulk_lists.py pins the equality.

On PostgreSQL a shape also gives ``json_sql()``: a text expression that writes the same record as
the exact JSON text orjson writes for that representation (compact, keys in order, floats and
timestamps formatted alike), so that a JSON page needs no Python per row (claims.selectors.claims
``claim_json_rows``); tests/perf/test_bulk_lists.py compares the bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "ARTICLE_BRIEF",
    "CLAIM_AFFILIATION",
    "EXPERT_BRIEF",
    "ORGANIZATION_BRIEF",
    "Link",
    "Loaded",
    "One",
    "Shape",
    "Value",
    "as_float",
    "as_text",
    "iso_date",
    "iso_datetime",
    "sql_float_json",
    "url_or_none",
]


def iso_datetime(value):
    """DRF's DateTimeField output for an aware UTC datetime (the database gives those: USE_TZ), or that text already."""
    if value is None or isinstance(value, str):
        return value
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def iso_date(value):
    """A date, or already its ISO text (dates inside JSON built by PostgreSQL)."""
    return value if value is None or isinstance(value, str) else value.isoformat()


def as_float(value):
    return None if value is None else float(value)


def as_text(value):
    return None if value is None else str(value)


def url_or_none(value):
    """A URL that may be missing: stored as "", shown as null (claims.api.serializers.OptionalURLField)."""
    return value or None


@dataclass(frozen=True)
class Value:
    name: str
    source: str | None = None  # the row path below the record's own prefix; the name by default
    convert: Callable | None = None


@dataclass(frozen=True)
class Link:
    name: str
    view_name: str
    source: str = "id"


@dataclass(frozen=True)
class One:
    name: str
    shape: Shape
    source: str | None = None  # the relation's name; the field's name by default
    nullable: bool = True


@dataclass(frozen=True)
class Loaded:
    name: str
    shape: Shape | None = None  # for a list of records of this shape
    convert: Callable | None = None


def _key(prefix: str, source: str) -> str:
    """The row key of ``source`` under ``prefix``: a nested record's id is its foreign key column."""
    if source == "id" and prefix:
        return prefix[:-2] + "_id"  # "expert__" -> "expert_id"
    return prefix + source


class Shape:
    """One record's output fields, in order; compared and hashed by identity (it keys compiled statements)."""

    def __init__(self, *fields: Value | Link | One | Loaded):
        self.fields = fields
        self.names = tuple(field.name for field in fields)
        if len(set(self.names)) != len(self.names):
            raise ValueError(f"duplicate output names in {self.names}")
        self.row_fields = tuple(dict.fromkeys(self._row_fields("")))
        self.loaded = tuple(field.name for field in fields if isinstance(field, Loaded))
        self.view_names = tuple(dict.fromkeys(self._view_names()))
        self._namespace: dict[str, object] = {}
        body = self._expression("", "r", 0)
        arguments = ", ".join(f"_u{n}" for n in range(len(self.view_names)))
        source = f"def _make({arguments}):\n    def one(r):\n        return {body}\n    return one\n"
        exec(compile(source, f"<shape {', '.join(self.names)}>", "exec"), self._namespace)  # noqa: S102
        self._make = self._namespace["_make"]
        self.source = source

    def extended(self, *fields: Value | Link | One | Loaded) -> Shape:
        """This shape with ``fields`` added at the end."""
        return Shape(*self.fields, *fields)

    def representation(self, url_for: Callable[[str], Callable[[int], str]]) -> Callable[[dict], dict]:
        """row -> output record; ``url_for(view_name)`` gives the pk -> URL function of each Link."""
        return self._make(*(url_for(view_name) for view_name in self.view_names))

    def converted_by(self, convert: Callable) -> tuple[str, ...]:
        """The row fields of this record (not nested ones) that ``convert`` turns into output."""
        return tuple(
            _key("", field.source or field.name)
            for field in self.fields
            if isinstance(field, Value) and field.convert is convert
        )

    def json_sql(self, column: Callable[[str], str]) -> tuple[str, tuple[tuple[str, str], ...]]:
        """PostgreSQL text expression of this record as the compact JSON orjson writes for ``representation()``.

        ``column(row_key)`` gives the SQL of a row field (a key of ``row_fields`` or a Loaded name; a
        Loaded list of records is an array of their JSON texts);
        timestamps (iso_datetime) must already be text as DRF writes them (claims.selectors.base.IsoDateTimeUTC).
        Returns the expression and its parameters in order: ``(view_name, "prefix" | "suffix")`` for each
        Link, whose values are the JSON-escaped text around the pk of that view's URL.
        """
        params: list[tuple[str, str]] = []
        return self._json_sql("", column, params), tuple(params)

    def _json_sql(self, prefix: str, column, params: list) -> str:
        parts = []
        for n, field in enumerate(self.fields):
            key = _sql_literal(("{" if n == 0 else ",") + _json_text(field.name) + ":")
            if isinstance(field, Value):
                value = _sql_value(column(_key(prefix, field.source or field.name)), field.convert)
            elif isinstance(field, Link):
                params += [(field.view_name, "prefix"), (field.view_name, "suffix")]
                value = f"concat('\"', %s::text, {column(_key(prefix, field.source))}, %s::text, '\"')"
            elif isinstance(field, One):
                nested_prefix = f"{prefix}{field.source or field.name}__"
                value = field.shape._json_sql(nested_prefix, column, params)
                if field.nullable:
                    value = f"CASE WHEN {column(_key(nested_prefix, 'id'))} IS NULL THEN 'null' ELSE {value} END"
            elif field.convert is not None:
                raise ValueError(f"{field.name}: a converted loaded value has no SQL form")
            elif field.shape is not None:
                # The selector gives the records' JSON texts as an array (claims.selectors.base.ShapeJSON).
                value = f"('[' || COALESCE(array_to_string({column(field.name)}, ','), '') || ']')"
            else:
                value = _sql_value(column(field.name), None)
            parts += [key, value]
        # One concat() per record: a chain of || would copy the growing text once per part.
        return "concat(" + ", ".join(parts) + ", '}')"

    def _row_fields(self, prefix: str):
        for field in self.fields:
            if isinstance(field, Value):
                yield _key(prefix, field.source or field.name)
            elif isinstance(field, Link):
                yield _key(prefix, field.source)
            elif isinstance(field, One):
                yield _key(f"{prefix}{field.source or field.name}__", "id")
                yield from field.shape._row_fields(f"{prefix}{field.source or field.name}__")

    def _view_names(self):
        for field in self.fields:
            if isinstance(field, Link):
                yield field.view_name
            elif isinstance(field, (One, Loaded)) and field.shape is not None:
                yield from field.shape._view_names()

    def _name(self, obj) -> str:
        """A name in the generated code's namespace for ``obj`` (a converter)."""
        for name, value in self._namespace.items():
            if value is obj and name.startswith("_c"):
                return name
        name = f"_c{len(self._namespace)}"
        self._namespace[name] = obj
        return name

    def _expression(self, prefix: str, row: str, depth: int, root: Shape | None = None) -> str:
        root = root or self
        items = []
        for field in self.fields:
            if isinstance(field, Value):
                value = f"{row}[{_key(prefix, field.source or field.name)!r}]"
                if field.convert is not None:
                    value = f"{root._name(field.convert)}({value})"
            elif isinstance(field, Link):
                value = f"_u{root.view_names.index(field.view_name)}({row}[{_key(prefix, field.source)!r}])"
            elif isinstance(field, One):
                nested_prefix = f"{prefix}{field.source or field.name}__"
                value = field.shape._expression(nested_prefix, row, depth, root)
                if field.nullable:
                    value = f"(None if {row}[{_key(nested_prefix, 'id')!r}] is None else {value})"
            else:
                value = f"{row}[{field.name!r}]"
                if field.shape is not None:
                    item = f"r{depth + 1}"
                    value = f"[{field.shape._expression('', item, depth + 1, root)} for {item} in {value}]"
                if field.convert is not None:
                    value = f"{root._name(field.convert)}({value})"
            items.append(f"{field.name!r}: {value}")
        return "{" + ", ".join(items) + "}"


def _json_text(text: str) -> str:
    """``text`` as a JSON string, escaped as orjson and PostgreSQL's json escape it alike."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sql_literal(text: str) -> str:
    """A SQL string literal; ``%`` doubled, as the statement goes through the driver's parameter formatting."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def sql_float_json(sql: str) -> str:
    """PostgreSQL text of a double precision value as orjson writes a Python float (``null`` for NULL).

    Both write the shortest text that reads back as the same double; they differ in where they switch
    to an exponent and in how they write it: PostgreSQL writes 1e-05, 2 and 1e+15 where orjson writes
    0.00001, 2.0 and 1000000000000000.0, and 1e-06 where orjson writes 1e-6. Exact below 1e16 in
    magnitude (tests/perf/test_bulk_lists.py); above, PostgreSQL writes some integral doubles with a
    needless 17th digit (the same double in other bytes). The API's only float is a confidence, 0 to 1.
    """
    digits = "replace(replace(split_part(v, 'e', 1), '-', ''), '.', '')"
    sign = "CASE WHEN left(v, 1) = '-' THEN '-' ELSE '' END"
    exponent = "split_part(v, 'e', 2)::int"
    return (
        f"(SELECT CASE WHEN v IS NULL OR v IN ('NaN', 'Infinity', '-Infinity') THEN 'null' "
        f"WHEN strpos(v, 'e') = 0 THEN CASE WHEN strpos(v, '.') = 0 THEN v || '.0' ELSE v END "
        f"WHEN {exponent} = -5 THEN {sign} || '0.0000' || {digits} "
        f"WHEN {exponent} < -5 THEN split_part(v, 'e', 1) || 'e' || {exponent}::text "
        f"WHEN {exponent} = 15 AND length({digits}) <= 16 THEN {sign} || rpad({digits}, 16, '0') || '.0' "
        f"WHEN {exponent} = 15 THEN {sign} || left({digits}, 16) || '.' || substr({digits}, 17) "
        f"ELSE v END FROM (SELECT (({sql})::float8)::text AS v) AS float_text)"
    )


def _sql_value(sql: str, convert) -> str:
    """The JSON text of one output value, whose row field's SQL is ``sql``, as ``convert`` would make it."""
    if convert is as_float:
        return sql_float_json(sql)
    if convert is url_or_none:
        sql = f"NULLIF({sql}, '')"
    elif convert not in (None, iso_datetime, iso_date, as_text):
        raise ValueError(f"no SQL form for the converter {convert!r}")
    # to_json writes dates as ISO text, strings escaped as orjson does, arrays of text compact.
    return f"COALESCE(to_json({sql})::text, 'null')"


# The brief forms of records nested in others (claims.api.serializers.brief mirrors them).
ORGANIZATION_BRIEF = Shape(Value("id"), Value("name"), Value("acronym"))
EXPERT_BRIEF = Shape(Value("id"), Value("name"), Value("slug"), Value("kind"))
ARTICLE_BRIEF = Shape(
    Value("id"),
    Link("url", "api:article-detail"),
    Value("title"),
    Value("outlet", source="outlet__name", convert=as_text),
    Value("published_on", convert=iso_date),
    Value("source_url", source="url", convert=url_or_none),
)
CLAIM_AFFILIATION = Shape(Value("id"), Value("role"), Value("is_former"), One("organization", ORGANIZATION_BRIEF))

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

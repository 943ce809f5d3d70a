"""Building blocks of the FilterSets: strict id filters, a cheaper FilterSet, keyset orderings.

Each list's FilterSet (one module per context) owns its whole query-string grammar, the ordering
included: a keyset list declares its ``ordering`` once (``KeysetOrderingFilter``: public names, the
field each sorts on, the default, relevance with ``q``), and the keyset paginator
(claims.api.pagination) asks the FilterSet (``KeysetFilterSetMixin``) for the ordering of the
request and for the partitions of its rows. Unknown parameters and malformed values answer 400
(see claims.api.backends).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import django_filters as filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Model, Q
from django.http import QueryDict

from claims.domain.names import MAX_QUERY_PARTS, name_query
from claims.selectors.search import RANK

__all__ = [
    "IdFilter",
    "KeysetFilterSetMixin",
    "KeysetOrdering",
    "KeysetOrderingFilter",
    "LeanFilterSet",
    "NameFilter",
    "UnavailableOrdering",
    "ordering_choices",
    "organization_condition",
    "outlet_condition",
]


def ordering_choices(names, *, extra=()) -> list[tuple[str, str]]:
    choices = []
    for name in names:
        label = name.replace("_", " ")
        choices += [(name, f"{label}, ascending"), (f"-{name}", f"{label}, descending")]
    return choices + list(extra)


def organization_condition(value: str, prefix: str = "") -> Q:
    """An organization by acronym (exact, any case) or a part of its name."""
    value = value.strip()
    return Q(**{f"{prefix}acronym__iexact": value}) | Q(**{f"{prefix}name__icontains": value})


def outlet_condition(value: str, prefix: str = "") -> Q:
    value = value.strip()
    return Q(**{f"{prefix}slug": value.lower()}) | Q(**{f"{prefix}name__icontains": value})


def validate_name_query(value: str) -> None:
    """A name search of at most MAX_QUERY_PARTS parts (claims.domain.names.name_query)."""
    if len(name_query(value)) > MAX_QUERY_PARTS:
        raise forms.ValidationError(f"A name has at most {MAX_QUERY_PARTS} parts.", code="too_many_parts")


class NameFilter(filters.CharFilter):
    """A name search: experts by any alias (claims.domain.names.name_query); too many parts answer 400."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", []).append(validate_name_query)
        super().__init__(*args, **kwargs)


class IdFilter(filters.NumberFilter):
    """A record id: a whole number within the range of the id columns (64-bit), else 400.

    django-filter's ``NumberFilter`` takes decimals up to 1e50; SQLite cannot
    bind an integer past 64 bits and raised OverflowError (a 500) for
    ``expert_id=-2.5e228``, which schemathesis found.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -(2**63))
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)
        # What @extend_schema_field sets, per filter so that the help text stays the description.
        schema = {"type": "integer", "format": "int64", "description": self.extra.get("help_text", "")}
        self._spectacular_annotation = {"field": schema}


class LeanFilterSet(filters.FilterSet):
    """A FilterSet that costs less per request: shallow filter copies, one form class per FilterSet class.

    django-filter deep-copies every filter and builds a new form class (and
    new form fields) each time a FilterSet is instantiated: about 1.5 ms of
    Python per request for a dozen filters, as much as the whole page query.
    Filters keep no per-request state but their parent, so a shallow copy
    (with the method filter re-bound to it) behaves the same; the form class
    depends on the declared filters only.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        model = queryset.model
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            if filter_.method is not None:
                filter_.method = filter_.method  # re-binds FilterMethod to the copy
            filter_.model = model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self):
        cls = type(self)
        form_class = cls.__dict__.get("_lean_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class = type(form_class.__name__, (_AbsentFieldsForm, form_class), {})
            # Form.__init__ deep-copies its fields; these only validate query strings and are never changed.
            form_class.base_fields = _SharedFields(form_class.base_fields)
            form_class.absent_values = _absent_values(form_class)
            cls._lean_form_class = form_class
        return form_class


def _absent_values(form_class) -> dict[str, object]:
    """What each field cleans to when its parameter is not in the query string, where that is a constant.

    Measured once per form class on an empty query string; a field with a ``clean_<name>`` hook, or
    whose empty value is not an immutable constant (None, "", False), is cleaned on every request.
    """
    empty = form_class(QueryDict())
    if not empty.is_valid():
        return {}
    return {
        name: value
        for name, value in empty.cleaned_data.items()
        if (value is None or value is False or value == "") and not hasattr(form_class, f"clean_{name}")
    }


class _AbsentFieldsForm(forms.Form):
    """A filter form that does not clean, one by one, the dozen fields a request did not send.

    Django cleans every field of a form (a BoundField, the widget, the field's clean) whatever the data;
    a list's query string names one or two of its filters. A field none of whose parameters is in the
    query string (``name``, or a widget's ``name_<suffix>``) gets the value it cleans to when absent
    (``absent_values``); the others are cleaned as Django cleans them, in the same order.
    """

    absent_values: dict[str, object] = {}

    def _clean_fields(self):
        absent = self.absent_values
        if self.prefix is not None or not absent:
            return super()._clean_fields()
        given = tuple(self.data.keys())
        for name, field in self.fields.items():
            if name in absent and not any(key == name or key.startswith(f"{name}_") for key in given):
                self.cleaned_data[name] = absent[name]
                continue
            bf = self[name]
            try:
                self.cleaned_data[name] = field._clean_bound_field(bf)
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except forms.ValidationError as error:
                self.add_error(name, error)
        return None


class _SharedFields(dict):
    """Form fields a form instance may share with its class: deepcopy gives a shallow copy."""

    def __deepcopy__(self, memo):
        return dict(self)


def _follow(model: type[Model], path: str):
    """(model, field) at the end of a lookup path such as "claim__sort_date"."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model, model._meta.get_field(name)


@dataclass(frozen=True)
class KeysetOrdering:
    """One ordering of a keyset list: a field (or lookup path, or annotation), a direction, the id to break ties."""

    name: str  # the public name, "-published_on"
    field: str  # "sort_date", "claim__sort_date", "rank"
    descending: bool
    nullable: bool

    def order_by(self, *, reverse: bool = False):
        descending = self.descending != reverse
        # Rows without a value come last when paging forward, first backward.
        # Non-nullable fields get a plain ORDER BY, which their indexes serve.
        nulls = ({"nulls_first": True} if reverse else {"nulls_last": True}) if self.nullable else {}
        key = F(self.field).desc(**nulls) if descending else F(self.field).asc(**nulls)
        return [key, "-id" if descending else "id"]

    def after(self, value, pk: int, *, reverse: bool = False) -> Q:
        """Rows strictly after (value, pk) in this ordering (before it if reverse)."""
        descending = self.descending != reverse
        beyond = "lt" if descending else "gt"
        nulls_at_end = not reverse
        field = self.field
        if value is None:
            same_null = Q(**{f"{field}__isnull": True, f"id__{beyond}": pk})
            return same_null if nulls_at_end else same_null | Q(**{f"{field}__isnull": False})
        if not self.nullable:
            # "field <= value" (or >=) bounds the index scan, so that page 100
            # starts where page 99 ended instead of filtering out the rows before.
            return Q(**{f"{field}__{beyond}e": value}) & (
                Q(**{f"{field}__{beyond}": value}) | Q(**{f"id__{beyond}": pk})
            )
        condition = Q(**{f"{field}__{beyond}": value}) | Q(**{field: value, f"id__{beyond}": pk})
        if nulls_at_end:
            condition |= Q(**{f"{field}__isnull": True})
        return condition

    def value_of(self, row):
        """The sort value of a row: a dict of keys, or a model instance (following a lookup path)."""
        if isinstance(row, dict):
            return row[self.field]
        for part in self.field.split("__"):
            row = getattr(row, part)
        return row

    def to_python(self, model: type[Model], value):
        """A cursor's JSON value back as the field's Python value (annotations such as a rank are numbers)."""
        try:
            return _follow(model, self.field)[1].to_python(value)
        except FieldDoesNotExist:
            return float(value)


class UnavailableOrdering(Exception):
    """``ordering`` names one this request cannot use (relevance without ``q``)."""

    def __init__(self, name: str, accepted: list[str]):
        super().__init__(name)
        self.name = name
        self.accepted = accepted


class KeysetOrderingFilter(filters.ChoiceFilter):
    """The ``ordering`` of a keyset list, declared once: public name -> the field it sorts on.

    ``fields`` maps each public name to a field, a lookup path ("claim__sort_date") or an annotation
    (named in ``annotations``: name -> a function of the FilterSet giving the expression, added to
    the rows only when that ordering is asked for). Each name is accepted ascending and with "-".
    ``default`` is the ordering without the parameter. ``relevance_with`` names the search
    parameter that, when given, adds "relevance" (by the search rank, descending) and makes it the
    default.

    The form checks the value against the declared names (a malformed value answers 400 like any
    filter's); ``resolve()`` gives the KeysetOrdering this request uses, refusing relevance
    without a search. Rows are ordered by the keyset paginator, not here.
    """

    def __init__(
        self,
        *,
        fields: dict[str, str],
        default: str,
        relevance_with: str | None = None,
        annotations: dict | None = None,
        **kwargs,
    ):
        self.fields = dict(fields)
        self.default = default
        self.relevance_with = relevance_with
        self.annotations = dict(annotations or {})
        extra = []
        if relevance_with:
            extra.append(("relevance", f"relevance to {relevance_with} (the default with {relevance_with})"))
        kwargs.setdefault("choices", ordering_choices(self.fields, extra=extra))
        super().__init__(**kwargs)
        # Shared by the shallow copies LeanFilterSet makes: built once per model.
        self._orderings: dict[type[Model], dict[str, KeysetOrdering]] = {}

    def orderings(self, model: type[Model]) -> dict[str, KeysetOrdering]:
        """Both directions of each declared name, for rows of ``model``."""
        orderings = self._orderings.get(model)
        if orderings is None:
            orderings = {}
            for public, field in self.fields.items():
                nullable = False if field in self.annotations else _follow(model, field)[1].null
                orderings[public] = KeysetOrdering(public, field, False, nullable)
                orderings[f"-{public}"] = KeysetOrdering(f"-{public}", field, True, nullable)
            self._orderings[model] = orderings
        return orderings

    def resolve(self, data) -> KeysetOrdering:
        """The ordering the query string ``data`` asks for, or the default; UnavailableOrdering if it cannot have it."""
        orderings = self.orderings(self.model)
        searching = bool(self.relevance_with and data.get(self.relevance_with))
        if searching:
            orderings = {**orderings, "relevance": KeysetOrdering("relevance", RANK, descending=True, nullable=False)}
        name = data.get(self.field_name) or ("relevance" if searching else self.default)
        try:
            return orderings[name]
        except KeyError:
            raise UnavailableOrdering(name, sorted(orderings)) from None

    def filter(self, qs, value):
        field = self.fields.get(value.lstrip("-")) if value else None
        if field in self.annotations and field not in qs.query.annotations:
            qs = qs.annotate(**{field: self.annotations[field](self.parent)})
        return qs


class KeysetFilterSetMixin:
    """What the keyset paginator asks a list's FilterSet: this request's ordering and the partitions of its rows."""

    def keyset_ordering(self) -> KeysetOrdering:
        return self.filters["ordering"].resolve(self.data)

    def keyset_partitions(self) -> list[Q] | None:
        """Conditions that split the filtered rows (each paged from its own index), or None: one ordered scan."""
        return None

    def keyset_keys(self, ordering: KeysetOrdering, cursor, limit: int) -> list[tuple] | None:
        """The page's keys, ``(ordering value, id)`` rows, read from a narrower source than the filtered rows; or None.

        ``cursor`` is the decoded cursor, ``(value, id, reverse)`` or None; ``limit`` how many rows to read. The
        rows must be those the filtered queryset gives in ``ordering`` after the cursor. None: the paginator
        reads them from the filtered queryset.
        """
        return None

"""FilterSets: the query-string grammar of every list, shared by the API and the selectors.

Each parameter is documented in the OpenAPI schema (from ``help_text``) and in
README "Filters". Unknown parameters and malformed values answer 400 (see
claims.api.backends).
"""

from __future__ import annotations

import copy

import django_filters as filters
from django import forms
from django.db.models import Q
from django.http import QueryDict

from claims.choices import ClaimKind, OrganizationKind, QuoteType, ReviewStatus
from claims.models import UNKNOWN_SORT_DATE, Article, Claim, Event, Expert, Organization, Outlet, Topic
from claims.search import alias_expert_ids, matching_expert_ids, text_search

__all__ = [
    "ArticleFilterSet",
    "ClaimFilterSet",
    "ExpertFilterSet",
    "IdFilter",
    "LeanFilterSet",
    "OrganizationFilterSet",
    "OutletFilterSet",
    "TopicFilterSet",
]

CLAIM_ORDERINGS = ("published_on", "created_at", "updated_at", "id")
ARTICLE_ORDERINGS = ("published_on", "ingested_at", "id")
EXPERT_ORDERINGS = ("name", "claim_count", "id")


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
            # Form.__init__ deep-copies its fields; these only validate query strings and are never changed.
            form_class.base_fields = _SharedFields(form_class.base_fields)
            cls._lean_form_class = form_class
        return form_class


class _SharedFields(dict):
    """Form fields a form instance may share with its class: deepcopy gives a shallow copy."""

    def __deepcopy__(self, memo):
        return dict(self)


class KeysetOrderingFilter(filters.ChoiceFilter):
    """Validates and documents ``ordering``; the keyset paginator applies it."""

    def filter(self, qs, value):
        return qs


class ClaimFilterSet(LeanFilterSet):
    expert = filters.CharFilter(
        method="filter_expert",
        help_text="A name or any alias, matched as a substring after normalization (case, accents, hyphens "
        'and name order ignored): "Lankov", "andrei lankov", "Ryong-Hae Choi".',
    )
    expert_id = IdFilter(field_name="expert_id", help_text="The expert's id.")
    organization = filters.CharFilter(
        method="filter_organization",
        help_text='Claims made wearing that organization\'s hat: its acronym ("KINU") or part of its name.',
    )
    outlet = filters.CharFilter(
        method="filter_outlet", help_text='The outlet\'s slug or part of its name ("NK News", "bbc").'
    )
    article = IdFilter(field_name="article_id", help_text="The article's id.")
    kind = filters.ChoiceFilter(choices=ClaimKind.choices, help_text="Prediction, assessment, ...")
    quote_type = filters.ChoiceFilter(choices=QuoteType.choices, help_text="Direct, indirect or mixed quote.")
    status = filters.ChoiceFilter(
        choices=ReviewStatus.choices, help_text="Review status (anonymous clients only ever see approved claims)."
    )
    topic = filters.CharFilter(method="filter_topic", help_text='A topic slug ("sanctions").')
    published_after = filters.DateFilter(
        method="filter_published_after", help_text="Articles published on or after this date (YYYY-MM-DD)."
    )
    published_before = filters.DateFilter(
        method="filter_published_before", help_text="Articles published on or before this date (YYYY-MM-DD)."
    )
    q = filters.CharFilter(
        method="filter_q",
        help_text="Full-text search over the claim text (PostgreSQL: English stemming, web-search syntax, ranked "
        "by relevance unless `ordering` is given; SQLite: every word must occur).",
    )
    ordering = KeysetOrderingFilter(
        choices=ordering_choices(CLAIM_ORDERINGS, extra=[("relevance", "relevance to q (the default with q)")]),
        help_text="Sort order; the default is newest article first (ties broken by id), or relevance with q.",
    )

    class Meta:
        model = Claim
        fields = []

    def filter_expert(self, queryset, name, value):
        # The ids are looked up first (a trigram index serves the name), so that
        # the planner sees "expert_id IN (1, 2)" and walks each expert's own index.
        ids = matching_expert_ids(value, request=self.request)
        return queryset.filter(expert_id__in=alias_expert_ids(value) if ids is None else ids)

    def filter_organization(self, queryset, name, value):
        return queryset.filter(organization_condition(value, "affiliation__organization__"))

    def filter_outlet(self, queryset, name, value):
        return queryset.filter(outlet_condition(value, "article__outlet__"))

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topics__slug=value.strip().lower())

    def filter_published_after(self, queryset, name, value):
        return queryset.filter(sort_date__gte=value)

    def filter_published_before(self, queryset, name, value):
        return queryset.filter(sort_date__lte=value).exclude(sort_date=UNKNOWN_SORT_DATE)

    def filter_q(self, queryset, name, value):
        return text_search(queryset, value, fields=("text",), stored_vector="text_search")


class ExpertFilterSet(LeanFilterSet):
    name = filters.CharFilter(
        method="filter_name",
        help_text="A name or any alias, matched as a substring after normalization (case, accents, hyphens "
        "and name order ignored).",
    )
    organization = filters.CharFilter(
        method="filter_organization",
        help_text="Experts with an affiliation at this organization: its acronym or part of its name.",
    )
    slug = filters.CharFilter(field_name="slug", help_text="The expert's slug.")
    ordering = KeysetOrderingFilter(
        choices=ordering_choices(EXPERT_ORDERINGS),
        help_text="Sort order (default: name, then id). Ordering by claim_count counts every matching expert's "
        "claims, so it costs more than the others.",
    )

    class Meta:
        model = Expert
        fields = []

    def filter_name(self, queryset, name, value):
        return queryset.filter(pk__in=alias_expert_ids(value))

    def filter_organization(self, queryset, name, value):
        organizations = Organization.objects.filter(organization_condition(value)).values("pk")
        return queryset.filter(affiliations__organization__in=organizations).distinct()


class ArticleFilterSet(LeanFilterSet):
    outlet = filters.CharFilter(method="filter_outlet", help_text="The outlet's slug or part of its name.")
    published_after = filters.DateFilter(
        field_name="published_on", lookup_expr="gte", help_text="Published on or after this date (YYYY-MM-DD)."
    )
    published_before = filters.DateFilter(
        field_name="published_on", lookup_expr="lte", help_text="Published on or before this date (YYYY-MM-DD)."
    )
    language = filters.CharFilter(field_name="language", help_text='Language code ("en").')
    q = filters.CharFilter(
        method="filter_q",
        help_text="Full-text search over title and text (PostgreSQL: ranked; SQLite: every word must occur).",
    )
    ordering = KeysetOrderingFilter(
        choices=ordering_choices(ARTICLE_ORDERINGS, extra=[("relevance", "relevance to q (the default with q)")]),
        help_text="Sort order; the default is newest first (undated last), or relevance with q.",
    )

    class Meta:
        model = Article
        fields = []

    def filter_outlet(self, queryset, name, value):
        return queryset.filter(outlet_condition(value, "outlet__"))

    def filter_q(self, queryset, name, value):
        return text_search(queryset, value, fields=("title", "body"))


class OrganizationFilterSet(LeanFilterSet):
    name = filters.CharFilter(method="filter_name", help_text="Part of the name, or the exact acronym (any case).")
    kind = filters.ChoiceFilter(choices=OrganizationKind.choices, help_text="University, think tank, ...")
    country = filters.CharFilter(field_name="country", lookup_expr="iexact", help_text="Country, any case.")

    class Meta:
        model = Organization
        fields = []

    def filter_name(self, queryset, name, value):
        return queryset.filter(organization_condition(value))


class OutletFilterSet(LeanFilterSet):
    name = filters.CharFilter(method="filter_name", help_text="The slug or part of the name.")
    domain = filters.CharFilter(field_name="domain", lookup_expr="iexact", help_text='Web domain ("nknews.org").')

    class Meta:
        model = Outlet
        fields = []

    def filter_name(self, queryset, name, value):
        return queryset.filter(outlet_condition(value))


class TopicFilterSet(LeanFilterSet):
    name = filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="Part of the topic's name.")
    slug = filters.CharFilter(field_name="slug", help_text="The topic's slug.")

    class Meta:
        model = Topic
        fields = []


class EventFilterSet(LeanFilterSet):
    """Declared here with the others; the events endpoint arrives with predictions."""

    date_after = filters.DateFilter(field_name="occurred_on", lookup_expr="gte", help_text="On or after (YYYY-MM-DD).")
    date_before = filters.DateFilter(
        field_name="occurred_on", lookup_expr="lte", help_text="On or before (YYYY-MM-DD)."
    )
    topic = filters.CharFilter(field_name="topics__slug", help_text="A topic slug.")

    class Meta:
        model = Event
        fields = []

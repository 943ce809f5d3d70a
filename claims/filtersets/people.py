"""The query-string grammar of the experts and organizations lists."""

from __future__ import annotations

import django_filters as filters

from claims.choices import ExpertKind, OrganizationKind
from claims.filtersets.base import (
    KeysetFilterSetMixin,
    KeysetOrderingFilter,
    LeanFilterSet,
    NameFilter,
    organization_condition,
)
from claims.models import Affiliation, Expert, Organization
from claims.selectors.base import visible_claim_count
from claims.selectors.search import alias_expert_ids

__all__ = ["ExpertFilterSet", "OrganizationFilterSet"]


def _claim_count(filterset):
    """The claims of each expert that the requesting user may see (counted only when the list is ordered by it)."""
    return visible_claim_count(getattr(filterset.request, "user", None))


class ExpertFilterSet(KeysetFilterSetMixin, LeanFilterSet):
    name = NameFilter(
        method="filter_name",
        help_text="A name or any alias, matched as the claims' expert filter (case, accents, hyphens, name order "
        "and the romanization of Korean surnames ignored; at most 12 parts).",
    )
    organization = filters.CharFilter(
        method="filter_organization",
        help_text="Experts with an affiliation at this organization: its acronym or part of its name.",
    )
    slug = filters.CharFilter(field_name="slug", help_text="The expert's slug.")
    kind = filters.ChoiceFilter(
        choices=ExpertKind.choices,
        help_text="What kind of person: analyst, academic, official, politician, journalist or other.",
    )
    ordering = KeysetOrderingFilter(
        fields={"name": "sort_name", "claim_count": "claim_count", "id": "id"},
        default="name",
        annotations={"claim_count": _claim_count},
        help_text="Sort order (default: name, then id). Ordering by claim_count counts every matching expert's "
        "claims, so it costs more than the others.",
    )

    class Meta:
        model = Expert
        fields = []

    def filter_name(self, queryset, name, value):
        return queryset.filter(pk__in=alias_expert_ids(value))

    def filter_organization(self, queryset, name, value):
        # A subquery, not a join: no DISTINCT, which PostgreSQL refuses beside ORDER BY claim_count.
        organizations = Organization.objects.filter(organization_condition(value)).values("pk")
        return queryset.filter(pk__in=Affiliation.objects.filter(organization__in=organizations).values("expert_id"))


class OrganizationFilterSet(LeanFilterSet):
    name = filters.CharFilter(method="filter_name", help_text="Part of the name, or the exact acronym (any case).")
    kind = filters.ChoiceFilter(choices=OrganizationKind.choices, help_text="University, think tank, ...")
    country = filters.CharFilter(field_name="country", lookup_expr="iexact", help_text="Country, any case.")

    class Meta:
        model = Organization
        fields = []

    def filter_name(self, queryset, name, value):
        return queryset.filter(organization_condition(value))

"""The query-string grammar of the experts and organizations lists."""

from __future__ import annotations

import django_filters as filters

from claims.choices import OrganizationKind
from claims.filtersets.base import (
    KeysetOrderingFilter,
    LeanFilterSet,
    ordering_choices,
    organization_condition,
)
from claims.models import Expert, Organization
from claims.selectors.search import alias_expert_ids

__all__ = ["EXPERT_ORDERINGS", "ExpertFilterSet", "OrganizationFilterSet"]


EXPERT_ORDERINGS = ("name", "claim_count", "id")


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


class OrganizationFilterSet(LeanFilterSet):
    name = filters.CharFilter(method="filter_name", help_text="Part of the name, or the exact acronym (any case).")
    kind = filters.ChoiceFilter(choices=OrganizationKind.choices, help_text="University, think tank, ...")
    country = filters.CharFilter(field_name="country", lookup_expr="iexact", help_text="Country, any case.")

    class Meta:
        model = Organization
        fields = []

    def filter_name(self, queryset, name, value):
        return queryset.filter(organization_condition(value))

"""The query-string grammar of the articles and outlets lists."""

from __future__ import annotations

import django_filters as filters

from claims.filtersets.base import (
    KeysetFilterSetMixin,
    KeysetOrderingFilter,
    LeanFilterSet,
    outlet_condition,
)
from claims.models import Article, Outlet
from claims.selectors.search import text_search

__all__ = ["ArticleFilterSet", "OutletFilterSet"]


class ArticleFilterSet(KeysetFilterSetMixin, LeanFilterSet):
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
        fields={"published_on": "published_on", "ingested_at": "ingested_at", "id": "id"},
        default="-published_on",
        relevance_with="q",
        help_text="Sort order; the default is newest first (undated last), or relevance with q.",
    )

    class Meta:
        model = Article
        fields = []

    def filter_outlet(self, queryset, name, value):
        return queryset.filter(outlet_condition(value, "outlet__"))

    def filter_q(self, queryset, name, value):
        return text_search(queryset, value, fields=("title", "body"))


class OutletFilterSet(LeanFilterSet):
    name = filters.CharFilter(method="filter_name", help_text="The slug or part of the name.")
    domain = filters.CharFilter(field_name="domain", lookup_expr="iexact", help_text='Web domain ("nknews.org").')

    class Meta:
        model = Outlet
        fields = []

    def filter_name(self, queryset, name, value):
        return queryset.filter(outlet_condition(value))

"""The query-string grammar of the articles and outlets lists."""

from __future__ import annotations

import django_filters as filters

from claims.choices import IngestInputKind, IngestJobState
from claims.filtersets.base import (
    IdFilter,
    KeysetFilterSetMixin,
    KeysetOrderingFilter,
    LeanFilterSet,
    outlet_condition,
)
from claims.models import Article, IngestJob, Outlet
from claims.selectors.search import text_search

__all__ = ["INGEST_JOB_ORDERINGS", "ArticleFilterSet", "IngestJobFilterSet", "OutletFilterSet"]

# The jobs list is paged by limit/offset, newest first by default.
INGEST_JOB_ORDERINGS = ("created_at", "finished_at", "id")


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


class IngestJobFilterSet(LeanFilterSet):
    state = filters.ChoiceFilter(choices=IngestJobState.choices, help_text="queued, running, done or failed.")
    kind = filters.ChoiceFilter(
        choices=IngestInputKind.choices,
        help_text="What the job reads: file, text, url, feed (a followed feed's poll), entry (one entry of a feed) "
        "or record (one record of a web archive).",
    )
    article_id = IdFilter(field_name="article_id", help_text="The article the job stored or found already stored.")
    parent_id = IdFilter(
        field_name="parent_id",
        help_text="The job that queued this one: a feed poll, a web archive or a feed that expanded into a job per "
        "article.",
    )
    label = filters.CharFilter(
        field_name="label", lookup_expr="icontains", help_text="Part of the file name or URL, any case."
    )
    retried = filters.ChoiceFilter(
        choices=(("true", "true"), ("false", "false")),
        method="filter_retried",
        help_text="true: retried after a transient failure at least once; false: never retried.",
    )
    created_after = filters.IsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text="Queued at or after this time (ISO 8601)."
    )
    created_before = filters.IsoDateTimeFilter(
        field_name="created_at", lookup_expr="lte", help_text="Queued at or before this time (ISO 8601)."
    )
    ordering = filters.OrderingFilter(
        fields=tuple((name, name) for name in INGEST_JOB_ORDERINGS), help_text="Sort order (default: newest first)."
    )

    class Meta:
        model = IngestJob
        fields = []

    def filter_retried(self, queryset, name, value):
        return queryset.filter(retries__gt=0) if value == "true" else queryset.filter(retries=0)

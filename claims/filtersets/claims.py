"""The query-string grammar of the claims and topics lists."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django_filters.constants import EMPTY_VALUES

from claims.choices import ClaimKind, ExpertKind, QuoteType, ReviewStatus
from claims.filtersets.base import (
    IdFilter,
    KeysetFilterSetMixin,
    KeysetOrderingFilter,
    LeanFilterSet,
    NameFilter,
    organization_condition,
    outlet_condition,
)
from claims.models import UNKNOWN_SORT_DATE, Claim, Topic
from claims.selectors.base import can_see_unreviewed
from claims.selectors.search import (
    RANK,
    alias_expert_ids,
    is_postgres,
    matching_expert_ids,
    public_search_keys,
    text_search,
)

__all__ = ["ClaimFilterSet", "TopicFilterSet"]


class ClaimFilterSet(KeysetFilterSetMixin, LeanFilterSet):
    expert = NameFilter(
        method="filter_expert",
        help_text="A name or any alias, each part matched as a substring after normalization (case, accents, "
        "hyphens, name order and the romanization of Korean surnames ignored; at most 12 parts): "
        '"Lankov", "andrei lankov", "Ryong-Hae Choi", "Pak Byung Hwan".',
    )
    expert_id = IdFilter(field_name="expert_id", help_text="The expert's id.")
    expert_kind = filters.ChoiceFilter(
        field_name="expert__kind",
        choices=ExpertKind.choices,
        help_text="What kind of person the speaker is: analyst, academic, official, politician, journalist or other.",
    )
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
        fields={"published_on": "sort_date", "created_at": "created_at", "updated_at": "updated_at", "id": "id"},
        default="-published_on",
        relevance_with="q",
        help_text="Sort order; the default is newest article first (ties broken by id), or relevance with q.",
    )

    class Meta:
        model = Claim
        fields = []

    # The ids the expert filter matched (None: no filter, or too many to list).
    expert_ids: list[int] | None = None

    def filter_expert(self, queryset, name, value):
        # The ids are looked up first (a trigram index serves the name), so that
        # the planner sees "expert_id IN (1, 2)" and walks each expert's own index.
        ids = self.expert_ids = matching_expert_ids(value)
        return queryset.filter(expert_id__in=alias_expert_ids(value) if ids is None else ids)

    def keyset_partitions(self):
        """One partition per expert the ``expert`` filter matched: each is paged from its own index."""
        return [Q(expert_id=pk) for pk in self.expert_ids] if self.expert_ids else None

    def keyset_keys(self, ordering, cursor, limit):
        """A visitor's search by words alone, by relevance: the keys come from the public search table."""
        words = self.public_words() if ordering.field == RANK else None
        if words is None:
            return None
        descending, after = ordering.descending, None
        if cursor is not None:
            value, pk, reverse = cursor
            descending, after = descending != reverse, (value, pk)
        return public_search_keys(words, limit=limit, after=after, descending=descending)

    def public_words(self) -> str | None:
        """``q`` when this is a visitor's search by words alone on PostgreSQL, else None.

        Such a search is answered from the public search table (claims.selectors.search.public_search_keys):
        approved claims only, no other filter to apply. With any other filter, for a curator (who sees every
        status) or on SQLite, the filtered claims are read.
        """
        request = self.request
        if not is_postgres() or request is None or can_see_unreviewed(request.user):
            return None
        given = {name for name, value in self.form.cleaned_data.items() if value not in EMPTY_VALUES}
        return self.form.cleaned_data["q"] if given - {"ordering"} == {"q"} else None

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


class TopicFilterSet(LeanFilterSet):
    name = filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="Part of the topic's name.")
    slug = filters.CharFilter(field_name="slug", help_text="The topic's slug.")

    class Meta:
        model = Topic
        fields = []

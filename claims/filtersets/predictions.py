"""FilterSets of the predictions and events lists, shared by the API, the public page and the selectors.

Every parameter is documented in the OpenAPI schema (from ``help_text``) and in
docs/predictions.md. Unknown parameters and malformed values answer 400 (see
claims.api.backends).
"""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils import timezone

from claims.choices import ExpertKind, HedgeCategory, Outcome
from claims.filtersets.base import IdFilter, KeysetFilterSetMixin, KeysetOrderingFilter, NameFilter
from claims.models import UNKNOWN_SORT_DATE, Event, Prediction
from claims.selectors.search import alias_expert_ids

__all__ = ["EVENT_ORDERINGS", "EventFilterSet", "PredictionFilterSet"]

# The events list is small and paged by limit/offset: ordered by these, the ``ordering`` parameter picks among them.
EVENT_ORDERINGS = ("occurred_on", "id")
# Booleans are spelled out, and anything else is refused (django-filter's BooleanFilter would ignore "yes").
BOOLEAN_CHOICES = (("true", "true"), ("false", "false"))


class PredictionFilterSet(KeysetFilterSetMixin, filters.FilterSet):
    expert = NameFilter(
        method="filter_expert",
        help_text="The forecaster: a name or any alias, matched as on claims (case, accents, hyphens, name "
        'order and romanization ignored): "Cho Han-bum", "lankov".',
    )
    expert_id = IdFilter(field_name="claim__expert_id", help_text="The forecaster's expert id.")
    expert_kind = filters.ChoiceFilter(
        field_name="claim__expert__kind",
        choices=ExpertKind.choices,
        help_text="What kind of person the forecaster is: analyst, academic, official, politician, journalist, other.",
    )
    outcome = filters.ChoiceFilter(choices=Outcome.choices, help_text="How the forecast turned out.")
    resolved = filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES,
        method="filter_resolved",
        help_text="true: resolved (any outcome but pending); false: pending.",
    )
    hedge = filters.ChoiceFilter(
        field_name="hedge_category",
        choices=HedgeCategory.choices,
        help_text="The hedge's ICD 203 category (extended-table phrases are mapped onto it; see docs/predictions.md).",
    )
    low_confidence = filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES,
        method="filter_low_confidence",
        help_text="true: the probability comes from the project's extended table, not from ICD 203 itself.",
    )
    due = filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES,
        method="filter_due",
        help_text="true: due for judgement (still pending, and the horizon ended before today); false: the others.",
    )
    horizon_before = filters.DateFilter(
        method="filter_horizon_before",
        help_text="Horizon ends on or before this date (YYYY-MM-DD); open-ended forecasts never match.",
    )
    horizon_after = filters.DateFilter(
        method="filter_horizon_after",
        help_text="Horizon ends on or after this date (YYYY-MM-DD); open-ended forecasts always match.",
    )
    made_after = filters.DateFilter(
        method="filter_made_after",
        help_text="Forecast made (its article published) on or after this date (YYYY-MM-DD).",
    )
    made_before = filters.DateFilter(
        method="filter_made_before",
        help_text="Forecast made (its article published) on or before this date (YYYY-MM-DD); undated never match.",
    )
    topic = filters.CharFilter(method="filter_topic", help_text='A topic slug of the claim ("summit-diplomacy").')
    event = IdFilter(field_name="events", help_text="Resolved with this event (its id) among the deciding ones.")
    ordering = KeysetOrderingFilter(
        fields={"made_on": "claim__sort_date", "horizon_end": "horizon_end", "resolved_at": "resolved_at", "id": "id"},
        default="-made_on",
        help_text="Sort order; the default is newest forecast first (ties broken by id).",
    )

    class Meta:
        model = Prediction
        fields = []

    def filter_expert(self, queryset, name, value):
        return queryset.filter(claim__expert_id__in=alias_expert_ids(value))

    def filter_resolved(self, queryset, name, value):
        pending = Q(outcome=Outcome.PENDING)
        return queryset.exclude(pending) if value == "true" else queryset.filter(pending)

    def filter_low_confidence(self, queryset, name, value):
        return queryset.filter(low_confidence=value == "true")

    def filter_due(self, queryset, name, value):
        due = Q(outcome=Outcome.PENDING, horizon_end__lt=timezone.localdate())
        return queryset.filter(due) if value == "true" else queryset.exclude(due)

    def filter_horizon_before(self, queryset, name, value):
        return queryset.filter(horizon_end__lte=value)

    def filter_horizon_after(self, queryset, name, value):
        return queryset.filter(Q(horizon_end__gte=value) | Q(horizon_end__isnull=True))

    def filter_made_after(self, queryset, name, value):
        return queryset.filter(claim__sort_date__gte=value)

    def filter_made_before(self, queryset, name, value):
        return queryset.filter(claim__sort_date__lte=value).exclude(claim__sort_date=UNKNOWN_SORT_DATE)

    def filter_topic(self, queryset, name, value):
        return queryset.filter(claim__topics__slug=value.strip().lower())


class EventFilterSet(filters.FilterSet):
    date_after = filters.DateFilter(
        field_name="occurred_on", lookup_expr="gte", help_text="Happened on or after this date (YYYY-MM-DD)."
    )
    date_before = filters.DateFilter(
        field_name="occurred_on", lookup_expr="lte", help_text="Happened on or before this date (YYYY-MM-DD)."
    )
    topic = filters.CharFilter(method="filter_topic", help_text='A topic slug ("sanctions").')
    title = filters.CharFilter(field_name="title", lookup_expr="icontains", help_text="Part of the title, any case.")
    ordering = filters.OrderingFilter(
        fields=tuple((name, name) for name in EVENT_ORDERINGS), help_text="Sort order (default: oldest first)."
    )

    class Meta:
        model = Event
        fields = []

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topics__slug=value.strip().lower())

"""List filters for the curated changelists."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q

from claims.models import Expert

__all__ = [
    "ArticleReviewFilter",
    "ConfidenceFilter",
    "DuplicatesOfFilter",
    "HasWikidataFilter",
    "OrganizationKindFilter",
    "PossibleDuplicatesFilter",
    "SpeakerFilter",
]


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class SpeakerFilter(admin.SimpleListFilter):
    title = "speaker"
    parameter_name = "speaker"

    def lookups(self, request, model_admin):
        return [("unknown", "Unknown (cannot be approved yet)"), ("known", "Known")]

    def queryset(self, request, queryset):
        if self.value() == "unknown":
            return queryset.filter(expert__isnull=True)
        if self.value() == "known":
            return queryset.filter(expert__isnull=False)
        return queryset


class ConfidenceFilter(admin.SimpleListFilter):
    """The extractor's confidence in bands; low-confidence claims deserve the closest look."""

    title = "extractor confidence"
    parameter_name = "confidence"
    BANDS = {
        "low": ("Low (below 0.5)", Q(confidence__lt=0.5)),
        "medium": ("Medium (0.5 to 0.8)", Q(confidence__gte=0.5, confidence__lt=0.8)),
        "high": ("High (0.8 and above)", Q(confidence__gte=0.8)),
        "manual": ("None (entered by hand)", Q(confidence__isnull=True)),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in self.BANDS.items()]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value())
        return queryset if band is None else queryset.filter(band[1])


class PossibleDuplicatesFilter(admin.SimpleListFilter):
    """Experts flagged at ingestion as possibly the same person as another (needs the annotation of ExpertAdmin)."""

    title = "possible duplicates"
    parameter_name = "has_duplicates"

    def lookups(self, request, model_admin):
        return [("yes", "Has possible duplicates"), ("no", "No possible duplicates")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(has_possible_duplicates=True)
        if self.value() == "no":
            return queryset.filter(has_possible_duplicates=False)
        return queryset


class DuplicatesOfFilter(admin.SimpleListFilter):
    """One expert and its possible duplicates, side by side, ready for the merge action.

    Reached from the link on an expert's page; shown in the sidebar only while in use.
    """

    title = "possible duplicates of"
    parameter_name = "duplicates_of"

    def lookups(self, request, model_admin):
        expert_id = _int_or_none(self.value())
        if expert_id is None:
            return []
        expert = Expert.objects.filter(pk=expert_id).only("name").first()
        return [(str(expert_id), expert.name if expert else f"#{expert_id}")]

    def queryset(self, request, queryset):
        expert_id = _int_or_none(self.value())
        if self.value() is None:
            return queryset
        if expert_id is None:
            return queryset.none()
        flagged = Expert.possible_duplicates.through.objects.filter(from_expert_id=expert_id).values("to_expert_id")
        return queryset.filter(Q(pk=expert_id) | Q(pk__in=flagged))


class HasWikidataFilter(admin.SimpleListFilter):
    title = "Wikidata id"
    parameter_name = "wikidata"

    def lookups(self, request, model_admin):
        return [("yes", "Has a Wikidata id"), ("no", "No Wikidata id")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(wikidata_id="")
        if self.value() == "no":
            return queryset.filter(wikidata_id="")
        return queryset


class ArticleReviewFilter(admin.SimpleListFilter):
    """Articles with claims still awaiting review (needs the annotation of ArticleAdmin)."""

    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("pending", "Claims awaiting review"), ("done", "All claims reviewed"), ("none", "No claims")]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(awaiting_count__gt=0)
        if self.value() == "done":
            return queryset.filter(claim_count__gt=0, awaiting_count=0)
        if self.value() == "none":
            return queryset.filter(claim_count=0)
        return queryset


class OrganizationKindFilter(admin.ChoicesFieldListFilter):
    """The kind of organization (university, think tank, ...) an expert or affiliation is attached to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "organization type"

"""List filters for the curated changelists."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from claims.choices import Outcome, ReviewStatus
from claims.models import Article, Expert
from claims.selectors.base import can_see_unreviewed

__all__ = [
    "ArticleOfClaimFilter",
    "ArticleReviewFilter",
    "ConfidenceFilter",
    "DueForJudgementFilter",
    "DuplicatesOfFilter",
    "HasWikidataFilter",
    "NoOutletFilter",
    "NoTopicFilter",
    "OrganizationKindFilter",
    "PossibleDuplicatesFilter",
    "ReviewStatusFilter",
    "SpeakerFilter",
]


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ReviewStatusFilter(admin.SimpleListFilter):
    """The review status; without a choice the list is the review queue (``status__exact=all`` lists every claim)."""

    title = "status"
    parameter_name = "status__exact"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [
            (ReviewStatus.EXTRACTED, "Awaiting review (the queue)"),
            (ReviewStatus.APPROVED, "Approved"),
            (ReviewStatus.REJECTED, "Rejected"),
            (self.ALL, "All claims"),
        ]

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.default = self.default_status(request)

    @staticmethod
    def default_status(request) -> str | None:
        """The queue, unless searching (a search looks through every claim) or unable to see unreviewed claims."""
        if request.GET.get("q") or not can_see_unreviewed(request.user):
            return None
        return ReviewStatus.EXTRACTED

    def status(self) -> str | None:
        """The status listed, or None for every claim."""
        value = self.value()
        if value == self.ALL:
            return None
        return value if value in ReviewStatus.values else self.default

    def queryset(self, request, queryset):
        status = self.status()
        return queryset if status is None else queryset.filter(status=status)

    def choices(self, changelist):
        # No "All" entry of its own: the default is the queue, and "All claims" is one of the lookups.
        current = self.status() or self.ALL
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


class ArticleOfClaimFilter(admin.SimpleListFilter):
    """The claims of one article (triage by article), reached from an article title in the list or the article's
    page; shown in the sidebar only while in use."""

    title = "article"
    parameter_name = "article__id__exact"

    def lookups(self, request, model_admin):
        article_id = _int_or_none(self.value())
        if article_id is None:
            return []
        article = Article.objects.filter(pk=article_id).only("title").first()
        return [(str(article_id), article.title if article else f"#{article_id}")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        article_id = _int_or_none(self.value())
        return queryset.none() if article_id is None else queryset.filter(article_id=article_id)


class DueForJudgementFilter(admin.SimpleListFilter):
    """Forecasts due for judgement: still pending, and their horizon has passed."""

    title = "judgement"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("yes", "Due for judgement (horizon passed, pending)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(outcome=Outcome.PENDING, horizon_end__lt=timezone.localdate())
        return queryset


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


class _EmptyInWordsFilter(admin.RelatedFieldListFilter):
    """A related field's filter whose choice for the empty value says what it is, rather than the admin's "-"."""

    empty_label = "None"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = self.empty_label


class NoOutletFilter(_EmptyInWordsFilter):
    """By outlet, with "No outlet" for articles whose outlet is unknown."""

    empty_label = "No outlet"


class NoTopicFilter(_EmptyInWordsFilter):
    """By topic, with "No topic" for records filed under none."""

    empty_label = "No topic"

"""The admin of claims (the review queue, bulk review) and topics.

Every save goes through ``claims.services`` (see ``claims.admin.base``); versioned records carry their
version in a hidden field so that a save from a stale copy is refused.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db.models import F
from django.utils.formats import date_format
from django.utils.html import format_html

from claims.admin.actions import approve_selected, reject_selected, send_back_to_queue
from claims.admin.base import (
    PROVENANCE,
    CuratedAdmin,
    CuratedPlainAdmin,
    CurationMedia,
    count_of,
    is_admin_view,
    search_with_alias_variants,
)
from claims.admin.display import (
    admin_link,
    changelist_url,
    claim_in_context,
    excerpt,
    status_badge,
)
from claims.admin.filters import (
    ConfidenceFilter,
    SpeakerFilter,
)
from claims.admin.forms import (
    ClaimAdminForm,
)
from claims.choices import ReviewStatus
from claims.models import Claim, Topic
from claims.selectors.base import can_see_unreviewed
from claims.services import claims as claim_services

__all__ = ["ClaimAdmin", "ClaimInline", "TopicAdmin"]


@admin.register(Claim)
class ClaimAdmin(CuratedAdmin):
    form = ClaimAdminForm
    list_display = (
        "excerpt",
        "speaker",
        "source",
        "status_badge",
        "kind_and_quote_type",
        "confidence_score",
    )
    list_display_links = ("excerpt",)
    list_filter = (
        "status",
        SpeakerFilter,
        "kind",
        "quote_type",
        ConfidenceFilter,
        ("article__outlet", admin.RelatedFieldListFilter),
        "topics",
        ("article__published_on", admin.DateFieldListFilter),
    )
    list_select_related = ("expert", "article__outlet")
    list_per_page = 50
    search_fields = (
        "text",
        "speaker_mention",
        "expert__name",
        "expert__aliases__name",
        "expert__aliases__normalized",
        "article__title",
    )
    search_help_text = (
        "Searches the claim text, the speaker as printed, the expert's name and every alias "
        '(any spelling: "Choe Ryong Hae" finds "Choi Ryong-hae"), and the article title.'
    )
    autocomplete_fields = ("article", "expert", "affiliation", "topics")
    actions = (approve_selected, reject_selected, send_back_to_queue)
    readonly_fields = (
        "in_context",
        "article_link",
        "text",
        "offsets",
        "confidence",
        "reviewed_by",
        "reviewed_at",
        "api_address",
        "created_at",
        "updated_at",
        "version",
    )

    class Media(CurationMedia):
        js = ("claims/admin/claim_form.js",)

    add_fieldsets = (
        (None, {"fields": ("article", ("start", "end"), "text")}),
        ("Speaker", {"fields": ("expert", "affiliation", "speaker_mention", "cue")}),
        ("Classification", {"fields": ("quote_type", "kind", "topics")}),
        ("Review", {"fields": ("status", "notes")}),
    )
    change_fieldsets = (
        (None, {"fields": ("in_context", "article_link", "offsets", "expected_version")}),
        ("Speaker", {"fields": ("expert", "affiliation", "speaker_mention", "cue")}),
        ("Classification", {"fields": ("quote_type", "kind", "topics")}),
        ("Review", {"fields": ("status", "notes", "confidence", ("reviewed_by", "reviewed_at"))}),
        (
            PROVENANCE,
            {"classes": ("collapse",), "fields": ("text", "api_address", "created_at", "updated_at", "version")},
        ),
    )

    def get_fieldsets(self, request, obj=None):
        return self.change_fieldsets if obj is not None else self.add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return self.readonly_fields

    def get_queryset(self, request):
        # Staff who may only view claims see what the API shows them: approved claims.
        queryset = super().get_queryset(request).select_related("expert", "article__outlet")
        if not can_see_unreviewed(request.user):
            queryset = queryset.filter(status=ReviewStatus.APPROVED)
        if is_admin_view(request, "_change"):
            return queryset.select_related("affiliation__organization", "reviewed_by")
        # Lists and autocompletes never show the article's text: leave it in the database.
        return queryset.defer("article__body")

    def get_search_results(self, request, queryset, search_term):
        return search_with_alias_variants(super(), request, queryset, search_term, "expert_id")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            # Deleting a person, article or affiliation is never part of editing a claim.
            formfield.widget.can_delete_related = False
        return formfield

    def get_ordering(self, request):
        if request.GET.get("status__exact") == ReviewStatus.EXTRACTED:
            # The review queue: oldest article first (undated last), each article's claims in reading order.
            return (F("article__published_on").asc(nulls_last=True), "article_id", "start")
        return super().get_ordering(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "review_queue_url": changelist_url(Claim, status__exact=ReviewStatus.EXTRACTED),
            "review_queue_count": Claim.objects.filter(status=ReviewStatus.EXTRACTED).count(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    # -- columns ----------------------------------------------------------------------

    @admin.display(description="claim", ordering="text")
    def excerpt(self, obj):
        return excerpt(obj.text)

    @admin.display(description="speaker", ordering="expert__sort_name")
    def speaker(self, obj):
        if obj.expert_id is not None:
            return obj.expert.name
        mention = f" (printed: \u201c{obj.speaker_mention}\u201d)" if obj.speaker_mention else ""
        return format_html('<span class="unknown-speaker">Unknown{}</span>', mention)

    @admin.display(description="article \u00b7 date", ordering="sort_date")
    def source(self, obj):
        article = obj.article
        outlet = article.outlet.name if article.outlet_id else "outlet unknown"
        published = date_format(article.published_on, "DATE_FORMAT") if article.published_on else "undated"
        return format_html(
            '{}<div class="quiet-line">{} &middot; {}</div>', excerpt(article.title, 70), outlet, published
        )

    @admin.display(description="kind", ordering="kind")
    def kind_and_quote_type(self, obj):
        quote = f"{obj.get_quote_type_display().lower()} quote"
        return format_html('{}<div class="quiet-line">{}</div>', obj.get_kind_display(), quote)

    @admin.display(description="published", ordering="sort_date")
    def published(self, obj):
        return obj.article.published_on or "undated"

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        return status_badge(obj.status, obj.get_status_display())

    @admin.display(description="conf.", ordering="confidence")
    def confidence_score(self, obj):
        return "\u2014" if obj.confidence is None else f"{obj.confidence:.2f}"

    # -- change page ------------------------------------------------------------------

    @admin.display(description="in its article")
    def in_context(self, obj):
        return claim_in_context(obj.article.body, obj.start, obj.end)

    @admin.display(description="article")
    def article_link(self, obj):
        article = obj.article
        details = ", ".join(str(part) for part in (article.outlet, article.published_on) if part)
        link = admin_link(article)
        if article.url:
            link = format_html('{} &middot; <a href="{}" rel="noopener noreferrer">original</a>', link, article.url)
        return format_html("{} ({})", link, details) if details else link

    @admin.display(description="offsets")
    def offsets(self, obj):
        return f"characters {obj.start} to {obj.end} of the article ({obj.end - obj.start} long)"

    # -- saving -------------------------------------------------------------------------

    def save_through_services(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            return claim_services.claim_create(
                article=data["article"],
                start=data["start"],
                end=data["end"],
                text=data.get("text") or "",
                expert=data.get("expert"),
                affiliation=data.get("affiliation"),
                quote_type=data["quote_type"],
                cue=data.get("cue") or "",
                speaker_mention=data.get("speaker_mention") or "",
                kind=data["kind"],
                topics=data.get("topics") or (),
                notes=data.get("notes") or "",
                status=data["status"],
                reviewer=request.user,
            )
        version = data["expected_version"]
        edits = {name: data[name] for name in form.changed_data if name in claim_services.EDITABLE_FIELDS}
        saved = None
        if edits:
            saved = claim_services.claim_update(claim=obj, data=edits, expected_version=version, user=request.user)
            version = saved.version
        if "status" in form.changed_data:
            saved = claim_services.claim_review(
                claim=obj, status=data["status"], user=request.user, expected_version=version
            )
        if saved is None:
            self.check_version(obj, form)
        return saved


class ClaimInline(admin.TabularInline):
    """The article's claims, read-only, each linking to its own page."""

    model = Claim
    fields = ("claim_link", "speaker", "status_badge", "kind", "quote_type", "confidence")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = "claims in this article"

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("expert").order_by("start", "id")
        if not can_see_unreviewed(request.user):
            queryset = queryset.filter(status=ReviewStatus.APPROVED)
        return queryset

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="claim")
    def claim_link(self, obj):
        return admin_link(obj, f"{obj.start}\u2013{obj.end}")

    @admin.display(description="speaker")
    def speaker(self, obj):
        return obj.expert.name if obj.expert_id else f"Unknown ({obj.speaker_mention or 'not printed'})"

    @admin.display(description="status")
    def status_badge(self, obj):
        return status_badge(obj.status, obj.get_status_display())


@admin.register(Topic)
class TopicAdmin(CuratedPlainAdmin):
    list_display = ("name", "slug", "claim_count")
    list_filter = ()
    list_select_related = ()
    search_fields = ("name", "slug", "description")
    search_help_text = "Searches names, slugs and descriptions."
    fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=count_of(Claim.topics.through, "topic"))

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj):
        return obj.claim_count

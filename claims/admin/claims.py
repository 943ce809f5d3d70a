"""The admin of claims (the review queue, bulk review) and topics.

Every save goes through ``claims.services`` (see ``claims.admin.base``); versioned records carry their
version in a hidden field so that a save from a stale copy is refused.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

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
    ArticleOfClaimFilter,
    ConfidenceFilter,
    NoOutletFilter,
    NoTopicFilter,
    ReviewStatusFilter,
    SpeakerFilter,
)
from claims.admin.forms import (
    ClaimAdminForm,
)
from claims.choices import ClaimKind, Outcome, ReviewStatus
from claims.models import Claim, Prediction, Topic
from claims.selectors.base import can_see_unreviewed
from claims.selectors.claims import REVIEW_QUEUE_ORDER, review_queue_next
from claims.services import claims as claim_services
from claims.services.errors import ServiceError

__all__ = ["ClaimAdmin", "ClaimInline", "TopicAdmin"]

# A claim kind in the list's narrow column (the quote type is its tooltip).
KIND_SHORT = {"prediction": "prediction", "assessment": "assessment", "factual": "fact", "recommendation": "advice"}

# The buttons of the claim page's review bar -> the status they give.
REVIEW_DECISIONS = {"approve": ReviewStatus.APPROVED, "reject": ReviewStatus.REJECTED}


REVIEW_STATUS_LABELS = {
    ReviewStatus.EXTRACTED: "Awaiting review",
    ReviewStatus.APPROVED: "Approved",
    ReviewStatus.REJECTED: "Rejected",
}


def review_bar(claim: Claim, *, url: str, next_url: str, queue_url: str) -> dict:
    """What the claim page's review bar shows: the claim's status and only the decisions that change it (an
    approved claim offers Reject, a rejected one Approve, a claim awaiting review both), Next and Back, and a help
    line that names only the keys that work (Approve has none while the speaker is unknown)."""
    offers_approve = claim.status != ReviewStatus.APPROVED
    offers_reject = claim.status != ReviewStatus.REJECTED
    can_approve = claim.expert_id is not None
    keys = [
        key
        for key, works in (("A", offers_approve and can_approve), ("R", offers_reject), ("N", bool(next_url)))
        if works
    ]
    if offers_approve and offers_reject:
        help_text = "Approve and reject save the review (not other edits) and open the next claim of the queue."
    else:
        decision = "Approve" if offers_approve else "Reject"
        help_text = f"{decision} saves the review (not other edits) and opens the next claim of the queue."
    if offers_approve and not can_approve:
        help_text += " Approving needs the speaker (expert): choose one and save."
    if keys:
        help_text += f" Keys: {', '.join(keys)} (outside text fields)."
    return {
        "url": url,
        "next_url": next_url,
        "queue_url": queue_url,
        "status": claim.status,
        "status_label": REVIEW_STATUS_LABELS.get(claim.status, claim.get_status_display()),
        "offers_approve": offers_approve,
        "offers_reject": offers_reject,
        "can_approve": can_approve,
        "keys": keys,
        "help": help_text,
    }


@admin.register(Claim)
class ClaimAdmin(CuratedAdmin):
    form = ClaimAdminForm
    list_display = ("quote", "speaker", "kind_short", "confidence_score", "source", "status_badge")
    list_display_links = ("quote",)
    list_filter = (
        ReviewStatusFilter,
        ArticleOfClaimFilter,
        SpeakerFilter,
        "kind",
        "quote_type",
        ConfidenceFilter,
        ("article__outlet", NoOutletFilter),
        ("topics", NoTopicFilter),
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
        "prediction_link",
        "text",
        "offsets",
        "removed_topics",
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
        (None, {"fields": ("in_context", "article_link", "prediction_link", "offsets", "expected_version")}),
        ("Speaker", {"fields": ("expert", "affiliation", "speaker_mention", "cue")}),
        ("Classification", {"fields": ("quote_type", "kind", "topics", "removed_topics")}),
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

    def in_queue(self, request) -> bool:
        """Whether the list is the review queue (the default: no status chosen)."""
        default = ReviewStatusFilter.default_status(request)
        return request.GET.get(ReviewStatusFilter.parameter_name, default) == ReviewStatus.EXTRACTED

    def get_ordering(self, request):
        if self.in_queue(request):
            return REVIEW_QUEUE_ORDER
        return super().get_ordering(request)

    def get_list_display(self, request):
        if self.in_queue(request):
            return tuple(column for column in self.list_display if column != "status_badge")
        return self.list_display

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "review_queue_url": changelist_url(Claim, status__exact=ReviewStatus.EXTRACTED),
            "review_queue_count": Claim.objects.filter(status=ReviewStatus.EXTRACTED).count(),
            "all_claims_url": changelist_url(Claim, status__exact=ReviewStatusFilter.ALL),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    # -- reviewing from the claim page: approve / reject, then the next claim of the queue --------------------

    def get_urls(self):
        review = path(
            "<int:pk>/review/",
            self.admin_site.admin_view(require_POST(self.review_view)),
            name="claims_claim_review",
        )
        return [review, *super().get_urls()]

    def review_view(self, request, pk: int):
        """Approve or reject the claim (the ``decision``), then open the next claim of the review queue."""
        claim = get_object_or_404(Claim.objects.select_related("article"), pk=pk)
        if not self.has_change_permission(request, claim):
            raise PermissionDenied
        status = REVIEW_DECISIONS.get(request.POST.get("decision", ""))
        version = request.POST.get("expected_version", "")
        if status is None or not version.isdigit():
            messages.error(request, "Choose approve or reject (the form was incomplete).")
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[pk]))
        if claim.status == status:
            # The bar does not offer it; a stale page or a second click might: nothing to change.
            messages.warning(request, f"Not saved: the claim is already {claim.get_status_display().lower()}.")
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[pk]))
        try:
            claim_services.claim_review(claim=claim, status=status, user=request.user, expected_version=int(version))
        except (ValidationError, ServiceError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, f"Not saved: {text}")
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[pk]))
        done = "Approved" if status == ReviewStatus.APPROVED else "Rejected"
        following = review_queue_next(after=claim)
        if following is None:
            messages.success(request, f"{done} “{excerpt(claim.text, 60)}”. The review queue is empty.")
            return HttpResponseRedirect(changelist_url(Claim, status__exact=ReviewStatus.EXTRACTED))
        messages.success(request, f"{done} “{excerpt(claim.text, 60)}”. Next in the queue:")
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[following.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        claim = Claim.objects.select_related("article").filter(pk=object_id).first()
        if claim is not None and self.has_change_permission(request, claim):
            following = review_queue_next(after=claim)
            extra_context["review"] = review_bar(
                claim,
                url=reverse("admin:claims_claim_review", args=[claim.pk]),
                next_url=reverse("admin:claims_claim_change", args=[following.pk]) if following else "",
                queue_url=changelist_url(Claim, status__exact=ReviewStatus.EXTRACTED),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    # -- columns ----------------------------------------------------------------------

    @admin.display(description="claim (whole quote)", ordering="text")
    def quote(self, obj):
        return " ".join(obj.text.split())

    @admin.display(description="speaker", ordering="expert__sort_name")
    def speaker(self, obj):
        # One line a row: cut with an ellipsis in the list (curation.css), whole in the tooltip.
        if obj.expert_id is not None:
            return format_html('<span title="{}">{}</span>', obj.expert.name, obj.expert.name)
        mention = f" (printed: \u201c{obj.speaker_mention}\u201d)" if obj.speaker_mention else ""
        return format_html('<span class="unknown-speaker" title="Unknown{}">Unknown{}</span>', mention, mention)

    @admin.display(description="kind", ordering="kind")
    def kind_short(self, obj):
        quote = f"{obj.get_quote_type_display().lower()} quote"
        return format_html('<span title="{}">{}</span>', quote, KIND_SHORT.get(obj.kind, obj.kind))

    @admin.display(description="date \u00b7 article", ordering="sort_date")
    def source(self, obj):
        article = obj.article
        outlet = article.outlet.name if article.outlet_id else "outlet unknown"
        published = date_format(article.published_on, "j M Y") if article.published_on else "undated"
        # Triage by article: the link lists the article's claims awaiting review (all of them once reviewed);
        # one line a row (the date first: a long outlet name is cut, curation.css), the title on hover.
        status = ReviewStatus.EXTRACTED if obj.status == ReviewStatus.EXTRACTED else ReviewStatusFilter.ALL
        url = changelist_url(Claim, status__exact=status, article__id__exact=article.pk)
        return format_html(
            '<a href="{}" title="{}, {} (this article\u2019s claims)">{} &middot; {}</a>',
            url,
            article.title,
            outlet,
            published,
            outlet,
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

    @admin.display(description="prediction")
    def prediction_link(self, obj):
        prediction = Prediction.objects.filter(claim=obj).only("id", "proposition", "outcome").first()
        if prediction is None:
            return "\u2014 (not a forecast)" if obj.kind != ClaimKind.PREDICTION else "\u2014 (none read from it)"
        return format_html(
            '{} &middot; <span class="quiet-line">{}</span>',
            admin_link(prediction, excerpt(prediction.proposition, 100)),
            Outcome(prediction.outcome).short_label,
        )

    @admin.display(description="topics taken off")
    def removed_topics(self, obj):
        """The topics curators took off this claim: the cue matcher does not put them back (putting one back by
        hand lifts that)."""
        removals = obj.topic_removals.select_related("topic", "removed_by")
        if not removals:
            return "\u2014"
        return format_html_join(
            "; ",
            "{} (by {}, {})",
            ((r.topic.name, r.removed_by or "someone", date_format(r.removed_at, "j M Y")) for r in removals),
        )

    @admin.display(description="offsets")
    def offsets(self, obj):
        # The length is the quote's, said in words: "(146 long)" read as the article's.
        length = obj.end - obj.start
        return f"characters {obj.start} to {obj.end} of the article (the quote is {length} characters long)"

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
    search_fields = ("name", "slug", "description", "cues")
    search_help_text = "Searches names, slugs, descriptions and cue phrases."
    fields = ("name", "slug", "description", "cues")
    prepopulated_fields = {"slug": ("name",)}
    actions = ("assign_to_claims",)

    def has_assign_permission(self, request) -> bool:
        return request.user.has_perm("claims.change_claim")

    @admin.action(
        description="File existing claims under the selected topics by their cue phrases (adds only)",
        permissions=["assign"],
    )
    def assign_to_claims(self, request, queryset):
        counts = claim_services.claims_topics_assign(topic_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            f"{counts['claims_changed']} of {counts['claims']} claims gained {counts['links']} topic link(s); "
            "no topic was removed.",
            messages.SUCCESS,
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=count_of(Claim.topics.through, "topic"))

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj):
        return obj.claim_count

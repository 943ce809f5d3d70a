"""The curator's workbench: claims, articles, experts and the records around them.

Every save goes through ``claims.services`` (see ``claims.admin.base``);
claims, experts and articles carry their version in a hidden field so that a
save from a stale copy is refused instead of overwriting a colleague's change.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from claims.admin.actions import approve_selected, merge_experts, reject_selected, send_back_to_queue
from claims.admin.base import CuratedAdmin, CuratedPlainAdmin, is_admin_view
from claims.admin.display import Span, article_with_spans, claim_in_context, excerpt
from claims.admin.filters import (
    ArticleReviewFilter,
    ConfidenceFilter,
    DuplicatesOfFilter,
    HasWikidataFilter,
    OrganizationKindFilter,
    PossibleDuplicatesFilter,
    SpeakerFilter,
)
from claims.admin.forms import (
    AffiliationInlineForm,
    AliasInlineForm,
    AliasInlineFormSet,
    ClaimAdminForm,
    ExpertAdminForm,
    RowAutocompleteSelect,
    VersionedModelForm,
)
from claims.choices import ReviewStatus
from claims.models import Affiliation, Alias, Article, Claim, Expert, Organization, Outlet, Topic
from claims.names import name_match_key
from claims.services import articles as article_services
from claims.services import claims as claim_services
from claims.services.curation import expert_duplicates_dismiss
from claims.services.experts import expert_create, expert_update

__all__ = [
    "AffiliationAdmin",
    "AliasAdmin",
    "ArticleAdmin",
    "ClaimAdmin",
    "ExpertAdmin",
    "OrganizationAdmin",
    "OutletAdmin",
    "TopicAdmin",
]

PROVENANCE = "Provenance"
EXPERT_EDITABLE_FIELDS = frozenset({"name", "sort_name", "wikidata_id", "bio"})


class CurationMedia:
    css = {"all": ("claims/admin/curation.css",)}


def count_of(rows, field: str):
    """How many of ``rows`` (a model or a queryset) point to the outer row through ``field``, as a sortable
    annotation (0 when none). A subquery, so that it stays right whatever joins the changelist's filters add."""
    queryset = rows.objects.all() if isinstance(rows, type) else rows
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0, output_field=IntegerField())


def alias_variants_match(search_term: str, expert_ref: str) -> Q | None:
    """Experts with an alias whose identity key has a word starting with each word of the search, once its
    romanization variants are folded ("Choe" finds "Choi Ryong-hae"). None for an empty search."""
    words = name_match_key(search_term).split()
    if not words:
        return None
    aliases = Alias.objects.filter(expert=OuterRef(expert_ref)).annotate(key=Concat(Value(" "), "match_key"))
    for word in words:
        aliases = aliases.filter(key__contains=f" {word}")
    return Q(Exists(aliases))


def search_with_alias_variants(model_admin, request, queryset, search_term: str, expert_ref: str):
    """The admin's own search, or'ed with the alias-variant match; one row per record either way."""
    results, may_have_duplicates = model_admin.get_search_results(request, queryset, search_term)
    variants = alias_variants_match(search_term, expert_ref)
    if variants is None:
        return results, may_have_duplicates
    return queryset.filter(Q(pk__in=results.values("pk")) | variants), False


def admin_link(obj, text=None):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text if text is not None else str(obj))


def changelist_url(model, **params) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


STATUS_BADGES = {
    ReviewStatus.EXTRACTED: "Awaiting review",
    ReviewStatus.APPROVED: "Approved",
    ReviewStatus.REJECTED: "Rejected",
}


def status_badge(status: str, label: str):
    return format_html(
        '<span class="claim-status claim-status-{}" title="{}">{}</span>',
        status,
        label,
        STATUS_BADGES.get(status, label),
    )


# ---------------------------------------------------------------------------------------------------------------
# Claims


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
        queryset = super().get_queryset(request).select_related("expert", "article__outlet")
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
        return super().get_queryset(request).select_related("expert").order_by("start", "id")

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


# ---------------------------------------------------------------------------------------------------------------
# Articles


@admin.register(Article)
class ArticleAdmin(CuratedAdmin):
    """Articles come from ingestion; their text never changes afterwards (claim offsets point into it)."""

    form = VersionedModelForm
    list_display = ("title", "outlet", "published_on", "claim_count", "awaiting_count", "ingested_at")
    list_filter = (ArticleReviewFilter, "outlet", ("published_on", admin.DateFieldListFilter), "date_precision")
    list_select_related = ("outlet",)
    date_hierarchy = "published_on"
    search_fields = ("title", "authors", "url")
    search_help_text = "Searches titles, bylines and URLs."
    autocomplete_fields = ("outlet",)
    inlines = (ClaimInline,)
    readonly_fields = (
        "text_with_claims",
        "content_hash",
        "source_file",
        "ingested_at",
        "api_address",
        "created_at",
        "updated_at",
        "version",
    )
    fieldsets = (
        (None, {"fields": ("title", "outlet", "authors", "url", ("published_on", "date_precision"), "language")}),
        ("Text", {"fields": ("text_with_claims", "expected_version")}),
        (
            PROVENANCE,
            {
                "classes": ("collapse",),
                "fields": (
                    "content_hash",
                    "source_file",
                    "ingested_at",
                    "api_address",
                    "created_at",
                    "updated_at",
                    "version",
                ),
            },
        ),
    )

    Media = CurationMedia

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .annotate(
                claim_count=count_of(Claim, "article"),
                awaiting_count=count_of(Claim.objects.filter(status=ReviewStatus.EXTRACTED), "article"),
            )
        )
        if is_admin_view(request, "_change"):
            return queryset.select_related("outlet")
        return queryset.defer("body")

    def has_add_permission(self, request):
        # An article is created by ingestion, which stores its text once and for all.
        return False

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj):
        return obj.claim_count

    @admin.display(description="awaiting review", ordering="awaiting_count")
    def awaiting_count(self, obj):
        if not obj.awaiting_count:
            return 0
        url = changelist_url(Claim, status__exact=ReviewStatus.EXTRACTED, article__id__exact=obj.pk)
        return format_html('<a href="{}">{}</a>', url, obj.awaiting_count)

    @admin.display(description="text (read-only; claims marked)")
    def text_with_claims(self, obj):
        claims = obj.claims.select_related("expert").only(
            "pk", "article_id", "start", "end", "status", "expert__name", "speaker_mention"
        )
        spans = [
            Span(
                start=claim.start,
                end=claim.end,
                href=reverse("admin:claims_claim_change", args=[claim.pk]),
                title=f"{claim.expert.name if claim.expert_id else 'Unknown speaker'} ({claim.get_status_display()})",
                status=claim.status,
            )
            for claim in claims
        ]
        add_url = reverse("admin:claims_claim_add") + "?" + urlencode({"article": obj.pk})
        return format_html(
            '{}<p><a class="addlink" href="{}">Add a claim the extractor missed</a></p>',
            article_with_spans(obj.body, spans),
            add_url,
        )

    def save_through_services(self, request, obj, form, change):
        edits = {
            name: form.cleaned_data[name] for name in form.changed_data if name in article_services.EDITABLE_FIELDS
        }
        if not edits:
            self.check_version(obj, form)
            return None
        return article_services.article_update(
            article=obj, data=edits, expected_version=form.cleaned_data["expected_version"], user=request.user
        )


# ---------------------------------------------------------------------------------------------------------------
# Experts


class AliasInline(admin.TabularInline):
    model = Alias
    form = AliasInlineForm
    formset = AliasInlineFormSet
    fields = ("name", "origin", "normalized", "match_key")
    readonly_fields = ("normalized", "match_key")
    extra = 0


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    form = AffiliationInlineForm
    fields = ("organization", "role", "is_former", "start_date", "end_date")
    autocomplete_fields = ("organization",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["widget"] = RowAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Expert)
class ExpertAdmin(CuratedAdmin):
    form = ExpertAdminForm
    list_display = ("name", "spellings", "affiliations_summary", "claim_count", "duplicate_flag", "wikidata_id")
    list_filter = (
        PossibleDuplicatesFilter,
        DuplicatesOfFilter,
        HasWikidataFilter,
        ("affiliations__organization__kind", OrganizationKindFilter),
    )
    list_select_related = ()
    search_fields = ("name", "sort_name", "aliases__name", "aliases__normalized", "wikidata_id")
    search_help_text = (
        'Searches names and every alias, in any order and spelling ("Ryong-hae Choi" and "Choe Ryong Hae" '
        "find the same person), and Wikidata ids."
    )
    actions = (merge_experts,)
    inlines = (AliasInline, AffiliationInline)
    readonly_fields = ("slug", "possible_duplicates_list", "claims_link", "api_address", "created_at", "updated_at")
    add_fieldsets = ((None, {"fields": ("name", "wikidata_id", "bio")}),)
    change_fieldsets = (
        (None, {"fields": ("name", "sort_name", "wikidata_id", "bio", "claims_link", "expected_version")}),
        ("Possible duplicates", {"fields": ("possible_duplicates_list", "dismiss_duplicates")}),
        (
            PROVENANCE,
            {"classes": ("collapse",), "fields": ("slug", "api_address", "created_at", "updated_at", "version")},
        ),
    )

    Media = CurationMedia

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        if getattr(obj, "has_possible_duplicates", True):
            return self.change_fieldsets
        # Nothing flagged: no list to act on.
        return tuple(
            (name, {**options, "fields": ("possible_duplicates_list",)})
            if name == "Possible duplicates"
            else (name, options)
            for name, options in self.change_fieldsets
        )

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "version") if obj is not None else ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_admin_view(request, "autocomplete"):
            return queryset
        through = Expert.possible_duplicates.through
        queryset = queryset.annotate(
            claim_count=count_of(Claim, "expert"),
            has_possible_duplicates=Exists(through.objects.filter(from_expert_id=OuterRef("pk"))),
        )
        if is_admin_view(request, "_changelist"):
            return queryset.prefetch_related("aliases", "affiliations__organization")
        return queryset

    def get_search_results(self, request, queryset, search_term):
        return search_with_alias_variants(super(), request, queryset, search_term, "pk")

    # -- columns ------------------------------------------------------------------------

    @admin.display(description="other spellings")
    def spellings(self, obj):
        names = [alias.name for alias in obj.aliases.all() if alias.name != obj.name]
        return "; ".join(names) or "\u2014"

    @admin.display(description="affiliations")
    def affiliations_summary(self, obj):
        return "; ".join(str(affiliation) for affiliation in obj.affiliations.all()) or "\u2014"

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj):
        if not obj.claim_count:
            return 0
        return format_html('<a href="{}">{}</a>', changelist_url(Claim, expert__id__exact=obj.pk), obj.claim_count)

    @admin.display(description="possible duplicates", boolean=True, ordering="has_possible_duplicates")
    def duplicate_flag(self, obj):
        return obj.has_possible_duplicates

    # -- change page --------------------------------------------------------------------

    @admin.display(description="flagged at ingestion")
    def possible_duplicates_list(self, obj):
        others = obj.possible_duplicates.annotate(claim_count=count_of(Claim, "expert")).order_by("sort_name", "id")
        if not others:
            return "None."
        rows = format_html_join(
            "",
            "<li>{} ({} claims)</li>",
            ((admin_link(other), other.claim_count) for other in others),
        )
        merge_url = changelist_url(Expert, duplicates_of=obj.pk)
        return format_html(
            '<ul class="possible-duplicates">{}</ul><p><a href="{}">Compare them in the expert list</a>'
            " and use the action \u201cMerge selected experts\u201d if they are the same person.</p>",
            rows,
            merge_url,
        )

    @admin.display(description="claims")
    def claims_link(self, obj):
        count = obj.claim_count if hasattr(obj, "claim_count") else obj.claims.count()
        return format_html('<a href="{}">{} claims</a>', changelist_url(Claim, expert__id__exact=obj.pk), count)

    # -- saving -------------------------------------------------------------------------

    def save_through_services(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            return expert_create(
                name=data["name"], wikidata_id=data.get("wikidata_id") or "", bio=data.get("bio") or ""
            )
        edits = {name: data[name] for name in form.changed_data if name in EXPERT_EDITABLE_FIELDS}
        saved = None
        if edits:
            saved = expert_update(expert=obj, data=edits, expected_version=data["expected_version"])
        else:
            self.check_version(obj, form)
        if data.get("dismiss_duplicates"):
            expert_duplicates_dismiss(expert=obj, others=data["dismiss_duplicates"])
        return saved


# ---------------------------------------------------------------------------------------------------------------
# Aliases, affiliations and reference records


@admin.register(Alias)
class AliasAdmin(CuratedPlainAdmin):
    form = AliasInlineForm
    list_display = ("name", "expert", "origin", "normalized", "match_key")
    list_filter = ("origin",)
    list_select_related = ("expert",)
    search_fields = ("name", "normalized", "match_key", "expert__name")
    search_help_text = "Searches spellings, their normalized forms and the expert's name."
    autocomplete_fields = ("expert",)
    fields = ("expert", "name", "origin", "normalized", "match_key")
    readonly_fields = ("normalized", "match_key")


@admin.register(Affiliation)
class AffiliationAdmin(CuratedAdmin):
    list_display = ("expert", "role", "organization", "is_former", "start_date", "end_date")
    list_filter = ("is_former", ("organization__kind", OrganizationKindFilter))
    list_select_related = ("expert", "organization")
    search_fields = ("role", "organization__name", "organization__acronym", "expert__name")
    search_help_text = "Searches roles, organizations (name or acronym) and experts' names."
    autocomplete_fields = ("expert", "organization")
    fields = ("expert", "organization", "role", "is_former", ("start_date", "end_date"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("expert", "organization")

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The claim form's affiliation autocomplete sends the chosen expert (claims/admin/claim_form.js):
        # offer only that expert's affiliations.
        if is_admin_view(request, "autocomplete") and request.GET.get("field_name") == "affiliation":
            expert_id = request.GET.get("expert", "")
            if expert_id.isdigit():
                results = results.filter(expert_id=int(expert_id))
        return results, may_have_duplicates


@admin.register(Organization)
class OrganizationAdmin(CuratedAdmin):
    list_display = ("name", "acronym", "kind", "country", "affiliation_count")
    list_filter = ("kind", "country")
    list_select_related = ()
    search_fields = ("name", "acronym", "country")
    search_help_text = "Searches names, acronyms and countries."
    readonly_fields = ("created_at", "updated_at")
    fields = ("name", "slug", "acronym", "kind", "country", "website", "wikidata_id", "created_at", "updated_at")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(affiliation_count=count_of(Affiliation, "organization"))

    @admin.display(description="affiliations", ordering="affiliation_count")
    def affiliation_count(self, obj):
        return obj.affiliation_count


@admin.register(Outlet)
class OutletAdmin(CuratedPlainAdmin):
    list_display = ("name", "domain", "article_count")
    list_filter = ()
    list_select_related = ()
    search_fields = ("name", "domain", "alternate_names")
    search_help_text = "Searches names, other names and domains."
    fields = ("name", "slug", "domain", "alternate_names")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=count_of(Article, "outlet"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


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

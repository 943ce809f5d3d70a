"""The admin of experts (with merging), aliases, affiliations and organizations.

Every save goes through ``claims.services`` (see ``claims.admin.base``); versioned records carry their
version in a hidden field so that a save from a stale copy is refused.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.html import format_html, format_html_join

from claims.admin.actions import merge_experts
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
)
from claims.admin.filters import (
    DuplicatesOfFilter,
    HasWikidataFilter,
    OrganizationKindFilter,
    PossibleDuplicatesFilter,
)
from claims.admin.forms import (
    AffiliationInlineForm,
    AliasInlineForm,
    AliasInlineFormSet,
    ExpertAdminForm,
    RowAutocompleteSelect,
)
from claims.models import Affiliation, Alias, Claim, Expert, Organization
from claims.selectors.base import can_see_unreviewed, visible_experts
from claims.services.curation import expert_duplicates_dismiss
from claims.services.people import expert_create, expert_update

__all__ = ["AffiliationAdmin", "AliasAdmin", "ExpertAdmin", "OrganizationAdmin"]


EXPERT_EDITABLE_FIELDS = frozenset({"name", "sort_name", "wikidata_id", "bio", "kind"})


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
    list_display = ("name", "spellings", "affiliations_summary", "claim_count", "duplicate_flag", "kind", "wikidata_id")
    list_filter = (
        "kind",
        "kind_curated",
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
    readonly_fields = (
        "slug",
        "kind_curated",
        "possible_duplicates_list",
        "claims_link",
        "api_address",
        "created_at",
        "updated_at",
    )
    add_fieldsets = ((None, {"fields": ("name", "sort_name", "kind", "wikidata_id", "bio")}),)
    change_fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "sort_name",
                    "kind",
                    "kind_curated",
                    "wikidata_id",
                    "bio",
                    "claims_link",
                    "expected_version",
                )
            },
        ),
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
        if not can_see_unreviewed(request.user):  # staff who may only view: the public experts, as in the API
            queryset = queryset.filter(pk__in=visible_experts(request.user).values("pk"))
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
                name=data["name"],
                sort_name=data.get("sort_name") or "",
                wikidata_id=data.get("wikidata_id") or "",
                bio=data.get("bio") or "",
                kind=data.get("kind") or "",
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

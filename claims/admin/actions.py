"""Admin actions: review claims in bulk, merge experts. Each one calls a service and reports what it did."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import ngettext

from claims.admin.forms import MergeExpertsForm
from claims.choices import ReviewStatus
from claims.models import Affiliation, Alias, Claim, Expert
from claims.services.claims import claims_review_bulk
from claims.services.errors import ServiceError
from claims.services.people import expert_merge

__all__ = ["approve_selected", "merge_experts", "reject_selected", "send_back_to_queue"]

MERGE_NEEDS_TWO = "Select at least two experts to merge: the one to keep and its duplicates."
MERGE_TEMPLATE = "admin/claims/expert/merge_confirmation.html"


def _claims(count: int) -> str:
    return ngettext("%(n)d claim", "%(n)d claims", count) % {"n": count}


def _review(modeladmin, request, queryset, status: str, done: str) -> None:
    """Give every selected claim ``status`` through claims_review_bulk; report changed, skipped and untouched."""
    already = queryset.filter(status=status).count()
    try:
        changed, skipped = claims_review_bulk(
            claims=queryset.exclude(status=status).select_related(None).only("pk"), status=status, user=request.user
        )
    except ServiceError as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return
    if changed:
        modeladmin.message_user(request, f"{capfirst(done)} {_claims(changed)}.", messages.SUCCESS)
    if skipped:
        modeladmin.message_user(
            request,
            f"Skipped {_claims(skipped)} whose speaker is unknown: set the expert on "
            f"{'it' if skipped == 1 else 'them'} first.",
            messages.WARNING,
        )
    if already:
        label = ReviewStatus(status).label.lower()
        modeladmin.message_user(
            request,
            f"{capfirst(_claims(already))} {'was' if already == 1 else 'were'} already {label}: left unchanged.",
            messages.INFO,
        )


@admin.action(description="Approve selected claims", permissions=["change"])
def approve_selected(modeladmin, request, queryset):
    _review(modeladmin, request, queryset, ReviewStatus.APPROVED, "approved")


@admin.action(description="Reject selected claims", permissions=["change"])
def reject_selected(modeladmin, request, queryset):
    _review(modeladmin, request, queryset, ReviewStatus.REJECTED, "rejected")


@admin.action(description="Send selected claims back to the review queue", permissions=["change"])
def send_back_to_queue(modeladmin, request, queryset):
    _review(modeladmin, request, queryset, ReviewStatus.EXTRACTED, "sent back to the queue")


def _suggested_target(experts: list[Expert]) -> Expert:
    """The expert to keep by default: one with a Wikidata id, then the one with most claims, then the oldest."""
    return min(experts, key=lambda e: (not e.wikidata_id, -e.claim_total, e.pk))


@admin.action(description="Merge selected experts\u2026", permissions=["change", "delete"])
def merge_experts(modeladmin, request, queryset):
    """Fold the selected experts into one, chosen on a confirmation page; the others' names become aliases."""
    experts = list(
        Expert.objects.filter(pk__in=queryset.values("pk"))
        .annotate(
            claim_total=Count("claims", distinct=True),
            alias_total=Count("aliases", distinct=True),
            affiliation_total=Count("affiliations", distinct=True),
        )
        .prefetch_related("aliases", "affiliations__organization")
        .order_by("sort_name", "id")
    )
    if len(experts) < 2:
        modeladmin.message_user(request, MERGE_NEEDS_TWO, messages.ERROR)
        return None

    if request.POST.get("post") == "yes":
        form = MergeExpertsForm(request.POST, experts=experts)
        if form.is_valid():
            target = form.cleaned_data["target"]
            _merge(modeladmin, request, target, [e for e in experts if e.pk != target.pk])
            return None
    else:
        form = MergeExpertsForm(experts=experts, initial={"target": _suggested_target(experts).pk})

    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Merge experts",
        "subtitle": None,
        "opts": opts,
        "app_label": opts.app_label,
        "experts": experts,
        "form": form,
        "chosen": str(form["target"].value() or ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, MERGE_TEMPLATE, context)


def _affiliations_moving(target: Expert, duplicates: list[Expert]) -> tuple[int, int]:
    """(moved, absorbed): the duplicates' affiliations that will move, and those the kept expert already has
    (same organization and role), which expert_merge folds into the kept one."""
    held = set(Affiliation.objects.filter(expert=target).values_list("organization_id", "role"))
    moved = absorbed = 0
    for key in (
        Affiliation.objects.filter(expert__in=duplicates)
        .order_by("expert_id", "id")
        .values_list("organization_id", "role")
    ):
        if key in held:
            absorbed += 1
        else:
            moved += 1
            held.add(key)
    return moved, absorbed


def _merge(modeladmin, request, target: Expert, duplicates: list[Expert]) -> None:
    claims = Claim.objects.filter(expert__in=duplicates).count()
    moved, absorbed = _affiliations_moving(target, duplicates)
    aliases_before = Alias.objects.filter(expert=target).count()
    names = ", ".join(f"\u201c{d.name}\u201d" for d in duplicates)
    try:
        expert_merge(target=target, duplicates=duplicates)
    except ServiceError as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return
    new_aliases = Alias.objects.filter(expert=target).count() - aliases_before
    affiliations = ngettext("%(n)d affiliation", "%(n)d affiliations", moved) % {"n": moved}
    if absorbed:
        affiliations += f" ({absorbed} more {'was' if absorbed == 1 else 'were'} already on the kept expert)"
    aliases = ngettext("%(n)d new alias", "%(n)d new aliases", new_aliases) % {"n": new_aliases}
    modeladmin.message_user(
        request,
        f"Merged {names} into \u201c{target.name}\u201d: moved {_claims(claims)}, {affiliations} and {aliases}; "
        "the merged names are kept as aliases.",
        messages.SUCCESS,
    )

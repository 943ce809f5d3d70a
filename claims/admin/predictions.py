"""Predictions and events in the curator's workbench.

Every write goes through ``claims.services.predictions``. Resolving has a page
of its own (``prediction/resolve/?ids=...``, reached from the "Resolve" link on
a prediction or the "Resolve the selected predictions" action): it requires an
outcome, at least one event and a note, records the resolver and the time, and
carries the version of every prediction it was loaded with, so that a resolution
based on a stale copy is refused (nothing is written) with the reason shown.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import ngettext

from claims.admin.base import CuratedAdmin, add_refusal, is_admin_view, write_refusals
from claims.admin.display import changelist_url, excerpt
from claims.admin.filters import DueForJudgementFilter, NoTopicFilter
from claims.admin.forms import VersionedModelForm
from claims.choices import Outcome
from claims.models import Claim, Event, EvidenceLink, Prediction
from claims.selectors.base import can_see_unreviewed, visible_predictions
from claims.services import predictions as services
from claims.services.errors import ServiceError

__all__ = ["EventAdmin", "EvidenceLinkInline", "PredictionAdmin", "ResolveForm", "resolve_selected"]

RESOLVE_TEMPLATE = "claims/prediction_resolve.html"
NOTHING_SELECTED = "Choose at least one prediction to resolve."
MALFORMED_VERSIONS = "The form lost track of the versions you loaded; reload the page and resolve again."
PROVENANCE = "Provenance"


class CurationMedia:
    css = {"all": ("claims/admin/curation.css", "claims/predictions/admin.css")}


def outcome_badge(outcome: str, label: str):
    return format_html('<span class="prediction-outcome prediction-outcome-{}">{}</span>', outcome, label)


# ---------------------------------------------------------------------------------------------------------------
# Resolving


class ResolveForm(forms.Form):
    """An outcome, the deciding events and the reason; the versions the page was loaded with ride along hidden."""

    outcome = forms.ChoiceField(
        choices=[("", "---------"), *[c for c in Outcome.choices if c[0] != Outcome.PENDING]],
        help_text="Came true late: it happened, but after the horizon (scored as not happened by then).",
    )
    events = forms.ModelMultipleChoiceField(
        queryset=Event.objects.order_by("occurred_on", "id"),
        widget=forms.CheckboxSelectMultiple,
        help_text="The events that decided it: at least one.",
        error_messages={"required": services.NO_EVENTS},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6, "cols": 90}),
        help_text="Why: the reasoning a reader can check against the events (and the cut-off date, for "
        "forecasts that can only hold 'so far').",
        error_messages={"required": services.NO_NOTE},
    )
    versions = forms.CharField(widget=forms.HiddenInput)

    def clean_versions(self) -> dict[int, int]:
        try:
            pairs = [item.split(":") for item in self.cleaned_data["versions"].split(",") if item]
            return {int(pk): int(version) for pk, version in pairs}
        except ValueError:
            raise ValidationError(MALFORMED_VERSIONS) from None


def _ids(raw: str) -> list[int]:
    try:
        return sorted({int(part) for part in raw.split(",") if part.strip()})
    except ValueError:
        return []


@admin.action(description="Resolve the selected predictions\u2026", permissions=["change"])
def resolve_selected(modeladmin, request, queryset):
    ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True).order_by("pk"))
    return HttpResponseRedirect(reverse("admin:claims_prediction_resolve") + "?" + urlencode({"ids": ids}))


# ---------------------------------------------------------------------------------------------------------------
# Predictions


class PredictionAdminForm(VersionedModelForm):
    class Meta:
        model = Prediction
        fields = ("claim", "proposition", "hedge", "hedge_inverted", "horizon_text", "horizon_start", "horizon_end")
        widgets = {"proposition": forms.Textarea(attrs={"rows": 2, "cols": 90})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "horizon_text" in self.fields:
            self.fields[
                "horizon_text"
            ].help_text = 'As printed ("in May", "this year"); leave the dates empty to have them read from it.'


class PredictionChangeList(ChangeList):
    """The column headers say how the rows are sorted: on the due queue, by the horizon's end (``get_ordering``),
    where Django would mark the ModelAdmin's default ordering whatever ``get_ordering`` returned."""

    def get_ordering_field_columns(self):
        if ORDER_VAR not in self.params and self.params.get(DueForJudgementFilter.parameter_name) == "yes":
            return {self.list_display.index("horizon"): "asc"}
        return super().get_ordering_field_columns()


@admin.register(Prediction)
class PredictionAdmin(CuratedAdmin):
    form = PredictionAdminForm
    list_display = ("proposition_excerpt", "outcome_shown", "forecaster", "made_on", "horizon", "probability_shown")
    list_display_links = ("proposition_excerpt",)
    list_filter = (
        DueForJudgementFilter,
        "outcome",
        "hedge_category",
        "low_confidence",
        "scale",
        ("claim__topics", NoTopicFilter),
        "claim__status",
    )
    list_select_related = ("claim__expert", "claim__article")
    list_per_page = 50
    search_fields = ("proposition", "hedge", "claim__text", "claim__expert__name", "claim__expert__aliases__normalized")
    search_help_text = "Searches the proposition, the hedge, the quote and the forecaster's names."
    autocomplete_fields = ("claim",)
    actions = (resolve_selected,)
    readonly_fields = (
        "quote",
        "resolve_link",
        "hedge_category",
        "scale",
        "probability_band",
        "low_confidence",
        "outcome_shown",
        "resolved_by",
        "resolved_at",
        "resolution_note",
        "deciding_events",
        "api_address",
        "created_at",
        "updated_at",
        "version",
    )
    add_fieldsets = (
        (None, {"fields": ("claim", "proposition")}),
        ("Hedge", {"fields": ("hedge", "hedge_inverted")}),
        ("Horizon", {"fields": ("horizon_text", ("horizon_start", "horizon_end"))}),
    )
    change_fieldsets = (
        (None, {"fields": ("quote", "proposition", "expected_version")}),
        (
            "Hedge and probability",
            {"fields": ("hedge", "hedge_inverted", "hedge_category", "scale", "probability_band", "low_confidence")},
        ),
        ("Horizon", {"fields": ("horizon_text", ("horizon_start", "horizon_end"))}),
        (
            "Outcome",
            {
                "fields": (
                    "outcome_shown",
                    "resolve_link",
                    "deciding_events",
                    "resolution_note",
                    ("resolved_by", "resolved_at"),
                )
            },
        ),
        (PROVENANCE, {"classes": ("collapse",), "fields": ("api_address", "created_at", "updated_at", "version")}),
    )

    Media = CurationMedia

    def get_fieldsets(self, request, obj=None):
        return self.change_fieldsets if obj is not None else self.add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not can_see_unreviewed(request.user):  # staff who may only view: what the API shows them
            queryset = queryset.filter(pk__in=visible_predictions(request.user).values("pk"))
        return queryset.select_related(
            "claim__expert", "claim__article__outlet", "claim__affiliation__organization", "resolved_by"
        ).defer("claim__article__body")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "claim":
            kwargs["queryset"] = Claim.objects.filter(kind="prediction", prediction__isnull=True).defer("article__body")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # A prediction goes with its claim; events and history refer to it.
        return False

    def get_changelist(self, request, **kwargs):
        return PredictionChangeList

    def get_ordering(self, request):
        if request.GET.get(DueForJudgementFilter.parameter_name) == "yes":
            return ("horizon_end", "id")  # the longest overdue first
        return super().get_ordering(request)

    def changelist_view(self, request, extra_context=None):
        due = Prediction.objects.filter(outcome=Outcome.PENDING, horizon_end__lt=timezone.localdate())
        extra_context = {
            "due_queue_url": changelist_url(Prediction, due="yes"),
            "due_queue_count": due.count(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    # -- columns ------------------------------------------------------------------------

    @admin.display(description="proposition", ordering="proposition")
    def proposition_excerpt(self, obj):
        return excerpt(obj.proposition, 110)

    @admin.display(description="forecaster", ordering="claim__expert__sort_name")
    def forecaster(self, obj):
        return obj.claim.expert.name if obj.claim.expert_id else "Unknown speaker"

    @admin.display(description="made", ordering="claim__sort_date")
    def made_on(self, obj):
        article = obj.claim.article
        if article.published_on is None:
            return "undated"
        return article.published_on.strftime("%Y-%m" if article.date_precision == "month" else "%Y-%m-%d")

    @admin.display(description="horizon ends", ordering="horizon_end")
    def horizon(self, obj):
        return obj.horizon_end.isoformat() if obj.horizon_end else "open-ended"

    @admin.display(description="probability (hedge)", ordering="probability")
    def probability_shown(self, obj):
        hedge = f"\u201c{obj.hedge}\u201d" if obj.hedge else "unhedged"
        if obj.probability is None:
            return format_html('\u2014 <span class="prediction-hedge">{}</span>', hedge)
        flag = "*" if obj.low_confidence else ""
        return format_html('{}%{} <span class="prediction-hedge">{}</span>', round(obj.probability * 100), flag, hedge)

    @admin.display(description="outcome", ordering="outcome")
    def outcome_shown(self, obj):
        return outcome_badge(obj.outcome, Outcome(obj.outcome).short_label)

    # -- change page --------------------------------------------------------------------

    @admin.display(description="quote")
    def quote(self, obj):
        claim = obj.claim
        link = reverse("admin:claims_claim_change", args=[claim.pk])
        speaker = claim.expert.name if claim.expert_id else "Unknown speaker"
        article = claim.article
        return format_html(
            '<blockquote class="prediction-quote">\u201c{}\u201d</blockquote>{} \u2014 <a href="{}">the claim</a> in '
            "<em>{}</em> ({})",
            claim.text,
            speaker,
            link,
            article.title,
            article.published_on or "undated",
        )

    @admin.display(description="probability")
    def probability_band(self, obj):
        if obj.probability is None:
            return "none (no hedge mapped)"
        return f"{obj.probability:.3f} (band {obj.probability_low:.2f}\u2013{obj.probability_high:.2f})"

    @admin.display(description="resolution")
    def resolve_link(self, obj):
        url = reverse("admin:claims_prediction_resolve") + "?" + urlencode({"ids": obj.pk})
        text = "Resolve again\u2026" if obj.outcome != Outcome.PENDING else "Resolve\u2026"
        return format_html('<a class="button" href="{}">{}</a>', url, text)

    @admin.display(description="deciding events")
    def deciding_events(self, obj):
        events = obj.events.order_by("occurred_on", "id")
        if not events:
            return "\u2014"
        return format_html_join(
            "",
            '<div><a href="{}">{}</a></div>',
            ((reverse("admin:claims_event_change", args=[e.pk]), str(e)) for e in events),
        )

    # -- saving -------------------------------------------------------------------------

    def save_through_services(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            return services.prediction_create(
                claim=data["claim"],
                proposition=data["proposition"],
                hedge=data.get("hedge") or "",
                hedge_inverted=bool(data.get("hedge_inverted")),
                horizon_text=data.get("horizon_text") or "",
                horizon_start=data.get("horizon_start"),
                horizon_end=data.get("horizon_end"),
                user=request.user,
            )
        edits = {name: data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS}
        if not edits:
            self.check_version(obj, form)
            return None
        return services.prediction_update(
            prediction=obj, data=edits, expected_version=data["expected_version"], user=request.user
        )

    # -- the resolve page ---------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view(self.resolve_view)
        return [path("resolve/", view, name="claims_prediction_resolve"), *super().get_urls()]

    def resolve_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        ids = _ids(request.POST.get("ids") or request.GET.get("ids") or "")
        predictions = list(self.get_queryset(request).filter(pk__in=ids).order_by("pk"))
        if not predictions:
            self.message_user(request, NOTHING_SELECTED, messages.WARNING)
            return HttpResponseRedirect(reverse("admin:claims_prediction_changelist"))
        if request.method == "POST":
            form = ResolveForm(request.POST)
            if form.is_valid():
                refused = self._resolve_all(request, predictions, form)
                if refused is None:
                    return self._after_resolving(request, predictions, form.cleaned_data["outcome"])
                add_refusal(form, refused)
        else:
            versions = ",".join(f"{p.pk}:{p.version}" for p in predictions)
            initial = {"versions": versions}
            if len(predictions) == 1 and predictions[0].outcome != Outcome.PENDING:
                current = predictions[0]
                initial.update(outcome=current.outcome, events=list(current.events.all()), note=current.resolution_note)
            form = ResolveForm(initial=initial)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": ngettext("Resolve a prediction", "Resolve %(n)d predictions", len(predictions))
            % {"n": len(predictions)},
            "predictions": predictions,
            "form": form,
            "ids": ",".join(str(p.pk) for p in predictions),
            "media": self.media + form.media,
        }
        return render(request, RESOLVE_TEMPLATE, context)

    def _resolve_all(self, request, predictions, form):
        """Resolve every prediction or none; returns the refusal (service error) or None."""
        data = form.cleaned_data
        versions = data["versions"]
        missing = [p.pk for p in predictions if p.pk not in versions]
        if missing:
            return ValidationError(MALFORMED_VERSIONS)
        try:
            with transaction.atomic():
                for prediction in predictions:
                    services.prediction_resolve(
                        prediction=prediction,
                        outcome=data["outcome"],
                        events=data["events"],
                        user=request.user,
                        note=data["note"],
                        expected_version=versions[prediction.pk],
                    )
        except (ServiceError, ValidationError) as refusal:
            return refusal  # the savepoint rolled back: no prediction was resolved
        return None

    def _after_resolving(self, request, predictions, outcome):
        label = Outcome(outcome).label.lower()
        self.message_user(
            request,
            ngettext(
                "Resolved %(n)d prediction as \u201c%(label)s\u201d.",
                "Resolved %(n)d predictions as \u201c%(label)s\u201d.",
                len(predictions),
            )
            % {"n": len(predictions), "label": label},
            messages.SUCCESS,
        )
        if len(predictions) == 1:
            return HttpResponseRedirect(reverse("admin:claims_prediction_change", args=[predictions[0].pk]))
        return HttpResponseRedirect(reverse("admin:claims_prediction_changelist"))


# ---------------------------------------------------------------------------------------------------------------
# Events


class EvidenceLinkInline(admin.TabularInline):
    model = EvidenceLink
    fields = ("url", "publisher", "title")
    extra = 1
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class EventAdminForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ("title", "occurred_on", "date_precision", "description", "topics")


@admin.register(Event)
class EventAdmin(CuratedAdmin):
    form = EventAdminForm
    list_display = ("title", "occurred_on", "date_precision", "topic_list", "evidence_count", "prediction_count")
    list_filter = (("topics", NoTopicFilter), "date_precision", ("occurred_on", admin.DateFieldListFilter))
    search_fields = ("title", "description", "evidence__publisher", "evidence__url")
    search_help_text = "Searches titles, descriptions and the evidence's publishers and addresses."
    date_hierarchy = "occurred_on"
    filter_horizontal = ("topics",)
    inlines = (EvidenceLinkInline,)
    readonly_fields = ("slug", "predictions_decided", "api_address", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", ("occurred_on", "date_precision"), "description", "topics")}),
        ("Predictions it decided", {"fields": ("predictions_decided",)}),
        (PROVENANCE, {"classes": ("collapse",), "fields": ("slug", "api_address", "created_at", "updated_at")}),
    )

    Media = CurationMedia

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets if obj is not None else self.fieldsets[:1]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_admin_view(request, "_changelist"):
            queryset = queryset.annotate(
                evidence_total=Count("evidence", distinct=True), prediction_total=Count("predictions", distinct=True)
            ).prefetch_related("topics")
        return queryset

    def has_delete_permission(self, request, obj=None):
        # Predictions were resolved against it: an event stays.
        return False

    @admin.display(description="topics")
    def topic_list(self, obj):
        return ", ".join(topic.name for topic in obj.topics.all()) or "\u2014"

    @admin.display(description="evidence", ordering="evidence_total")
    def evidence_count(self, obj):
        return obj.evidence_total

    @admin.display(description="predictions", ordering="prediction_total")
    def prediction_count(self, obj):
        return obj.prediction_total

    @admin.display(description="predictions decided")
    def predictions_decided(self, obj):
        rows = obj.predictions.select_related("claim__expert").order_by("pk")
        if not rows:
            return "\u2014"
        return format_html_join(
            "",
            '<div><a href="{}">{}</a> \u2014 {}</div>',
            (
                (
                    reverse("admin:claims_prediction_change", args=[p.pk]),
                    excerpt(p.proposition, 90),
                    p.get_outcome_display(),
                )
                for p in rows
            ),
        )

    def save_through_services(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            return services.event_create(
                title=data["title"],
                occurred_on=data["occurred_on"],
                date_precision=data["date_precision"],
                description=data["description"],
                topics=data.get("topics") or (),
                user=request.user,
            )
        edits = {name: data[name] for name in form.changed_data if name in services.EVENT_EDITABLE_FIELDS}
        if not edits:
            return None
        return services.event_update(event=obj, data=edits, user=request.user)

    def save_formset(self, request, form, formset, change):
        with write_refusals():
            instances = formset.save(commit=False)
            for link in formset.deleted_objects:
                services.evidence_link_delete(link=link, user=request.user)
            for link in instances:
                services.evidence_link_save(link=link, user=request.user)

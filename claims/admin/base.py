"""What every curated ModelAdmin shares: writes through the services, refusals shown as form errors.

Django's admin validates a form, then calls ``save_model`` and
``save_related``; it has no way for a save to say "no" after validation. The
services do say no after validation, and must: only they can tell, under a row
lock, that the record changed since the curator loaded it (StaleVersionError)
or that an edit breaks a rule the form cannot see (ValidationError). So a
refused save raises WriteRefused; ``changeform_view`` lets the transaction
around the attempt roll back (nothing is written), then renders the form again
with the refusal attached to it as an error, the curator's input intact.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import resolve
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from claims.admin.display import api_link
from claims.domain.names import name_query
from claims.selectors.search import alias_expert_ids
from claims.services.curation import curated_record_delete, curated_record_save
from claims.services.errors import ServiceError
from claims.services.versioning import lock_for_update

__all__ = [
    "CuratedAdmin",
    "CuratedPlainAdmin",
    "ServiceWritesMixin",
    "WriteRefused",
    "add_refusal",
    "copy_fields",
    "is_admin_view",
    "write_refusals",
]


class WriteRefused(Exception):
    """A service refused the admin's write; carries the service's error for the form."""

    def __init__(self, error: ServiceError | ValidationError):
        self.error = error
        super().__init__(str(error))


@contextmanager
def write_refusals() -> Iterator[None]:
    """Turn a service's refusal inside the block into WriteRefused."""
    try:
        yield
    except (ServiceError, ValidationError) as exc:
        raise WriteRefused(exc) from exc


def add_refusal(form, error: ServiceError | ValidationError) -> None:
    """Attach a service's refusal to ``form``: on the field it names when the form shows it, else above the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            if field != NON_FIELD_ERRORS and field in form.fields:
                form.add_error(field, errors)
            else:
                form.add_error(None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error)
    else:
        form.add_error(None, str(error))


def _form_with_refusal(form_class, error):
    class RefusedForm(form_class):
        def clean(self):
            cleaned_data = super().clean()
            add_refusal(self, error)
            return cleaned_data

    RefusedForm.__name__ = form_class.__name__
    RefusedForm.__qualname__ = form_class.__qualname__
    return RefusedForm


def is_admin_view(request, suffix: str) -> bool:
    """True when ``request`` is for this admin's view whose URL name ends with ``suffix`` ("_change", ...)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Exception:  # noqa: BLE001 - a request the URLconf does not know is not an admin view
            return False
    return bool(match.url_name) and match.url_name.endswith(suffix)


class ServiceWritesMixin:
    """Saving and deleting through ``claims.services``, refusals shown as form errors.

    Admins of models with services of their own override ``save_through_services``;
    the default saves a reference record with ``curated_record_save``.
    """

    # Links typed without a scheme ("nknews.org/...") are https, as Django 6 will assume.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except WriteRefused as refused:
            # The attempt's transaction has rolled back; show the form again with the reason.
            request._curation_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_curation_refusal", None)
        return form_class if refusal is None else _form_with_refusal(form_class, refusal)

    def save_model(self, request, obj, form, change):
        with write_refusals():
            saved = self.save_through_services(request, obj, form, change)
        if saved is not None and saved is not obj:
            copy_fields(saved, obj)

    def save_through_services(self, request, obj, form, change):
        """Write ``obj`` as edited in ``form``; return the saved record. The default suits reference records."""
        return curated_record_save(record=obj, user=request.user)

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields of the form are saved by save_through_services; only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        with write_refusals():
            instances = formset.save(commit=False)
            for record in formset.deleted_objects:
                curated_record_delete(record=record, user=request.user)
            for record in instances:
                curated_record_save(record=record, user=request.user)

    def check_version(self, obj, form) -> None:
        """Refuse a save based on a stale copy even when no service write happens (only inline rows changed)."""
        lock_for_update(obj, form.cleaned_data.get("expected_version"))

    def delete_model(self, request, obj):
        curated_record_delete(record=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for record in queryset:
            curated_record_delete(record=record, user=request.user)


class CuratedPlainAdmin(ServiceWritesMixin, admin.ModelAdmin):
    """A curated admin for a model without history (outlets, topics, aliases)."""


EMPTY = "\u2014"


class CurationHistoryContextHelper(HistoricalRecordContextHelper):
    """Shows history changes as a curator reads them: choices by their labels, empty values as a dash.

    (simple_history would print an empty foreign key as "Deleted expert (pk=None)".)
    """

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, DeletedObject) and value.pk is None:
            return EMPTY
        if value is None or value == "":
            return EMPTY
        field = self.model._meta.get_field(change.field)
        if field.choices and not isinstance(value, list):
            return dict(field.flatchoices).get(value, value)
        return value


class CuratedAdmin(ServiceWritesMixin, SimpleHistoryAdmin):
    """A curated admin for a model with history.

    History is shown (who changed what, when) but cannot be reverted from the
    admin: a revert would write an old row back without the services' checks.
    """

    def get_historical_record_context_helper(self, request, historical_record):
        return CurationHistoryContextHelper(self.model, historical_record)

    @admin.display(description="API address")
    def api_address(self, obj):
        return api_link(obj)

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Reverting from the history is disabled: edit the record instead.")
        return super().history_form_view(request, object_id, version_id, extra_context)


def copy_fields(source, target) -> None:
    """Make ``target`` (the admin's copy) show what the service saved in ``source``."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db


PROVENANCE = "Provenance"


class CurationMedia:
    css = {"all": ("claims/admin/curation.css",)}


def count_of(rows, field: str):
    """How many of ``rows`` (a model or a queryset) point to the outer row through ``field``, as a sortable
    annotation (0 when none). A subquery, so that it stays right whatever joins the changelist's filters add."""
    queryset = rows.objects.all() if isinstance(rows, type) else rows
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0, output_field=IntegerField())


def alias_variants_match(search_term: str, expert_ref: str) -> Q | None:
    """Records whose expert has an alias matching the search by the one name rule of every name search
    (claims.domain.names.name_query: "Choe" finds "Choi Ryong-hae", as the API's expert filter does).
    None for an empty search."""
    if not name_query(search_term):
        return None
    return Q(**{f"{expert_ref}__in": alias_expert_ids(search_term)})


def search_with_alias_variants(model_admin, request, queryset, search_term: str, expert_ref: str):
    """The admin's own search, or'ed with the alias-variant match; one row per record either way."""
    results, may_have_duplicates = model_admin.get_search_results(request, queryset, search_term)
    variants = alias_variants_match(search_term, expert_ref)
    if variants is None:
        return results, may_have_duplicates
    return queryset.filter(Q(pk__in=results.values("pk")) | variants), False

"""Fixtures and helpers of the admin tests: a logged-in curator, and the POST a browser would send."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.test import Client

from claims.choices import ReviewStatus
from tests import factories


@pytest.fixture
def admin_ui(curator) -> Client:
    """A browser-like client logged in as the Curators-group staff user (not a superuser)."""
    assert not curator.is_superuser
    client = Client()
    client.force_login(curator)
    return client


def extracted_claim(**kwargs):
    """A claim awaiting review, as ingestion leaves it."""
    kwargs.setdefault("status", ReviewStatus.EXTRACTED)
    kwargs.setdefault("reviewed_at", None)
    kwargs.setdefault("confidence", 0.7)
    return factories.ClaimFactory(**kwargs)


def dated_article(year: int, **kwargs):
    return factories.ArticleFactory(published_on=datetime.date(year, 6, 1), **kwargs)


def _field_items(form):
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                yield bound.html_name, "on"
            continue
        if isinstance(field.widget, forms.SelectMultiple | forms.CheckboxSelectMultiple):
            yield bound.html_name, [str(v) for v in value or ()]
        elif value is None:
            yield bound.html_name, ""
        elif isinstance(value, list | tuple):
            yield bound.html_name, [str(v) for v in value]
        else:
            yield bound.html_name, str(value)


def form_data(response, **changes) -> dict:
    """The POST body a browser would send back for the admin change form in ``response``, with ``changes``.

    Includes the hidden version field and every inline formset (management form included).
    """
    context = response.context
    all_forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        all_forms.append(inline.formset.management_form)
        all_forms.extend(inline.formset.forms)
    data = {}
    for form in all_forms:
        data.update(_field_items(form))
    data.update({key: "" if value is None else value for key, value in changes.items()})
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def merge(client, experts, *, target):
    """Confirm the merge of ``experts`` into ``target``, as the confirmation page posts it."""
    from django.urls import reverse

    return client.post(
        reverse("admin:claims_expert_changelist"),
        {"action": "merge_experts", "_selected_action": [e.pk for e in experts], "post": "yes", "target": target.pk},
        follow=True,
    )

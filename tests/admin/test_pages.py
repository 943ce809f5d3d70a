"""Every page of the curated admin answers a curator (not a superuser) and sends anonymous visitors to log in."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from claims.models import Affiliation, Alias, Article, Claim, Expert, Organization, Outlet, Topic
from tests import factories

pytestmark = pytest.mark.django_db

CURATED = [Claim, Article, Expert, Alias, Affiliation, Organization, Outlet, Topic]
WITH_HISTORY = [Claim, Article, Expert, Affiliation, Organization]
# Articles are created by ingestion only: their text is stored once and never edited, so the admin has no add page.
WITHOUT_ADD_PAGE = {Article}


@pytest.fixture
def records():
    claim = factories.ClaimFactory(topics=[factories.TopicFactory()])
    affiliation = factories.AffiliationFactory(expert=claim.expert)
    return {
        Claim: claim,
        Article: claim.article,
        Expert: claim.expert,
        Alias: claim.expert.aliases.first(),
        Affiliation: affiliation,
        Organization: affiliation.organization,
        Outlet: claim.article.outlet,
        Topic: claim.topics.first(),
    }


def _url(model, view, *args):
    return reverse(f"admin:claims_{model._meta.model_name}_{view}", args=args)


def test_every_curated_model_is_registered_and_prediction_models_are_left_to_their_own_module():
    registered = set(admin.site._registry)
    assert set(CURATED) <= registered
    from claims.models import Event, EvidenceLink, Prediction

    assert not {Event, EvidenceLink, Prediction} & {
        m
        for m in registered
        if type(admin.site._registry[m]).__module__
        in ("claims.admin.claims", "claims.admin.articles", "claims.admin.people")
    }


def test_admin_index_lists_the_curated_models(admin_ui):
    response = admin_ui.get(reverse("admin:index"))
    assert response.status_code == 200
    for model in CURATED:
        assert _url(model, "changelist") in response.content.decode()


@pytest.mark.parametrize("model", CURATED, ids=lambda m: m.__name__)
def test_changelist_add_change_and_history_pages_answer_a_curator(admin_ui, records, model):
    obj = records[model]
    assert admin_ui.get(_url(model, "changelist")).status_code == 200
    assert admin_ui.get(_url(model, "change", obj.pk)).status_code == 200
    add = admin_ui.get(_url(model, "add"))
    assert add.status_code == (403 if model in WITHOUT_ADD_PAGE else 200)
    if model in WITH_HISTORY:
        assert admin_ui.get(_url(model, "history", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", CURATED, ids=lambda m: m.__name__)
def test_anonymous_visitors_are_sent_to_the_login_page(records, model):
    client = Client()
    obj = records[model]
    for url in (_url(model, "changelist"), _url(model, "add"), _url(model, "change", obj.pk)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_a_staff_user_outside_the_curators_group_sees_nothing(records):
    outsider = factories.UserFactory(username="outsider", is_staff=True)
    client = Client()
    client.force_login(outsider)
    assert client.get(_url(Claim, "changelist")).status_code == 403


def test_curators_cannot_delete_claims_or_articles(admin_ui, records):
    assert admin_ui.get(_url(Claim, "delete", records[Claim].pk)).status_code == 403
    assert admin_ui.get(_url(Article, "delete", records[Article].pk)).status_code == 403


def test_history_cannot_be_reverted_from_the_admin(admin_ui, records):
    claim = records[Claim]
    record = claim.history.first()
    url = reverse("admin:claims_claim_simple_history", args=[claim.pk, record.pk])
    assert admin_ui.get(url).status_code == 200
    assert admin_ui.post(url, {"notes": "reverted"}).status_code == 403
    claim.refresh_from_db()
    assert claim.notes == ""


@pytest.mark.parametrize(
    ("model", "field", "term"),
    [
        (Claim, "expert", "Number"),
        (Claim, "article", "Article"),
        (Claim, "affiliation", "fellow"),
        (Claim, "topics", "Topic"),
    ],
)
def test_autocompletes_of_the_claim_form_answer(admin_ui, records, model, field, term):
    response = admin_ui.get(
        reverse("admin:autocomplete"),
        {"app_label": "claims", "model_name": model._meta.model_name, "field_name": field, "term": term},
    )
    assert response.status_code == 200
    assert response.json()["results"]

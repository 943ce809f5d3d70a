"""The admin's side of experts' kinds (list filter, editable, the curator's mark) and topics' cue phrases."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import Claim, Expert, Topic
from tests import factories
from tests.conftest import form_data, messages_of

pytestmark = pytest.mark.django_db

EXPERTS = reverse("admin:claims_expert_changelist")
TOPICS = reverse("admin:claims_topic_changelist")


def test_the_experts_list_filters_by_kind(admin_ui):
    factories.ExpertFactory(name="Jane Analyst", kind="analyst")
    factories.ExpertFactory(name="John Analyst", kind="analyst")
    factories.ExpertFactory(name="Joe Official", kind="official")
    response = admin_ui.get(EXPERTS, {"kind__exact": "analyst"})
    assert {e.name for e in response.context["cl"].result_list} == {"Jane Analyst", "John Analyst"}


def test_a_kind_chosen_in_the_admin_is_the_curators(admin_ui):
    expert = factories.ExpertFactory(name="Andrei Lankov")
    url = reverse("admin:claims_expert_change", args=[expert.pk])
    page = admin_ui.get(url)
    assert admin_ui.post(url, form_data(page, bio="Professor.")).status_code == 302
    expert.refresh_from_db()
    assert (expert.kind, expert.kind_curated) == ("other", False)  # untouched: still ingestion's to refine
    page = admin_ui.get(url)
    response = admin_ui.post(url, form_data(page, kind="academic"))
    assert response.status_code == 302, response.context["errors"]
    expert.refresh_from_db()
    assert (expert.kind, expert.kind_curated) == ("academic", True)


def test_adding_an_expert_with_a_kind(admin_ui):
    data = {"name": "Jane Roe", "kind": "journalist", "wikidata_id": "", "bio": ""}
    for prefix in ("aliases", "affiliations"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    assert admin_ui.post(reverse("admin:claims_expert_add"), data).status_code == 302
    expert = Expert.objects.get()
    assert (expert.kind, expert.kind_curated) == ("journalist", True)


def test_cues_are_edited_in_the_admin_and_a_regular_expression_is_refused(admin_ui):
    topic = factories.TopicFactory(slug="sanctions", name="Sanctions")
    url = reverse("admin:claims_topic_change", args=[topic.pk])
    page = admin_ui.get(url)
    response = admin_ui.post(url, form_data(page, cues="sanction\nsanction(s)?"))
    assert response.status_code == 200
    assert "Line 2" in response.content.decode()
    page = admin_ui.get(url)
    assert admin_ui.post(url, form_data(page, cues="sanction\nasset freeze")).status_code == 302
    assert Topic.objects.get(pk=topic.pk).cues == "sanction\nasset freeze"


def test_the_topic_action_files_existing_claims_and_keeps_other_topics(admin_ui):
    sanctions = factories.TopicFactory(slug="sanctions", name="Sanctions", cues="embargo")
    other = factories.TopicFactory(slug="other", name="Other", cues="weather")
    expert = factories.ExpertFactory(name="Jane Roe")
    hit = factories.claim_with_text("The embargo will hold", expert=expert, topics=[other])
    miss = factories.claim_with_text("The weather was fine", expert=expert)
    response = admin_ui.post(
        TOPICS, {"action": "assign_to_claims", "_selected_action": [sanctions.pk], "index": 0}, follow=True
    )
    assert "1 of 2 claims gained 1 topic link(s); no topic was removed." in messages_of(response)
    assert set(Claim.objects.get(pk=hit.pk).topics.values_list("slug", flat=True)) == {"sanctions", "other"}
    assert not Claim.objects.get(pk=miss.pk).topics.exists()  # "weather" is another topic's cue: not selected

"""The prediction and event admin, for a Curators-group staff user: pages, resolving, stale copies, evidence inlines."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Event, EvidenceLink, Prediction
from claims.services.predictions import prediction_update
from tests.conftest import filter_choices, form_data, messages_of

pytestmark = pytest.mark.django_db

RESOLVE = reverse("admin:claims_prediction_resolve")
CHANGELIST = reverse("admin:claims_prediction_changelist")


@pytest.fixture
def admin_ui(curator) -> Client:
    assert not curator.is_superuser
    client = Client()
    client.force_login(curator)
    return client


def change_url(obj) -> str:
    return reverse(f"admin:claims_{obj._meta.model_name}_change", args=[obj.pk])


def resolve_page(client, *predictions):
    return client.get(RESOLVE, {"ids": ",".join(str(p.pk) for p in predictions)})


def resolve_post(client, page, **changes):
    form = page.context["form"]
    data = {"ids": page.context["ids"], "versions": form["versions"].value(), "outcome": "", "note": ""}
    data.update(changes)
    return client.post(RESOLVE, data)


class TestPages:
    @pytest.mark.parametrize("model", ["prediction", "event"])
    def test_changelist_add_change_and_history_answer_a_curator(self, admin_ui, forecasts, model):
        obj = forecasts.p[3] if model == "prediction" else forecasts.summit19
        for view, args in (("changelist", []), ("add", []), ("change", [obj.pk]), ("history", [obj.pk])):
            response = admin_ui.get(reverse(f"admin:claims_{model}_{view}", args=args))
            assert response.status_code == 200, (view, response.status_code)

    def test_change_page_shows_quote_probability_outcome_and_resolve_link(self, admin_ui, forecasts):
        page = admin_ui.get(change_url(forecasts.p[3])).content.decode()
        assert "I expect it is hard for Kim Jong Un" in page
        assert "0.675 (band 0.55\u20130.80)" in page
        assert "Came true" in page and f"{RESOLVE}?ids={forecasts.p[3].pk}" in page
        assert "Victory Day parade" in page

    def test_anonymous_visitors_go_to_the_login_page(self, forecasts):
        for url in (CHANGELIST, RESOLVE, change_url(forecasts.summit19)):
            response = Client().get(url)
            assert response.status_code == 302 and reverse("admin:login") in response["Location"]

    def test_nobody_deletes_predictions_or_events(self, admin_ui, forecasts):
        assert admin_ui.get(reverse("admin:claims_prediction_delete", args=[forecasts.p[0].pk])).status_code == 403
        assert admin_ui.get(reverse("admin:claims_event_delete", args=[forecasts.parade.pk])).status_code == 403

    def test_changelist_filters_and_search(self, admin_ui, forecasts):
        response = admin_ui.get(CHANGELIST, {"outcome__exact": "pending"})
        assert {p.pk for p in response.context["cl"].result_list} == {forecasts.p[i].pk for i in (5, 6, 8, 9)}
        response = admin_ui.get(CHANGELIST, {"q": "andrey lankov"})
        assert {p.pk for p in response.context["cl"].result_list} == {forecasts.p[i].pk for i in (0, 1, 2, 9)}


class TestResolve:
    def test_the_action_leads_to_the_resolve_page(self, admin_ui, forecasts):
        targets = [forecasts.p[5], forecasts.p[6]]
        response = admin_ui.post(
            CHANGELIST, {"action": "resolve_selected", "_selected_action": [p.pk for p in targets], "index": 0}
        )
        assert response.status_code == 302
        assert response["Location"] == f"{RESOLVE}?ids={targets[0].pk}%2C{targets[1].pk}"

    def test_resolving_records_outcome_events_note_resolver_time_and_history(self, admin_ui, curator, forecasts):
        pending = forecasts.p[5]
        page = resolve_page(admin_ui, pending)
        assert page.status_code == 200 and page.context["form"]["versions"].value() == f"{pending.pk}:1"
        response = resolve_post(
            admin_ui, page, outcome="came_true", events=[forecasts.summit19.pk], note="The summit was held."
        )
        assert response.status_code == 302 and response["Location"] == change_url(pending)
        pending.refresh_from_db()
        assert pending.outcome == "came_true" and pending.resolved_by == curator and pending.resolved_at
        assert pending.resolution_note == "The summit was held." and pending.version == 2
        assert list(pending.events.all()) == [forecasts.summit19]
        assert pending.history.first().history_user == curator
        assert "Resolved 1 prediction as \u201ccame true\u201d." in messages_of(admin_ui.get(change_url(pending)))

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"outcome": "came_true", "note": "x"}, "A resolution names at least one event"),
            ({"events": ["EVENT"], "note": "x"}, "This field is required"),
            ({"outcome": "came_true", "events": ["EVENT"]}, "A resolution says why"),
            ({"outcome": "pending", "events": ["EVENT"], "note": "x"}, "Select a valid choice"),
        ],
    )
    def test_a_resolution_needs_outcome_events_and_note(self, admin_ui, forecasts, changes, message):
        pending = forecasts.p[5]
        if changes.get("events") == ["EVENT"]:
            changes["events"] = [forecasts.summit19.pk]
        response = resolve_post(admin_ui, resolve_page(admin_ui, pending), **changes)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert Prediction.objects.get(pk=pending.pk).outcome == "pending"

    def test_a_service_refusal_is_shown_on_the_form(self, admin_ui, forecasts):
        pending = forecasts.p[6]  # horizon 2024: "came true late" needs an event after it
        response = resolve_post(
            admin_ui, resolve_page(admin_ui, pending), outcome="came_true_late", events=[forecasts.veto.pk], note="x"
        )
        assert response.status_code == 200 and "after 2024-12-31" in response.content.decode()
        assert Prediction.objects.get(pk=pending.pk).outcome == "pending"

    def test_a_stale_copy_is_refused_with_a_clear_message_and_nothing_is_written(self, admin_ui, forecasts):
        pending = forecasts.p[5]
        page = resolve_page(admin_ui, pending)
        prediction_update(prediction=pending, data={"proposition": "Edited by a colleague meanwhile."})
        response = resolve_post(admin_ui, page, outcome="came_true", events=[forecasts.summit19.pk], note="x")
        assert response.status_code == 200
        text = response.content.decode()
        assert "changed by someone else since you loaded it" in text and "version 1, the current one is 2" in text
        fresh = Prediction.objects.get(pk=pending.pk)
        assert fresh.outcome == "pending" and fresh.proposition == "Edited by a colleague meanwhile."

    def test_several_at_once_all_or_nothing(self, admin_ui, forecasts):
        first, second = forecasts.p[5], forecasts.p[8]
        page = resolve_page(admin_ui, first, second)
        prediction_update(prediction=second, data={"hedge": "likely"})
        response = resolve_post(admin_ui, page, outcome="did_not_happen", events=[forecasts.veto.pk], note="No.")
        assert response.status_code == 200
        assert Prediction.objects.get(pk=first.pk).outcome == "pending"  # rolled back with the stale one
        page = resolve_page(admin_ui, first, second)
        response = resolve_post(admin_ui, page, outcome="did_not_happen", events=[forecasts.veto.pk], note="No.")
        assert response.status_code == 302 and response["Location"] == CHANGELIST
        assert set(Prediction.objects.filter(pk__in=[first.pk, second.pk]).values_list("outcome", flat=True)) == {
            "did_not_happen"
        }

    def test_tampered_versions_are_refused(self, admin_ui, forecasts):
        page = resolve_page(admin_ui, forecasts.p[5])
        response = resolve_post(
            admin_ui, page, versions="nonsense", outcome="came_true", events=[forecasts.summit19.pk], note="x"
        )
        assert "lost track of the versions" in response.content.decode()

    def test_a_resolved_prediction_can_be_resolved_again_starting_from_its_resolution(self, admin_ui, forecasts):
        page = resolve_page(admin_ui, forecasts.p[3])
        form = page.context["form"]
        assert form.initial["outcome"] == "came_true" and form.initial["note"] == "Judged in the tests."

    def test_nothing_selected(self, admin_ui, forecasts):
        response = admin_ui.get(RESOLVE, {"ids": "999999"})
        assert response.status_code == 302 and response["Location"] == CHANGELIST

    def test_a_user_without_the_change_permission_cannot_resolve(self, forecasts):
        from tests import factories

        viewer = factories.UserFactory(username="viewer", is_staff=True)
        client = Client()
        client.force_login(viewer)
        assert client.get(RESOLVE, {"ids": forecasts.p[5].pk}).status_code == 403


class TestEditPrediction:
    def test_editing_the_hedge_goes_through_the_service(self, admin_ui, curator, forecasts):
        target = forecasts.p[5]
        page = admin_ui.get(change_url(target))
        response = admin_ui.post(change_url(target), form_data(page, hedge="very likely"))
        assert response.status_code == 302
        target.refresh_from_db()
        assert (target.hedge_category, target.probability, target.version) == ("very_likely", 0.875, 2)
        assert target.history.first().history_user == curator

    def test_a_stale_change_form_is_refused(self, admin_ui, forecasts):
        target = forecasts.p[5]
        page = admin_ui.get(change_url(target))
        prediction_update(prediction=target, data={"proposition": "Meanwhile."})
        response = admin_ui.post(change_url(target), form_data(page, hedge="very likely"))
        assert response.status_code == 200 and "changed by someone else" in response.content.decode()
        target.refresh_from_db()
        assert target.hedge == "" and target.proposition == "Meanwhile."

    def test_adding_a_prediction_to_a_predictive_claim(self, admin_ui, forecasts):
        from claims.choices import ClaimKind
        from tests.factories import claim_with_text

        claim = claim_with_text(
            "Kim will visit Russia next year",
            expert=forecasts.cho,
            published_on=datetime.date(2018, 5, 1),
            kind=ClaimKind.PREDICTION,
        )
        response = admin_ui.post(
            reverse("admin:claims_prediction_add"),
            {
                "claim": claim.pk,
                "proposition": "Kim Jong Un will visit Russia in 2019.",
                "hedge": "I think",
                "horizon_text": "next year",
                "horizon_start": "",
                "horizon_end": "",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        made = Prediction.objects.get(claim=claim)
        assert (made.probability, made.low_confidence) == (0.675, True)
        assert (made.horizon_start, made.horizon_end) == (datetime.date(2019, 1, 1), datetime.date(2019, 12, 31))


class TestEvents:
    def inline(self, prefix="evidence", rows=()):
        data = {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        for i, row in enumerate(rows):
            data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
        return data

    def test_add_an_event_with_evidence(self, admin_ui, forecasts):
        response = admin_ui.post(
            reverse("admin:claims_event_add"),
            {
                "title": "Treaty enters into force",
                "occurred_on": "2024-12-04",
                "date_precision": "day",
                "description": "Instruments exchanged in Moscow.",
                "topics": [forecasts.military.pk],
                **self.inline(rows=[{"url": "interfax.example/108291", "publisher": "Interfax", "title": "In force"}]),
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        made = Event.objects.get(title="Treaty enters into force")
        assert made.slug == "2024-12-04-treaty-enters-into-force"
        assert list(made.topics.all()) == [forecasts.military]
        assert [(e.url, e.publisher) for e in made.evidence.all()] == [("https://interfax.example/108291", "Interfax")]

    def test_change_evidence_inline(self, admin_ui, forecasts):
        target = forecasts.summit19
        page = admin_ui.get(change_url(target))
        data = form_data(page, description="Changed in the admin.")
        first = target.evidence.order_by("id").first()
        prefix = "evidence"
        data[f"{prefix}-0-title"] = "Renamed"
        data[f"{prefix}-1-DELETE"] = "on"
        response = admin_ui.post(change_url(target), data)
        assert response.status_code == 302, response.content.decode()[:3000]
        target.refresh_from_db()
        assert target.description == "Changed in the admin."
        assert list(EvidenceLink.objects.filter(event=target).values_list("pk", "title")) == [(first.pk, "Renamed")]

    def test_a_bad_evidence_url_is_a_form_error(self, admin_ui, forecasts):
        target = forecasts.parade
        page = admin_ui.get(change_url(target))
        data = form_data(page)
        data["evidence-0-url"] = "not a url at all"
        response = admin_ui.post(change_url(target), data)
        assert response.status_code == 200 and "Enter a valid URL" in response.content.decode()


class TestQueryCounts:
    @pytest.mark.parametrize("model", ["prediction", "event"])
    def test_changelist_queries_do_not_grow_with_rows(self, admin_ui, forecasts, resolver, model):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.factories import grow

        url = reverse(f"admin:claims_{model}_changelist")
        admin_ui.get(url)
        with CaptureQueriesContext(connection) as before:
            assert admin_ui.get(url).status_code == 200
        grow(forecasts, 15)
        with CaptureQueriesContext(connection) as after:
            response = admin_ui.get(url)
        assert len(response.context["cl"].result_list) > 15
        assert len(before) == len(after), "\n".join(q["sql"] for q in after.captured_queries)


def test_the_due_for_judgement_queue_lists_pending_forecasts_past_their_horizon(admin_ui, forecasts):
    html = admin_ui.get(CHANGELIST).content.decode()
    assert "Due for judgement (1)" in html and "?due=yes" in html
    response = admin_ui.get(CHANGELIST, {"due": "yes"})
    assert list(response.context["cl"].result_list) == [forecasts.p[6]]  # pending, horizon ended in 2024
    # The headers mark the order of the rows: the horizon's end, oldest first (not the list's default, "made").
    page = response.content.decode()
    assert 'class="sortable column-horizon sorted ascending"' in page and "column-made_on sorted" not in page
    assert 'class="sortable column-made_on sorted' in admin_ui.get(CHANGELIST).content.decode()


def test_an_empty_due_queue_says_nothing_is_due(admin_ui):
    from tests import factories

    factories.make_prediction(
        "It will happen one day.",
        expert=factories.ExpertFactory(),
        made=datetime.date(2020, 1, 1),
        horizon=(None, datetime.date(2999, 1, 1)),
    )  # pending, not due
    page = admin_ui.get(CHANGELIST, {"due": "yes"}).content.decode()
    assert "Nothing is due for judgement" in page and 'name="action"' not in page
    assert "No forecast matches these filters" in admin_ui.get(CHANGELIST, {"q": "no such words"}).content.decode()


def test_the_topic_filters_of_forecasts_and_events_name_their_empty_choice_in_words(admin_ui, forecasts):
    forecasts_page = admin_ui.get(CHANGELIST)
    assert filter_choices(forecasts_page, "topics")[-1] == "No topic"
    events_page = admin_ui.get(reverse("admin:claims_event_changelist"))
    assert filter_choices(events_page, "topics")[-1] == "No topic"
    assert "-" not in filter_choices(forecasts_page, "topics") + filter_choices(events_page, "topics")

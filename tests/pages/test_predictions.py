"""The public /predictions/ page and the page of one prediction: content, filters, visibility, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims.choices import Outcome
from claims.models import Prediction
from tests import factories
from tests.factories import event, make_prediction

pytestmark = pytest.mark.django_db

INDEX = "/predictions/"


@pytest.fixture
def browser() -> Client:
    return Client()


def html(response) -> str:
    return response.content.decode()


class TestIndex:
    def test_timeline_table_legend_and_scorecards(self, browser, forecasts):
        response = browser.get(INDEX)
        assert response.status_code == 200
        page = html(response)
        assert "Kim Jong Un will not visit Russia in May 2015." in page
        assert '<svg viewBox="0 0 1000' in page and 'class="row outcome-came_true"' in page
        for label in ("Came true", "Came true late", "Partly", "Did not happen", "Cannot be judged", "Pending"):
            assert label in page  # outcomes are written out, not shown by colour alone
        assert page.count('<article class="scorecard') == 4  # everyone shown, then Lankov, Cho, Park
        assert 'id="scorecard-cho-han-bum"' in page and "Calibration" in page
        assert "Brier score" in page and "Caution:" in page

    def test_no_inline_script_and_only_local_assets(self, browser, forecasts):
        page = html(browser.get(INDEX))
        assert "<script>" not in page and "<script " in page
        for attr in ('src="http', 'href="http'):
            assert attr not in page
        assert "/static/claims/predictions/predictions.js" in page

    def test_unapproved_claims_are_invisible_to_visitors(self, browser, forecasts):
        page = html(browser.get(INDEX))
        assert "An unreviewed forecast about oil sanctions" not in page
        assert browser.get(f"/predictions/{forecasts.hidden.pk}/").status_code == 404

    def test_curators_see_everything(self, curator, forecasts):
        client = Client()
        client.force_login(curator)
        assert "An unreviewed forecast about oil sanctions" in html(client.get(INDEX))

    def test_filter_by_expert(self, browser, forecasts):
        response = browser.get(INDEX, {"expert": "cho-han-bum"})
        assert response.status_code == 200
        assert [p.pk for p in response.context["predictions"]] == [forecasts.p[i].pk for i in (3, 4, 5)]
        assert "Andrei Lankov" not in html(response).split('id="table-title"')[1]

    def test_filter_by_topic(self, browser, forecasts):
        response = browser.get(INDEX, {"topic": "sanctions"})
        assert {p.pk for p in response.context["predictions"]} == {forecasts.p[i].pk for i in (0, 1, 7)}

    def test_filter_by_both(self, browser, forecasts):
        response = browser.get(INDEX, {"expert": "andrei-lankov", "topic": "sanctions"})
        assert {p.pk for p in response.context["predictions"]} == {forecasts.p[0].pk, forecasts.p[1].pk}

    def test_the_form_offers_only_experts_and_topics_with_visible_predictions(self, browser, forecasts):
        factories.ExpertFactory(name="Nobody Forecasts", slug="nobody-forecasts")
        form = browser.get(INDEX).context["form"]
        assert [e.slug for e in form.fields["expert"].queryset] == [
            "cho-han-bum",
            "andrei-lankov",
            "park-byung-hwan",
        ]  # by sort name
        assert {t.slug for t in form.fields["topic"].queryset} == {
            "sanctions",
            "summit-diplomacy",
            "military-cooperation",
        }

    def test_an_unknown_expert_is_a_400_with_the_form_explaining(self, browser, forecasts):
        response = browser.get(INDEX, {"expert": "nobody"})
        assert response.status_code == 400
        assert "Select a valid choice" in html(response)

    def test_no_predictions(self, browser, db):
        response = browser.get(INDEX)
        assert response.status_code == 200 and "No forecasts match" in html(response)

    def test_undated_forecasts_are_listed_beside_the_timeline(self, browser, forecasts):
        article = forecasts.p[5].claim.article
        article.published_on, article.date_precision = None, "unknown"
        article.save()
        page = html(browser.get(INDEX))
        assert "Not on the timeline" in page and "A summit will be held" in page

    def test_query_count_does_not_grow_with_predictions(self, browser, forecasts, resolver):
        Prediction.objects.exclude(pk=forecasts.p[3].pk).delete()
        with CaptureQueriesContext(connection) as one:
            assert browser.get(INDEX).status_code == 200
        for i in range(20):
            expert = factories.ExpertFactory(name=f"Page Expert{i}")
            topic = factories.TopicFactory(name=f"Page topic {i}", slug=f"page-topic-{i}")
            happened = event(f"Page event {i}", datetime.date(2019, 1, 1) + datetime.timedelta(days=i), topic)
            make_prediction(
                f"Page forecast {i}",
                expert=expert,
                made=datetime.date(2016, 1, 1) + datetime.timedelta(days=i),
                topics=[topic],
                hedge="likely",
                outcome=Outcome.CAME_TRUE,
                events=[happened],
                resolver=resolver,
            )
        with CaptureQueriesContext(connection) as twenty_one:
            response = browser.get(INDEX)
        assert len(response.context["predictions"]) == 21
        assert len(one) == len(twenty_one), "\n".join(q["sql"] for q in twenty_one.captured_queries)


class TestDetail:
    def test_shows_the_quote_forecast_outcome_reasons_and_evidence(self, browser, forecasts):
        cho = forecasts.p[3]
        response = browser.get(f"/predictions/{cho.pk}/")
        assert response.status_code == 200
        page = html(response)
        assert "Kim Jong Un will not visit Russia in May 2015." in page
        assert "I expect it is hard for Kim Jong Un to visit Russia in May" in page
        assert "Came true" in page and "Judged in the tests." in page
        assert "Victory Day parade" in page and f"https://news.example/{forecasts.parade.slug}/0" in page
        assert f"/api/predictions/{cho.pk}?format=jsonld" in page

    def test_unknown_is_404(self, browser, db):
        assert browser.get("/predictions/999999/").status_code == 404

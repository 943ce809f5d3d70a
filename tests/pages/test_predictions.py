"""The public /predictions/ page and the page of one prediction: content, filters, visibility, query counts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims.choices import Outcome
from claims.models import Prediction
from claims.pages.views import (
    PAGE_SIZE,
    build_leaderboard,
    build_scorecard,
    build_scorecards,
    made_on_display,
    select_experts,
)
from claims.selectors.predictions import (
    expert_standings,
    forecasts_by_expert,
    prediction_list,
    standings_of,
    stored_forecasts_by_expert,
)
from claims.services.track_records import track_records_rebuild
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
    def test_timeline_table_legend_leaderboard_and_scorecards(self, browser, forecasts):
        response = browser.get(INDEX)
        assert response.status_code == 200
        page = html(response)
        assert "Kim Jong Un will not visit Russia in May 2015." in page
        assert 'class="chart timeline-svg"' in page and "verdict-right" in page
        for label in ("Right", "Right but late", "Wrong", "Partly right", "Not judgeable", "Pending"):
            assert label in page  # verdicts are written out, not shown by colour alone
        # Only experts with judged forecasts get a scorecard (Park's one resolved forecast cannot be judged).
        assert page.count('<article class="scorecard') == 3  # everyone shown, then Lankov, Cho
        # Compact: one row each in the scorecards' table; their charts fold away in a <details> below it.
        assert page.count('<tr id="scorecard-') == 3 and 'id="scorecard-cho-han-bum-row"' in page
        charts = page.split('<details class="more-lines calibration-cards">')[1].split("</details>")[0]
        assert charts.count('class="chart calibration"') == 3
        assert 'id="scorecard-cho-han-bum"' in page and 'id="scorecard-park-byung-hwan"' not in page
        assert "Calibration" in page and "Brier score" in page and "Caution:" in page
        board = response.context["leaderboard"]
        assert [line.expert.slug for line in board] == ["andrei-lankov", "cho-han-bum"]
        assert all(line.rank is None for line in board)  # fewer than five judged each: unranked, with the caution
        assert "only 3 judged<" in page

    def test_the_timeline_shades_horizons_and_dots_a_late_forecast_past_its_horizon(self, browser, forecasts):
        page = html(browser.get(INDEX))
        svg = page.split('class="chart timeline-svg"')[1].split("</svg>")[0]
        # Lankov's visit "in May" 2015 came true in 2019: right but late, dotted past the horizon in its colour.
        assert 'class="series serie-0 color-0 horizon-band"><path d="M' in svg
        assert re.search(r'class="series serie-\d+ color-\d+ late verdict-right_late"><path d="M', svg)
        assert "horizon 1 May 2015 to 31 May 2015" in svg
        # The legend explains both marks.
        legend = page.split('class="legend"')[1].split("</div>")[0]
        assert "shaded: the horizon" in legend and "dotted: past the horizon" in legend and "right but late" in legend

    def test_two_far_horizons_are_clipped_at_the_timeline_s_edge_and_the_table_gives_them(self, browser):
        near = [
            make_prediction(
                f"Near forecast {n} about the talks",
                expert=factories.ExpertFactory(name=f"Near Expert{n}"),
                made=datetime.date(2023, 1 + n, 10),
                horizon=(None, datetime.date(2024 + n % 3, 6, 30)),
            )
            for n in range(8)
        ]
        far = [
            make_prediction(
                f"Far forecast {n} about reunification",
                expert=factories.ExpertFactory(name=f"Far Expert{n}"),
                made=datetime.date(2024, 5 + n, 1),
                horizon=(None, datetime.date(2034, 12 - n, 1)),
            )
            for n in range(2)
        ]
        response = browser.get(INDEX)
        page = html(response)
        svg = page.split('class="chart timeline-svg"')[1].split("</svg>")[0]
        ticks = re.findall(r"<text[^>]*>(\w+)</text><title>", svg)
        assert ticks[-1] == "2027" and "2034" not in ticks
        assert svg.count('class="dot arrow"') == 2 and "runs on past the chart's edge, to 1 Dec 2034" in svg
        assert response.context["timeline"].past_axis == {p.pk for p in far}
        for prediction in far:
            row = page.split(f'<tr id="prediction-{prediction.pk}"')[1].split(">")[0]
            assert "past-axis" in row
        assert all(f'id="prediction-{p.pk}" data-prediction="{p.pk}" class="verdict-pending"' in page for p in near)
        assert "Dec 2034" in page and "Nov 2034" in page  # the table's horizon column

    def test_colour_says_whether_the_forecaster_was_right_and_the_outcome_is_text(self, browser, forecasts):
        predictions = {p.pk: p for p in browser.get(INDEX).context["predictions"]}
        verdicts = {i: predictions[forecasts.p[i].pk].verdict for i in (0, 1, 2, 3, 4, 5, 7)}
        assert verdicts == {
            0: "right",
            1: "wrong",
            2: "right_late",
            3: "right",
            4: "partly",
            5: "pending",
            7: "not_judgeable",
        }
        page = html(browser.get(INDEX))
        row = page.split(f'id="prediction-{forecasts.p[1].pk}"')[1].split("</tr>")[0]
        assert 'class="badge verdict-wrong">Wrong<' in row and "Event: <strong>did not happen</strong>" in row

    def test_a_correct_low_forecast_of_an_event_that_did_not_happen_is_right(self, browser, forecasts, resolver):
        low = make_prediction(
            "Kim is very unlikely to travel to Moscow in May",
            expert=forecasts.cho,
            made=datetime.date(2015, 3, 1),
            hedge="very unlikely",
            horizon=(datetime.date(2015, 5, 1), datetime.date(2015, 5, 31)),
            outcome=Outcome.DID_NOT_HAPPEN,
            events=[forecasts.parade],
            resolver=resolver,
        )
        page = html(browser.get(INDEX))
        row = page.split(f'id="prediction-{low.pk}"')[1].split("</tr>")[0]
        assert 'class="verdict-right"' in page.split(f'id="prediction-{low.pk}"')[1][:60]
        assert ">Right<" in row and "did not happen" in row

    def test_the_leaderboard_is_bounded_and_says_how_many_are_left_out(self, browser, forecasts, monkeypatch):
        from claims.pages import views

        monkeypatch.setattr(views, "MAX_UNRANKED", 1)
        response = browser.get(INDEX)
        assert [line.expert.slug for line in response.context["leaderboard"]] == ["andrei-lankov"]
        assert "1 more expert with fewer than 5 judged forecasts" in html(response)

    def test_a_pending_forecast_past_its_horizon_says_it_is_due(self, browser, forecasts):
        page = html(browser.get(INDEX))
        due = page.split(f'id="prediction-{forecasts.p[6].pk}"')[1].split("</tr>")[0]
        assert "Due for judgement" in due and 'class="due"' in due and "Event:" not in due
        open_ended = page.split(f'id="prediction-{forecasts.p[5].pk}"')[1].split("</tr>")[0]
        assert "Due for judgement" not in open_ended

    def test_paged_newest_first(self, browser, forecasts):
        # The 9 forecasts of the fixture, and enough newer ones that the 4 oldest go to page 2.
        newer = PAGE_SIZE - 5
        for i in range(newer):
            make_prediction(f"Paged forecast {i}", expert=forecasts.park, made=datetime.date(2025, 1, 1 + i))
        first = browser.get(INDEX)
        assert len(first.context["predictions"]) == PAGE_SIZE and first.context["total"] == newer + 9
        assert first.context["predictions"][0].proposition == f"Paged forecast {newer - 1}"
        assert 'rel="next"' in html(first) and "Page 1 of 2" in html(first)
        second = browser.get(INDEX, {"page": "2"})
        assert [p.pk for p in second.context["predictions"]] == [forecasts.p[i].pk for i in (1, 4, 3, 2)]
        assert 'rel="prev"' in html(second) and 'rel="next"' not in html(second)
        assert browser.get(INDEX, {"page": "0"}).status_code == 400

    def test_filters_outcome_hedge_dates_and_due(self, browser, forecasts):
        def shown(params):
            response = browser.get(INDEX, params)
            assert response.status_code == 200, html(response)
            return {p.pk for p in response.context["predictions"]}

        p = forecasts.p
        assert shown({"outcome": "pending"}) == {p[5].pk, p[6].pk, p[8].pk}
        assert shown({"hedge": "likely"}) == {p[1].pk, p[2].pk, p[3].pk}
        assert shown({"made_after": "2022-01-01"}) == {p[6].pk, p[7].pk, p[8].pk}
        assert shown({"made_before": "2015-12-31"}) == {p[2].pk, p[3].pk, p[4].pk}
        assert shown({"horizon_before": "2016-12-31"}) == {p[2].pk, p[3].pk, p[4].pk}
        assert shown({"due": "on"}) == {p[6].pk}  # pending, horizon ended in 2024
        assert browser.get(INDEX, {"outcome": "maybe"}).status_code == 400

    def test_the_leaderboard_ranks_by_brier_score_with_an_interval(self, browser, forecasts, resolver):
        for expert, hedge, n in ((forecasts.park, "almost certain", 6), (forecasts.cho, "likely", 5)):
            for i in range(n):
                make_prediction(
                    f"{expert.name} forecast {i} about the talks",
                    expert=expert,
                    made=datetime.date(2020, 1, 1 + i),
                    hedge=hedge,
                    outcome=Outcome.CAME_TRUE,
                    events=[forecasts.vostochny],
                    resolver=resolver,
                )
        response = browser.get(INDEX)
        board = response.context["leaderboard"]
        assert [(line.expert.slug, line.rank) for line in board] == [
            ("park-byung-hwan", 1),  # sure and right: the lower Brier score
            ("cho-han-bum", 2),
            ("andrei-lankov", None),
        ]
        cho = board[1].record
        assert cho.brier_low < cho.brier_score < cho.brier_high
        assert f"{cho.brier_low:.2f}–{cho.brier_high:.2f}" in html(response)

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

    def test_curators_see_everything_with_the_unapproved_marked(self, curator, forecasts):
        client = Client()
        client.force_login(curator)
        page = html(client.get(INDEX))
        assert "An unreviewed forecast about oil sanctions" in page
        row = page.split(f'id="prediction-{forecasts.hidden.pk}"')[1].split("</tr>")[0]
        assert "unreviewed" in page.split(f'id="prediction-{forecasts.hidden.pk}"')[1][:80]
        assert "Not public: awaiting review" in row
        assert page.count("Not public:") == 1

    def test_filter_by_expert(self, browser, forecasts):
        response = browser.get(INDEX, {"expert": "cho-han-bum"})
        assert response.status_code == 200
        assert [p.pk for p in response.context["predictions"]] == [forecasts.p[i].pk for i in (5, 4, 3)]  # newest first
        assert "Andrei Lankov" not in html(response).split('id="table-title"')[1]

    def test_filter_by_topic(self, browser, forecasts):
        response = browser.get(INDEX, {"topic": "sanctions"})
        assert {p.pk for p in response.context["predictions"]} == {forecasts.p[i].pk for i in (0, 1, 7)}

    def test_filter_by_both(self, browser, forecasts):
        response = browser.get(INDEX, {"expert": "andrei-lankov", "topic": "sanctions"})
        assert {p.pk for p in response.context["predictions"]} == {forecasts.p[0].pk, forecasts.p[1].pk}

    def test_the_form_offers_only_topics_with_visible_predictions(self, browser, forecasts):
        assert {t.slug for t in browser.get(INDEX).context["form"].fields["topic"].queryset} == {
            "sanctions",
            "summit-diplomacy",
            "military-cooperation",
        }

    def test_the_expert_field_suggests_names_and_matches_a_typed_name_without_javascript(self, browser, forecasts):
        page = html(browser.get(INDEX))
        assert 'list="expert-names"' in page and '<datalist id="expert-names">' in page
        by_slug = browser.get(INDEX, {"expert": "cho-han-bum"}).context["predictions"]
        for typed in ("Cho Han-bum", "han-bum cho", "Cho"):
            response = browser.get(INDEX, {"expert": typed})
            assert response.status_code == 200
            assert [p.pk for p in response.context["predictions"]] == [p.pk for p in by_slug], typed

    def test_an_unknown_expert_matches_nothing(self, browser, forecasts):
        response = browser.get(INDEX, {"expert": "nobody"})
        assert response.status_code == 200
        assert "No forecasts match" in html(response)

    def test_an_expert_name_of_too_many_parts_is_a_400_with_the_form_explaining(self, browser, forecasts):
        response = browser.get(INDEX, {"expert": " ".join(["kim"] * 20)})
        assert response.status_code == 400
        assert 'class="errors"' in html(response)

    def test_no_predictions(self, browser, db):
        response = browser.get(INDEX)
        assert response.status_code == 200 and "No forecasts match" in html(response)

    def test_undated_forecasts_are_listed_beside_the_timeline(self, browser, forecasts):
        article = forecasts.p[5].claim.article
        article.published_on, article.date_precision = None, "unknown"
        article.save()
        page = html(browser.get(INDEX))
        assert "Not on the timeline" in page and "A summit will be held" in page

    # Unfiltered, the leaderboard and scorecards read the stored counts; filtered, the matching predictions.
    @pytest.mark.parametrize("query", ["", "?outcome=came_true"])
    def test_query_count_does_not_grow_with_predictions(self, browser, forecasts, resolver, query):
        Prediction.objects.exclude(pk=forecasts.p[3].pk).delete()
        track_records_rebuild()  # the rows went behind the services' back
        with CaptureQueriesContext(connection) as one:
            assert browser.get(INDEX + query).status_code == 200
        for i in range(PAGE_SIZE - 1):  # a full page
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
        with CaptureQueriesContext(connection) as full:
            response = browser.get(INDEX + query)
        assert len(response.context["predictions"]) == PAGE_SIZE
        assert len(one) == len(full), "\n".join(q["sql"] for q in full.captured_queries)


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


class TestStoredCounts:
    """The leaderboard and scorecards from the stored counts are those computed from the predictions themselves."""

    @pytest.mark.parametrize("who", ["public", "curator"])
    def test_same_leaderboard_and_scorecards_as_from_the_predictions(self, forecasts, curator, who, resolver):
        user = curator if who == "curator" else AnonymousUser()
        for expert, hedge, outcome, n in (
            (forecasts.park, "almost certain", Outcome.CAME_TRUE, 6),
            (forecasts.cho, "likely", Outcome.DID_NOT_HAPPEN, 5),
        ):
            for i in range(n):
                make_prediction(
                    f"{expert.name} forecast {i} about the talks",
                    expert=expert,
                    made=datetime.date(2020, 1, 1 + i),
                    hedge=hedge,
                    outcome=outcome,
                    events=[forecasts.vostochny],
                    resolver=resolver,
                )
        computed = forecasts_by_expert(prediction_list(user=user))
        selection = select_experts(standings_of(computed))
        # Every expert's standing summed by the database is the one computed from their predictions ...
        by_id = lambda standings: sorted(standings, key=lambda s: s.expert_id)  # noqa: E731
        assert by_id(expert_standings(user=user)) == by_id(standings_of(computed))
        assert select_experts(expert_standings(user=user)) == selection
        # ... and the shown experts' stored counts give the same lines and cards.
        stored = stored_forecasts_by_expert(user=user, experts=selection.experts)
        assert stored.pending == computed.pending and stored.topic_names == computed.topic_names
        assert stored.made == prediction_list(user=user).count()
        assert build_leaderboard(selection, stored).lines == build_leaderboard(selection, computed).lines
        assert build_scorecards(selection, stored) == build_scorecards(selection, computed)
        everyone = [build_scorecard(None, g.resolved, g.pending, g.topics, g.topic_names) for g in (stored, computed)]
        assert everyone[0] == everyone[1]
        assert len(selection.scorecards) >= 2  # the world has several judged experts: the test compares something
        assert selection.ranked and selection.unranked
        # Only the experts asked for are read.
        assert {g.expert.pk for g in stored.experts} == selection.experts

    def test_the_stored_rows_of_every_expert_are_those_of_the_predictions(self, forecasts):
        stored = stored_forecasts_by_expert(user=AnonymousUser())
        computed = forecasts_by_expert(prediction_list(user=AnonymousUser()))

        def rows(groups):
            return {g.expert.pk: (sorted(g.resolved, key=str), g.pending) for g in groups.experts}

        assert rows(stored) == rows(computed) and len(stored.experts) >= 3

    def test_one_experts_stored_counts(self, forecasts):
        cho = forecasts.p[3].claim.expert
        stored = stored_forecasts_by_expert(user=AnonymousUser(), expert_id=cho.pk)
        assert [g.expert for g in stored.experts] == [cho]


@pytest.mark.parametrize(
    ("published_on", "precision", "shown"),
    [
        (datetime.date(2014, 11, 15), "day", "15 Nov 2014"),
        (datetime.date(2014, 11, 1), "month", "Nov 2014"),
        (datetime.date(2014, 1, 1), "year", "2014"),
        (None, "unknown", "undated"),
    ],
)
def test_the_made_column_writes_a_month_as_short_as_a_day(published_on, precision, shown):
    """A month spelled out ("November 2014") ran into the forecaster's name in the table's narrow column."""
    article = factories.ArticleFactory.build(published_on=published_on, date_precision=precision)
    prediction = Prediction(claim=factories.ClaimFactory.build(article=article))
    assert made_on_display(prediction) == shown

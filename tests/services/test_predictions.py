"""The prediction and event services: probabilities from hedges, horizons from phrases, the resolution rules."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from claims.choices import ClaimKind, Outcome
from claims.models import Event, EvidenceLink, Prediction
from claims.services import predictions as services
from claims.services.errors import StaleVersionError
from tests import factories
from tests.factories import claim_with_text

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def claim():
    return claim_with_text(
        "I expect it is hard for Kim Jong Un to visit Russia in May",
        expert=factories.ExpertFactory(name="Cho Han-bum"),
        published_on=D(2015, 2, 13),
        kind=ClaimKind.PREDICTION,
    )


@pytest.fixture
def prediction(claim):
    return services.prediction_create(
        claim=claim,
        proposition="Kim Jong Un will not visit Russia in May 2015.",
        hedge="I expect",
        horizon_text="in May",
    )


@pytest.fixture
def user():
    return factories.UserFactory(username="judge")


@pytest.fixture
def parade():
    return factories.EventFactory(title="Victory Day parade", slug="parade", occurred_on=D(2015, 5, 9))


class TestPredictionCreate:
    def test_probability_and_horizon_are_derived(self, prediction):
        assert (prediction.hedge_category, prediction.scale) == ("likely", "extended")
        assert (prediction.probability_low, prediction.probability, prediction.probability_high) == (0.55, 0.675, 0.8)
        assert prediction.low_confidence is True
        assert (prediction.horizon_start, prediction.horizon_end) == (D(2015, 5, 1), D(2015, 5, 31))
        assert prediction.outcome == Outcome.PENDING and prediction.version == 1

    def test_inverted_icd203_hedge(self, claim):
        made = services.prediction_create(
            claim=claim, proposition="No relief.", hedge="very unlikely", hedge_inverted=True
        )
        assert (made.probability_low, made.probability, made.probability_high) == (0.8, 0.875, 0.95)
        assert made.scale == "icd203" and not made.low_confidence

    def test_unhedged_has_no_probability(self, claim):
        made = services.prediction_create(claim=claim, proposition="It will happen.")
        assert made.probability is None and made.scale == "none" and made.hedge_category == "unhedged"

    def test_explicit_dates_win_over_the_phrase(self, claim):
        made = services.prediction_create(
            claim=claim, proposition="x", horizon_text="in May", horizon_start=D(2015, 4, 1), horizon_end=D(2015, 6, 30)
        )
        assert (made.horizon_start, made.horizon_end) == (D(2015, 4, 1), D(2015, 6, 30))

    def test_only_a_predictive_claim_carries_a_prediction(self, claim):
        claim.kind = ClaimKind.ASSESSMENT
        claim.save()
        with pytest.raises(ValidationError) as error:
            services.prediction_create(claim=claim, proposition="x")
        assert "claim" in error.value.message_dict

    def test_one_prediction_per_claim(self, prediction, claim):
        with pytest.raises(ValidationError):
            services.prediction_create(claim=claim, proposition="Again.")

    def test_a_horizon_ending_before_it_starts_is_refused(self, claim):
        with pytest.raises(ValidationError):
            services.prediction_create(
                claim=claim, proposition="x", horizon_start=D(2016, 1, 1), horizon_end=D(2015, 1, 1)
            )


class TestPredictionUpdate:
    def test_a_new_hedge_recomputes_the_probability(self, prediction, user):
        changed = services.prediction_update(
            prediction=prediction, data={"hedge": "almost certainly"}, expected_version=1, user=user
        )
        assert (changed.hedge_category, changed.scale, changed.probability) == ("almost_certain", "icd203", 0.97)
        assert changed.version == 2
        assert changed.history.first().history_user == user

    def test_inverting_recomputes(self, prediction):
        changed = services.prediction_update(prediction=prediction, data={"hedge_inverted": True})
        assert (changed.probability_low, changed.probability_high) == (0.2, 0.45)

    def test_a_new_horizon_phrase_is_read_into_a_window(self, prediction):
        changed = services.prediction_update(prediction=prediction, data={"horizon_text": "in 2016"})
        assert (changed.horizon_start, changed.horizon_end) == (D(2016, 1, 1), D(2016, 12, 31))

    def test_stale_copy_is_refused(self, prediction):
        services.prediction_update(prediction=prediction, data={"proposition": "First edit."})
        with pytest.raises(StaleVersionError):
            services.prediction_update(prediction=prediction, data={"proposition": "Second."}, expected_version=1)
        assert Prediction.objects.get(pk=prediction.pk).proposition == "First edit."

    def test_outcome_cannot_be_set_by_an_update(self, prediction):
        with pytest.raises(ValueError, match="outcome"):
            services.prediction_update(prediction=prediction, data={"outcome": "came_true"})


class TestPredictionResolve:
    def test_records_outcome_events_resolver_time_note_in_one_history_entry(self, prediction, parade, user):
        before = prediction.history.count()
        resolved = services.prediction_resolve(
            prediction=prediction,
            outcome="came_true",
            events=[parade],
            user=user,
            note="He stayed home.",
            expected_version=1,
        )
        assert resolved.outcome == "came_true" and resolved.resolved_by == user
        assert resolved.resolved_at is not None and resolved.resolution_note == "He stayed home."
        assert list(resolved.events.all()) == [parade] and resolved.version == 2
        assert prediction.history.count() == before + 1
        latest = prediction.history.first()
        assert latest.outcome == "came_true" and latest.history_user == user
        assert [row.event_id for row in latest.events.all()] == [parade.pk]

    def test_without_an_event_is_refused(self, prediction, user):
        with pytest.raises(ValidationError) as error:
            services.prediction_resolve(prediction=prediction, outcome="came_true", events=[], user=user, note="x")
        assert error.value.message_dict["events"] == [services.NO_EVENTS]
        assert Prediction.objects.get(pk=prediction.pk).outcome == Outcome.PENDING

    @pytest.mark.parametrize("who", [None, "anonymous"])
    def test_without_a_resolver_is_refused(self, prediction, parade, who):
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser() if who else None
        with pytest.raises(ValidationError) as error:
            services.prediction_resolve(
                prediction=prediction, outcome="came_true", events=[parade], user=user, note="x"
            )
        assert error.value.message_dict["resolved_by"] == [services.NO_RESOLVER]

    def test_without_a_note_is_refused(self, prediction, parade, user):
        with pytest.raises(ValidationError) as error:
            services.prediction_resolve(
                prediction=prediction, outcome="came_true", events=[parade], user=user, note=" "
            )
        assert error.value.message_dict["resolution_note"] == [services.NO_NOTE]

    @pytest.mark.parametrize("outcome", ["pending", "maybe"])
    def test_pending_or_unknown_outcomes_are_refused(self, prediction, parade, user, outcome):
        with pytest.raises(ValidationError) as error:
            services.prediction_resolve(prediction=prediction, outcome=outcome, events=[parade], user=user, note="x")
        assert "outcome" in error.value.message_dict

    def test_came_true_late_needs_an_event_after_the_horizon(self, prediction, parade, user):
        with pytest.raises(ValidationError) as error:
            services.prediction_resolve(
                prediction=prediction, outcome="came_true_late", events=[parade], user=user, note="x"
            )
        assert "2015-05-31" in error.value.message_dict["events"][0]
        later = factories.EventFactory(slug="later", occurred_on=D(2019, 4, 25))
        resolved = services.prediction_resolve(
            prediction=prediction, outcome="came_true_late", events=[parade, later], user=user, note="Later."
        )
        assert resolved.outcome == "came_true_late"

    def test_came_true_late_of_an_open_ended_forecast_is_the_resolvers_judgement(self, claim, user):
        open_ended = services.prediction_create(claim=claim, proposition="Kim will visit Russia.", hedge="naturally")
        later = factories.EventFactory(slug="later", occurred_on=D(2019, 4, 25))
        resolved = services.prediction_resolve(
            prediction=open_ended, outcome="came_true_late", events=[later], user=user, note="Years later."
        )
        assert resolved.outcome == "came_true_late"

    @pytest.mark.parametrize("outcome", ["came_true", "came_true_late", "partly"])
    def test_an_outcome_that_happened_needs_an_event_after_the_forecast(self, prediction, user, outcome):
        earlier = factories.EventFactory(slug="earlier", occurred_on=D(2014, 11, 18))
        with pytest.raises(ValidationError) as error:
            services.prediction_resolve(prediction=prediction, outcome=outcome, events=[earlier], user=user, note="x")
        assert "2015-02-13" in error.value.message_dict["events"][0]

    @pytest.mark.parametrize("outcome", ["did_not_happen", "cannot_judge"])
    def test_other_outcomes_may_rest_on_earlier_events(self, prediction, user, outcome):
        earlier = factories.EventFactory(slug="earlier", occurred_on=D(2014, 11, 18))
        resolved = services.prediction_resolve(
            prediction=prediction, outcome=outcome, events=[earlier], user=user, note="x"
        )
        assert resolved.outcome == outcome

    def test_stale_copy_is_refused_and_nothing_changes(self, prediction, parade, user):
        services.prediction_update(prediction=prediction, data={"proposition": "Edited meanwhile."})
        with pytest.raises(StaleVersionError):
            services.prediction_resolve(
                prediction=prediction, outcome="came_true", events=[parade], user=user, note="x", expected_version=1
            )
        fresh = Prediction.objects.get(pk=prediction.pk)
        assert fresh.outcome == Outcome.PENDING and not fresh.events.exists()

    def test_resolving_again_replaces_the_resolution(self, prediction, parade, user):
        services.prediction_resolve(prediction=prediction, outcome="came_true", events=[parade], user=user, note="a")
        other = factories.EventFactory(slug="other", occurred_on=D(2015, 6, 1))
        again = services.prediction_resolve(
            prediction=prediction, outcome="partly", events=[other], user=user, note="b", expected_version=2
        )
        assert again.outcome == "partly" and list(again.events.all()) == [other] and again.version == 3


class TestEvents:
    def test_create_with_topics_and_evidence(self, user):
        topic = factories.TopicFactory(slug="summit-diplomacy", name="Summit diplomacy")
        made = services.event_create(
            title="  First Kim-Putin   summit ",
            occurred_on=D(2019, 4, 25),
            description="They met in Vladivostok.",
            topics=[topic],
            evidence=[{"url": "https://www.example.org/a", "publisher": "Example", "title": "They met"}],
            user=user,
        )
        assert made.title == "First Kim-Putin summit" and made.slug == "2019-04-25-first-kim-putin-summit"
        assert list(made.topics.all()) == [topic]
        assert [(e.url, e.publisher) for e in made.evidence.all()] == [("https://www.example.org/a", "Example")]

    def test_slugs_stay_unique(self):
        first = services.event_create(title="Summit", occurred_on=D(2019, 4, 25), description="x")
        second = services.event_create(title="Summit", occurred_on=D(2019, 4, 25), description="y")
        assert first.slug != second.slug

    def test_an_event_needs_a_known_date_precision(self):
        with pytest.raises(ValidationError):
            services.event_create(title="x", occurred_on=D(2019, 1, 1), description="x", date_precision="unknown")

    def test_a_bad_evidence_url_is_refused_and_nothing_is_kept(self):
        with pytest.raises(ValidationError):
            services.event_create(
                title="x",
                occurred_on=D(2019, 1, 1),
                description="x",
                evidence=[{"url": "not a url", "publisher": "p", "title": "t"}],
            )
        assert not Event.objects.exists()

    def test_update_replaces_evidence_matched_by_url(self):
        made = services.event_create(
            title="Summit",
            occurred_on=D(2019, 4, 25),
            description="x",
            evidence=[
                {"url": "https://a.example/1", "publisher": "A", "title": "one"},
                {"url": "https://b.example/2", "publisher": "B", "title": "two"},
            ],
        )
        kept = made.evidence.get(url="https://a.example/1")
        services.event_update(
            event=made,
            data={
                "title": "Summit in Vladivostok",
                "evidence": [
                    {"url": "https://a.example/1", "publisher": "A", "title": "one, corrected"},
                    {"url": "https://c.example/3", "publisher": "C", "title": "three"},
                ],
            },
        )
        made.refresh_from_db()
        assert made.title == "Summit in Vladivostok"
        links = {link.url: link for link in EvidenceLink.objects.filter(event=made)}
        assert set(links) == {"https://a.example/1", "https://c.example/3"}
        assert links["https://a.example/1"].pk == kept.pk and links["https://a.example/1"].title == "one, corrected"

    def test_update_refuses_unknown_fields(self):
        made = services.event_create(title="x", occurred_on=D(2019, 1, 1), description="x")
        with pytest.raises(ValueError):
            services.event_update(event=made, data={"slug": "y"})


class TestOneRuleForEveryCaller:
    """The fixtures builder and the labels use the same rules as the services (issue 11, item 4)."""

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"note": " "}, services.NO_NOTE),
            ({"events": ()}, services.NO_EVENTS),
            ({"outcome": "pending"}, services.RESOLVE_TO_PENDING),
        ],
    )
    def test_the_fixtures_builder_refuses_what_prediction_resolve_refuses(self, monkeypatch, change, message):
        import dataclasses

        from scripts import build_fixtures

        broken = [dataclasses.replace(build_fixtures.PREDICTIONS[0], **change), *build_fixtures.PREDICTIONS[1:]]
        monkeypatch.setattr(build_fixtures, "PREDICTIONS", broken)
        with pytest.raises(build_fixtures.SpecError, match=re.escape(message)):
            build_fixtures.build()

    def test_the_fixtures_builder_refuses_a_happened_outcome_decided_before_the_forecast(self, monkeypatch):
        import dataclasses

        from scripts import build_fixtures

        first = build_fixtures.PREDICTIONS[0]
        made = next(a.published_on for a in build_fixtures.ARTICLES for c in a.claims if c.key == first.claim)
        earlier = next(e.slug for e in build_fixtures.EVENTS if e.occurred_on < made)
        broken = dataclasses.replace(first, outcome="came_true", events=(earlier,))
        monkeypatch.setattr(build_fixtures, "PREDICTIONS", [broken, *build_fixtures.PREDICTIONS[1:]])
        with pytest.raises(build_fixtures.SpecError, match="on or after the day the forecast was made"):
            build_fixtures.build()

    def test_outcome_and_band_labels_are_declared_once(self):
        from claims.choices import HedgeCategory
        from claims.domain.forecasts import BAND_LABELS
        from claims.domain.resolutions import OUTCOME_LABELS, OUTCOME_SHORT_LABELS

        assert dict(Outcome.choices) == OUTCOME_LABELS
        assert {o.value: o.short_label for o in Outcome} == OUTCOME_SHORT_LABELS
        assert Outcome.PARTLY.short_label == "Partly" and Outcome.PARTLY.label == "Partly came true"
        assert {k: v for k, v in HedgeCategory.choices if k != HedgeCategory.UNHEDGED} == BAND_LABELS

    def test_one_hedge_table_feeds_the_probability_mapping_and_the_extractor(self):
        from claims.domain.forecasts import HEDGE_TABLE, map_hedge
        from claims.extraction import claimkind, lexicon

        phrases = [h.phrase for h in HEDGE_TABLE]
        assert len(phrases) == len(set(phrases))
        for h in HEDGE_TABLE:
            if h.band is not None:
                mapping = map_hedge(h.phrase)
                assert (mapping.category, mapping.scale) == (h.band, h.scale), h.phrase
        assert lexicon.FORECAST_HEDGES == {h.phrase for h in HEDGE_TABLE if h.extraction == "forecast"}
        assert set(lexicon.HEDGE_PHRASES) == {h.phrase for h in HEDGE_TABLE if h.extraction is not None}
        kind, hedge, _ = claimkind.classify_claim("Talks are very unlikely to resume.")
        assert (kind, hedge) == ("prediction", "very unlikely")

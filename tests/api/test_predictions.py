"""The predictions, events and track-record endpoints: shape, visibility, strictness, paging, writes, query counts."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims.api.views.predictions import RECORDS_CODE
from claims.choices import ClaimKind, Outcome, ReviewStatus
from claims.models import Claim, Event, Prediction, PublicTrackRecord
from claims.selectors.predictions import public_track_record
from claims.services.claims import claim_review, claim_update
from claims.services.curation import curated_record_delete, curated_record_save
from claims.services.people import expert_merge
from claims.services.predictions import prediction_create, prediction_resolve
from claims.services.track_records import public_track_record_keep
from tests import factories
from tests.conftest import csv_export_rows
from tests.factories import claim_with_text, grow, make_prediction

pytestmark = pytest.mark.django_db

D = datetime.date
PREDICTIONS = "/api/predictions"
EVENTS = "/api/events"


def close(value: float):
    """Scores are rounded to 6 places (claims.track_record.PLACES)."""
    return pytest.approx(value, abs=1e-6)


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def csv_rows(response) -> list[dict]:
    return csv_export_rows(response)


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


class TestPredictionList:
    def test_items_embed_claim_expert_article_and_events_with_evidence(self, api_client, forecasts):
        cho = next(p for p in results(api_client.get(PREDICTIONS)) if p["id"] == forecasts.p[3].pk)
        assert cho["proposition"] == "Kim Jong Un will not visit Russia in May 2015."
        assert (cho["hedge"], cho["hedge_category"], cho["probability"], cho["low_confidence"]) == (
            "I expect",
            "likely",
            0.675,
            True,
        )
        assert (cho["horizon_start"], cho["horizon_end"], cho["made_on"]) == ("2015-05-01", "2015-05-31", "2015-02-13")
        assert cho["outcome"] == "came_true" and cho["resolution_note"]
        assert cho["expert"] == {
            "id": forecasts.cho.pk,
            "name": "Cho Han-bum",
            "slug": "cho-han-bum",
            "kind": "analyst",
        }
        assert cho["claim"]["text"].startswith("I expect it is hard") and cho["claim"]["topics"] == ["summit-diplomacy"]
        assert cho["article"]["published_on"] == "2015-02-13"
        [parade] = cho["events"]
        assert parade["title"] == "Victory Day parade" and parade["occurred_on"] == "2015-05-09"
        assert parade["evidence"] == [
            {
                "url": f"https://news.example/{forecasts.parade.slug}/0",
                "publisher": "Example News",
                "title": "Victory Day parade (0)",
            }
        ]
        assert cho["resolved_by"] is None  # the resolver's username is for curators

    def test_curators_see_the_resolver(self, curator_client, forecasts):
        found = curator_client.get(f"{PREDICTIONS}/{forecasts.p[3].pk}").json()
        assert found["resolved_by"] == "resolver"

    def test_newest_forecast_first_by_default(self, api_client, forecasts):
        made = [p["made_on"] for p in results(api_client.get(PREDICTIONS))]
        assert made == sorted(made, reverse=True)

    def test_anonymous_clients_never_see_predictions_of_unapproved_claims(self, api_client, forecasts):
        hidden = forecasts.hidden.pk
        assert hidden not in [p["id"] for p in results(api_client.get(PREDICTIONS))]
        assert api_client.get(f"{PREDICTIONS}/{hidden}").status_code == 404
        assert api_client.get(f"{PREDICTIONS}/{hidden}", {"format": "jsonld"}).status_code == 404
        assert str(hidden) not in [row["id"] for row in csv_rows(api_client.get(PREDICTIONS, {"format": "csv"}))]
        graph = api_client.get(PREDICTIONS, {"format": "jsonld"}).json()["@graph"]
        assert all(str(hidden) not in node["url"].rstrip("/").rsplit("/", 1)[-1] for node in graph)
        assert len(graph) == len(forecasts.visible)

    def test_curators_see_every_prediction(self, curator_client, forecasts):
        assert forecasts.hidden.pk in [p["id"] for p in results(curator_client.get(PREDICTIONS))]

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"expert": "lankov"}, [0, 1, 2]),
            ({"topic": "sanctions", "resolved": "true"}, [0, 1, 7]),
            ({"outcome": "came_true"}, [0, 3]),
            ({"hedge": "likely"}, [1, 2, 3]),
            ({"horizon_before": "2015-12-31"}, [2, 3]),
        ],
    )
    def test_filters(self, api_client, forecasts, params, expected):
        found = {p["id"] for p in results(api_client.get(PREDICTIONS, params))}
        assert found == {forecasts.p[i].pk for i in expected}

    @pytest.mark.parametrize(
        "params",
        [{"bogus": "1"}, {"outcome": "maybe"}, {"resolved": "yes"}, {"horizon_after": "soon"}, {"ordering": "x"}],
    )
    def test_unknown_or_malformed_parameters_are_400(self, api_client, forecasts, params):
        response = api_client.get(PREDICTIONS, params)
        assert response.status_code == 400
        assert "accepted_parameters" in response.json() or response.json().get("parameter") == "ordering"

    def test_keyset_pages_walk_forward_and_back_without_gaps(self, api_client, forecasts):
        seen, url, pages = [], PREDICTIONS + "?ordering=made_on&limit=4", []
        while url:
            body = api_client.get(url).json()
            pages.append(body)
            seen += [p["id"] for p in body["results"]]
            url = body["next"]
        assert len(seen) == len(set(seen)) == len(forecasts.visible)
        made = [Prediction.objects.get(pk=pk).claim.sort_date for pk in seen]
        assert made == sorted(made)
        back = api_client.get(pages[-1]["previous"]).json()
        assert [p["id"] for p in back["results"]] == [p["id"] for p in pages[-2]["results"]]

    def test_ordering_by_a_nullable_horizon_puts_open_ended_forecasts_last(self, api_client, forecasts):
        found = results(api_client.get(PREDICTIONS, {"ordering": "horizon_end", "limit": 50}))
        ends = [p["horizon_end"] for p in found]
        dated = [e for e in ends if e]
        assert ends[: len(dated)] == sorted(dated) and all(e is None for e in ends[len(dated) :])

    def test_a_cursor_from_another_ordering_is_400(self, api_client, forecasts):
        first = api_client.get(PREDICTIONS, {"ordering": "made_on", "limit": 2}).json()
        cursor = first["next"].split("cursor=")[1].split("&")[0]
        assert api_client.get(PREDICTIONS, {"ordering": "-id", "cursor": cursor}).status_code == 400

    @pytest.mark.parametrize(
        ("param", "value"), [("expert_id", "-2.5e228"), ("expert_id", "1.5"), ("event", "9e99"), ("event", "x")]
    )
    def test_ids_that_are_not_64_bit_whole_numbers_are_400(self, curator_client, forecasts, param, value):
        # The JSON-LD and CSV renderings go through the same FilterSet.
        for fmt in ("json", "jsonld", "csv"):
            response = curator_client.get(PREDICTIONS, {param: value, "format": fmt})
            assert response.status_code == 400, (fmt, response.content[:200])
        assert param in curator_client.get(PREDICTIONS, {param: value}).json()["errors"]

    def test_csv_streams_every_matching_row(self, api_client, forecasts):
        rows = csv_rows(api_client.get(PREDICTIONS, {"format": "csv", "expert": "cho"}))
        assert {int(r["id"]) for r in rows} == {forecasts.p[i].pk for i in (3, 4, 5)}
        assert "expert.name" in rows[0] and "events" in rows[0]

    def test_detail_has_an_etag(self, api_client, forecasts):
        response = api_client.get(f"{PREDICTIONS}/{forecasts.p[0].pk}")
        assert response["ETag"] == '"1"'


class TestQueryCounts:
    """Each list runs the same number of queries for 1 row and for 20, in every format."""

    @pytest.mark.parametrize(
        ("url", "params"),
        [
            (PREDICTIONS, {}),
            (PREDICTIONS, {"format": "jsonld"}),
            (PREDICTIONS, {"topic": "summit-diplomacy"}),
            (EVENTS, {}),
        ],
    )
    @pytest.mark.parametrize("as_curator", [False, True])
    def test_constant_queries(self, api_client, curator_client, forecasts, url, params, as_curator):
        client = curator_client if as_curator else api_client
        client.get(url)  # warm-up: a forced-authenticated user caches its permissions after the first request
        Prediction.objects.exclude(pk=forecasts.p[3].pk).delete()
        Event.objects.exclude(pk=forecasts.parade.pk).delete()
        with CaptureQueriesContext(connection) as one:
            response = client.get(url, {**params, "limit": 1})
        assert response.status_code == 200
        grow(forecasts, 20)
        with CaptureQueriesContext(connection) as twenty:
            response = client.get(url, {**params, "limit": 20})
        assert response.status_code == 200
        body = response.json()
        assert len(body.get("results", body.get("@graph", []))) == 20
        assert len(one) == len(twenty), "\n".join(q["sql"] for q in twenty.captured_queries)

    @pytest.mark.parametrize("url", [PREDICTIONS, EVENTS])
    def test_csv_queries_do_not_grow_with_rows(self, api_client, forecasts, url):
        Prediction.objects.exclude(pk=forecasts.p[3].pk).delete()
        Event.objects.exclude(pk=forecasts.parade.pk).delete()
        with CaptureQueriesContext(connection) as one:
            assert len(csv_rows(api_client.get(url, {"format": "csv"}))) == 1
        grow(forecasts, 20)
        with CaptureQueriesContext(connection) as more:
            assert len(csv_rows(api_client.get(url, {"format": "csv"}))) > 20
        assert len(one) == len(more)

    def test_track_record_queries_do_not_grow_with_predictions(self, api_client, forecasts):
        url = f"/api/experts/{forecasts.lankov.pk}/track-record"
        with CaptureQueriesContext(connection) as before:
            api_client.get(url)
        for i in range(10):
            make_prediction(
                f"Another Lankov forecast {i}", expert=forecasts.lankov, made=D(2020, 1, 1), topics=[forecasts.military]
            )
        with CaptureQueriesContext(connection) as after:
            assert api_client.get(url).json()["overall"]["made"] == 13
        assert len(before) == len(after)
        with CaptureQueriesContext(connection) as stored:
            assert api_client.get(url).json()["overall"]["made"] == 13

        def own(captured):  # but savepoints and the anonymous throttle's counter in the database cache
            return [q["sql"] for q in captured if "django_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]

        # Computed: the expert with the stored record's revision (and on PostgreSQL the counts), the counts
        # (SQLite), the record stored; stored: one statement.
        assert len(own(after.captured_queries)) <= 3, "\n".join(own(after.captured_queries))
        assert len(own(stored.captured_queries)) == 1, "\n".join(own(stored.captured_queries))


def keep(expert, revision) -> bool:
    return public_track_record_keep(
        expert_id=expert.pk, revision=revision, overall="{}", topics="[]", computed_by=RECORDS_CODE
    )


def read(expert):
    return public_track_record(expert_id=expert.pk, computed_by=RECORDS_CODE)


class TestStoredTrackRecord:
    """The public's record is stored (PublicTrackRecord) and served in one statement, never stale after a write."""

    @staticmethod
    def body(client, expert) -> bytes:
        response = client.get(f"/api/experts/{expert.pk}/track-record")
        assert response.status_code == 200
        return response.content

    @staticmethod
    def from_scratch(client, expert, monkeypatch) -> bytes:
        """The body computed anew: no stored record, nothing kept per process (then stored again)."""
        from claims.api.views import predictions as views
        from claims.selectors import predictions

        monkeypatch.setattr(predictions, "_RECORDS", {})
        monkeypatch.setattr(views, "_SERIALIZED", {})
        PublicTrackRecord.objects.filter(expert=expert).update(overall=None, topics=None)
        return TestStoredTrackRecord.body(client, expert)

    def stored_then_written(self, client, expert, write, monkeypatch) -> tuple[bytes, bytes]:
        """The body before and after ``write``, checking the second was not the stale stored one."""
        before = self.body(client, expert)
        assert self.body(client, expert) == before
        assert PublicTrackRecord.objects.get(expert=expert).overall is not None
        write()
        assert PublicTrackRecord.objects.filter(expert=expert, overall__isnull=False).count() == 0
        after = self.body(client, expert)
        assert after == self.from_scratch(client, expert, monkeypatch)
        return before, after

    def test_the_same_bytes_computed_stored_and_for_every_format(self, api_client, forecasts, monkeypatch):
        url = f"/api/experts/{forecasts.lankov.pk}/track-record"
        computed = {accept: api_client.get(url, HTTP_ACCEPT=accept).content for accept in self.ACCEPTS}
        assert PublicTrackRecord.objects.get(expert=forecasts.lankov).overall is not None
        stored = {accept: api_client.get(url, HTTP_ACCEPT=accept).content for accept in self.ACCEPTS}
        assert stored == computed
        assert json.loads(stored["application/json"])["overall"]["made"] == 3

    ACCEPTS = ("application/json", "application/json; indent=4", "text/csv")

    def test_a_record_written_by_other_code_is_computed_again(self, api_client, forecasts):
        """A deploy that changes the math or the serializers: records stored before it are not served."""
        url = f"/api/experts/{forecasts.lankov.pk}/track-record"
        computed = api_client.get(url).content
        stored = PublicTrackRecord.objects.filter(expert=forecasts.lankov, topics__isnull=False)
        assert stored.update(overall='{"made":-1}', computed_by="the code before a deploy") == 1
        assert api_client.get(url).content == computed
        assert PublicTrackRecord.objects.get(expert=forecasts.lankov).computed_by == RECORDS_CODE
        assert api_client.get(url).content == computed

    def test_a_resolution(self, api_client, forecasts, curator, monkeypatch):
        pending = make_prediction("Lankov expects talks", expert=forecasts.lankov, made=D(2020, 1, 1), hedge="likely")

        def write():
            prediction_resolve(
                prediction=pending, outcome=Outcome.CAME_TRUE, events=[forecasts.veto], user=curator, note="Talks."
            )

        before, after = self.stored_then_written(api_client, forecasts.lankov, write, monkeypatch)
        assert json.loads(after)["overall"]["came_true"] == json.loads(before)["overall"]["came_true"] + 1

    def test_a_review(self, api_client, forecasts, curator, monkeypatch):
        claim = forecasts.p[0].claim

        def write():
            claim_review(claim=claim, status=ReviewStatus.REJECTED, user=curator)

        before, after = self.stored_then_written(api_client, forecasts.lankov, write, monkeypatch)
        assert json.loads(after)["overall"]["made"] == json.loads(before)["overall"]["made"] - 1

    def test_re_topicking(self, api_client, forecasts, monkeypatch):
        claim = forecasts.p[0].claim

        def write():
            claim_update(claim=claim, data={"topics": [forecasts.military]})

        before, after = self.stored_then_written(api_client, forecasts.lankov, write, monkeypatch)
        topics = lambda body: {t["topic"] for t in json.loads(body)["topics"]}  # noqa: E731
        assert "military-cooperation" in topics(after) - topics(before)

    def test_a_merge(self, api_client, forecasts, monkeypatch):
        before, after = self.stored_then_written(
            api_client,
            forecasts.lankov,
            lambda: expert_merge(target=forecasts.lankov, duplicates=[forecasts.cho]),
            monkeypatch,
        )
        assert json.loads(after)["overall"]["made"] > json.loads(before)["overall"]["made"]

    def test_a_new_forecast(self, api_client, forecasts, monkeypatch):
        def write():
            prediction_create(
                claim=claim_with_text("Lankov thinks it likely.", expert=forecasts.lankov, kind=ClaimKind.PREDICTION),
                proposition="It.",
                hedge="likely",
            )

        before, after = self.stored_then_written(api_client, forecasts.lankov, write, monkeypatch)
        assert json.loads(after)["overall"]["made"] == json.loads(before)["overall"]["made"] + 1

    def test_a_topic_renamed_or_deleted(self, api_client, forecasts, curator, monkeypatch):
        def rename():
            forecasts.sanctions.name = "Sanctions and relief"
            curated_record_save(record=forecasts.sanctions, user=curator)

        _, after = self.stored_then_written(api_client, forecasts.lankov, rename, monkeypatch)
        assert "Sanctions and relief" in {t["name"] for t in json.loads(after)["topics"]}
        _, after = self.stored_then_written(
            api_client,
            forecasts.lankov,
            lambda: curated_record_delete(record=forecasts.sanctions, user=curator),
            monkeypatch,
        )
        assert "sanctions" not in {t["topic"] for t in json.loads(after)["topics"]}

    def test_an_expert_merged_away_or_no_longer_public_is_404(self, api_client, forecasts):
        park, cho = (f"/api/experts/{expert.pk}/track-record" for expert in (forecasts.park, forecasts.cho))
        assert [api_client.get(url).status_code for url in (park, park, cho, cho)] == [200] * 4
        Claim.objects.filter(expert=forecasts.park).update(status=ReviewStatus.REJECTED)  # behind the services' back
        assert api_client.get(park).status_code == 404  # visibility is read live, beside the stored record
        expert_merge(target=forecasts.lankov, duplicates=[forecasts.cho])
        assert api_client.get(cho).status_code == 404
        assert not PublicTrackRecord.objects.filter(expert_id=forecasts.cho.pk).exists()

    def test_a_record_computed_before_a_write_is_never_stored_after_it(self, forecasts):
        """The race: a reader reads the counts at a revision, a writer commits, the reader stores what it computed."""
        first = read(forecasts.lankov)
        assert first.overall is None and first.computed is not None
        make_prediction("Lankov, meanwhile", expert=forecasts.lankov, made=D(2020, 1, 1))  # bumps the revision
        assert not keep(forecasts.lankov, first.revision)
        again = read(forecasts.lankov)
        assert again.overall is None and again.revision == first.revision + 1
        assert keep(forecasts.lankov, again.revision)
        assert read(forecasts.lankov).overall == "{}"
        assert not keep(forecasts.lankov, first.revision)

    def test_a_record_for_an_expert_merged_away_meanwhile_is_not_stored(self, forecasts):
        first = read(forecasts.cho)
        expert_merge(target=forecasts.lankov, duplicates=[forecasts.cho])
        assert not keep(forecasts.cho, first.revision)
        assert not PublicTrackRecord.objects.filter(expert_id=forecasts.cho.pk).exists()


class TestEvents:
    def test_list_with_topics_and_evidence(self, api_client, forecasts):
        found = results(api_client.get(EVENTS))
        assert [e["occurred_on"] for e in found] == sorted(e["occurred_on"] for e in found)
        summit = next(e for e in found if e["title"] == "Vladivostok summit")
        assert summit["topics"] == ["summit-diplomacy"] and len(summit["evidence"]) == 2

    @pytest.mark.parametrize(
        ("params", "count"),
        [({"date_after": "2023-01-01"}, 3), ({"date_before": "2015-12-31"}, 2), ({"topic": "sanctions"}, 1)],
    )
    def test_filters(self, api_client, forecasts, params, count):
        assert len(results(api_client.get(EVENTS, params))) == count

    @pytest.mark.parametrize("params", [{"bogus": "1"}, {"date_after": "yesterday"}])
    def test_strict(self, api_client, forecasts, params):
        assert api_client.get(EVENTS, params).status_code == 400

    def test_curator_creates_and_changes_an_event_with_evidence(self, curator_client, forecasts):
        response = curator_client.post(
            EVENTS,
            {
                "title": "Treaty enters into force",
                "occurred_on": "2024-12-04",
                "description": "Instruments of ratification exchanged in Moscow.",
                "topics": ["military-cooperation"],
                "evidence": [{"url": "https://interfax.example/1", "publisher": "Interfax", "title": "In force"}],
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        created = response.json()
        assert created["slug"] == "2024-12-04-treaty-enters-into-force"
        assert created["evidence"][0]["publisher"] == "Interfax" and created["date_precision"] == "day"
        changed = curator_client.patch(
            f"{EVENTS}/{created['id']}",
            {"evidence": [{"url": "https://kcna.example/2", "publisher": "KCNA", "title": "Ratified"}]},
            format="json",
        )
        assert changed.status_code == 200
        assert [e["publisher"] for e in changed.json()["evidence"]] == ["KCNA"]
        assert changed.json()["title"] == "Treaty enters into force"

    def test_invalid_event_is_400(self, curator_client):
        response = curator_client.post(
            EVENTS, {"title": "x", "occurred_on": "2024-12-04", "description": "x", "date_precision": "unknown"}
        )
        assert response.status_code == 400


WRITES = [
    ("post", lambda w: PREDICTIONS, lambda w: {"claim": w.spare_claim.pk, "proposition": "It will happen."}),
    ("patch", lambda w: f"{PREDICTIONS}/{w.p[5].pk}", lambda w: {"hedge": "very likely"}),
    (
        "post",
        lambda w: f"{PREDICTIONS}/{w.p[5].pk}/resolve",
        lambda w: {"outcome": "came_true", "events": [w.summit19.pk], "note": "It was held."},
    ),
    ("post", lambda w: EVENTS, lambda w: {"title": "An event", "occurred_on": "2020-01-01", "description": "x"}),
    ("patch", lambda w: f"{EVENTS}/{w.parade.pk}", lambda w: {"description": "Changed."}),
]


@pytest.fixture
def spare_claim(forecasts):
    from claims.choices import ClaimKind
    from tests.factories import claim_with_text

    forecasts.spare_claim = claim_with_text(
        "There will be a summit next year", expert=forecasts.park, published_on=D(2018, 1, 1), kind=ClaimKind.PREDICTION
    )
    return forecasts


class TestWritePermissions:
    @pytest.mark.parametrize(("method", "url", "data"), WRITES)
    def test_anonymous_clients_cannot_write(self, api_client, spare_claim, method, url, data):
        w = spare_claim
        response = getattr(api_client, method)(url(w), data(w), format="json")
        assert response.status_code == 401

    @pytest.mark.parametrize(("method", "url", "data"), WRITES)
    def test_users_without_permissions_cannot_write(self, outsider, spare_claim, method, url, data):
        w = spare_claim
        response = getattr(client_for(outsider), method)(url(w), data(w), format="json")
        assert response.status_code == 403

    @pytest.mark.parametrize(
        ("method", "url", "data", "status"), [(*w, s) for w, s in zip(WRITES, [201, 200, 200, 201, 200], strict=True)]
    )
    def test_curators_can_write(self, curator_client, spare_claim, method, url, data, status):
        w = spare_claim
        response = getattr(curator_client, method)(url(w), data(w), format="json")
        assert response.status_code == status, response.json()

    def test_resolving_needs_the_change_permission_not_the_add_one(self, adder, forecasts):
        response = client_for(adder).post(
            f"{PREDICTIONS}/{forecasts.p[5].pk}/resolve",
            {"outcome": "came_true", "events": [forecasts.summit19.pk], "note": "x"},
            format="json",
        )
        assert response.status_code == 403

    @pytest.mark.parametrize("method", ["put", "delete"])
    def test_no_replacing_or_deleting(self, curator_client, forecasts, method):
        assert getattr(curator_client, method)(f"{PREDICTIONS}/{forecasts.p[0].pk}").status_code == 405
        assert getattr(curator_client, method)(f"{EVENTS}/{forecasts.parade.pk}").status_code == 405


class TestCuratorWrites:
    def test_resolve_through_the_service_with_if_match(self, curator, curator_client, forecasts):
        pending = forecasts.p[5]
        url = f"{PREDICTIONS}/{pending.pk}/resolve"
        payload = {"outcome": "came_true", "events": [forecasts.summit19.pk], "note": "The summit was held in 2019."}
        response = curator_client.post(url, payload, format="json", HTTP_IF_MATCH='"1"')
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["outcome"] == "came_true" and body["version"] == 2 and response["ETag"] == '"2"'
        assert [e["id"] for e in body["events"]] == [forecasts.summit19.pk]
        assert body["resolved_by"] == curator.username and body["resolved_at"]
        stale = curator_client.post(url, {**payload, "outcome": "partly"}, format="json", HTTP_IF_MATCH='"1"')
        assert stale.status_code == 412
        assert "changed by someone else" in stale.json()["detail"]
        assert Prediction.objects.get(pk=pending.pk).outcome == "came_true"

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"outcome": "came_true", "events": [], "note": "x"}, "events"),
            ({"outcome": "pending", "events": [1], "note": "x"}, "outcome"),
            ({"outcome": "came_true", "note": "x"}, "events"),
            ({"outcome": "came_true", "events": [999999], "note": "x"}, "events"),
            ({"outcome": "came_true_late", "events": "EVENT", "note": "x"}, "events"),
        ],
    )
    def test_resolution_refusals_are_400(self, curator_client, forecasts, payload, field):
        if payload.get("events") == "EVENT":
            payload["events"] = [forecasts.parade.pk]  # before the forecast of 2018: refused by the service
        response = curator_client.post(f"{PREDICTIONS}/{forecasts.p[5].pk}/resolve", payload, format="json")
        assert response.status_code == 400, response.json()
        body = response.json()
        assert field in body or field in body.get("errors", {})
        assert Prediction.objects.get(pk=forecasts.p[5].pk).outcome == "pending"

    def test_patch_recomputes_the_probability_and_honours_if_match(self, curator_client, forecasts):
        url = f"{PREDICTIONS}/{forecasts.p[5].pk}"
        response = curator_client.patch(
            url, {"hedge": "highly unlikely", "hedge_inverted": True, "horizon_text": "in 2019"}, format="json"
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert (body["hedge_category"], body["probability"], body["scale"]) == ("very_unlikely", 0.875, "icd203")
        assert (body["horizon_start"], body["horizon_end"]) == ("2019-01-01", "2019-12-31")
        assert curator_client.patch(url, {"proposition": "x"}, HTTP_IF_MATCH='"1"').status_code == 412
        assert curator_client.patch(url, {"outcome": "came_true"}, format="json").json()["outcome"] == "pending"

    def test_create_a_prediction_for_a_predictive_claim(self, curator_client, spare_claim):
        response = curator_client.post(
            PREDICTIONS,
            {
                "claim": spare_claim.spare_claim.pk,
                "proposition": "A summit in 2019.",
                "hedge": "likely",
                "horizon_text": "next year",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["probability"], body["horizon_start"], body["horizon_end"]) == (0.675, "2019-01-01", "2019-12-31")

    def test_a_non_predictive_claim_is_refused(self, curator_client, forecasts):
        claim = factories.ClaimFactory()
        response = curator_client.post(PREDICTIONS, {"claim": claim.pk, "proposition": "x"}, format="json")
        assert response.status_code == 400 and "claim" in response.json()["errors"]


class TestTrackRecord:
    def url(self, expert) -> str:
        return f"/api/experts/{expert.pk}/track-record"

    def test_numbers_overall_and_per_topic(self, api_client, forecasts):
        body = api_client.get(self.url(forecasts.lankov)).json()
        assert body["expert"]["name"] == "Andrei Lankov" and body["minimum_judged"] == 5
        overall = body["overall"]
        # The unreviewed forecast is not counted for anonymous clients.
        assert (overall["made"], overall["resolved"], overall["pending"]) == (3, 3, 0)
        assert (overall["came_true"], overall["came_true_late"], overall["did_not_happen"]) == (1, 1, 1)
        # 0.875 came true; 0.675 "likely" did not happen; 0.675 "probably" came true late (scored 0).
        assert overall["brier_score"] == close(((1 - 0.875) ** 2 + 0.675**2 + 0.675**2) / 3)
        assert overall["hit_rate"] == close(1 / 3) and overall["caution"] is True
        assert [b["band"] for b in overall["calibration"]] == ["likely", "very_likely"]
        topics = {t["topic"]: t for t in body["topics"]}
        assert set(topics) == {"sanctions", "summit-diplomacy"}
        assert topics["sanctions"]["made"] == 2 and topics["sanctions"]["name"] == "Sanctions"
        assert topics["summit-diplomacy"]["brier_score"] == close(0.675**2)

    def test_computed_once_for_the_same_stored_rows_and_again_when_they_change(
        self, api_client, forecasts, monkeypatch
    ):
        from claims.selectors import predictions

        computed = []
        original = predictions._track_record_of_rows
        monkeypatch.setattr(predictions, "_track_record_of_rows", lambda rows: computed.append(1) or original(rows))
        monkeypatch.setattr(predictions, "_RECORDS", {})
        first = api_client.get(self.url(forecasts.lankov)).json()
        assert api_client.get(self.url(forecasts.lankov)).json() == first and len(computed) == 1
        make_prediction("One more Lankov forecast", expert=forecasts.lankov, made=D(2020, 1, 1))
        again = api_client.get(self.url(forecasts.lankov)).json()
        assert again["overall"]["made"] == first["overall"]["made"] + 1 and len(computed) == 2

    def test_curators_count_unreviewed_forecasts(self, curator_client, forecasts):
        overall = curator_client.get(self.url(forecasts.lankov)).json()["overall"]
        assert (overall["made"], overall["pending"]) == (4, 1)

    def test_unhedged_and_cannot_judge(self, api_client, forecasts):
        park = api_client.get(self.url(forecasts.park)).json()["overall"]
        assert (park["made"], park["resolved"], park["cannot_judge"], park["judged"]) == (3, 1, 1, 0)
        assert park["brier_score"] is None and park["hit_rate"] is None

    def test_no_caution_from_five_judged(self, api_client, forecasts, resolver):
        for i in range(3):
            make_prediction(
                f"Extra judged forecast {i}",
                expert=forecasts.lankov,
                made=D(2020, 1, 1),
                hedge="likely",
                outcome=Outcome.CAME_TRUE,
                events=[forecasts.veto],
                resolver=resolver,
            )
        assert api_client.get(self.url(forecasts.lankov)).json()["overall"]["caution"] is False

    def test_unknown_expert_is_404_and_unknown_parameter_400(self, api_client, forecasts):
        assert api_client.get("/api/experts/999999/track-record").status_code == 404
        assert api_client.get("/api/experts/0/track-record").status_code == 404
        assert api_client.get("/api/experts/99999999999999999999999/track-record").status_code == 404
        assert api_client.get(self.url(forecasts.cho), {"bogus": 1}).status_code == 400
        assert api_client.get(self.url(forecasts.cho) + "/").status_code == 200

    def test_in_the_openapi_schema(self, api_client):
        schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
        assert "/api/experts/{id}/track-record" in {p.rstrip("/") for p in schema["paths"]}
        params = {p["name"] for p in schema["paths"]["/api/predictions/"]["get"]["parameters"]}
        expected = {"expert", "outcome", "resolved", "horizon_before", "horizon_after", "topic", "hedge", "cursor"}
        assert expected <= params
        assert "/api/predictions/{id}/resolve/" in schema["paths"]

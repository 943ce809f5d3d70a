"""Experts, articles, organizations, outlets and topics: lists, filters, details, writes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.domain.names import MAX_QUERY_PARTS
from claims.models import Expert, Organization, Topic
from tests import factories
from tests.conftest import csv_export_rows
from tests.factories import article_with_quote, claim_with_text

pytestmark = pytest.mark.django_db

LIST_ENDPOINTS = ["/api/claims", "/api/experts", "/api/articles", "/api/organizations", "/api/outlets", "/api/topics"]


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def grow_world(world, n: int) -> None:
    """Add n rows of everything, each linked the way real data is."""
    for i in range(n):
        org = factories.OrganizationFactory(name=f"Growth Institute {i}")
        expert = factories.ExpertFactory(name=f"Growth Expert{i}", aliases=[f"G. Expert{i}"])
        affiliation = factories.AffiliationFactory(expert=expert, organization=org)
        factories.OutletFactory(name=f"Growth Outlet {i}")
        factories.TopicFactory(name=f"Growth topic {i}")
        claim_with_text(
            f"Growth remark number {i} on sanctions", expert=expert, affiliation=affiliation, topics=[world.sanctions]
        )


class TestQueryCounts:
    """Every list endpoint runs the same number of queries for 1 row and for 20."""

    @pytest.mark.parametrize("url", LIST_ENDPOINTS)
    @pytest.mark.parametrize("as_curator", [False, True])
    def test_constant_queries(self, api_client, curator_client, world, url, as_curator):
        client = curator_client if as_curator else api_client
        client.get(url)  # warm-up: a forced-authenticated user caches its permissions after the first request
        with CaptureQueriesContext(connection) as one:
            assert len(results(client.get(url, {"limit": 1}))) == 1
        grow_world(world, 20)
        with CaptureQueriesContext(connection) as twenty:
            assert len(results(client.get(url, {"limit": 20}))) == 20
        assert len(one) == len(twenty), "\n".join(q["sql"] for q in twenty.captured_queries)

    def test_article_detail_query_count_does_not_grow_with_claims(self, api_client, world):
        article = world.claims[0].article
        with CaptureQueriesContext(connection) as before:
            api_client.get(f"/api/articles/{article.pk}")
        body = article.body
        for s in (0, 10, 20, 30):
            factories.ClaimFactory(article=article, expert=world.cho, start=s, end=s + 5, text=body[s : s + 5])
        with CaptureQueriesContext(connection) as after:
            response = api_client.get(f"/api/articles/{article.pk}")
        assert len(response.json()["claims"]) == 5
        assert len(before) == len(after)


class TestStrictness:
    @pytest.mark.parametrize("url", LIST_ENDPOINTS)
    def test_unknown_parameter_is_400(self, api_client, world, url):
        response = api_client.get(url, {"bogus": "1"})
        assert response.status_code == 400
        assert response.json()["unknown_parameters"] == ["bogus"]

    @pytest.mark.parametrize("url", LIST_ENDPOINTS)
    def test_csv_on_every_list(self, api_client, world, url):
        response = api_client.get(url, {"format": "csv"})
        rows = csv_export_rows(response)
        assert rows and "id" in rows[0]
        assert all("." not in key or key.count(".") <= 2 for key in rows[0])

    @pytest.mark.parametrize("url", LIST_ENDPOINTS)
    def test_trailing_slash_optional(self, api_client, world, url):
        assert api_client.get(url).status_code == 200
        assert api_client.get(url + "/").status_code == 200

    @pytest.mark.parametrize(("url", "param"), [("/api/organizations", "offset"), ("/api/topics", "limit")])
    def test_bad_limit_offset_is_400(self, api_client, world, url, param):
        assert api_client.get(url, {param: "-3"}).status_code == 400


class TestExperts:
    def test_expert_carries_aliases_affiliations_and_claim_count(self, api_client, world):
        body = api_client.get(f"/api/experts/{world.lankov.pk}").json()
        assert body["name"] == "Andrei Lankov"
        assert set(body["aliases"]) == {"Andrei Lankov", "Professor Lankov"}
        assert body["affiliations"][0]["organization"]["name"] == "Kookmin University"
        assert body["claim_count"] == 3  # the unapproved one is not counted for anonymous users
        assert body["url"].endswith(f"/api/experts/{world.lankov.pk}")

    def test_claim_count_counts_everything_for_curators(self, curator_client, world):
        assert curator_client.get(f"/api/experts/{world.lankov.pk}").json()["claim_count"] == 4

    @pytest.mark.parametrize("value", ["lankov", "Andrei", "Lankov Andrei"])
    def test_name_filter(self, api_client, world, value):
        assert [e["id"] for e in results(api_client.get("/api/experts", {"name": value}))] == [world.lankov.pk]

    def test_name_filter_strict_subset_of_three(self, api_client, world):
        for name in ("Kim Seung", "Kim Jong Un", "Kim Yo Jong"):
            factories.public_expert(name=name)
        found = results(api_client.get("/api/experts", {"name": "kim"}))
        assert sorted(e["name"] for e in found) == ["Kim Jong Un", "Kim Seung", "Kim Yo Jong"]
        assert Expert.objects.count() > 3

    def test_name_filter_does_not_merge_similar_people(self, api_client, world):
        factories.public_expert(name="Kim Jong Il")
        un = factories.public_expert(name="Kim Jong Un")
        assert [e["id"] for e in results(api_client.get("/api/experts", {"name": "Kim Jong Un"}))] == [un.pk]

    def test_organization_filter(self, api_client, world):
        for name in ("Second Kookmin", "Third Kookmin"):
            factories.AffiliationFactory(expert=factories.public_expert(name=name), organization=world.kookmin)
        found = results(api_client.get("/api/experts", {"organization": "Kookmin"}))
        assert len(found) == 3 and world.lankov.pk in [e["id"] for e in found]
        assert [e["id"] for e in results(api_client.get("/api/experts", {"organization": "KINU"}))] == [world.cho.pk]

    def test_ordering_by_claim_count(self, api_client, world):
        found = results(api_client.get("/api/experts", {"ordering": "-claim_count"}))
        counts = [e["claim_count"] for e in found]
        assert counts == sorted(counts, reverse=True)

    def test_default_order_is_by_sort_name(self, api_client, world):
        names = [e["sort_name"] for e in results(api_client.get("/api/experts"))]
        assert names == sorted(names)

    def test_create_and_update_expert(self, curator_client):
        response = curator_client.post(
            "/api/experts", {"name": "Professor Jane Roe", "aliases": ["J. Roe"]}, format="json"
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["name"] == "Jane Roe" and set(body["aliases"]) == {"Jane Roe", "J. Roe"}
        patched = curator_client.patch(
            f"/api/experts/{body['id']}", {"bio": "Analyst.", "aliases": ["Jane A. Roe"]}, format="json"
        )
        assert patched.status_code == 200
        assert "Jane A. Roe" in patched.json()["aliases"] and patched.json()["bio"] == "Analyst."
        stale = curator_client.patch(f"/api/experts/{body['id']}", {"bio": "x"}, HTTP_IF_MATCH='"1"')
        assert stale.status_code == 412

    def test_anonymous_cannot_create_an_expert(self, api_client):
        assert api_client.post("/api/experts", {"name": "X Y"}).status_code == 401
        assert not Expert.objects.exists()

    def test_invalid_wikidata_id_is_400(self, curator_client):
        assert curator_client.post("/api/experts", {"name": "A B", "wikidata_id": "42"}).status_code == 400


class TestArticles:
    def test_list_has_no_body_and_detail_has_body_and_visible_claims(self, api_client, world):
        article = world.claims[0].article
        hidden = next(c for c in world.claims if c.status == "extracted")
        listed = next(a for a in results(api_client.get("/api/articles")) if a["id"] == article.pk)
        assert "body" not in listed and listed["outlet"] == "BBC"
        detail = api_client.get(f"/api/articles/{article.pk}").json()
        assert detail["body"] == article.body
        assert [c["id"] for c in detail["claims"]] == [world.claims[0].pk]
        hidden_detail = api_client.get(f"/api/articles/{hidden.article_id}").json()
        assert hidden_detail["claims"] == []

    def test_outlet_filter(self, api_client, world):
        found = results(api_client.get("/api/articles", {"outlet": "nk-news"}))
        assert len(found) == 4 and {a["outlet"] for a in found} == {"NK News"}

    def test_published_range(self, api_client, world):
        found = results(
            api_client.get("/api/articles", {"published_after": "2015-01-01", "published_before": "2020-01-01"})
        )
        assert sorted(a["published_on"] for a in found) == ["2015-02-13", "2015-02-13", "2017-03-01", "2019-04-20"]

    def test_q(self, api_client, world):
        article_with_quote("Nothing about that", title="Sanctions bite hard")
        found = results(api_client.get("/api/articles", {"q": "sanctions"}))
        titles = {a["title"] for a in found}
        assert "Sanctions bite hard" in titles and len(found) == 4

    def test_newest_first_undated_last(self, api_client, world):
        dates = [a["published_on"] for a in results(api_client.get("/api/articles"))]
        assert dates[-1] is None and dates[:-1] == sorted(dates[:-1], reverse=True)

    def test_curator_edits_metadata_and_claims_follow_the_date(self, curator_client, world):
        claim = world.claims[0]
        response = curator_client.patch(
            f"/api/articles/{claim.article_id}", {"published_on": "2019-04-22", "title": "Fixed"}, format="json"
        )
        assert response.status_code == 200, response.json()
        claim.refresh_from_db()
        assert claim.sort_date == datetime.date(2019, 4, 22)

    def test_body_cannot_change(self, curator_client, world):
        article = world.claims[0].article
        response = curator_client.patch(f"/api/articles/{article.pk}", {"body": "new"}, format="json")
        assert response.status_code == 200  # unknown fields are ignored ...
        article.refresh_from_db()
        assert article.body != "new"  # ... and the text never changes


class TestReferenceTables:
    def test_organization_filters(self, api_client, world):
        factories.OrganizationFactory(name="Sejong Institute", kind="think_tank")
        assert [o["acronym"] for o in results(api_client.get("/api/organizations", {"name": "kinu"}))] == ["KINU"]
        think_tanks = results(api_client.get("/api/organizations", {"kind": "think_tank"}))
        assert {o["name"] for o in think_tanks} == {"Korea Institute for National Unification", "Sejong Institute"}
        assert len(results(api_client.get("/api/organizations", {"country": "south korea"}))) == 3

    def test_organization_list_has_a_total(self, api_client, world):
        body = api_client.get("/api/organizations", {"limit": 1}).json()
        assert body["count"] == Organization.objects.count() and len(body["results"]) == 1

    def test_outlet_filters(self, api_client, world):
        assert [o["name"] for o in results(api_client.get("/api/outlets", {"name": "bbc"}))] == ["BBC"]
        assert [o["name"] for o in results(api_client.get("/api/outlets", {"domain": "HANI.CO.KR"}))] == [
            "The Hankyoreh"
        ]

    def test_topic_filters(self, api_client, world):
        factories.TopicFactory(name="Military cooperation", slug="military-cooperation")
        assert [t["slug"] for t in results(api_client.get("/api/topics", {"name": "summit"}))] == ["summit-diplomacy"]
        assert [t["slug"] for t in results(api_client.get("/api/topics", {"slug": "sanctions"}))] == ["sanctions"]

    def test_curator_creates_and_edits_reference_rows(self, curator_client):
        created = curator_client.post("/api/topics", {"slug": "energy", "name": "Energy"})
        assert created.status_code == 201
        org = curator_client.post("/api/organizations", {"name": "Sejong Institute", "kind": "think_tank"})
        assert org.status_code == 201 and org.json()["slug"] == "sejong-institute"
        patched = curator_client.patch(f"/api/organizations/{org.json()['id']}", {"acronym": "SI"})
        assert patched.json()["acronym"] == "SI"
        assert curator_client.post("/api/organizations", {"name": "X", "kind": "cult"}).status_code == 400
        assert curator_client.put(f"/api/topics/{created.json()['id']}", {"slug": "e", "name": "E"}).status_code == 405

    def test_anonymous_cannot_write_reference_rows(self, api_client):
        for url, data in [
            ("/api/topics", {"slug": "x", "name": "X"}),
            ("/api/organizations", {"name": "X"}),
            ("/api/outlets", {"name": "X"}),
        ]:
            assert api_client.post(url, data).status_code == 401
        assert not Topic.objects.exists()


class TestNameMatching:
    """One name rule (claims.domain.names.name_query) for the API's filters, the pages and the admin search."""

    @pytest.fixture
    def koreans(self, db):
        people = {
            "yi": factories.ExpertFactory(name="Lee Jai-chun", slug="lee-jai-chun"),
            "park": factories.ExpertFactory(name="Park Byung Hwan", slug="park-byung-hwan"),
            "jung": factories.ExpertFactory(name="Jung Sang-jang", slug="jung-sang-jang"),
            "choi": factories.ExpertFactory(name="Choi Ryong-hae", slug="choi-ryong-hae"),
            "john": factories.ExpertFactory(name="John Everard", slug="john-everard"),
        }
        for expert in people.values():
            claim_with_text(f"A remark by {expert.name} on the talks", expert=expert)
        return people

    @pytest.mark.parametrize(
        ("search", "who"),
        [
            ("Yi Jai-chun", "yi"),
            ("Rhee Jai-chun", "yi"),
            ("Ri Jai chun", "yi"),
            ("Pak Byung Hwan", "park"),
            ("Chung Sang-jang", "jung"),
            ("Jeong Sang-jang", "jung"),
            ("Ryong Hae Choe", "choi"),
            ("Everard", "john"),
        ],
    )
    def test_romanizations_are_folded_by_every_name_filter(self, api_client, client, curator, koreans, search, who):
        expected = {koreans[who].pk}
        claims = api_client.get("/api/claims", {"expert": search}).json()["results"]
        assert {c["expert"]["id"] for c in claims} == expected
        experts = api_client.get("/api/experts", {"name": search}).json()["results"]
        assert {e["id"] for e in experts} == expected
        client.force_login(curator)
        admin = client.get("/admin/claims/expert/", {"q": search})
        assert {e.pk for e in admin.context["cl"].result_list} == expected

    def test_a_part_as_written_still_matches_inside_other_names(self, api_client, koreans):
        # "jo" as written is in "john"; folded ("cho") it is a substring of "choi", as "cho" always was.
        experts = api_client.get("/api/experts", {"name": "jo"}).json()["results"]
        assert {e["id"] for e in experts} == {koreans["john"].pk, koreans["choi"].pk}

    @pytest.mark.parametrize(("url", "parameter"), [("/api/claims", "expert"), ("/api/experts", "name")])
    def test_too_many_name_parts_answer_400(self, api_client, koreans, url, parameter):
        response = api_client.get(url, {parameter: " ".join(["kim"] * (MAX_QUERY_PARTS + 1))})
        assert response.status_code == 400
        assert parameter in response.json()["errors"]
        assert api_client.get(url, {parameter: " ".join(["lee"] * MAX_QUERY_PARTS)}).status_code == 200

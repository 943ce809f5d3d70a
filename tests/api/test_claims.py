"""The claims endpoint: shape, filters, visibility, ordering, pagination, CSV, writes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.choices import ReviewStatus
from tests import factories
from tests.conftest import csv_export_rows
from tests.factories import claim_with_text

pytestmark = pytest.mark.django_db

URL = "/api/claims"


def texts(response) -> set[str]:
    return {item["text"] for item in response.json()["results"]}


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


class TestClaimList:
    def test_answers_with_and_without_trailing_slash_without_redirect(self, api_client, world):
        for url in ("/api/claims", "/api/claims/", "/api/claims?expert=Lankov", "/api/claims/?expert=Lankov"):
            response = api_client.get(url)
            assert response.status_code == 200, url

    def test_shape_of_a_claim(self, api_client, world):
        claim = world.claims[0]
        item = next(i for i in api_client.get(URL).json()["results"] if i["id"] == claim.pk)
        assert item["text"] == claim.text
        assert item["quote_type"] == "direct" and item["kind"] == "prediction" and item["status"] == "approved"
        assert (item["start"], item["end"]) == (claim.start, claim.end)
        assert item["cue"] == "said"
        assert item["topics"] == ["sanctions"]
        assert item["expert"] == {
            "id": world.lankov.pk,
            "name": "Andrei Lankov",
            "slug": "andrei-lankov",
            "kind": "other",
        }
        assert item["affiliation"]["role"] == "Professor"
        assert item["affiliation"]["organization"] == {
            "id": world.kookmin.pk,
            "name": "Kookmin University",
            "acronym": "",
        }
        assert item["article"]["id"] == claim.article_id
        assert item["article"]["title"] == claim.article.title
        assert item["article"]["outlet"] == "BBC"
        assert item["article"]["published_on"] == "2019-04-20"
        assert item["article"]["url"].endswith(f"/api/articles/{claim.article_id}")
        assert item["url"].endswith(f"/api/claims/{claim.pk}")
        assert "body" not in item["article"]

    def test_claim_without_affiliation_has_null(self, api_client, world):
        claim = world.claims[2]
        assert api_client.get(f"{URL}/{claim.pk}").json()["affiliation"] is None

    def test_anonymous_sees_approved_claims_only(self, api_client, world):
        response = api_client.get(URL)
        assert sorted(ids(response)) == sorted(c.pk for c in world.approved)

    def test_curator_sees_every_claim(self, curator_client, world):
        assert sorted(ids(curator_client.get(URL))) == sorted(c.pk for c in world.claims)

    def test_anonymous_cannot_read_an_unapproved_claim_by_id(self, api_client, world):
        hidden = next(c for c in world.claims if c.status != ReviewStatus.APPROVED)
        assert api_client.get(f"{URL}/{hidden.pk}").status_code == 404

    def test_default_order_is_newest_article_first_undated_last(self, api_client, world):
        results = api_client.get(URL).json()["results"]
        dates = [r["article"]["published_on"] for r in results]
        assert dates[-1] is None
        assert dates[:-1] == sorted(dates[:-1], reverse=True)

    def test_ties_broken_by_id_descending(self, api_client, world):
        same_day = [
            r["id"] for r in api_client.get(URL).json()["results"] if r["article"]["published_on"] == "2015-02-13"
        ]
        assert len(same_day) == 2 and same_day == sorted(same_day, reverse=True)

    @pytest.mark.parametrize("ordering", ["published_on", "-published_on", "id", "-id", "created_at", "-updated_at"])
    def test_whitelisted_orderings(self, api_client, world, ordering):
        response = api_client.get(URL, {"ordering": ordering})
        assert response.status_code == 200
        assert len(ids(response)) == len(world.approved)

    def test_ordering_by_id(self, api_client, world):
        assert ids(api_client.get(URL, {"ordering": "id"})) == sorted(c.pk for c in world.approved)

    def test_unknown_ordering_is_400_listing_accepted(self, api_client, world):
        response = api_client.get(URL, {"ordering": "text"})
        assert response.status_code == 400
        body = response.json()
        assert "ordering" in body["detail"]
        assert "ordering" in body["errors"]


class TestClaimFilters:
    """Each filter selects a strict subset of at least three rows."""

    @pytest.mark.parametrize(
        "value", ["Lankov", "lankov", "andrei lankov", "Lankov, Andrei", "ANDREI", "Professor Lankov"]
    )
    def test_expert_by_name_or_alias(self, api_client, world, value):
        response = api_client.get(URL, {"expert": value})
        assert response.status_code == 200
        assert {r["expert"]["id"] for r in response.json()["results"]} == {world.lankov.pk}
        assert len(ids(response)) == 3

    @pytest.mark.parametrize("value", ["Choe Ryong Hae", "Ryong-Hae Choi", "choi ryong-hae", "ryong hae", "Chóe"])
    def test_expert_spellings_find_the_same_person(self, api_client, world, value):
        response = api_client.get(URL, {"expert": value})
        assert {r["expert"]["id"] for r in response.json()["results"]} == {world.choi.pk}

    def test_expert_that_matches_no_one(self, api_client, world):
        assert ids(api_client.get(URL, {"expert": "Nobody"})) == []

    def test_expert_id(self, api_client, world):
        response = api_client.get(URL, {"expert_id": world.lankov.pk})
        assert len(ids(response)) == 3 < len(world.approved)

    @pytest.mark.parametrize("value", ["KINU", "kinu", "Unification"])
    def test_organization_by_acronym_or_name(self, api_client, world, value):
        response = api_client.get(URL, {"organization": value})
        assert {r["expert"]["id"] for r in response.json()["results"]} == {world.cho.pk}
        assert len(ids(response)) == 2

    def test_organization_subset_of_three(self, api_client, world):
        extra = claim_with_text("A third KINU remark on trade", expert=world.cho, affiliation=world.cho_kinu)
        response = api_client.get(URL, {"organization": "KINU"})
        assert extra.pk in ids(response) and len(ids(response)) == 3 < len(world.approved) + 1

    @pytest.mark.parametrize("value", ["nk-news", "NK News", "nk news"])
    def test_outlet(self, api_client, world, value):
        response = api_client.get(URL, {"outlet": value})
        assert {r["article"]["outlet"] for r in response.json()["results"]} == {"NK News"}
        assert len(ids(response)) == 4

    def test_article(self, api_client, world):
        article = world.claims[0].article
        extra = [
            factories.ClaimFactory(article=article, expert=world.cho, start=s, end=s + 9, text=article.body[s : s + 9])
            for s in (0, 20)
        ]
        response = api_client.get(URL, {"article": article.pk})
        assert sorted(ids(response)) == sorted([world.claims[0].pk, *(c.pk for c in extra)])

    def test_kind(self, api_client, world):
        response = api_client.get(URL, {"kind": "prediction"})
        assert {r["kind"] for r in response.json()["results"]} == {"prediction"}
        assert len(ids(response)) == 2
        factual = api_client.get(URL, {"kind": "factual"})
        assert len(ids(factual)) == 2

    def test_quote_type(self, api_client, world):
        assert len(ids(api_client.get(URL, {"quote_type": "direct"}))) == 5
        assert [r["quote_type"] for r in api_client.get(URL, {"quote_type": "indirect"}).json()["results"]] == [
            "indirect"
        ]

    def test_status_for_curators(self, curator_client, world):
        assert len(ids(curator_client.get(URL, {"status": "approved"}))) == 7
        assert len(ids(curator_client.get(URL, {"status": "extracted"}))) == 1
        assert len(ids(curator_client.get(URL, {"status": "rejected"}))) == 1

    def test_status_cannot_reveal_unapproved_claims_to_anonymous(self, api_client, world):
        assert ids(api_client.get(URL, {"status": "extracted"})) == []

    def test_topic(self, api_client, world):
        response = api_client.get(URL, {"topic": "sanctions"})
        assert len(ids(response)) == 2
        assert all("sanctions" in r["topics"] for r in response.json()["results"])
        summit = api_client.get(URL, {"topic": "summit-diplomacy"})
        assert len(ids(summit)) == 2

    def test_published_after(self, api_client, world):
        response = api_client.get(URL, {"published_after": "2015-01-01"})
        dates = [r["article"]["published_on"] for r in response.json()["results"]]
        assert len(dates) == 4 and all(d >= "2015-01-01" for d in dates)

    def test_published_before_excludes_undated(self, api_client, world):
        response = api_client.get(URL, {"published_before": "2015-02-13"})
        dates = [r["article"]["published_on"] for r in response.json()["results"]]
        assert len(dates) == 4 and None not in dates and all(d <= "2015-02-13" for d in dates)

    def test_published_range(self, api_client, world):
        response = api_client.get(URL, {"published_after": "2014-11-16", "published_before": "2017-12-31"})
        assert len(ids(response)) == 4

    def test_q_full_text(self, api_client, world):
        response = api_client.get(URL, {"q": "sanctions"})
        assert texts(response) == {
            "Sanctions relief is very unlikely without a change in the US position",
            "The regime will survive the sanctions for years",
        }

    def test_q_every_word(self, api_client, world):
        assert texts(api_client.get(URL, {"q": "sanctions relief"})) == {
            "Sanctions relief is very unlikely without a change in the US position"
        }

    @pytest.mark.postgres
    def test_q_uses_stemming_and_ranking_on_postgres(self, api_client, world):
        claim_with_text("Sanctions, sanctions and more sanctioned trade", expert=world.lankov)
        response = api_client.get(URL, {"q": "sanction"})
        results = response.json()["results"]
        assert len(results) == 3
        assert results[0]["text"] == "Sanctions, sanctions and more sanctioned trade"

    def test_combined_filters(self, api_client, world):
        response = api_client.get(URL, {"expert": "lankov", "topic": "sanctions", "kind": "prediction"})
        assert ids(response) == [world.claims[0].pk]


class TestStrictParameters:
    def test_unknown_parameter_is_400_naming_it_and_the_accepted_ones(self, api_client, world):
        response = api_client.get(URL, {"speker": "Lankov"})
        assert response.status_code == 400
        body = response.json()
        assert body["unknown_parameters"] == ["speker"]
        assert "speker" in body["detail"]
        assert "expert" in body["accepted_parameters"] and "cursor" in body["accepted_parameters"]

    @pytest.mark.parametrize(
        ("param", "value"),
        [
            ("published_after", "yesterday"),
            ("published_before", "2020-13-45"),
            ("kind", "prophecy"),
            ("expert_id", "abc"),
            # Past 64 bits SQLite cannot bind the value (it was a 500); ids are whole numbers.
            ("expert_id", "-2.5e228"),
            ("expert_id", "99999999999999999999"),
            ("expert_id", "1.5"),
            ("article", "1e30"),
            ("status", "maybe"),
        ],
    )
    def test_malformed_values_are_400_naming_the_parameter(self, api_client, world, param, value):
        response = api_client.get(URL, {param: value})
        assert response.status_code == 400
        body = response.json()
        assert param in body["detail"] and param in body["errors"]
        assert "published_after" in body["accepted_parameters"]

    def test_format_and_pagination_parameters_are_accepted(self, api_client, world):
        assert api_client.get(URL, {"format": "json", "limit": 2}).status_code == 200


class TestClaimPagination:
    def test_walk_forward_and_back_visits_every_row_once(self, api_client, world):
        seen, url, pages = [], f"{URL}?limit=2", []
        while url:
            body = api_client.get(url).json()
            pages.append(body)
            seen += [r["id"] for r in body["results"]]
            url = body["next"]
        assert len(seen) == len(set(seen)) == len(world.approved)
        assert len(pages) == 4
        # and back again from the last page
        back, url = [], pages[-1]["previous"]
        while url:
            body = api_client.get(url).json()
            back = [r["id"] for r in body["results"]] + back
            url = body["previous"]
        assert back == seen[: len(back)] and len(back) == len(seen) - len(pages[-1]["results"])

    @pytest.mark.parametrize("ordering", ["published_on", "-published_on", "id", "-created_at"])
    def test_every_ordering_pages_consistently(self, api_client, world, ordering):
        full = ids(api_client.get(URL, {"ordering": ordering, "limit": 50}))
        paged, url = [], f"{URL}?ordering={ordering}&limit=3"
        while url:
            body = api_client.get(url).json()
            paged += [r["id"] for r in body["results"]]
            url = body["next"]
        assert paged == full

    def test_links_are_drfs_replace_query_param_both_ways(self, api_client, world):
        """KeysetPagination's links (worked out once per URL) are what DRF's replace_query_param makes."""
        from rest_framework.utils.urls import replace_query_param

        url, links = f"{URL}?limit=2&format=json", 0
        for _ in range(3):
            response = api_client.get(url)
            body = response.json()
            base = response.wsgi_request.build_absolute_uri()
            for link in (body["next"], body["previous"]):
                if link and "cursor=" in link:
                    cursor = dict(pair.split("=", 1) for pair in link.split("?", 1)[1].split("&"))["cursor"]
                    assert link == replace_query_param(base, "cursor", cursor)
                    links += 1
            url = body["next"]
        assert links == 5

    @pytest.mark.parametrize(
        "url",
        [
            "http://testserver/api/claims",
            "https://example.org/api/claims?limit=2&cursor=abc",
            "http://testserver/api/claims?expert=%C3%A9l%C3%A8ve+x%26y&limit=2&ordering=-published_on&expert=b",
            "http://testserver/api/claims?expert=Q0xBSU1TQ1VSU09STUFSSw",  # the mark of the paginator's template
            "http://testserver/api/claims?a=Q0xBSU1TQ1VSU09STUFSSwQ0xBSU1TQ1VSU09STUFSSw&z=&cursor=",
            "http://testserver/api/claims?#fragment",
        ],
    )
    def test_link_of_any_url_is_replace_query_params(self, url):
        from rest_framework.utils.urls import replace_query_param

        from claims.api import pagination
        from claims.api.pagination import KeysetPagination
        from claims.filtersets.base import KeysetOrdering

        paginator = KeysetPagination()
        paginator.ordering = KeysetOrdering(name="-published_on", field="sort_date", descending=True, nullable=False)
        paginator.base_url = url
        for row in ({"sort_date": datetime.date(2024, 1, 2), "id": 7}, {"sort_date": None, "id": 123456789}):
            for reverse in (False, True):
                for _ in range(2):  # worked out, then kept
                    expected = replace_query_param(url, "cursor", paginator.encode_cursor(row, reverse=reverse))
                    assert paginator._link(row, reverse=reverse) == expected
        # Parsed once and kept, but where the client's query string holds the mark.
        assert ((url, "cursor") in pagination._LINK_PARTS) == ("Q0xBSU1TQ1VSU09STUFSSw" not in url)

    def test_first_page_has_no_previous(self, api_client, world):
        body = api_client.get(URL, {"limit": 2}).json()
        assert body["previous"] is None and body["next"]

    def test_the_largest_page_holds_every_row(self, api_client, world):
        for n in range(3):
            claim_with_text(f"Extra claim number {n} about trade", expert=world.cho)
        response = api_client.get(URL, {"limit": 200})
        assert response.status_code == 200
        assert len(response.json()["results"]) == len(world.approved) + 3

    @pytest.mark.parametrize("value", ["0", "-1", "many", "201", "100000"])
    def test_bad_limit_is_400(self, api_client, world, value):
        assert api_client.get(URL, {"limit": value}).status_code == 400

    @pytest.mark.parametrize("cursor", ["garbage", "eyJ4IjogMX0", "%%%"])
    def test_bad_cursor_is_400(self, api_client, world, cursor):
        response = api_client.get(URL, {"cursor": cursor})
        assert response.status_code == 400
        assert "cursor" in response.json()["detail"].lower()

    def test_cursor_from_another_ordering_is_400(self, api_client, world):
        next_url = api_client.get(URL, {"limit": 2}).json()["next"]
        response = api_client.get(next_url + "&ordering=id")
        assert response.status_code == 400


class TestClaimQueryCounts:
    def _count(self, client, url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), queries

    def test_list_query_count_does_not_grow_with_rows(self, api_client, world):
        one, _ = self._count(api_client, f"{URL}?limit=1")
        for n in range(15):
            claim_with_text(f"Another remark number {n} on sanctions", expert=world.cho, topics=[world.sanctions])
        twenty, queries = self._count(api_client, f"{URL}?limit=20")
        assert one == twenty, "\n".join(q["sql"] for q in queries.captured_queries)

    def test_filtered_list_query_count_is_constant(self, api_client, world):
        one, _ = self._count(api_client, f"{URL}?expert=lankov&limit=1")
        twenty, queries = self._count(api_client, f"{URL}?expert=lankov&limit=20")
        assert one == twenty, "\n".join(q["sql"] for q in queries.captured_queries)


class TestClaimCSV:
    def test_csv_has_flattened_columns_and_every_matching_row(self, api_client, world):
        response = api_client.get(URL, {"format": "csv", "expert": "lankov"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = csv_export_rows(response)
        assert len(rows) == 3
        assert {"id", "text", "expert.name", "article.title", "article.outlet", "affiliation.organization.name"} <= set(
            rows[0]
        )
        assert {r["expert.name"] for r in rows} == {"Andrei Lankov"}
        assert rows[0]["topics"] == "sanctions"

    def test_csv_respects_visibility(self, api_client, world):
        response = api_client.get(URL, {"format": "csv"})
        rows = csv_export_rows(response)
        assert sorted(int(r["id"]) for r in rows) == sorted(c.pk for c in world.approved)

    def test_csv_unknown_parameter_is_still_400(self, api_client, world):
        assert api_client.get(URL, {"format": "csv", "nope": "1"}).status_code == 400

    def test_csv_cells_that_look_like_formulas_are_neutralised(self, api_client, world):
        claim_with_text("=HYPERLINK(1) is not a formula here", expert=world.cho)
        response = api_client.get(URL, {"format": "csv", "q": "formula"})
        content = b"".join(response.streaming_content).decode()
        assert "'=HYPERLINK" in content

"""A keyset list's FilterSet owns its grammar: the orderings (names, fields, default, relevance) and partitions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from claims.filtersets import (
    ArticleFilterSet,
    ClaimFilterSet,
    ExpertFilterSet,
    KeysetOrdering,
    PredictionFilterSet,
    UnavailableOrdering,
)
from claims.models import Claim, Expert
from tests import factories

pytestmark = pytest.mark.django_db


def bound(filterset_class, query: str = "", **kwargs):
    return filterset_class(QueryDict(query), queryset=filterset_class._meta.model.objects.all(), **kwargs)


class TestOrdering:
    def test_claims_default_to_newest_article_first_on_the_sort_date(self):
        assert bound(ClaimFilterSet).keyset_ordering() == KeysetOrdering("-published_on", "sort_date", True, False)

    def test_a_public_name_maps_to_its_field_in_both_directions(self):
        assert bound(ClaimFilterSet, "ordering=published_on").keyset_ordering().field == "sort_date"
        assert bound(ClaimFilterSet, "ordering=-created_at").keyset_ordering() == KeysetOrdering(
            "-created_at", "created_at", True, False
        )

    def test_q_makes_relevance_the_default_and_sorts_on_the_rank(self):
        relevance = KeysetOrdering("relevance", "rank", True, False)
        assert bound(ClaimFilterSet, "q=sanctions").keyset_ordering() == relevance
        assert bound(ArticleFilterSet, "q=summit").keyset_ordering().name == "relevance"
        assert bound(ClaimFilterSet, "q=sanctions&ordering=id").keyset_ordering().name == "id"

    def test_relevance_without_q_is_unavailable_and_the_error_lists_what_is(self):
        filterset = bound(ClaimFilterSet, "ordering=relevance")
        assert filterset.is_valid()  # a declared name: the form accepts it
        with pytest.raises(UnavailableOrdering) as raised:
            filterset.keyset_ordering()
        assert raised.value.name == "relevance"
        assert raised.value.accepted == sorted(
            f"{sign}{name}" for name in ("published_on", "created_at", "updated_at", "id") for sign in ("", "-")
        )

    def test_an_undeclared_name_is_a_form_error(self):
        filterset = bound(ClaimFilterSet, "ordering=text")
        assert not filterset.is_valid()
        assert "ordering" in filterset.errors

    def test_nullability_comes_from_the_field_at_the_end_of_a_lookup_path(self):
        made_on = bound(PredictionFilterSet, "ordering=made_on").keyset_ordering()
        assert (made_on.field, made_on.nullable) == ("claim__sort_date", False)
        horizon = bound(PredictionFilterSet, "ordering=-horizon_end").keyset_ordering()
        assert (horizon.field, horizon.descending, horizon.nullable) == ("horizon_end", True, True)
        assert bound(PredictionFilterSet).keyset_ordering().name == "-made_on"

    def test_experts_default_to_the_sort_name(self):
        assert bound(ExpertFilterSet).keyset_ordering() == KeysetOrdering("name", "sort_name", False, False)

    def test_claim_count_is_counted_only_when_the_list_is_ordered_by_it(self, world):
        assert "claim_count" not in bound(ExpertFilterSet, "ordering=name").qs.query.annotations
        counted = bound(ExpertFilterSet, "ordering=-claim_count").qs
        assert bound(ExpertFilterSet, "ordering=-claim_count").keyset_ordering().field == "claim_count"
        # Anonymous (no request): approved claims only, as the API's anonymous list.
        approved = {e.pk: Claim.objects.filter(expert=e, status="approved").count() for e in Expert.objects.all()}
        assert {e.pk: e.claim_count for e in counted} == approved


class TestPartitions:
    def test_one_partition_per_matched_expert_with_one_name_lookup(self, world):
        kims = sorted(factories.ExpertFactory(name=f"Kim Partition{n}").pk for n in range(2))
        filterset = bound(ClaimFilterSet, "expert=kim+partition")
        with CaptureQueriesContext(connection) as queries:
            assert filterset.is_valid()
            list(filterset.qs)
            partitions = filterset.keyset_partitions()
        assert partitions == [Q(expert_id=pk) for pk in kims]
        assert len([q for q in queries.captured_queries if 'FROM "claims_alias"' in q["sql"]]) == 1

    def test_no_partitions_without_the_expert_filter_or_when_no_one_matches(self, world):
        plain = bound(ClaimFilterSet, "kind=prediction")
        list(plain.qs)
        assert plain.keyset_partitions() is None
        nobody = bound(ClaimFilterSet, "expert=nobody+at+all")
        assert list(nobody.qs) == []
        assert nobody.keyset_partitions() is None

    def test_other_lists_have_none(self):
        assert bound(PredictionFilterSet).keyset_partitions() is None


class TestApiAsksTheFilterSet:
    def test_relevance_without_q_answers_the_paginators_400(self, api_client, world):
        response = api_client.get("/api/claims", {"ordering": "relevance"})
        assert response.status_code == 400
        body = response.json()
        assert body["parameter"] == "ordering"
        assert body["detail"].startswith("Unknown ordering 'relevance'; accepted: -created_at, -id, -published_on")

    def test_the_page_follows_the_filtersets_ordering(self, api_client, world, monkeypatch):
        ordering = ClaimFilterSet.base_filters["ordering"]
        monkeypatch.setattr(ordering, "default", "id")
        found = [row["id"] for row in api_client.get("/api/claims").json()["results"]]
        assert found == sorted(c.pk for c in world.approved)

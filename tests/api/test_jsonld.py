"""ClaimReview JSON-LD (``?format=jsonld``) against what schema.org and Google's fact-check markup require."""

from __future__ import annotations

import datetime
import json

import pytest

from claims.api.jsonld import RATING_SCALE
from claims.choices import Outcome

pytestmark = pytest.mark.django_db

# Google, "Fact check (ClaimReview) structured data": required properties of ClaimReview, of its reviewRating
# (a Rating) and of the Claim in itemReviewed; the project also always gives the recommended ones it can.
CLAIM_REVIEW_REQUIRED = {"@type", "url", "claimReviewed", "reviewRating", "itemReviewed", "author", "datePublished"}
RATING_REQUIRED = {"@type", "alternateName", "bestRating", "worstRating"}
CLAIM_REQUIRED = {"@type", "author", "appearance", "datePublished"}
PERSON_REQUIRED = {"@type", "name"}
APPEARANCE_REQUIRED = {"@type", "url", "headline", "datePublished"}
ORGANIZATION_REQUIRED = {"@type", "name"}


def is_iso_date(value: str) -> bool:
    for pattern in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            datetime.datetime.strptime(value, pattern)
            return True
        except ValueError:
            continue
    return False


def assert_valid_claim_review(node: dict) -> None:
    assert CLAIM_REVIEW_REQUIRED <= set(node), CLAIM_REVIEW_REQUIRED - set(node)
    assert node["@type"] == "ClaimReview"
    assert node["url"].startswith("http") and node["claimReviewed"].strip()
    assert is_iso_date(node["datePublished"])
    author = node["author"]
    assert ORGANIZATION_REQUIRED <= set(author) and author["@type"] == "Organization"

    rating = node["reviewRating"]
    assert RATING_REQUIRED <= set(rating) and rating["@type"] == "Rating"
    assert rating["alternateName"].strip()
    assert rating["worstRating"] < rating["bestRating"]
    if "ratingValue" in rating:
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]

    claim = node["itemReviewed"]
    assert CLAIM_REQUIRED <= set(claim) and claim["@type"] == "Claim"
    assert is_iso_date(claim["datePublished"])
    person = claim["author"]
    assert PERSON_REQUIRED <= set(person) and person["@type"] == "Person"
    if "affiliation" in person:
        assert ORGANIZATION_REQUIRED <= set(person["affiliation"])
    if "sameAs" in person:
        assert person["sameAs"].startswith("https://www.wikidata.org/wiki/Q")
    appearance = claim["appearance"]
    assert APPEARANCE_REQUIRED <= set(appearance) and appearance["@type"] in {"NewsArticle", "CreativeWork"}
    assert appearance["url"].startswith("http") and is_iso_date(appearance["datePublished"])
    if appearance["@type"] == "NewsArticle":
        assert ORGANIZATION_REQUIRED <= set(appearance["publisher"])


def jsonld(response) -> dict:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(response.content)


def test_detail_of_a_resolved_prediction_is_a_valid_claim_review(api_client, forecasts):
    cho = forecasts.p[3]
    cho.claim.expert.wikidata_id = "Q12345"
    cho.claim.expert.save()
    cho.claim.affiliation = factories_affiliation(cho)
    cho.claim.save()
    node = jsonld(api_client.get(f"/api/predictions/{cho.pk}", {"format": "jsonld"}))
    assert node["@context"] == "https://schema.org"
    assert_valid_claim_review(node)
    assert node["claimReviewed"] == "Kim Jong Un will not visit Russia in May 2015."
    assert node["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Came true",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert node["url"].endswith(f"/predictions/{cho.pk}/")
    person = node["itemReviewed"]["author"]
    assert person["name"] == "Cho Han-bum" and person["sameAs"] == "https://www.wikidata.org/wiki/Q12345"
    assert person["affiliation"] == {
        "@type": "Organization",
        "name": "Korea Institute for National Unification",
        "sameAs": "https://www.wikidata.org/wiki/Q482445",
    }
    assert person["jobTitle"] == "senior research fellow"
    appearance = node["itemReviewed"]["appearance"]
    assert appearance["@type"] == "NewsArticle" and appearance["datePublished"] == "2015-02-13"
    assert appearance["headline"] == cho.claim.article.title
    assert node["datePublished"] == "2025-01-15" and node["reviewBody"] == "Judged in the tests."


def factories_affiliation(prediction):
    from tests import factories

    organization = factories.OrganizationFactory(
        name="Korea Institute for National Unification", acronym="KINU", wikidata_id="Q482445"
    )
    return factories.AffiliationFactory(
        expert=prediction.claim.expert, organization=organization, role="senior research fellow"
    )


def test_the_list_is_a_graph_of_claim_reviews_and_pending_claims(api_client, forecasts):
    body = jsonld(api_client.get("/api/predictions", {"format": "jsonld"}))
    assert body["@context"] == "https://schema.org"
    graph = body["@graph"]
    assert len(graph) == len(forecasts.visible)
    reviews = [node for node in graph if node["@type"] == "ClaimReview"]
    pending = [node for node in graph if node["@type"] == "Claim"]
    assert len(reviews) == 6 and len(pending) == 3
    for node in reviews:
        assert_valid_claim_review(node)
    for node in pending:  # no review exists yet: the claim alone, without a rating
        assert "reviewRating" not in node and {"author", "appearance", "url", "name"} <= set(node)


def test_rating_scale(api_client, forecasts):
    graph = jsonld(api_client.get("/api/predictions", {"format": "jsonld"}))["@graph"]
    ratings = {
        node["reviewRating"]["alternateName"]: node["reviewRating"].get("ratingValue")
        for node in graph
        if "reviewRating" in node
    }
    assert ratings == {
        "Came true": 5,
        "Came true late (after the horizon)": 4,
        "Partly came true": 3,
        "Did not happen": 1,
        "Cannot be judged": None,
    }
    assert set(RATING_SCALE) == {Outcome.CAME_TRUE, Outcome.CAME_TRUE_LATE, Outcome.PARTLY, Outcome.DID_NOT_HAPPEN}


def test_list_pages_are_linked_in_the_link_header(api_client, forecasts):
    response = api_client.get("/api/predictions", {"format": "jsonld", "limit": 2})
    assert len(jsonld(response)["@graph"]) == 2
    assert 'rel="next"' in response["Link"]
    follow = response["Link"].split(">")[0].lstrip("<")
    assert len(jsonld(api_client.get(follow))["@graph"]) == 2


def test_filters_apply_to_jsonld(api_client, forecasts):
    graph = jsonld(api_client.get("/api/predictions", {"format": "jsonld", "expert": "cho"}))["@graph"]
    assert {
        node["itemReviewed"]["author"]["name"] if "itemReviewed" in node else node["author"]["name"] for node in graph
    } == {"Cho Han-bum"}


def test_an_undated_article_has_no_dates_in_the_claim(api_client, forecasts):
    claim = forecasts.p[0].claim
    claim.article.published_on = None
    claim.article.date_precision = "unknown"
    claim.article.save()
    node = jsonld(api_client.get(f"/api/predictions/{forecasts.p[0].pk}", {"format": "jsonld"}))
    assert "datePublished" not in node["itemReviewed"] and "datePublished" not in node["itemReviewed"]["appearance"]


def test_month_precision_dates_are_given_as_year_and_month(api_client, forecasts):
    article = forecasts.p[0].claim.article
    article.date_precision = "month"
    article.save()
    node = jsonld(api_client.get(f"/api/predictions/{forecasts.p[0].pk}", {"format": "jsonld"}))
    assert node["itemReviewed"]["datePublished"] == "2019-04"


def test_jsonld_is_only_offered_on_predictions(api_client, forecasts):
    response = api_client.get("/api/claims", {"format": "jsonld"})
    assert response.status_code == 400
    assert response.json()["formats"] == ["json", "api", "csv", "csv-excel"]

"""schema.org JSON-LD for predictions: a ``ClaimReview`` for each resolved one, a bare ``Claim`` for a pending one.

``?format=jsonld`` on the predictions list and detail. The outcome is mapped onto a 1-5 rating
(RATING_SCALE; docs/predictions.md, "JSON-LD").
"""

from __future__ import annotations

from django.urls import reverse
from rest_framework.renderers import JSONRenderer

from claims.choices import DatePrecision, Outcome
from claims.models import Claim, Prediction

__all__ = ["RATING_SCALE", "SCHEMA_ORG", "ClaimReviewRenderer", "claim_review"]


PROJECT_NAME = "Expert claims database"


SCHEMA_ORG = "https://schema.org"


WIKIDATA = "https://www.wikidata.org/wiki/{}"


# Outcome -> reviewRating.ratingValue on a 1 (false) to 5 (true) scale. 2 is unused; "cannot be judged"
# has a rating label but no value; a pending prediction has no review at all.
RATING_SCALE: dict[str, int] = {
    Outcome.CAME_TRUE: 5,
    Outcome.CAME_TRUE_LATE: 4,
    Outcome.PARTLY: 3,
    Outcome.DID_NOT_HAPPEN: 1,
}


BEST_RATING, WORST_RATING = 5, 1


class ClaimReviewRenderer(JSONRenderer):
    """schema.org JSON-LD (``?format=jsonld``); the views shape the data, this only encodes it."""

    media_type = "application/ld+json"
    format = "jsonld"


def _organization(name: str, *, wikidata_id: str = "", url: str = "") -> dict:
    node = {"@type": "Organization", "name": name}
    if url:
        node["url"] = url
    if wikidata_id:
        node["sameAs"] = WIKIDATA.format(wikidata_id)
    return node


def _person(claim: Claim, request) -> dict:
    expert = claim.expert
    person = {"@type": "Person", "name": expert.name, "url": request.build_absolute_uri(expert.get_api_url())}
    if expert.wikidata_id:
        person["sameAs"] = WIKIDATA.format(expert.wikidata_id)
    affiliation = claim.affiliation
    if affiliation is not None:
        if affiliation.role:
            person["jobTitle"] = affiliation.role
        if affiliation.organization_id is not None:
            organization = affiliation.organization
            person["affiliation"] = _organization(
                organization.name, wikidata_id=organization.wikidata_id, url=organization.website
            )
    return person


def _appearance(claim: Claim, request) -> dict:
    article = claim.article
    outlet = article.outlet
    node = {
        "@type": "NewsArticle" if outlet is not None else "CreativeWork",
        "headline": article.title,
        # The original address when it is known, else the project's record of the article.
        "url": article.url or request.build_absolute_uri(article.get_api_url()),
    }
    if article.published_on is not None:
        node["datePublished"] = _date(article.published_on, article.date_precision)
    if outlet is not None:
        node["publisher"] = _organization(outlet.name, url=f"https://{outlet.domain}" if outlet.domain else "")
    return node


def _date(value, precision: str) -> str:
    """ISO 8601 at the precision known: 2015-02-13, 2019-04, 2014."""
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%Y-%m}"
    return value.isoformat()


def claim_review(prediction: Prediction, request, *, context: bool = True) -> dict:
    """The schema.org node for a prediction: a ClaimReview once resolved, the bare Claim while pending."""
    claim = prediction.claim
    item = {"@type": "Claim", "text": claim.text, "appearance": _appearance(claim, request)}
    if claim.expert_id is not None:
        item["author"] = _person(claim, request)
    if claim.article.published_on is not None:
        item["datePublished"] = _date(claim.article.published_on, claim.article.date_precision)
    page = request.build_absolute_uri(reverse("predictions:detail", args=[prediction.pk]))
    head = {"@context": SCHEMA_ORG} if context else {}
    if prediction.outcome == Outcome.PENDING:
        return {**head, **item, "url": page, "name": prediction.proposition}
    rating = {
        "@type": "Rating",
        "alternateName": Outcome(prediction.outcome).label,
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
    }
    if prediction.outcome in RATING_SCALE:
        rating["ratingValue"] = RATING_SCALE[prediction.outcome]
    return {
        **head,
        "@type": "ClaimReview",
        "url": page,
        "claimReviewed": prediction.proposition,
        "itemReviewed": item,
        "reviewRating": rating,
        "reviewBody": prediction.resolution_note,
        "datePublished": prediction.resolved_at.date().isoformat(),
        "author": _organization(PROJECT_NAME, url=request.build_absolute_uri(reverse("predictions:index"))),
    }

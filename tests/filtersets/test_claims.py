"""Every filter of the claims and topics lists selects a strict subset (at least three rows where it can)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from claims.choices import ClaimKind, QuoteType, ReviewStatus
from claims.filtersets import ClaimFilterSet, TopicFilterSet
from claims.models import Claim, Topic
from tests import factories
from tests.conftest import assert_strict_subset, filtered_ids

pytestmark = pytest.mark.django_db

d = datetime.date


@pytest.fixture
def world():
    """Ten claims by three experts in eight articles of three outlets; three await review."""
    w = SimpleNamespace()
    kinu = factories.OrganizationFactory(name="Korea Institute for National Unification", acronym="KINU")
    kookmin = factories.OrganizationFactory(name="Kookmin University", kind="university")
    asan = factories.OrganizationFactory(name="Asan Institute for Policy Studies", acronym="Asan")
    bbc = factories.OutletFactory(name="BBC", slug="bbc")
    nknews = factories.OutletFactory(name="NK News", slug="nk-news")
    hani = factories.OutletFactory(name="The Hankyoreh", slug="hankyoreh")
    sanctions = factories.TopicFactory(name="Sanctions", slug="sanctions")
    summits = factories.TopicFactory(name="Summit diplomacy", slug="summit-diplomacy")
    w.lankov = factories.ExpertFactory(name="Andrei Lankov", aliases=["Professor Lankov"], kind="academic")
    w.cho = factories.ExpertFactory(name="Cho Han-bum", kind="analyst")
    w.park = factories.ExpertFactory(name="Park Won-gon")
    lankov_prof = factories.AffiliationFactory(expert=w.lankov, organization=kookmin, role="Professor")
    cho_kinu = factories.AffiliationFactory(expert=w.cho, organization=kinu, role="senior research fellow")
    park_asan = factories.AffiliationFactory(expert=w.park, organization=asan, role="research fellow")
    interview = factories.article_with_quotes(
        "Kim Jong Un is unlikely to visit Russia in May",
        "Russia is more interested in Far East development",
        "Sanctions on oil will tighten next year",
        outlet=nknews,
        published_on=d(2015, 2, 13),
    )
    claim = factories.claim_with_text
    extracted = {"status": ReviewStatus.EXTRACTED}
    w.c = [
        claim(
            "Sanctions relief is very unlikely without talks",
            expert=w.lankov,
            affiliation=lankov_prof,
            outlet=bbc,
            published_on=d(2019, 4, 20),
            kind=ClaimKind.PREDICTION,
            topics=[sanctions],
        ),
        claim(
            "The regime will survive the sanctions for years",
            expert=w.lankov,
            affiliation=lankov_prof,
            outlet=nknews,
            published_on=d(2017, 3, 1),
            topics=[sanctions],
        ),
        claim(
            "Pyongyang wants a summit with Moscow soon",
            expert=w.lankov,
            outlet=nknews,
            published_on=d(2014, 11, 20),
            quote_type=QuoteType.INDIRECT,
            topics=[summits],
        ),
        claim(
            "Kim Jong Un is unlikely to visit Russia in May",
            expert=w.cho,
            affiliation=cho_kinu,
            article=interview,
            kind=ClaimKind.PREDICTION,
            topics=[summits],
        ),
        claim(
            "Russia is more interested in Far East development",
            expert=w.cho,
            affiliation=cho_kinu,
            article=interview,
            kind=ClaimKind.FACTUAL,
            quote_type=QuoteType.INDIRECT,
        ),
        claim(
            "Sanctions on oil will tighten next year",
            expert=w.cho,
            affiliation=cho_kinu,
            article=interview,
            kind=ClaimKind.PREDICTION,
            quote_type=QuoteType.MIXED,
            topics=[sanctions],
        ),
        claim("The alliance with Moscow is a marriage of convenience", expert=w.park, outlet=bbc, published_on=None),
        claim(
            "The summit produced no written agreement",
            expert=w.park,
            affiliation=park_asan,
            outlet=bbc,
            published_on=d(2023, 1, 5),
            kind=ClaimKind.FACTUAL,
            topics=[summits],
            **extracted,
        ),
        claim(
            "Trade across the Tumen river has doubled",
            expert=w.park,
            affiliation=park_asan,
            outlet=hani,
            published_on=d(2024, 3, 1),
            quote_type=QuoteType.INDIRECT,
            **extracted,
        ),
        claim(
            "Nobody expects sanctions to be lifted",
            expert=w.lankov,
            outlet=bbc,
            published_on=d(2021, 1, 1),
            **extracted,
        ),
    ]
    w.interview = interview
    w.topics = [
        sanctions,
        summits,
        factories.TopicFactory(name="Secondary sanctions", slug="secondary-sanctions"),
        factories.TopicFactory(name="Sanctions evasion", slug="sanctions-evasion"),
        factories.TopicFactory(name="Nuclear programme", slug="nuclear-programme"),
    ]
    return w


def claims(w, *indexes):
    return {w.c[i].pk for i in indexes}


# filter name -> (query parameters, expected rows)
CASES = {
    ClaimFilterSet: {
        "expert": (lambda w: {"expert": "lankov"}, lambda w: claims(w, 0, 1, 2, 9)),
        "expert_id": (lambda w: {"expert_id": w.cho.pk}, lambda w: claims(w, 3, 4, 5)),
        "expert_kind": (lambda w: {"expert_kind": "analyst"}, lambda w: claims(w, 3, 4, 5)),
        "expert_kind_academic": (lambda w: {"expert_kind": "academic"}, lambda w: claims(w, 0, 1, 2, 9)),
        "organization": (lambda w: {"organization": "KINU"}, lambda w: claims(w, 3, 4, 5)),
        "outlet": (lambda w: {"outlet": "bbc"}, lambda w: claims(w, 0, 6, 7, 9)),
        "article": (lambda w: {"article": w.interview.pk}, lambda w: claims(w, 3, 4, 5)),
        "kind": (lambda w: {"kind": "prediction"}, lambda w: claims(w, 0, 3, 5)),
        "quote_type": (lambda w: {"quote_type": "indirect"}, lambda w: claims(w, 2, 4, 8)),
        "status": (lambda w: {"status": "extracted"}, lambda w: claims(w, 7, 8, 9)),
        "topic": (lambda w: {"topic": "sanctions"}, lambda w: claims(w, 0, 1, 5)),
        "published_after": (lambda w: {"published_after": "2020-01-01"}, lambda w: claims(w, 7, 8, 9)),
        "published_before": (lambda w: {"published_before": "2015-02-13"}, lambda w: claims(w, 2, 3, 4, 5)),
        "q": (lambda w: {"q": "sanctions"}, lambda w: claims(w, 0, 1, 5, 9)),
    },
    TopicFilterSet: {
        "name": (lambda w: {"name": "sanction"}, lambda w: {w.topics[i].pk for i in (0, 2, 3)}),
        "slug": (lambda w: {"slug": "nuclear-programme"}, lambda w: {w.topics[4].pk}),
    },
}
QUERYSETS = {ClaimFilterSet: Claim.objects.all, TopicFilterSet: Topic.objects.all}


def selected(filterset_class, params) -> list[int]:
    return filtered_ids(filterset_class, params, QUERYSETS[filterset_class]())


@pytest.mark.parametrize(
    ("filterset_class", "name"), [(cls, name) for cls, cases in CASES.items() for name in sorted(cases)]
)
def test_each_filter_selects_a_strict_subset(world, filterset_class, name):
    params, expected = CASES[filterset_class][name]
    found = selected(filterset_class, params(world))
    assert_strict_subset(found, expected(world), QUERYSETS[filterset_class]().count())


def test_filters_combine_as_and(world):
    found = selected(ClaimFilterSet, {"expert": "lankov", "topic": "sanctions", "status": "approved"})
    assert set(found) == claims(world, 0, 1)


def test_published_before_leaves_out_undated_articles(world):
    assert world.c[6].pk not in selected(ClaimFilterSet, {"published_before": "2100-01-01"})

"""A small world for API tests: experts with aliases, organizations, outlets, articles, claims."""

from __future__ import annotations

import datetime
import hashlib
from types import SimpleNamespace

import pytest

from claims.choices import ClaimKind, QuoteType, ReviewStatus
from claims.models import UNKNOWN_SORT_DATE, Article, Claim
from tests import factories


def article_with_quote(text: str, *, outlet=None, published_on=datetime.date(2020, 1, 1), title=None) -> Article:
    body = f'Reporters asked about the summit. "{text}," the expert said. Nothing else was said.'
    return factories.ArticleFactory(
        body=body,
        title=title or text[:40],
        outlet=outlet or factories.OutletFactory(),
        published_on=published_on,
        date_precision="day" if published_on else "unknown",
        content_hash=hashlib.sha256(body.encode()).hexdigest(),
    )


def claim_with_text(text: str, *, expert, article=None, **kwargs) -> Claim:
    """A claim whose text is ``text``, in an article of its own (unless one is given)."""
    article = article or article_with_quote(
        text, outlet=kwargs.pop("outlet", None), published_on=kwargs.pop("published_on", datetime.date(2020, 1, 1))
    )
    start = article.body.index(text)
    defaults = {
        "quote_type": QuoteType.DIRECT,
        "kind": ClaimKind.ASSESSMENT,
        "status": ReviewStatus.APPROVED,
        "reviewed_at": datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
    }
    defaults.update(kwargs)
    if defaults["status"] == ReviewStatus.EXTRACTED:
        defaults["reviewed_at"] = None
    return factories.ClaimFactory(
        article=article,
        expert=expert,
        start=start,
        end=start + len(text),
        text=text,
        sort_date=article.published_on or UNKNOWN_SORT_DATE,
        **defaults,
    )


@pytest.fixture
def world(db):
    """Three experts, two organizations, three outlets, nine claims (seven approved)."""
    w = SimpleNamespace()
    w.kinu = factories.OrganizationFactory(name="Korea Institute for National Unification", acronym="KINU")
    w.kookmin = factories.OrganizationFactory(name="Kookmin University", kind="university")
    w.nknews = factories.OutletFactory(name="NK News", slug="nk-news", domain="nknews.org")
    w.bbc = factories.OutletFactory(name="BBC", slug="bbc", domain="bbc.co.uk")
    w.hani = factories.OutletFactory(name="The Hankyoreh", slug="hankyoreh", domain="hani.co.kr")
    w.sanctions = factories.TopicFactory(name="Sanctions", slug="sanctions")
    w.summits = factories.TopicFactory(name="Summit diplomacy", slug="summit-diplomacy")

    w.lankov = factories.ExpertFactory(name="Andrei Lankov", slug="andrei-lankov", aliases=["Professor Lankov"])
    w.choi = factories.ExpertFactory(
        name="Choi Ryong-hae", slug="choi-ryong-hae", aliases=["Choe Ryong Hae", "Ryong-Hae Choi"]
    )
    w.cho = factories.ExpertFactory(name="Cho Han-bum", slug="cho-han-bum")
    w.lankov_prof = factories.AffiliationFactory(expert=w.lankov, organization=w.kookmin, role="Professor")
    w.cho_kinu = factories.AffiliationFactory(expert=w.cho, organization=w.kinu, role="senior research fellow")

    d = datetime.date
    w.claims = [
        claim_with_text(
            "Sanctions relief is very unlikely without a change in the US position",
            expert=w.lankov,
            affiliation=w.lankov_prof,
            outlet=w.bbc,
            published_on=d(2019, 4, 20),
            kind=ClaimKind.PREDICTION,
            topics=[w.sanctions],
        ),
        claim_with_text(
            "The regime will survive the sanctions for years",
            expert=w.lankov,
            affiliation=w.lankov_prof,
            outlet=w.nknews,
            published_on=d(2017, 3, 1),
            topics=[w.sanctions],
        ),
        claim_with_text(
            "Pyongyang wants a summit with Moscow soon",
            expert=w.lankov,
            outlet=w.nknews,
            published_on=d(2014, 11, 20),
            quote_type=QuoteType.INDIRECT,
            topics=[w.summits],
        ),
        claim_with_text(
            "I expect it is hard for Kim Jong Un to visit Russia in May",
            expert=w.cho,
            affiliation=w.cho_kinu,
            outlet=w.nknews,
            published_on=d(2015, 2, 13),
            kind=ClaimKind.PREDICTION,
            topics=[w.summits],
        ),
        claim_with_text(
            "Russia is more interested in Siberia and Far East development",
            expert=w.cho,
            affiliation=w.cho_kinu,
            outlet=w.nknews,
            published_on=d(2015, 2, 13),
            quote_type=QuoteType.MIXED,
        ),
        claim_with_text(
            "The envoy will discuss economic ties",
            expert=w.choi,
            outlet=w.hani,
            published_on=d(2014, 11, 15),
            kind=ClaimKind.FACTUAL,
        ),
        claim_with_text(
            "Undated remarks about trade in rubles",
            expert=w.choi,
            outlet=w.hani,
            published_on=None,
            kind=ClaimKind.FACTUAL,
        ),
        claim_with_text(
            "An unreviewed remark about sanctions and oil",
            expert=w.lankov,
            outlet=w.bbc,
            published_on=d(2024, 3, 1),
            status=ReviewStatus.EXTRACTED,
            topics=[w.sanctions],
        ),
        claim_with_text(
            "A rejected remark about summits",
            expert=w.cho,
            outlet=w.hani,
            published_on=d(2023, 9, 13),
            status=ReviewStatus.REJECTED,
        ),
    ]
    w.approved = [c for c in w.claims if c.status == ReviewStatus.APPROVED]
    return w

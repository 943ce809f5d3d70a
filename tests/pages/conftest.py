"""A small world for the public pages: three experts (one with no approved claim), four articles, a forecast.

article  outlet   date        claims
a1       NK News  2024-03-01  Lankov (approved, KINU hat), Cho (approved)      -> Lankov and Cho are co-quoted
a2       BBC      2019-04-20  Lankov (approved prediction, horizon 2020, pending: due for judgement)
a3       BBC      2020-06-01  Park (awaiting review)                           -> Park is not public; a3 shows plain
a4       NK News  2021-01-05  Lankov (approved, hostile text with <script>)
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client

from claims.choices import ClaimKind, ReviewStatus
from tests import factories
from tests.factories import HOSTILE, article_with_quotes, claim_with_text


@pytest.fixture
def visitor() -> Client:
    return Client()


@pytest.fixture
def curator_browser(curator) -> Client:
    client = Client()
    client.force_login(curator)
    return client


@pytest.fixture
def pages_world(db):
    w = SimpleNamespace()
    w.nk = factories.OutletFactory(name="NK News", slug="nk-news")
    w.bbc = factories.OutletFactory(name="BBC", slug="bbc")
    w.kinu = factories.OrganizationFactory(name="Korea Institute for National Unification", acronym="KINU")
    w.lankov = factories.ExpertFactory(name="Andrei Lankov", slug="andrei-lankov")
    factories.AliasFactory(expert=w.lankov, name="Andrey Lankov")
    w.cho = factories.ExpertFactory(name="Cho Han-bum", slug="cho-han-bum")
    w.park = factories.ExpertFactory(name="Park Won-gon", slug="park-won-gon")
    w.hat = factories.AffiliationFactory(expert=w.lankov, organization=w.kinu, role="visiting fellow")
    w.sanctions = factories.TopicFactory(name="Sanctions", slug="sanctions")

    w.a1 = article_with_quotes(
        "The talks will go nowhere this spring",
        "Moscow wants a seat at the table",
        outlet=w.nk,
        published_on=datetime.date(2024, 3, 1),
        title="Talks stall as Moscow watches",
    )
    w.c1 = claim_with_text(
        "The talks will go nowhere this spring",
        expert=w.lankov,
        article=w.a1,
        affiliation=w.hat,
        topics=[w.sanctions],
    )
    w.c2 = claim_with_text("Moscow wants a seat at the table", expert=w.cho, article=w.a1)
    w.a2 = article_with_quotes(
        "Sanctions will not be lifted before 2020", outlet=w.bbc, published_on=datetime.date(2019, 4, 20)
    )
    w.c3 = claim_with_text(
        "Sanctions will not be lifted before 2020", expert=w.lankov, article=w.a2, kind=ClaimKind.PREDICTION
    )
    w.prediction = factories.PredictionFactory(
        claim=w.c3,
        proposition="Sanctions will not be lifted before 2020.",
        horizon_start=datetime.date(2019, 4, 20),
        horizon_end=datetime.date(2020, 1, 1),
    )
    w.a3 = article_with_quotes(
        "A hidden remark about oil", outlet=w.bbc, published_on=datetime.date(2020, 6, 1), title="Oil and more"
    )
    w.c4 = claim_with_text("A hidden remark about oil", expert=w.park, article=w.a3, status=ReviewStatus.EXTRACTED)
    w.a4 = article_with_quotes(HOSTILE, outlet=w.nk, published_on=datetime.date(2021, 1, 5), title="Hostile <b>title")
    w.c5 = claim_with_text(HOSTILE, expert=w.lankov, article=w.a4)
    return w

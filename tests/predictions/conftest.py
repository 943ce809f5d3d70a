"""A world of forecasts for the prediction tests: ten predictions (one of an unreviewed claim), six events.

 #  expert  made        topic      hedge            horizon                 outcome         events
 1  lankov  2019-04-20  sanctions  very unlikely*   open-ended              came_true       summit19
 2  lankov  2017-03-01  sanctions  likely           2017                    did_not_happen  veto
 3  lankov  2014-11-20  summits    probably         May 2015                came_true_late  summit19
 4  cho     2015-02-13  summits    I expect         May 2015                came_true       parade
 5  cho     2015-06-01  military   unlikely         2016                    partly          summit19
 6  cho     2018-06-01  summits    (unhedged)       open-ended              pending
 7  park    2024-03-01  military   will             2024                    pending
 8  park    2023-01-01  sanctions  almost certain   2023                    cannot_judge    veto
 9  park    2022-05-01  summits    may              open-ended              pending
10  lankov  2024-03-01  sanctions  very likely      open-ended              pending  (claim not approved)

 * inverted: the hedge speaks of the opposite of the proposition.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission

from claims.choices import ClaimKind, Outcome, ReviewStatus
from claims.services.predictions import hedge_fields
from tests import factories
from tests.api.conftest import claim_with_text

D = datetime.date
RESOLVED_AT = datetime.datetime(2025, 1, 15, 9, tzinfo=datetime.UTC)


def make_prediction(
    text: str,
    *,
    expert,
    made: datetime.date,
    topics=(),
    hedge: str = "",
    inverted: bool = False,
    horizon: tuple[datetime.date | None, datetime.date | None] = (None, None),
    outcome: str = Outcome.PENDING,
    events=(),
    resolver=None,
    status: str = ReviewStatus.APPROVED,
    proposition: str | None = None,
):
    """An approved predictive claim in an article of its own, with its prediction (resolved if ``outcome`` says so)."""
    claim = claim_with_text(
        text, expert=expert, published_on=made, kind=ClaimKind.PREDICTION, topics=list(topics), status=status
    )
    resolved = outcome != Outcome.PENDING
    prediction = factories.PredictionFactory(
        claim=claim,
        proposition=proposition or text,
        hedge=hedge,
        hedge_inverted=inverted,
        horizon_start=horizon[0],
        horizon_end=horizon[1],
        outcome=outcome,
        resolved_by=resolver if resolved else None,
        resolved_at=RESOLVED_AT if resolved else None,
        resolution_note="Judged in the tests." if resolved else "",
        **hedge_fields(hedge, inverted=inverted),
    )
    if events:
        prediction.events.set(events)
    return prediction


def event(title: str, day: datetime.date, *topics, links: int = 1):
    made = factories.EventFactory(
        title=title, slug=f"{day:%Y-%m-%d}-{title.lower().replace(' ', '-')}", occurred_on=day
    )
    made.topics.set(topics)
    for n in range(links):
        factories.EvidenceLinkFactory(event=made, url=f"https://news.example/{made.slug}/{n}", title=f"{title} ({n})")
    return made


@pytest.fixture
def resolver(db):
    return factories.UserFactory(username="resolver")


@pytest.fixture
def forecasts(db, resolver):
    w = SimpleNamespace()
    w.sanctions = factories.TopicFactory(name="Sanctions", slug="sanctions")
    w.summits = factories.TopicFactory(name="Summit diplomacy", slug="summit-diplomacy")
    w.military = factories.TopicFactory(name="Military cooperation", slug="military-cooperation")
    w.kookmin = factories.OrganizationFactory(name="Kookmin University", kind="university")

    w.lankov = factories.ExpertFactory(name="Andrei Lankov", slug="andrei-lankov", aliases=["Andrey Lankov"])
    w.cho = factories.ExpertFactory(name="Cho Han-bum", slug="cho-han-bum")
    w.park = factories.ExpertFactory(name="Park Byung Hwan", slug="park-byung-hwan")

    w.envoy = event("Envoy received in Moscow", D(2014, 11, 18), w.summits)
    w.parade = event("Victory Day parade", D(2015, 5, 9), w.summits)
    w.summit19 = event("Vladivostok summit", D(2019, 4, 25), w.summits, links=2)
    w.vostochny = event("Vostochny summit", D(2023, 9, 13), w.summits, w.military)
    w.veto = event("Veto of the panel", D(2024, 3, 28), w.sanctions)
    w.pyongyang = event("Pyongyang summit and treaty", D(2024, 6, 19), w.military, w.summits)
    w.events = [w.envoy, w.parade, w.summit19, w.vostochny, w.veto, w.pyongyang]

    def p(*args, **kwargs):
        return make_prediction(*args, resolver=resolver, **kwargs)

    w.p = [
        p(
            "It is very unlikely North Korea will get sanctions relief",
            expert=w.lankov,
            made=D(2019, 4, 20),
            topics=[w.sanctions],
            hedge="very unlikely",
            inverted=True,
            outcome=Outcome.CAME_TRUE,
            events=[w.summit19],
            proposition="North Korea will not get sanctions relief.",
        ),
        p(
            "Sanctions will likely be eased in 2017",
            expert=w.lankov,
            made=D(2017, 3, 1),
            topics=[w.sanctions],
            hedge="likely",
            horizon=(D(2017, 1, 1), D(2017, 12, 31)),
            outcome=Outcome.DID_NOT_HAPPEN,
            events=[w.veto],
        ),
        p(
            "Kim will probably visit Russia in May",
            expert=w.lankov,
            made=D(2014, 11, 20),
            topics=[w.summits],
            hedge="probably",
            horizon=(D(2015, 5, 1), D(2015, 5, 31)),
            outcome=Outcome.CAME_TRUE_LATE,
            events=[w.summit19],
        ),
        p(
            "I expect it is hard for Kim Jong Un to visit Russia in May",
            expert=w.cho,
            made=D(2015, 2, 13),
            topics=[w.summits],
            hedge="I expect",
            horizon=(D(2015, 5, 1), D(2015, 5, 31)),
            outcome=Outcome.CAME_TRUE,
            events=[w.parade],
            proposition="Kim Jong Un will not visit Russia in May 2015.",
        ),
        p(
            "Military ties are unlikely to grow in 2016",
            expert=w.cho,
            made=D(2015, 6, 1),
            topics=[w.military],
            hedge="unlikely",
            horizon=(D(2016, 1, 1), D(2016, 12, 31)),
            outcome=Outcome.PARTLY,
            events=[w.summit19],
        ),
        p("A summit will be held", expert=w.cho, made=D(2018, 6, 1), topics=[w.summits]),
        p(
            "Putin will sign a treaty this year",
            expert=w.park,
            made=D(2024, 3, 1),
            topics=[w.military],
            hedge="will",
            horizon=(D(2024, 1, 1), D(2024, 12, 31)),
        ),
        p(
            "Sanctions will almost certainly hold in 2023",
            expert=w.park,
            made=D(2023, 1, 1),
            topics=[w.sanctions],
            hedge="almost certain",
            horizon=(D(2023, 1, 1), D(2023, 12, 31)),
            outcome=Outcome.CANNOT_JUDGE,
            events=[w.veto],
        ),
        p("Talks may resume with Seoul", expert=w.park, made=D(2022, 5, 1), topics=[w.summits], hedge="may"),
        p(
            "An unreviewed forecast about oil sanctions",
            expert=w.lankov,
            made=D(2024, 3, 1),
            topics=[w.sanctions],
            hedge="very likely",
            status=ReviewStatus.EXTRACTED,
        ),
    ]
    w.hidden = w.p[9]
    w.visible = w.p[:9]
    return w


@pytest.fixture
def outsider(db):
    """A signed-in user with no permissions at all."""
    return factories.UserFactory(username="outsider")


@pytest.fixture
def adder(db):
    """A user who may add predictions but not change them (to prove resolve needs the change permission)."""
    user = factories.UserFactory(username="adder")
    user.user_permissions.add(Permission.objects.get(codename="add_prediction"))
    return user

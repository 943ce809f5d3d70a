"""One factory per model, with minimal valid defaults (factory_boy)."""

from __future__ import annotations

import datetime
import hashlib
import itertools

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from claims import models
from claims.choices import ClaimKind, DatePrecision, OrganizationKind, Outcome, QuoteType, ReviewStatus
from claims.domain.forecasts import hedge_fields
from claims.domain.names import name_match_key, normalize_name, sort_name
from claims.services.synthetic import SyntheticSpec
from claims.services.track_records import track_records_refresh

__all__ = [
    "AffiliationFactory",
    "AliasFactory",
    "ArticleFactory",
    "ClaimFactory",
    "EventFactory",
    "EvidenceLinkFactory",
    "ExpertFactory",
    "OrganizationFactory",
    "OutletFactory",
    "PredictionFactory",
    "TopicFactory",
    "UserFactory",
    "article_with_quote",
    "article_with_quotes",
    "claim_with_text",
]

BODY = (
    "Sanctions are beginning to bite, analysts say. "
    '"It is very unlikely that the sanctions will be lifted this year," said Jane Roe, '
    "a senior fellow at the Example Institute. "
    "She added that talks could resume in the spring."
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = models.Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda t: t.name.lower().replace(" ", "-"))


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = models.Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Institute {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    kind = OrganizationKind.THINK_TANK
    country = "South Korea"


class ExpertFactory(DjangoModelFactory):
    class Meta:
        model = models.Expert
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Expert Number{n}")
    sort_name = factory.LazyAttribute(lambda e: sort_name(e.name))
    slug = factory.Sequence(lambda n: f"expert-{n}")

    @factory.post_generation
    def aliases(self, create, extracted, **kwargs):
        if not create:
            return
        for name in [self.name, *(extracted or [])]:
            models.Alias.objects.get_or_create(
                expert=self,
                normalized=normalize_name(name),
                defaults={"name": name, "match_key": name_match_key(name)},
            )


class AliasFactory(DjangoModelFactory):
    class Meta:
        model = models.Alias

    expert = factory.SubFactory(ExpertFactory)
    name = factory.Sequence(lambda n: f"Alias Name{n}")


class AffiliationFactory(DjangoModelFactory):
    class Meta:
        model = models.Affiliation

    expert = factory.SubFactory(ExpertFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "senior research fellow"


class OutletFactory(DjangoModelFactory):
    class Meta:
        model = models.Outlet
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Outlet {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    domain = factory.LazyAttribute(lambda o: f"{o.slug}.example")


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = models.Article

    title = factory.Sequence(lambda n: f"Article {n}")
    outlet = factory.SubFactory(OutletFactory)
    authors = "Staff Reporter"
    published_on = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
    date_precision = DatePrecision.DAY
    body = factory.Sequence(lambda n: f"{BODY} (Article {n}.)")
    content_hash = factory.LazyAttribute(lambda a: hashlib.sha256(a.body.encode()).hexdigest())


class ClaimFactory(DjangoModelFactory):
    """A claim on the direct quote in BODY; pass ``start``/``end`` for another span."""

    class Meta:
        model = models.Claim
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    expert = factory.SubFactory(ExpertFactory)
    start = factory.LazyAttribute(lambda c: c.article.body.index('"') + 1)
    end = factory.LazyAttribute(lambda c: c.article.body.index('," said'))
    text = factory.LazyAttribute(lambda c: c.article.body[c.start : c.end])
    quote_type = QuoteType.DIRECT
    cue = "said"
    status = ReviewStatus.APPROVED
    reviewed_at = factory.LazyFunction(lambda: datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    sort_date = factory.LazyAttribute(lambda c: c.article.published_on or models.UNKNOWN_SORT_DATE)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)


class EventFactory(DjangoModelFactory):
    class Meta:
        model = models.Event

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    occurred_on = datetime.date(2019, 4, 25)
    description = "Something happened."


class EvidenceLinkFactory(DjangoModelFactory):
    class Meta:
        model = models.EvidenceLink

    event = factory.SubFactory(EventFactory)
    url = factory.Sequence(lambda n: f"https://news.example/{n}")
    publisher = "Example News"
    title = "A report"


class PredictionFactory(DjangoModelFactory):
    class Meta:
        model = models.Prediction

    claim = factory.SubFactory(ClaimFactory, kind="prediction")
    proposition = "Sanctions will not be lifted this year."
    hedge = "very unlikely"
    hedge_category = "very_unlikely"
    hedge_inverted = True
    scale = "icd203"
    probability_low = 0.80
    probability = 0.875
    probability_high = 0.95

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved as the services save: the expert's stored track-record counts follow in the same transaction."""
        prediction = super()._create(model_class, *args, **kwargs)
        track_records_refresh(expert_ids={prediction.claim.expert_id})
        return prediction


class IngestJobFactory(DjangoModelFactory):
    """A job in any state: ``finished`` sets the finish time that done and failed jobs need."""

    class Meta:
        model = models.IngestJob

    class Params:
        finished = factory.LazyAttribute(lambda o: o.state in ("done", "failed"))

    kind = "file"
    label = factory.Sequence(lambda n: f"/data/in/article-{n}.txt")
    spec = factory.LazyAttribute(lambda o: {"kind": o.kind, "path": o.label, "label": o.label, "metadata": {}})
    state = "queued"
    reason = factory.LazyAttribute(lambda o: "cannot read it" if o.state == "failed" else "")
    finished_at = factory.LazyAttribute(
        lambda o: datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC) if o.finished else None
    )


def article_with_quotes(*texts: str, outlet=None, published_on=datetime.date(2020, 1, 1), title=None):
    """An article whose body quotes each of ``texts`` in a sentence of its own."""
    quoted = " ".join(f'"{text}," the expert said.' for text in texts)
    body = f"Reporters asked about the summit. {quoted} Nothing else was said."
    return ArticleFactory(
        body=body,
        title=title or texts[0][:40],
        outlet=outlet or OutletFactory(),
        published_on=published_on,
        date_precision=DatePrecision.DAY if published_on else DatePrecision.UNKNOWN,
        content_hash=hashlib.sha256(body.encode()).hexdigest(),
    )


def article_with_quote(text: str, *, outlet=None, published_on=datetime.date(2020, 1, 1), title=None):
    return article_with_quotes(text, outlet=outlet, published_on=published_on, title=title)


def claim_with_text(text: str, *, expert, article=None, **kwargs):
    """A claim whose text is ``text``, in an article of its own (unless one is given); approved by default."""
    article = article or article_with_quote(
        text, outlet=kwargs.pop("outlet", None), published_on=kwargs.pop("published_on", datetime.date(2020, 1, 1))
    )
    start = article.body.index(text)
    defaults = {
        "quote_type": QuoteType.DIRECT,
        "status": ReviewStatus.APPROVED,
        "reviewed_at": datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
    }
    defaults.update(kwargs)
    if defaults["status"] == ReviewStatus.EXTRACTED:
        defaults["reviewed_at"] = None
    return ClaimFactory(
        article=article,
        expert=expert,
        start=start,
        end=start + len(text),
        text=text,
        sort_date=article.published_on or models.UNKNOWN_SORT_DATE,
        **defaults,
    )


def public_expert(**kwargs):
    """An expert with one approved claim: the public sees experts of approved claims only."""
    expert = ExpertFactory(**kwargs)
    ClaimFactory(expert=expert)
    return expert


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
    prediction = PredictionFactory(
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
    made = EventFactory(title=title, slug=f"{day:%Y-%m-%d}-{title.lower().replace(' ', '-')}", occurred_on=day)
    made.topics.set(topics)
    for n in range(links):
        EvidenceLinkFactory(event=made, url=f"https://news.example/{made.slug}/{n}", title=f"{title} ({n})")
    return made


def extracted_claim(**kwargs):
    """A claim awaiting review, as ingestion leaves it."""
    kwargs.setdefault("status", ReviewStatus.EXTRACTED)
    kwargs.setdefault("reviewed_at", None)
    kwargs.setdefault("confidence", 0.7)
    return ClaimFactory(**kwargs)


def dated_article(year: int, **kwargs):
    return ArticleFactory(published_on=datetime.date(year, 6, 1), **kwargs)


SMALL = SyntheticSpec(experts=60, organizations=12, articles=150, claims=600, outlets=8, seed=7)


def grow(forecasts, n: int) -> None:
    """n more predictions, each with its own expert, topic and two deciding events with evidence."""
    resolver = UserFactory(username="resolver")
    for i in range(n):
        expert = ExpertFactory(name=f"Grown Expert{i}")
        topic = TopicFactory(name=f"Grown topic {i}", slug=f"grown-topic-{i}")
        first = event(f"Grown event {i}", D(2016, 1, 1) + datetime.timedelta(days=i), topic, links=2)
        second = event(f"Grown later {i}", D(2020, 1, 1) + datetime.timedelta(days=i), topic)
        make_prediction(
            f"Grown forecast number {i} about summits",
            expert=expert,
            made=D(2015, 1, 1) + datetime.timedelta(days=i),
            topics=[topic, forecasts.summits],
            hedge="likely",
            outcome=Outcome.CAME_TRUE,
            events=[first, second],
            resolver=resolver,
        )


_batches = itertools.count(1)


HOSTILE = '<script>alert("owned")</script> & more'


def add_claims(n: int, *, expert=None, outlet=None, article=None, year: int = 2022):
    """``n`` more approved claims (each in an article of its own unless ``article`` is given), with a forecast each."""
    made = []
    batch = next(_batches)
    for i in range(n):
        text = f"Generated remark number {i} of batch {batch} in {year}"
        speaker = expert or ExpertFactory()
        claim = claim_with_text(
            text,
            expert=speaker,
            article=article,
            outlet=outlet,
            published_on=datetime.date(year, 1 + i % 12, 1 + i % 28),
            kind=ClaimKind.PREDICTION,
        )
        PredictionFactory(
            claim=claim,
            proposition=f"Forecast {i}",
            horizon_start=datetime.date(year, 1, 1),
            horizon_end=datetime.date(year, 12, 31),
        )
        made.append(claim)
    return made

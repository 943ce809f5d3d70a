"""One factory per model, with minimal valid defaults (factory_boy)."""

from __future__ import annotations

import datetime
import hashlib

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from claims import models
from claims.choices import DatePrecision, OrganizationKind, QuoteType, ReviewStatus
from claims.domain.names import name_match_key, normalize_name, sort_name

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

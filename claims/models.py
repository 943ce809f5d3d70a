"""The data model: who said what, where, wearing which hat, and whether it came true.

The database enforces what it can: every choice field is backed by a check
constraint, offsets and probabilities are range-checked, identities are unique
constraints. Writes go through ``claims.services``; these classes hold no
business logic beyond deriving stored forms of their own fields.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from claims.choices import (
    AliasOrigin,
    ClaimKind,
    DatePrecision,
    HedgeCategory,
    HedgeScale,
    OrganizationKind,
    Outcome,
    QuoteType,
    ReviewStatus,
)
from claims.names import name_match_key, normalize_name

__all__ = [
    "Affiliation",
    "Alias",
    "Article",
    "Claim",
    "Event",
    "EvidenceLink",
    "Expert",
    "Organization",
    "Outlet",
    "Prediction",
    "Topic",
]

# Claims of articles whose date is unknown sort after every dated claim.
UNKNOWN_SORT_DATE = datetime.date(1, 1, 1)

wikidata_validator = RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q42.")


def choice_constraint(field: str, choices: type[models.TextChoices], model: str) -> models.CheckConstraint:
    """A check constraint that keeps ``field`` within ``choices``."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}),
        name=f"claims_{model}_{field}_valid",
        violation_error_message=f"{field} must be one of: {', '.join(choices.values)}.",
    )


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Topic(models.Model):
    """A subject claims and events are filed under ("sanctions", "summit diplomacy")."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class Organization(TimestampedModel):
    """A university, think tank, government body or outlet an expert is affiliated with."""

    name = models.CharField(max_length=255, unique=True)
    slug = models.SlugField(max_length=255, unique=True)
    acronym = models.CharField(max_length=32, blank=True, db_index=True)
    kind = models.CharField(max_length=16, choices=OrganizationKind.choices, default=OrganizationKind.OTHER)
    country = models.CharField(max_length=80, blank=True)
    website = models.URLField(max_length=500, blank=True)
    wikidata_id = models.CharField(max_length=16, blank=True, validators=[wikidata_validator])

    history = HistoricalRecords()

    class Meta:
        ordering = ("name", "id")
        constraints = [
            choice_constraint("kind", OrganizationKind, "organization"),
            models.CheckConstraint(condition=~Q(name=""), name="claims_organization_name_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_api_url(self) -> str:
        return reverse("api:organization-detail", args=[self.pk])


class Expert(TimestampedModel):
    """A person quoted in articles: one record per person, whatever the spelling."""

    name = models.CharField("display name", max_length=200)
    sort_name = models.CharField(max_length=200, db_index=True)
    slug = models.SlugField(max_length=220, unique=True)
    wikidata_id = models.CharField(max_length=16, blank=True, validators=[wikidata_validator])
    bio = models.TextField(blank=True)
    possible_duplicates = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=True,
        help_text="Experts whose names resemble this one's; flagged at ingestion for a curator to merge or dismiss.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ("sort_name", "id")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="claims_expert_name_not_blank"),
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="claims_expert_wikidata_id_unique",
                violation_error_message="Another expert already has this Wikidata id.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_api_url(self) -> str:
        return reverse("api:expert-detail", args=[self.pk])


class Alias(models.Model):
    """A spelling of an expert's name as seen in print, with its normalized forms."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    normalized = models.CharField(max_length=200, db_index=True, editable=False)
    match_key = models.CharField(max_length=200, db_index=True, editable=False)
    origin = models.CharField(max_length=16, choices=AliasOrigin.choices, default=AliasOrigin.CURATED)

    class Meta:
        ordering = ("expert_id", "name", "id")
        verbose_name_plural = "aliases"
        constraints = [
            choice_constraint("origin", AliasOrigin, "alias"),
            models.CheckConstraint(condition=~Q(normalized=""), name="claims_alias_normalized_not_blank"),
            models.UniqueConstraint(
                fields=["expert", "normalized"],
                name="claims_alias_unique_per_expert",
                violation_error_message="This expert already has an alias with the same normalized form.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalized = normalize_name(self.name)
        self.match_key = name_match_key(self.name)
        super().save(*args, **kwargs)


class Affiliation(models.Model):
    """An expert's role at an organization, as printed ("senior research fellow at KINU")."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="affiliations", null=True, blank=True
    )
    role = models.CharField(max_length=300, blank=True)
    is_former = models.BooleanField(default=False, help_text="The role is printed as a former one.")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("expert_id", "-is_former", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="claims_affiliation_end_not_before_start",
                violation_error_message="An affiliation cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(role="") | Q(organization__isnull=False),
                name="claims_affiliation_role_or_organization",
                violation_error_message="An affiliation needs a role, an organization, or both.",
            ),
            models.UniqueConstraint(
                fields=["expert", "organization", "role"],
                condition=Q(organization__isnull=False),
                name="claims_affiliation_unique_with_organization",
                violation_error_message="This expert already has this role at this organization.",
            ),
            models.UniqueConstraint(
                fields=["expert", "role"],
                condition=Q(organization__isnull=True),
                name="claims_affiliation_unique_without_organization",
                violation_error_message="This expert already has this role.",
            ),
        ]

    def __str__(self) -> str:
        role = f"former {self.role}" if self.is_former and self.role and "former" not in self.role else self.role
        if self.organization_id and role:
            return f"{role}, {self.organization.name}"
        return role or self.organization.name


class Outlet(models.Model):
    """A publication articles come from (NK News, BBC, The Hankyoreh)."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    domain = models.CharField(max_length=200, blank=True)
    alternate_names = models.JSONField(
        default=list, blank=True, help_text='Other names the outlet goes by, e.g. ["World Ilbo"] for Segye Ilbo.'
    )

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name

    def get_api_url(self) -> str:
        return reverse("api:outlet-detail", args=[self.pk])


class Article(TimestampedModel):
    """A news article as ingested: its metadata and its full text, never stored twice."""

    title = models.CharField(max_length=500)
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="articles", null=True, blank=True)
    authors = models.CharField(max_length=500, blank=True, help_text="Bylines as printed, separated by '; '.")
    url = models.URLField(max_length=1000, blank=True)
    published_on = models.DateField(null=True, blank=True, db_index=True)
    date_precision = models.CharField(max_length=8, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    language = models.CharField(max_length=16, default="en")
    body = models.TextField(help_text="The full text as ingested; claim offsets point into it.")
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    source_file = models.CharField(max_length=500, blank=True)
    ingested_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["body"])

    class Meta:
        ordering = (F("published_on").desc(nulls_last=True), "-id")
        indexes = [
            # Newest first with undated articles last; on PostgreSQL
            # 0002_postgresql_search adds the NULLS LAST form of this index.
            models.Index(F("published_on").desc(), F("id").desc(), name="claims_article_date"),
        ]
        constraints = [
            choice_constraint("date_precision", DatePrecision, "article"),
            models.CheckConstraint(
                condition=(Q(published_on__isnull=True) & Q(date_precision=DatePrecision.UNKNOWN))
                | (Q(published_on__isnull=False) & ~Q(date_precision=DatePrecision.UNKNOWN)),
                name="claims_article_date_precision_matches_date",
                violation_error_message="A published date needs a precision, and 'unknown' precision no date.",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="claims_article_body_not_blank"),
            models.CheckConstraint(
                condition=Exact(Length("content_hash"), 64), name="claims_article_content_hash_sha256"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_api_url(self) -> str:
        return reverse("api:article-detail", args=[self.pk])


class Claim(TimestampedModel):
    """A quote or paraphrase attributed to an expert in an article.

    ``text`` is ``article.body[start:end]``; the database checks that the span
    is well formed and as long as the text, the services check it is the text.
    """

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    expert = models.ForeignKey(
        Expert,
        on_delete=models.PROTECT,
        related_name="claims",
        null=True,
        blank=True,
        help_text="Empty while the speaker is unknown; a claim cannot be approved without one.",
    )
    affiliation = models.ForeignKey(
        Affiliation,
        on_delete=models.PROTECT,
        related_name="claims",
        null=True,
        blank=True,
        help_text="The affiliation as stated in this article.",
    )
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote_type = models.CharField(max_length=8, choices=QuoteType.choices)
    cue = models.CharField(max_length=120, blank=True, help_text='The reporting phrase: "said", "told BBC Korean".')
    speaker_mention = models.CharField(
        max_length=200, blank=True, help_text='The speaker as written at the cue ("Mr Muraviev", "he").'
    )
    kind = models.CharField(max_length=16, choices=ClaimKind.choices, default=ClaimKind.ASSESSMENT)
    topics = models.ManyToManyField(Topic, related_name="claims", blank=True)
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.EXTRACTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="reviewed_claims",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    confidence = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="The extractor's confidence, 0 to 1; empty for claims entered by hand.",
    )
    notes = models.TextField("curator notes", blank=True)
    # The article's publication date (UNKNOWN_SORT_DATE when unknown, so that
    # such claims sort last), copied here and kept in sync by the services so
    # that an expert's claims can be paged newest first from one index.
    sort_date = models.DateField(default=UNKNOWN_SORT_DATE, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[topics])

    class Meta:
        ordering = ("-sort_date", "-id")
        constraints = [
            choice_constraint("quote_type", QuoteType, "claim"),
            choice_constraint("kind", ClaimKind, "claim"),
            choice_constraint("status", ReviewStatus, "claim"),
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(end__gt=F("start")),
                name="claims_claim_offsets_ordered",
                violation_error_message="Offsets must satisfy 0 <= start < end.",
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("text")),
                name="claims_claim_text_matches_span_length",
                violation_error_message="The text must be exactly as long as the span start..end.",
            ),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | (Q(confidence__gte=0) & Q(confidence__lte=1)),
                name="claims_claim_confidence_range",
                violation_error_message="Confidence is a number from 0 to 1.",
            ),
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.EXTRACTED) | Q(reviewed_at__isnull=False),
                name="claims_claim_reviewed_when_reviewed",
                violation_error_message="An approved or rejected claim records when it was reviewed.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.APPROVED) | Q(expert__isnull=False),
                name="claims_claim_approved_has_expert",
                violation_error_message="A claim cannot be approved while its speaker is unknown.",
            ),
            models.UniqueConstraint(
                fields=["article", "start", "end"],
                name="claims_claim_unique_span",
                violation_error_message="This article already has a claim at these offsets.",
            ),
        ]
        indexes = [
            models.Index(F("expert"), F("sort_date").desc(), F("id").desc(), name="claims_claim_expert_date"),
            models.Index(F("sort_date").desc(), F("id").desc(), name="claims_claim_date"),
            models.Index(F("status"), F("sort_date").desc(), F("id").desc(), name="claims_claim_status_date"),
        ]

    def __str__(self) -> str:
        excerpt = self.text if len(self.text) <= 80 else self.text[:77] + "..."
        return f"{self.expert or 'Unknown speaker'}: {excerpt}"

    def get_api_url(self) -> str:
        return reverse("api:claim-detail", args=[self.pk])


class Event(TimestampedModel):
    """Something that happened, against which predictions are judged."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, unique=True)
    occurred_on = models.DateField()
    date_precision = models.CharField(max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY)
    description = models.TextField()
    topics = models.ManyToManyField(Topic, related_name="events", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ("occurred_on", "id")
        constraints = [
            choice_constraint("date_precision", DatePrecision, "event"),
            models.CheckConstraint(
                condition=~Q(date_precision=DatePrecision.UNKNOWN),
                name="claims_event_date_known",
                violation_error_message="An event has a date, at least to the year.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d}: {self.title}"

    def get_api_url(self) -> str:
        return reverse("api:event-detail", args=[self.pk])


class EvidenceLink(models.Model):
    """A published source documenting an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(max_length=1000)
    publisher = models.CharField(max_length=200)
    title = models.CharField(max_length=500)

    class Meta:
        ordering = ("event_id", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "url"],
                name="claims_evidencelink_unique_url_per_event",
                violation_error_message="This event already cites this URL.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}"


class Prediction(TimestampedModel):
    """The forecast a predictive claim makes, its implied probability and its outcome."""

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="prediction")
    proposition = models.TextField(help_text='The forecast in plain words: "Kim Jong Un will not visit Russia in May".')
    hedge = models.CharField(max_length=120, blank=True, help_text='The hedge as printed: "very unlikely".')
    hedge_category = models.CharField(max_length=20, choices=HedgeCategory.choices, default=HedgeCategory.UNHEDGED)
    hedge_inverted = models.BooleanField(
        default=False,
        help_text="The hedge speaks of the opposite of the proposition "
        '("very unlikely X" for the proposition "not X"): probability = 1 - the scale value.',
    )
    scale = models.CharField(max_length=10, choices=HedgeScale.choices, default=HedgeScale.NONE)
    probability_low = models.FloatField(null=True, blank=True)
    probability_high = models.FloatField(null=True, blank=True)
    probability = models.FloatField(null=True, blank=True, help_text="Point value of the proposition's probability.")
    low_confidence = models.BooleanField(
        default=False, help_text="The probability comes from the project's extended mapping, not ICD 203."
    )
    horizon_text = models.CharField(max_length=200, blank=True, help_text='As printed: "in May", "this year".')
    horizon_start = models.DateField(null=True, blank=True)
    horizon_end = models.DateField(null=True, blank=True, help_text="Empty for an open-ended forecast.")
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    events = models.ManyToManyField(Event, related_name="predictions", blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="resolved_predictions",
        null=True,
        blank=True,
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(m2m_fields=[events])

    class Meta:
        ordering = ("-claim__sort_date", "-id")
        constraints = [
            choice_constraint("hedge_category", HedgeCategory, "prediction"),
            choice_constraint("scale", HedgeScale, "prediction"),
            choice_constraint("outcome", Outcome, "prediction"),
            models.CheckConstraint(
                condition=(
                    Q(probability__isnull=True) & Q(probability_low__isnull=True) & Q(probability_high__isnull=True)
                )
                | (
                    Q(probability_low__gte=0)
                    & Q(probability__gte=F("probability_low"))
                    & Q(probability_high__gte=F("probability"))
                    & Q(probability_high__lte=1)
                ),
                name="claims_prediction_probability_range",
                violation_error_message="Probabilities must satisfy 0 <= low <= point <= high <= 1, or all be empty.",
            ),
            models.CheckConstraint(
                condition=Q(scale=HedgeScale.NONE) | Q(probability__isnull=False),
                name="claims_prediction_scale_has_probability",
                violation_error_message="A hedge mapped on a scale implies a probability.",
            ),
            models.CheckConstraint(
                condition=Q(horizon_start__isnull=True)
                | Q(horizon_end__isnull=True)
                | Q(horizon_end__gte=F("horizon_start")),
                name="claims_prediction_horizon_ordered",
                violation_error_message="A horizon cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.PENDING) | (Q(resolved_by__isnull=False) & Q(resolved_at__isnull=False)),
                name="claims_prediction_resolved_has_resolver",
                violation_error_message="A resolved prediction records who resolved it and when.",
            ),
        ]

    def __str__(self) -> str:
        return self.proposition

    def get_api_url(self) -> str:
        return reverse("api:prediction-detail", args=[self.pk])

    @property
    def is_resolved(self) -> bool:
        return self.outcome != Outcome.PENDING

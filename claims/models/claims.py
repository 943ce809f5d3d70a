"""Claims: who said what in which article, wearing which hat; and the topics they are filed under."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.urls import reverse
from simple_history.models import HistoricalRecords

from claims.choices import ClaimKind, QuoteType, ReviewStatus
from claims.domain.topics import cue_errors
from claims.models.articles import Article
from claims.models.base import UNKNOWN_SORT_DATE, TimestampedModel, choice_constraint
from claims.models.people import Affiliation, Expert

__all__ = ["Claim", "Topic", "TopicRemoval", "validate_cues"]


def validate_cues(value: str) -> None:
    """Cue phrases are plain phrases, one a line (claims.domain.topics.cue_errors)."""
    errors = cue_errors(value)
    if errors:
        raise ValidationError(errors, code="invalid_cue")


class Topic(models.Model):
    """A subject claims and events are filed under ("sanctions", "summit diplomacy")."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    cues = models.TextField(
        blank=True,
        validators=[validate_cues],
        help_text='Phrases that file a claim under this topic at ingestion, one a line ("sanction", "asset freeze"). '
        "Whole words, any case; a singular word also matches its plural; a word in capitals (UN, ICBM) matches "
        'capitals only; "denucleari*" matches every word starting so; lines starting with # are comments.',
    )

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


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
        try:
            speaker = self.expert
        except ObjectDoesNotExist:  # an old history record's expert, merged away since
            speaker = None
        return f"{speaker or 'Unknown speaker'}: {excerpt}"

    def get_api_url(self) -> str:
        return reverse("api:claim-detail", args=[self.pk])


class TopicRemoval(models.Model):
    """A curator took ``topic`` off ``claim``: the cue matcher (ingestion, ``assign_topics``) does not file the claim
    under it again. Putting the topic back on the claim deletes the row."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="topic_removals")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="removals")
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-removed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["claim", "topic"], name="claims_topicremoval_unique")]

    def __str__(self) -> str:
        return f"{self.topic} removed from claim {self.claim_id}"

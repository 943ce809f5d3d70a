"""Predictions: the forecasts claims make, the events they are judged against, and their outcomes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from claims.choices import DatePrecision, HedgeCategory, HedgeScale, Outcome, ReviewStatus
from claims.models.base import TimestampedModel, choice_constraint
from claims.models.claims import Claim, Topic

__all__ = ["Event", "EvidenceLink", "Prediction", "TrackRecordCount"]


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
        indexes = [
            # The forecasts due for judgement (home page, ?due=true): pending, oldest horizon first.
            models.Index(fields=["horizon_end", "id"], condition=Q(outcome="pending"), name="claims_prediction_due"),
        ]
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


class TrackRecordCount(models.Model):
    """How many predictions of one expert (on one topic) share a claim status, an outcome and a probability.

    The track records' stored aggregate: every score is a function of these
    counts (``claims.domain.track_record.track_record_of_counts``), so a track
    record reads a few dozen rows instead of every prediction. Rows with no
    topic count every prediction once (the overall record); a row with a topic
    counts the predictions whose claim has it. Rows with no expert count the
    unattributed claims' predictions. The claim's status is kept so that
    visibility (the public sees approved claims only) applies to the counts
    as it does to the predictions. Derived data: written only by
    ``claims.services.predictions.track_records_refresh`` (in the transaction of
    every write that changes what it counts) and rebuilt whole by
    ``manage.py track_records --rebuild``; never in backups.
    """

    expert = models.ForeignKey(
        "claims.Expert", on_delete=models.CASCADE, null=True, blank=True, related_name="track_record_counts"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=ReviewStatus.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    probability = models.FloatField(null=True, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ("expert", "topic", "status", "outcome", "probability", "id")
        indexes = [models.Index(fields=["expert", "status"], name="claims_trc_expert_status")]
        constraints = [
            models.UniqueConstraint(
                Coalesce("expert", Value(0)),
                Coalesce("topic", Value(0)),
                "status",
                "outcome",
                Coalesce("probability", Value(-1.0)),
                name="claims_trackrecordcount_unique",
                violation_error_message="One row per expert, topic, status, outcome and probability.",
            ),
            models.CheckConstraint(
                condition=Q(count__gt=0),
                name="claims_trackrecordcount_count_positive",
                violation_error_message="A count row counts at least one prediction.",
            ),
            models.CheckConstraint(
                condition=Q(probability__isnull=True) | (Q(probability__gte=0) & Q(probability__lte=1)),
                name="claims_trackrecordcount_probability_range",
                violation_error_message="A probability lies between 0 and 1.",
            ),
            choice_constraint("status", ReviewStatus, "trackrecordcount"),
            choice_constraint("outcome", Outcome, "trackrecordcount"),
        ]

    def __str__(self) -> str:
        topic = self.topic_id or "-"
        return f"{self.expert_id}/{topic}: {self.count} {self.outcome} at {self.probability} ({self.status})"


class PublicTrackRecord(models.Model):
    """The public's track record of one expert as the API writes it, stored with the revision it was computed at.

    ``revision`` counts the changes to what that record is made of (the expert's stored counts, the names and
    slugs of the topics they have counts on): every writer of TrackRecordCount, and a topic's rename or
    deletion, bumps it and empties the record, in its own transaction
    (``claims.services.track_records``). A public read that finds no record computes it from the counts it
    read in the same statement as the revision, and stores it only while the revision is still that one
    (``public_track_record_keep``), so a stored record is always the one of the current counts. No row: revision
    0, no record. Derived data: never in backups.
    """

    expert = models.OneToOneField(
        "claims.Expert", on_delete=models.CASCADE, primary_key=True, related_name="public_track_record"
    )
    revision = models.PositiveBigIntegerField(default=0)
    # The JSON of the API's ``overall`` and ``topics`` (ExpertTrackRecordSerializer's), or null: not computed yet.
    overall = models.TextField(null=True, blank=True)
    topics = models.TextField(null=True, blank=True)
    # A fingerprint of the code that wrote them (the math and the serializers): a record written by other code (before
    # a deploy) is computed again, not served.
    computed_by = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ("expert",)
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__isnull=True, topics__isnull=True) | Q(overall__isnull=False, topics__isnull=False),
                name="claims_publictrackrecord_whole",
                violation_error_message="A stored track record has both its overall record and its topics.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} at revision {self.revision}" + (" (stored)" if self.overall is not None else "")

"""Articles as ingested, and the outlets that publish them."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from claims.choices import DatePrecision
from claims.models.base import TimestampedModel, choice_constraint

__all__ = ["Article", "Outlet"]


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

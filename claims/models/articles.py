"""Articles as ingested, and the outlets that publish them."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from claims.choices import DatePrecision, IngestInputKind, IngestJobState, SourceKind
from claims.models.base import TimestampedModel, choice_constraint

__all__ = ["Article", "ArticleSource", "FeedEntry", "FollowedFeed", "IngestJob", "Outlet"]


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
    metadata_sources = models.JSONField(
        default=dict,
        # Rows inserted in bulk without the column (the synthetic generator) get {} from the database.
        db_default=models.Value({}, output_field=models.JSONField()),
        blank=True,
        help_text='Where each field came from: {"title": "page", "outlet": "explicit", "published_on": "feed", ...};'
        " one of explicit, page, feed, guessed.",
    )
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


METADATA_ORIGINS = ("explicit", "page", "feed", "guessed")


class ArticleSource(models.Model):
    """One place an article's text was found: an address (fetched, in a feed, in a web archive) or a file.

    The same text seen at several addresses (syndicated, or fetched again) is one article with
    several sources. The original bytes are kept compressed (zlib) with their SHA-256, so a
    curator can see exactly what was ingested after the page changes or disappears.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=8, choices=SourceKind.choices)
    url = models.URLField(max_length=1000, blank=True, help_text="Where it was found (after redirects).")
    requested_url = models.URLField(max_length=1000, blank=True, help_text="The address asked for, if redirected.")
    file_name = models.CharField(max_length=500, blank=True)
    feed_url = models.URLField(max_length=1000, blank=True, help_text="The feed the address was listed in.")
    fetched_at = models.DateTimeField(null=True, blank=True, help_text="When it was fetched or archived.")
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    snapshot = models.BinaryField(blank=True, editable=False, help_text="The original bytes, zlib-compressed.")
    snapshot_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    snapshot_size = models.PositiveIntegerField(default=0, editable=False, help_text="Bytes before compression.")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("article", "seen_at", "id")
        constraints = [
            choice_constraint("kind", SourceKind, "articlesource"),
            models.UniqueConstraint(
                fields=("article", "url"),
                condition=~Q(url=""),
                name="claims_articlesource_unique_url",
                violation_error_message="This address is already a source of this article.",
            ),
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(file_name=""),
                name="claims_articlesource_has_origin",
                violation_error_message="A source is an address or a file name.",
            ),
            models.CheckConstraint(
                condition=Q(http_status__isnull=True) | Q(http_status__gte=100, http_status__lte=599),
                name="claims_articlesource_http_status_range",
            ),
            models.CheckConstraint(
                condition=Q(snapshot_sha256="") | Exact(Length("snapshot_sha256"), 64),
                name="claims_articlesource_snapshot_sha256",
            ),
        ]

    def __str__(self) -> str:
        return self.url or self.file_name


class FollowedFeed(models.Model):
    """An RSS or Atom feed that ``ingest --feeds`` polls; what it has seen is remembered."""

    url = models.URLField(max_length=1000, unique=True)
    title = models.CharField(max_length=500, blank=True)
    active = models.BooleanField(default=True, help_text="Polled by ingest --feeds.")
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_result = models.CharField(max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("url", "id")

    def __str__(self) -> str:
        return self.title or self.url


class FeedEntry(models.Model):
    """An entry of a followed feed already ingested, queued as a job, or failed for good: never fetched again.

    A queued entry has no article until its job is done; if the job gives up for a reason that may pass
    (a timeout, a 503), the row is deleted and the next poll queues the entry again.
    """

    feed = models.ForeignKey(FollowedFeed, on_delete=models.CASCADE, related_name="entries")
    entry_id = models.CharField(max_length=1000)
    link = models.URLField(max_length=1000)
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("feed", "seen_at", "id")
        verbose_name_plural = "feed entries"
        constraints = [
            models.UniqueConstraint(
                fields=("feed", "entry_id"),
                name="claims_feedentry_unique_entry",
                violation_error_message="This entry of the feed is already recorded.",
            )
        ]

    def __str__(self) -> str:
        return self.link


class IngestJob(models.Model):
    """One input to ingest (a file, a text, a URL, a feed to poll, one feed entry or one web archive record)
    and what became of it, as a worker fleet runs it.

    ``spec`` is the input as the task receives it: ``{"kind", "path" | "text" | "url" | "feed_id",
    "label", "metadata", ...}``. The state moves queued -> running -> done (with the article, new or
    already stored) or failed (with the reason); a transient failure puts it back to queued with one
    more retry. Only a queued job starts (under its row lock), so a task delivered twice runs the job
    once. ``attempts`` counts the times a worker started it (a redelivery after a worker died, or a
    requeue of a job stuck in "running", is one more). ``due_at`` says since when a queued job
    waits for a worker. A feed poll, and a file or URL that holds
    several articles, end done without an article: their articles are the jobs they queued
    (``children``, each pointing at its ``parent``).
    """

    kind = models.CharField(max_length=8, choices=IngestInputKind.choices)
    label = models.CharField(max_length=1000, help_text="The file name, URL or label the input was given as.")
    spec = models.JSONField(help_text="The input as the task receives it (kind, path/text/url, label, metadata).")
    state = models.CharField(max_length=8, choices=IngestJobState.choices, default=IngestJobState.QUEUED)
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="ingest_jobs")
    created_article = models.BooleanField(
        default=False, help_text="Whether this job stored the article (false: it was already there)."
    )
    reason = models.TextField(
        blank=True,
        help_text="Why the job failed or is being retried; for a job that expanded into others, what it queued.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text="The feed poll, web archive or feed that this job's input was found in.",
    )
    retries = models.PositiveIntegerField(default=0, help_text="Retries scheduled after transient failures.")
    attempts = models.PositiveIntegerField(default=0, help_text="Times a worker started the job.")
    worker = models.CharField(max_length=200, blank=True, help_text="The worker that ran it last.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    due_at = models.DateTimeField(
        default=timezone.now,
        help_text="When the job was last put in the queue (for a retry after a transient failure: when its wait "
        "ends). A job still queued long after this was lost on its way to the workers, and is sent again.",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["state", "-created_at"], name="claims_ingestjob_state"),
            models.Index(fields=["state", "due_at"], name="claims_ingestjob_due"),
        ]
        constraints = [
            choice_constraint("state", IngestJobState, "ingestjob"),
            choice_constraint("kind", IngestInputKind, "ingestjob"),
            models.CheckConstraint(
                condition=Q(state__in=[IngestJobState.DONE, IngestJobState.FAILED], finished_at__isnull=False)
                | Q(state__in=[IngestJobState.QUEUED, IngestJobState.RUNNING], finished_at__isnull=True),
                name="claims_ingestjob_finished_when_over",
                violation_error_message="A done or failed job has a finish time, a queued or running one none.",
            ),
            models.CheckConstraint(
                condition=~Q(state=IngestJobState.FAILED) | ~Q(reason=""),
                name="claims_ingestjob_failed_has_reason",
                violation_error_message="A failed job says why.",
            ),
            models.CheckConstraint(
                condition=Q(created_article=False) | Q(state=IngestJobState.DONE),
                name="claims_ingestjob_created_only_when_done",
                violation_error_message="Only a done job can have stored an article.",
            ),
            models.CheckConstraint(
                condition=Q(attempts__gte=F("retries")),
                name="claims_ingestjob_attempts_cover_retries",
                violation_error_message="Every retry follows an attempt.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.state})"

    def get_api_url(self) -> str:
        return reverse("api:ingest-job-detail", args=[self.pk])

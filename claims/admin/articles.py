"""The admin of articles and outlets.

Every save goes through ``claims.services`` (see ``claims.admin.base``); versioned records carry their
version in a hidden field so that a save from a stale copy is refused.
"""

from __future__ import annotations

import zlib

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from claims.admin.base import (
    PROVENANCE,
    CuratedAdmin,
    CuratedPlainAdmin,
    CurationMedia,
    count_of,
    is_admin_view,
)
from claims.admin.claims import ClaimInline
from claims.admin.display import (
    Span,
    article_with_spans,
    changelist_url,
)
from claims.admin.filters import (
    ArticleReviewFilter,
    NoOutletFilter,
)
from claims.admin.forms import (
    AddArticlesForm,
    VersionedModelForm,
)
from claims.choices import IngestJobState, ReviewStatus
from claims.models import Article, ArticleSource, Claim, FeedEntry, FollowedFeed, IngestJob, Outlet
from claims.services import articles as article_services
from claims.services import feeds as feed_services
from claims.services import ingest_jobs as ingest_job_services
from claims.tasks import ingest_jobs_dispatch

__all__ = ["ArticleAdmin", "ArticleSourceInline", "FollowedFeedAdmin", "IngestJobAdmin", "OutletAdmin"]

# The second fieldset of the Add articles page.
META_HEADING = "Metadata you know (beats what the pages say and what is guessed; applies to every input above)"


class ArticleSourceInline(admin.TabularInline):
    """Where the article's text was found, each with its snapshot of the original bytes (read-only)."""

    model = ArticleSource
    fields = ("kind", "address", "feed_url", "fetched_at", "http_status", "snapshot_link")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "sources (where the text was found)"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("snapshot")

    @admin.display(description="address or file")
    def address(self, obj):
        if obj.url:
            return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', obj.url, obj.url)
        return obj.file_name

    @admin.display(description="snapshot")
    def snapshot_link(self, obj):
        if not obj.snapshot_size:
            return "\u2014"
        url = reverse("admin:claims_article_snapshot", args=[obj.article_id, obj.pk])
        return format_html(
            '<a href="{}">{} bytes</a> <small title="SHA-256">{}</small>',
            url,
            f"{obj.snapshot_size:,}",
            obj.snapshot_sha256[:16],
        )


@admin.register(Article)
class ArticleAdmin(CuratedAdmin):
    """Articles come from ingestion; their text never changes afterwards (claim offsets point into it)."""

    form = VersionedModelForm
    list_display = ("title", "outlet", "published_on", "claim_count", "awaiting_count", "ingested_at")
    list_filter = (
        ArticleReviewFilter,
        ("outlet", NoOutletFilter),
        ("published_on", admin.DateFieldListFilter),
        "date_precision",
    )
    list_select_related = ("outlet",)
    date_hierarchy = "published_on"
    search_fields = ("title", "authors", "url")
    search_help_text = "Searches titles, bylines and URLs."
    autocomplete_fields = ("outlet",)
    inlines = (ArticleSourceInline, ClaimInline)
    readonly_fields = (
        "source_link",
        "field_origins",
        "text_with_claims",
        "content_hash",
        "source_file",
        "ingested_at",
        "api_address",
        "created_at",
        "updated_at",
        "version",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "outlet",
                    "authors",
                    ("url", "source_link"),
                    ("published_on", "date_precision"),
                    "language",
                    "field_origins",
                )
            },
        ),
        ("Text", {"fields": ("text_with_claims", "expected_version")}),
        (
            PROVENANCE,
            {
                "classes": ("collapse",),
                "fields": (
                    "content_hash",
                    "source_file",
                    "ingested_at",
                    "api_address",
                    "created_at",
                    "updated_at",
                    "version",
                ),
            },
        ),
    )

    Media = CurationMedia

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .annotate(
                claim_count=count_of(Claim, "article"),
                awaiting_count=count_of(Claim.objects.filter(status=ReviewStatus.EXTRACTED), "article"),
            )
        )
        if is_admin_view(request, "_change"):
            return queryset.select_related("outlet")
        return queryset.defer("body")

    def has_add_permission(self, request):
        # An article is created by ingestion (the "Add articles" page), which stores its text once and for all.
        return False

    def get_urls(self):
        own = [
            path("add-articles/", self.admin_site.admin_view(self.add_articles_view), name="claims_article_ingest"),
            path(
                "<int:article_id>/sources/<int:source_id>/snapshot/",
                self.admin_site.admin_view(self.snapshot_view),
                name="claims_article_snapshot",
            ),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = (extra_context or {}) | {"can_ingest": request.user.has_perm("claims.add_article")}
        return super().changelist_view(request, extra_context)

    def add_articles_view(self, request):
        """Paste text, upload files or give addresses; the same entry point as ``manage.py ingest``."""
        from claims.services.inputs import Input, default_fetcher, inputs_ingest

        if not request.user.has_perm("claims.add_article"):
            raise PermissionDenied
        results = None
        form = AddArticlesForm(request.POST, request.FILES) if request.method == "POST" else AddArticlesForm()
        if request.method == "POST" and form.is_valid():
            meta = form.cleaned_data["meta"]
            inputs = [Input.for_url(url, meta) for url in form.cleaned_data["url_list"]]
            if form.cleaned_data["text"].strip():
                inputs.append(Input.for_text(form.cleaned_data["text"], meta))
            inputs += [Input.for_bytes(f.name, f.read(), meta) for f in form.cleaned_data["files"]]
            fetcher = default_fetcher(trusted=False)
            results = [_shown(result) for result in inputs_ingest(inputs=inputs, fetcher=fetcher)]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Add articles",
            "form": form,
            # Laid out by the admin's own fieldset template, as a change form is.
            "adminform": helpers.AdminForm(
                form,
                [
                    ("Articles", {"fields": form.INPUT_FIELDS}),
                    (META_HEADING, {"fields": form.META_FIELDS}),
                ],
                prepopulated_fields={},
                model_admin=self,
            ),
            "results": results,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/claims/article/add_articles.html", context)

    def snapshot_view(self, request, article_id, source_id):
        """The original bytes as ingested, as a download (never rendered here: they are someone else's page)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        source = get_object_or_404(ArticleSource, pk=source_id, article_id=article_id)
        response = HttpResponse(zlib.decompress(bytes(source.snapshot)), content_type="application/octet-stream")
        extension = "html" if source.kind != "text" else "txt"
        response["Content-Disposition"] = f'attachment; filename="article-{article_id}-source-{source_id}.{extension}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox"
        response["Digest"] = f"sha-256={source.snapshot_sha256}"
        return response

    @admin.display(description="source link")
    def source_link(self, obj):
        if not obj.url:
            return "\u2014"
        return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">open</a>', obj.url)

    @admin.display(description="where each field came from")
    def field_origins(self, obj):
        if not obj.metadata_sources:
            return "\u2014"
        return format_html_join(", ", "{}: <b>{}</b>", sorted(obj.metadata_sources.items()))

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj):
        return obj.claim_count

    @admin.display(description="awaiting review", ordering="awaiting_count")
    def awaiting_count(self, obj):
        if not obj.awaiting_count:
            return 0
        url = changelist_url(Claim, status__exact=ReviewStatus.EXTRACTED, article__id__exact=obj.pk)
        return format_html('<a href="{}">{}</a>', url, obj.awaiting_count)

    @admin.display(description="text (read-only; claims marked)")
    def text_with_claims(self, obj):
        claims = obj.claims.select_related("expert").only(
            "pk", "article_id", "start", "end", "status", "expert__name", "speaker_mention"
        )
        spans = [
            Span(
                start=claim.start,
                end=claim.end,
                href=reverse("admin:claims_claim_change", args=[claim.pk]),
                title=f"{claim.expert.name if claim.expert_id else 'Unknown speaker'} ({claim.get_status_display()})",
                status=claim.status,
            )
            for claim in claims
        ]
        add_url = reverse("admin:claims_claim_add") + "?" + urlencode({"article": obj.pk})
        return format_html(
            '{}<p><a class="addlink" href="{}">Add a claim the extractor missed</a></p>',
            article_with_spans(obj.body, spans),
            add_url,
        )

    def save_through_services(self, request, obj, form, change):
        edits = {
            name: form.cleaned_data[name] for name in form.changed_data if name in article_services.EDITABLE_FIELDS
        }
        if not edits:
            self.check_version(obj, form)
            return None
        return article_services.article_update(
            article=obj, data=edits, expected_version=form.cleaned_data["expected_version"], user=request.user
        )


@admin.register(Outlet)
class OutletAdmin(CuratedPlainAdmin):
    list_display = ("name", "domain", "article_count")
    list_filter = ()
    list_select_related = ()
    search_fields = ("name", "domain", "alternate_names")
    search_help_text = "Searches names, other names and domains."
    fields = ("name", "slug", "domain", "alternate_names")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=count_of(Article, "outlet"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


def _shown(result) -> dict:
    """One line of the "Add articles" results: what happened, with links to the article and its claims."""
    shown = {"result": result, "article_url": "", "claims_url": ""}
    if result.article_id:
        shown["article_url"] = reverse("admin:claims_article_change", args=[result.article_id])
        shown["claims_url"] = changelist_url(
            Claim, status__exact=ReviewStatus.EXTRACTED, article__id__exact=result.article_id
        )
    return shown


def _dispatch_and_report(modeladmin, request, jobs, selected, done: str, why_skipped: str) -> None:
    """Send ``jobs`` to the workers and tell the curator how many of the ``selected`` rows were left as they were."""
    ingest_jobs_dispatch(jobs)
    skipped = selected.count() - len(jobs)
    modeladmin.message_user(
        request,
        done + (f" {skipped} {why_skipped}, left as they were." if skipped else ""),
        messages.SUCCESS if jobs else messages.WARNING,
    )


class FeedEntryInline(admin.TabularInline):
    model = FeedEntry
    fields = ("entry_id", "link", "article", "seen_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article").defer("article__body")


@admin.register(FollowedFeed)
class FollowedFeedAdmin(CuratedPlainAdmin):
    """The feeds ``ingest --feeds`` polls (``manage.py follow`` adds them too)."""

    list_display = ("url", "title", "active", "last_polled_at", "last_result")
    list_filter = ("active",)
    list_select_related = ()
    search_fields = ("url", "title")
    search_help_text = "Searches addresses and titles."
    fields = ("url", "title", "active", "etag", "last_modified", "last_polled_at", "last_result")
    readonly_fields = ("etag", "last_modified", "last_polled_at", "last_result")
    inlines = (FeedEntryInline,)
    actions = ("poll_now",)

    @admin.action(description="Poll the selected feeds now (one job per feed)", permissions=["change"])
    def poll_now(self, request, queryset):
        jobs = ingest_job_services.feed_polls_create(feeds=list(queryset))
        _dispatch_and_report(
            self, request, jobs, queryset, f"Queued {len(jobs)} feed poll(s).", "stopped or already waiting for a poll"
        )

    def save_through_services(self, request, obj, form, change):
        return feed_services.feed_save(feed=obj)

    def delete_model(self, request, obj):
        feed_services.feed_delete(feed=obj)

    def delete_queryset(self, request, queryset):
        for feed in queryset:
            feed_services.feed_delete(feed=feed)


@admin.register(IngestJob)
class IngestJobAdmin(admin.ModelAdmin):
    """The ingestion jobs the workers run: read-only but for the "retry" action on failed ones and the "requeue"
    action on jobs stuck in running (or left queued)."""

    list_display = ("id", "label", "kind", "state", "article_link", "retries", "attempts", "worker", "created_at")
    list_display_links = ("id", "label")
    list_filter = ("state", "kind", "created_article", ("created_at", admin.DateFieldListFilter))
    list_select_related = ("article",)
    search_fields = ("label", "reason", "worker")
    search_help_text = "Searches file names and URLs, failure reasons and worker names."
    date_hierarchy = "created_at"
    actions = ("retry_jobs", "requeue_stuck_jobs")
    fields = (
        "label",
        "kind",
        "state",
        "parent_link",
        "article_link",
        "created_article",
        "reason",
        "retries",
        "attempts",
        "worker",
        "created_at",
        "due_at",
        "started_at",
        "finished_at",
        "input",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        jobs = super().get_queryset(request)
        return jobs.defer("spec", "article__body") if is_admin_view(request, "_changelist") else jobs

    def has_add_permission(self, request):
        return False  # jobs come from `ingest --queue` (and the ingestion forms)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # A job's page is read-only; the changelist's "retry" action needs the change permission.
        return obj is None and super().has_change_permission(request)

    @admin.display(description="article", ordering="article__title")
    def article_link(self, obj):
        if obj.article_id is None:
            return "\u2014"
        url = reverse("admin:claims_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article.title[:80])

    @admin.display(description="queued by")
    def parent_link(self, obj):
        if obj.parent_id is None:
            return "\u2014"
        url = reverse("admin:claims_ingestjob_change", args=[obj.parent_id])
        return format_html('<a href="{}">job {}</a>', url, obj.parent_id)

    @admin.display(description="input")
    def input(self, obj):
        spec = {key: value for key, value in obj.spec.items() if key != "text"}
        if "text" in obj.spec:
            spec["text"] = f"{len(obj.spec['text'])} characters"
        return format_html("<code>{}</code>", spec)

    @admin.action(description="Retry the selected failed jobs", permissions=["change"])
    def retry_jobs(self, request, queryset):
        retried = [
            ingest_job_services.ingest_job_retry(job=job) for job in queryset.filter(state=IngestJobState.FAILED)
        ]
        _dispatch_and_report(
            self, request, retried, queryset, f"Sent {len(retried)} failed job(s) back to the queue.", "not failed"
        )

    @admin.action(
        description="Requeue the selected jobs stuck in running, send again those left queued", permissions=["change"]
    )
    def requeue_stuck_jobs(self, request, queryset):
        """The sweep celery beat runs (``manage.py requeue_stuck_jobs``), on the selection: the selected jobs
        running for longer than ``INGEST_STUCK_AFTER_SECONDS``, and those queued for longer than
        ``INGEST_QUEUED_RESEND_AFTER_SECONDS`` after they were due."""
        ids = list(queryset.values_list("pk", flat=True))
        swept = ingest_job_services.ingest_jobs_requeue_stuck(among=ids)
        ingest_jobs_dispatch(swept.to_send)  # sent when the request's transaction commits
        left = len(ids) - len(swept.requeued) - len(swept.failed) - len(swept.resent)
        self.message_user(
            request,
            f"Stuck jobs: {len(swept.requeued)} requeued, {len(swept.failed)} failed after too many attempts. "
            f"Jobs left queued: {len(swept.resent)} sent again."
            + (
                f" {left} neither running for {settings.INGEST_STUCK_AFTER_SECONDS} s nor queued for "
                f"{settings.INGEST_QUEUED_RESEND_AFTER_SECONDS} s, left as they were."
                if left
                else ""
            ),
            messages.SUCCESS if swept.requeued or swept.failed or swept.resent else messages.WARNING,
        )

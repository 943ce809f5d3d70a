"""Reads of articles."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from claims.models import Article, ArticleSource, IngestJob
from claims.selectors.base import (
    visible_claims,
)

__all__ = ["article_queryset"]


def article_queryset(*, user, with_claims: bool = False) -> QuerySet[Article]:
    """Articles; the detail view also carries the claims ``user`` may see."""
    articles = Article.objects.select_related("outlet")
    if not with_claims:
        return articles.defer("body")
    claims = (
        visible_claims(user)
        .select_related("expert", "affiliation__organization")
        .prefetch_related("topics")
        .order_by("start", "id")
    )
    sources = ArticleSource.objects.defer("snapshot").order_by("seen_at", "id")
    return articles.prefetch_related(Prefetch("claims", queryset=claims), Prefetch("sources", queryset=sources))


def article_page_get(*, user, pk: int) -> tuple[Article | None, list]:
    """The article ``pk`` with its outlet, and the claims ``user`` may see in it, in text order (two queries).

    Articles are public whether or not any of their claims is approved.
    """
    article = Article.objects.select_related("outlet").filter(pk=pk).first()
    if article is None:
        return None, []
    claims = list(
        visible_claims(user)
        .filter(article=article)
        .select_related("expert", "affiliation__organization")
        .order_by("start", "id")
    )
    return article, claims


__all__ += ["article_page_get"]


def ingest_job_queryset() -> QuerySet[IngestJob]:
    """Ingestion jobs, newest first, without their input specs (a pasted text can be long)."""
    return IngestJob.objects.defer("spec").order_by("-created_at", "-id")


__all__ += ["ingest_job_queryset"]

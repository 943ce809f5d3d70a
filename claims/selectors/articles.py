"""Reads of articles."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from claims.models import Article
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
    return articles.prefetch_related(Prefetch("claims", queryset=claims))

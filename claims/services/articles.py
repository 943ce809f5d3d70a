"""Writes for articles (ingestion creates them; see claims.services.ingestion)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.models import Article, Claim
from claims.services.claims import article_sort_date
from claims.services.versioning import lock_for_update, versioned_save

BODY_IS_READ_ONLY = "An article's text cannot change after ingestion: claim offsets point into it."
EDITABLE_FIELDS = frozenset({"title", "outlet", "authors", "url", "published_on", "date_precision", "language"})


@transaction.atomic
def article_update(*, article: Article, data: dict, expected_version: int | None = None, user=None) -> Article:
    """Edit an article's metadata. A new publication date is copied to its claims' sort key."""
    if "body" in data:
        raise ValidationError({"body": BODY_IS_READ_ONLY})
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"article_update cannot change {sorted(unknown)}")
    article = lock_for_update(article, expected_version)
    for field, value in data.items():
        setattr(article, field, value)
    versioned_save(article, user=user)
    Claim.objects.filter(article=article).exclude(sort_date=article_sort_date(article)).update(
        sort_date=article_sort_date(article)
    )
    return article

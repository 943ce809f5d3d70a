"""Shared pieces of the data model: timestamps, choice constraints, sort sentinels."""

from __future__ import annotations

import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

__all__ = ["UNKNOWN_SORT_DATE", "TimestampedModel", "choice_constraint", "wikidata_validator"]

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

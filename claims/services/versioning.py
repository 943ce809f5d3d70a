"""Optimistic concurrency: a write names the version it was based on.

Each versioned model (Claim, Expert, Article, Prediction) carries a
``version`` number that every service write increments. A caller that read
version 3 and saves while the row is at version 4 gets StaleVersionError
instead of silently overwriting the other curator's change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import models

from claims.services.errors import StaleVersionError

__all__ = ["lock_for_update", "versioned_save"]

M = TypeVar("M", bound=models.Model)


def lock_for_update(instance: models.Model, expected_version: int | None):
    """Re-read ``instance`` locked for update and check its version.

    Must run inside a transaction. ``expected_version=None`` skips the check
    (a write that does not claim to be based on any particular copy).
    """
    model = type(instance)
    current = model.objects.select_for_update().get(pk=instance.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersionError(model._meta.verbose_name, expected_version, current.version)
    return current


def versioned_save(instance: M, *, user=None, validate: Callable[[M], None] | None = None) -> M:
    """The end of every versioned write: one version more, validated, the acting user named, saved.

    ``validate`` replaces ``instance.full_clean()`` when the model has rules of
    its own beyond it (claims: ``claim_validate``). Without ``user`` the request
    middleware names the user in the history record, when there is a request.
    """
    instance.version += 1
    if validate is None:
        instance.full_clean()
    else:
        validate(instance)
    if user is not None:
        instance._history_user = user
    instance.save()
    return instance

"""Optimistic concurrency: a write names the version it was based on.

Each versioned model (Claim, Expert, Article, Prediction) carries a
``version`` number that every service write increments. A caller that read
version 3 and saves while the row is at version 4 gets StaleVersionError
instead of silently overwriting the other curator's change.
"""

from __future__ import annotations

from django.db import models

from claims.services.errors import StaleVersionError


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

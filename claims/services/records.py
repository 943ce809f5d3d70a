"""Writes for the reference tables (organizations, outlets, topics): validate, then save."""

from __future__ import annotations

from django.db import models, transaction

from claims.services.people import unique_slug


@transaction.atomic
def record_create(*, model: type[models.Model], data: dict) -> models.Model:
    """Create a row of ``model`` from ``data``; a missing slug is derived from the name."""
    instance = model(**data)
    if hasattr(instance, "slug") and not instance.slug:
        instance.slug = unique_slug(model, instance.name, max_length=model._meta.get_field("slug").max_length)
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def record_update(*, instance: models.Model, data: dict) -> models.Model:
    instance = type(instance).objects.select_for_update().get(pk=instance.pk)
    for field, value in data.items():
        setattr(instance, field, value)
    instance.full_clean()
    instance.save()
    return instance

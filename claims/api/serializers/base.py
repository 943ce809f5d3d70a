"""Fields shared by the serializers."""

from __future__ import annotations

from rest_framework import serializers

from claims.selectors.shapes import url_or_none

__all__ = ["OptionalURLField"]


class OptionalURLField(serializers.URLField):
    """A URL that may be missing: stored as "", shown as null (an empty string is not a URI)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is None:
            return True, ""
        return super().validate_empty_values(data)

    def to_representation(self, value):
        return url_or_none(value)

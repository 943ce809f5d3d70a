"""Fields shared by the serializers."""

from __future__ import annotations

from django.db import models
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from claims.selectors.shapes import url_or_none

__all__ = ["OptionalURLField", "StrictCharField", "StrictModelSerializer", "StrictSlugField", "StrictSlugRelatedField"]


class StrictStringMixin:
    """Text is a JSON string: 0 or true is refused, not turned into "0" or "True" (the schema says string)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(StrictStringMixin, serializers.CharField):
    pass


class StrictSlugField(StrictStringMixin, serializers.SlugField):
    pass


class StrictManyRelatedField(serializers.ManyRelatedField):
    """Several related records: a JSON array (or a form's repeated field), never an object."""

    def to_internal_value(self, data):
        if not isinstance(data, (list, tuple)):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class StrictSlugRelatedField(StrictStringMixin, serializers.SlugRelatedField):
    """A related record named by its slug, a string; ``many=True`` takes an array of them."""

    default_error_messages = {**serializers.SlugRelatedField.default_error_messages, "invalid": "Not a valid string."}

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS})
        return StrictManyRelatedField(**list_kwargs)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose text fields take strings only."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
    }


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

"""Serializers of experts, their affiliations and organizations."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.serializers.base import OptionalURLField, StrictCharField, StrictModelSerializer
from claims.api.serializers.brief import (
    OrganizationBriefSerializer,
)
from claims.choices import ExpertKind
from claims.models import Affiliation, Expert, Organization
from claims.selectors.people import AFFILIATION_SHAPE, EXPERT_SHAPE

__all__ = ["AffiliationSerializer", "ExpertInputSerializer", "ExpertSerializer", "OrganizationSerializer"]


class OrganizationSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:organization-detail")
    website = OptionalURLField(max_length=500)

    class Meta:
        model = Organization
        fields = ("id", "url", "name", "slug", "acronym", "kind", "country", "website", "wikidata_id")
        read_only_fields = ("slug",)


class AffiliationSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Affiliation
        fields = AFFILIATION_SHAPE.names


class ExpertSerializer(serializers.ModelSerializer):
    # The fields of EXPERT_SHAPE, documented here for OpenAPI (no docstring: it would become the schema's description).
    url = serializers.HyperlinkedIdentityField(view_name="api:expert-detail")
    aliases = serializers.SerializerMethodField(help_text="Every spelling of the name seen in print.")
    affiliations = AffiliationSerializer(many=True, read_only=True)
    claim_count = serializers.IntegerField(read_only=True, help_text="Claims by this expert that you may see.")

    class Meta:
        model = Expert
        fields = EXPERT_SHAPE.names

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_aliases(self, expert) -> list[str]:
        return [alias.name for alias in expert.aliases.all()]


class ExpertInputSerializer(serializers.Serializer):
    name = StrictCharField(max_length=200)
    sort_name = StrictCharField(max_length=200, required=False)
    wikidata_id = StrictCharField(max_length=16, required=False, allow_blank=True)
    bio = StrictCharField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(
        choices=ExpertKind.choices,
        required=False,
        help_text="What kind of person: a kind set here is a curator's, which ingestion never changes.",
    )
    aliases = serializers.ListField(child=StrictCharField(max_length=200), required=False)

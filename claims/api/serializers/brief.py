"""Brief serializers: how one record is shown when nested inside another."""

from __future__ import annotations

from rest_framework import serializers

from claims.api.serializers.base import OptionalURLField
from claims.models import Affiliation, Article, Expert, Organization

__all__ = [
    "ArticleBriefSerializer",
    "ClaimAffiliationSerializer",
    "ExpertBriefSerializer",
    "OrganizationBriefSerializer",
]


class OrganizationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ("id", "name", "acronym")


class ExpertBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Expert
        fields = ("id", "name", "slug")


class ArticleBriefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    outlet = serializers.CharField(source="outlet.name", allow_null=True, read_only=True, default=None)
    source_url = OptionalURLField(source="url", read_only=True, help_text="Where the article was published.")

    class Meta:
        model = Article
        fields = ("id", "url", "title", "outlet", "published_on", "source_url")


class ClaimAffiliationSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Affiliation
        fields = ("id", "role", "is_former", "organization")

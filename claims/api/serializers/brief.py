"""Brief serializers: how one record is shown when nested inside another.

Their fields are those of the brief shapes (claims.selectors.shapes), which the bulk-built lists use.
"""

from __future__ import annotations

from rest_framework import serializers

from claims.api.serializers.base import OptionalURLField
from claims.models import Affiliation, Article, Expert, Organization
from claims.selectors.shapes import ARTICLE_BRIEF, CLAIM_AFFILIATION, EXPERT_BRIEF, ORGANIZATION_BRIEF

__all__ = [
    "ArticleBriefSerializer",
    "ClaimAffiliationSerializer",
    "ExpertBriefSerializer",
    "OrganizationBriefSerializer",
]


class OrganizationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ORGANIZATION_BRIEF.names


class ExpertBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Expert
        fields = EXPERT_BRIEF.names


class ArticleBriefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    outlet = serializers.CharField(source="outlet.name", allow_null=True, read_only=True, default=None)
    source_url = OptionalURLField(source="url", read_only=True, help_text="Where the article was published.")

    class Meta:
        model = Article
        fields = ARTICLE_BRIEF.names


class ClaimAffiliationSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Affiliation
        fields = CLAIM_AFFILIATION.names

"""Serializers of articles and outlets; an article's detail nests the claims you may see."""

from __future__ import annotations

from rest_framework import serializers

from claims.api.serializers.brief import (
    ArticleBriefSerializer,
)
from claims.api.serializers.claims import ClaimSerializer
from claims.models import Article, IngestJob, Outlet

__all__ = [
    "ArticleClaimSerializer",
    "ArticleDetailSerializer",
    "ArticleSerializer",
    "ArticleUpdateSerializer",
    "IngestJobSerializer",
    "OutletSerializer",
]


class OutletSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:outlet-detail")

    class Meta:
        model = Outlet
        fields = ("id", "url", "name", "slug", "domain", "alternate_names")
        read_only_fields = ("slug",)


class IngestJobSerializer(serializers.ModelSerializer):
    """One ingestion job as curators follow it: state, article, reason, retries (never the input's text)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:ingest-job-detail")
    article = serializers.HyperlinkedRelatedField(view_name="api:article-detail", read_only=True, allow_null=True)

    class Meta:
        model = IngestJob
        fields = (
            "id",
            "url",
            "kind",
            "label",
            "state",
            "article_id",
            "article",
            "created_article",
            "reason",
            "retries",
            "attempts",
            "worker",
            "created_at",
            "started_at",
            "finished_at",
        )
        read_only_fields = fields


class ArticleSerializer(ArticleBriefSerializer):
    class Meta(ArticleBriefSerializer.Meta):
        fields = (
            *ArticleBriefSerializer.Meta.fields,
            "authors",
            "date_precision",
            "language",
            "source_file",
            "ingested_at",
            "version",
        )


class ArticleClaimSerializer(ClaimSerializer):
    """A claim inside its article: the article itself is not repeated."""

    class Meta(ClaimSerializer.Meta):
        fields = tuple(f for f in ClaimSerializer.Meta.fields if f != "article")


class ArticleDetailSerializer(ArticleSerializer):
    body = serializers.CharField(read_only=True)
    claims = ArticleClaimSerializer(many=True, read_only=True, help_text="The claims you may see, in text order.")

    class Meta(ArticleSerializer.Meta):
        fields = (*ArticleSerializer.Meta.fields, "body", "claims")


class ArticleUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, required=False)
    outlet = serializers.PrimaryKeyRelatedField(queryset=Outlet.objects.all(), allow_null=True, required=False)
    authors = serializers.CharField(max_length=500, required=False, allow_blank=True)
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True)
    date_precision = serializers.ChoiceField(choices=Article._meta.get_field("date_precision").choices, required=False)
    language = serializers.CharField(max_length=16, required=False)

"""Serializers of articles and outlets; an article's detail nests the claims you may see."""

from __future__ import annotations

from rest_framework import serializers

from claims.api.serializers.base import StrictCharField, StrictModelSerializer
from claims.api.serializers.brief import (
    ArticleBriefSerializer,
)
from claims.api.serializers.claims import ClaimSerializer
from claims.models import Article, Outlet

__all__ = [
    "ArticleClaimSerializer",
    "ArticleDetailSerializer",
    "ArticleSerializer",
    "ArticleUpdateSerializer",
    "OutletSerializer",
]


class OutletSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:outlet-detail")
    alternate_names = serializers.ListField(
        child=StrictCharField(max_length=200),
        required=False,
        help_text='Other names the outlet goes by, e.g. ["World Ilbo"] for Segye Ilbo.',
    )

    class Meta:
        model = Outlet
        fields = ("id", "url", "name", "slug", "domain", "alternate_names")
        read_only_fields = ("slug",)


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
    title = StrictCharField(max_length=500, required=False)
    outlet = serializers.PrimaryKeyRelatedField(queryset=Outlet.objects.all(), allow_null=True, required=False)
    authors = StrictCharField(max_length=500, required=False, allow_blank=True)
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True)
    date_precision = serializers.ChoiceField(choices=Article._meta.get_field("date_precision").choices, required=False)
    language = StrictCharField(max_length=16, required=False)

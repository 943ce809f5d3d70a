"""Serializers of articles and outlets; an article's detail nests the claims you may see."""

from __future__ import annotations

from rest_framework import serializers

from claims.api.serializers.base import StrictCharField, StrictModelSerializer
from claims.api.serializers.brief import (
    ArticleBriefSerializer,
)
from claims.api.serializers.claims import ClaimSerializer
from claims.models import Article, ArticleSource, IngestJob, Outlet

__all__ = [
    "ArticleClaimSerializer",
    "ArticleDetailSerializer",
    "ArticleIngestSerializer",
    "ArticleSerializer",
    "ArticleSourceSerializer",
    "ArticleUpdateSerializer",
    "IngestJobSerializer",
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
            "parent_id",
            "created_article",
            "reason",
            "retries",
            "attempts",
            "worker",
            "created_at",
            "due_at",
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


class ArticleSourceSerializer(serializers.ModelSerializer):
    """One place the article's text was found, with the SHA-256 of the bytes kept as its snapshot."""

    class Meta:
        model = ArticleSource
        fields = (
            "kind",
            "url",
            "requested_url",
            "file_name",
            "feed_url",
            "fetched_at",
            "http_status",
            "content_type",
            "snapshot_sha256",
            "snapshot_size",
        )
        read_only_fields = fields


class ArticleDetailSerializer(ArticleSerializer):
    body = serializers.CharField(read_only=True)
    metadata_sources = serializers.DictField(
        child=serializers.ChoiceField(choices=["explicit", "page", "feed", "guessed"]),
        read_only=True,
        help_text="Where each field came from: explicit, page, feed or guessed.",
    )
    sources = ArticleSourceSerializer(many=True, read_only=True, help_text="Every place the text was found.")
    claims = ArticleClaimSerializer(many=True, read_only=True, help_text="The claims you may see, in text order.")

    class Meta(ArticleSerializer.Meta):
        fields = (*ArticleSerializer.Meta.fields, "metadata_sources", "sources", "body", "claims")


class ArticleUpdateSerializer(serializers.Serializer):
    title = StrictCharField(max_length=500, required=False)
    outlet = serializers.PrimaryKeyRelatedField(queryset=Outlet.objects.all(), allow_null=True, required=False)
    authors = StrictCharField(max_length=500, required=False, allow_blank=True)
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True)
    date_precision = serializers.ChoiceField(choices=Article._meta.get_field("date_precision").choices, required=False)
    language = StrictCharField(max_length=16, required=False)


class ArticleIngestSerializer(serializers.Serializer):
    """One article to ingest: an address to fetch, a text, or a file; with metadata you know."""

    url = serializers.URLField(
        max_length=1000, required=False, help_text="A web page to fetch (robots.txt respected, 5 MB at most)."
    )
    text = StrictCharField(
        required=False, trim_whitespace=False, help_text="The article's plain text, headline on the first line."
    )
    file = serializers.FileField(
        required=False, help_text="A text file, a saved page (.html, .htm, gzip'ed too) or a one-page web archive."
    )
    title = StrictCharField(max_length=500, required=False)
    outlet = StrictCharField(max_length=200, required=False)
    date = StrictCharField(max_length=10, required=False, help_text="2024-11-28, 2024-11 or 2024.")
    source_url = serializers.URLField(max_length=1000, required=False, help_text="Where the text was published.")
    authors = serializers.ListField(child=StrictCharField(max_length=200), required=False, max_length=20)
    language = StrictCharField(max_length=16, required=False, help_text="en, ko, ...")

    def validate(self, attrs):
        from claims.extraction.provenance import ExplicitMeta

        given = [name for name in ("url", "text", "file") if attrs.get(name)]
        if len(given) != 1:
            raise serializers.ValidationError("Give exactly one of url, text or file.")
        try:
            attrs["meta"] = ExplicitMeta.from_mapping(
                {
                    "title": attrs.get("title"),
                    "outlet": attrs.get("outlet"),
                    "date": attrs.get("date"),
                    "url": attrs.get("source_url"),
                    "authors": attrs.get("authors"),
                    "language": attrs.get("language"),
                }
            )
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
        return attrs

"""Serializers: explicit fields, Brief serializers for nesting, input serializers for writes.

Output serializers only shape data. Input serializers validate shapes and
look up related rows; the services (claims.services) make the change.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.choices import ClaimKind, QuoteType, ReviewStatus
from claims.models import Affiliation, Article, Claim, Expert, Organization, Outlet, Topic


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
        return value or None


class TopicSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:topic-detail")

    class Meta:
        model = Topic
        fields = ("id", "url", "slug", "name", "description")


class OrganizationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ("id", "name", "acronym")


class OrganizationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:organization-detail")
    website = OptionalURLField(max_length=500)

    class Meta:
        model = Organization
        fields = ("id", "url", "name", "slug", "acronym", "kind", "country", "website", "wikidata_id")
        read_only_fields = ("slug",)


class OutletSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:outlet-detail")

    class Meta:
        model = Outlet
        fields = ("id", "url", "name", "slug", "domain", "alternate_names")
        read_only_fields = ("slug",)


class ExpertBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Expert
        fields = ("id", "name", "slug")


class AffiliationSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Affiliation
        fields = ("id", "role", "is_former", "organization", "start_date", "end_date")


class ExpertSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:expert-detail")
    aliases = serializers.SerializerMethodField(help_text="Every spelling of the name seen in print.")
    affiliations = AffiliationSerializer(many=True, read_only=True)
    claim_count = serializers.IntegerField(read_only=True, help_text="Claims by this expert that you may see.")

    class Meta:
        model = Expert
        fields = (
            "id",
            "url",
            "name",
            "sort_name",
            "slug",
            "wikidata_id",
            "bio",
            "aliases",
            "affiliations",
            "claim_count",
            "version",
        )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_aliases(self, expert) -> list[str]:
        return [alias.name for alias in expert.aliases.all()]


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


class ClaimSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:claim-detail")
    expert = ExpertBriefSerializer(allow_null=True, read_only=True)
    affiliation = ClaimAffiliationSerializer(allow_null=True, read_only=True, help_text="As stated in the article.")
    article = ArticleBriefSerializer(read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Claim
        fields = (
            "id",
            "url",
            "text",
            "quote_type",
            "kind",
            "status",
            "cue",
            "speaker_mention",
            "start",
            "end",
            "topics",
            "expert",
            "affiliation",
            "article",
            "confidence",
            "reviewed_at",
            "created_at",
            "updated_at",
            "version",
        )
        # An output shape (writes use ClaimInputSerializer). Read-only fields also
        # keep database-specific integer bounds out of the OpenAPI schema.
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


# Input ---------------------------------------------------------------------


class ClaimInputSerializer(serializers.Serializer):
    """A claim to create or the fields of one to change (PATCH sends only what changes)."""

    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.defer("body").all())
    expert = serializers.PrimaryKeyRelatedField(queryset=Expert.objects.all(), allow_null=True, required=False)
    affiliation = serializers.PrimaryKeyRelatedField(
        queryset=Affiliation.objects.all(), allow_null=True, required=False
    )
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Must equal the article's text at start..end.",
    )
    quote_type = serializers.ChoiceField(choices=QuoteType.choices, default=QuoteType.DIRECT)
    kind = serializers.ChoiceField(choices=ClaimKind.choices, default=ClaimKind.ASSESSMENT)
    cue = serializers.CharField(max_length=120, required=False, allow_blank=True)
    speaker_mention = serializers.CharField(max_length=200, required=False, allow_blank=True)
    topics = serializers.SlugRelatedField(slug_field="slug", queryset=Topic.objects.all(), many=True, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class ClaimUpdateSerializer(ClaimInputSerializer):
    """Fields of a claim to change; the article cannot change."""

    article = None

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class ReviewSerializer(serializers.Serializer):
    notes = serializers.CharField(required=False, allow_blank=True, help_text="Replaces the curator notes if given.")


class ReviewStatusSerializer(ReviewSerializer):
    status = serializers.ChoiceField(choices=ReviewStatus.choices)


class ExpertInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    sort_name = serializers.CharField(max_length=200, required=False)
    wikidata_id = serializers.CharField(max_length=16, required=False, allow_blank=True)
    bio = serializers.CharField(required=False, allow_blank=True)
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), required=False)


class ArticleUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, required=False)
    outlet = serializers.PrimaryKeyRelatedField(queryset=Outlet.objects.all(), allow_null=True, required=False)
    authors = serializers.CharField(max_length=500, required=False, allow_blank=True)
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True)
    published_on = serializers.DateField(required=False, allow_null=True)
    date_precision = serializers.ChoiceField(choices=Article._meta.get_field("date_precision").choices, required=False)
    language = serializers.CharField(max_length=16, required=False)

"""Serializers of claims and topics: the output shape, and the input shapes of writes and reviews.

Output serializers only shape data. Input serializers validate shapes and look up related rows;
the services (claims.services) make the change.
"""

from __future__ import annotations

from rest_framework import serializers

from claims.api.serializers.base import StrictCharField, StrictModelSerializer, StrictSlugRelatedField
from claims.api.serializers.brief import (
    ArticleBriefSerializer,
    ClaimAffiliationSerializer,
    ExpertBriefSerializer,
)
from claims.choices import ClaimKind, QuoteType
from claims.models import Affiliation, Article, Claim, Expert, Topic
from claims.selectors.claims import CLAIM_SHAPE

__all__ = ["ClaimInputSerializer", "ClaimSerializer", "ClaimUpdateSerializer", "ReviewSerializer", "TopicSerializer"]


class TopicSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:topic-detail")

    class Meta:
        model = Topic
        fields = ("id", "url", "slug", "name", "description", "cues")


class ClaimSerializer(serializers.ModelSerializer):
    # The fields of CLAIM_SHAPE, documented here for OpenAPI (no docstring: it would become the schema's description).
    url = serializers.HyperlinkedIdentityField(view_name="api:claim-detail")
    expert = ExpertBriefSerializer(allow_null=True, read_only=True)
    affiliation = ClaimAffiliationSerializer(allow_null=True, read_only=True, help_text="As stated in the article.")
    article = ArticleBriefSerializer(read_only=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Claim
        fields = CLAIM_SHAPE.names
        # An output shape (writes use ClaimInputSerializer). Read-only fields also
        # keep database-specific integer bounds out of the OpenAPI schema.
        read_only_fields = fields


class ClaimInputSerializer(serializers.Serializer):
    """A claim to create or the fields of one to change (PATCH sends only what changes)."""

    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.defer("body").all())
    expert = serializers.PrimaryKeyRelatedField(queryset=Expert.objects.all(), allow_null=True, required=False)
    affiliation = serializers.PrimaryKeyRelatedField(
        queryset=Affiliation.objects.all(), allow_null=True, required=False
    )
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)
    text = StrictCharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Must equal the article's text at start..end.",
    )
    quote_type = serializers.ChoiceField(choices=QuoteType.choices, default=QuoteType.DIRECT)
    kind = serializers.ChoiceField(choices=ClaimKind.choices, default=ClaimKind.ASSESSMENT)
    cue = StrictCharField(max_length=120, required=False, allow_blank=True)
    speaker_mention = StrictCharField(max_length=200, required=False, allow_blank=True)
    topics = StrictSlugRelatedField(slug_field="slug", queryset=Topic.objects.all(), many=True, required=False)
    notes = StrictCharField(required=False, allow_blank=True)


class ClaimUpdateSerializer(ClaimInputSerializer):
    """Fields of a claim to change; the article cannot change."""

    article = None

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class ReviewSerializer(serializers.Serializer):
    notes = StrictCharField(required=False, allow_blank=True, help_text="Replaces the curator notes if given.")

"""Serializers of predictions, events and track records."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.serializers.base import StrictCharField, StrictSlugRelatedField
from claims.api.serializers.brief import (
    ArticleBriefSerializer,
    ClaimAffiliationSerializer,
    ExpertBriefSerializer,
)
from claims.choices import DatePrecision, Outcome
from claims.domain.track_record import MIN_JUDGED
from claims.models import Claim, Event, Prediction, Topic
from claims.selectors.base import can_see_unreviewed

__all__ = [
    "CalibrationBinSerializer",
    "EventInputSerializer",
    "EventSerializer",
    "EvidenceLinkSerializer",
    "ExpertTrackRecordSerializer",
    "PredictionClaimSerializer",
    "PredictionInputSerializer",
    "PredictionSerializer",
    "PredictionUpdateSerializer",
    "ResolveSerializer",
    "TopicTrackRecordSerializer",
    "TrackRecordSerializer",
]


class EvidenceLinkSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=1000)
    publisher = StrictCharField(max_length=200)
    title = StrictCharField(max_length=500)

    def validate(self, attrs):
        # A link is given whole even in a PATCH of its event, whose partial=True would skip its missing fields.
        missing = {name: ["This field is required."] for name in ("url", "publisher", "title") if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class EventSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:event-detail")
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    evidence = EvidenceLinkSerializer(many=True, read_only=True, help_text="Published sources documenting it.")

    class Meta:
        model = Event
        fields = (
            "id",
            "url",
            "slug",
            "title",
            "occurred_on",
            "date_precision",
            "description",
            "topics",
            "evidence",
            "created_at",
            "updated_at",
        )


class EventInputSerializer(serializers.Serializer):
    title = StrictCharField(max_length=300)
    occurred_on = serializers.DateField()
    date_precision = serializers.ChoiceField(
        choices=[c for c in DatePrecision.choices if c[0] != DatePrecision.UNKNOWN], default=DatePrecision.DAY
    )
    description = StrictCharField(help_text="What happened, in the curator's own words.")
    topics = StrictSlugRelatedField(slug_field="slug", queryset=Topic.objects.all(), many=True, required=False)
    evidence = EvidenceLinkSerializer(
        many=True, required=False, help_text="On a change, replaces the event's links (matched by URL)."
    )


class PredictionClaimSerializer(serializers.ModelSerializer):
    """The claim a prediction comes from, in brief (its expert and article are beside it)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:claim-detail")
    affiliation = ClaimAffiliationSerializer(allow_null=True, read_only=True, help_text="As stated in the article.")
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Claim
        fields = ("id", "url", "text", "quote_type", "kind", "status", "cue", "affiliation", "topics")


class PredictionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:prediction-detail")
    made_on = serializers.DateField(
        source="claim.article.published_on",
        read_only=True,
        allow_null=True,
        help_text="When the forecast was made: its article's publication date (see made_on_precision).",
    )
    made_on_precision = serializers.CharField(source="claim.article.date_precision", read_only=True)
    claim = PredictionClaimSerializer(read_only=True)
    expert = ExpertBriefSerializer(source="claim.expert", read_only=True, allow_null=True)
    article = ArticleBriefSerializer(source="claim.article", read_only=True)
    events = EventSerializer(many=True, read_only=True, help_text="The events that decided the outcome.")
    resolved_by = serializers.SerializerMethodField(help_text="The resolver's username; shown to curators only.")

    class Meta:
        model = Prediction
        fields = (
            "id",
            "url",
            "proposition",
            "hedge",
            "hedge_category",
            "hedge_inverted",
            "scale",
            "probability_low",
            "probability",
            "probability_high",
            "low_confidence",
            "horizon_text",
            "horizon_start",
            "horizon_end",
            "made_on",
            "made_on_precision",
            "outcome",
            "resolved_at",
            "resolved_by",
            "resolution_note",
            "claim",
            "expert",
            "article",
            "events",
            "created_at",
            "updated_at",
            "version",
        )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_resolved_by(self, prediction) -> str | None:
        request = self.context.get("request")
        if prediction.resolved_by_id is None or not can_see_unreviewed(getattr(request, "user", None)):
            return None
        return prediction.resolved_by.get_username()


class PredictionInputSerializer(serializers.Serializer):
    claim = serializers.PrimaryKeyRelatedField(
        queryset=Claim.objects.select_related("article").defer("article__body"),
        help_text="A claim of kind 'prediction' without a prediction yet.",
    )
    proposition = StrictCharField(help_text='The forecast in plain words: "Kim Jong Un will not visit Russia".')
    hedge = StrictCharField(
        max_length=120, required=False, allow_blank=True, default="", help_text='As printed: "very unlikely".'
    )
    hedge_inverted = serializers.BooleanField(
        required=False, default=False, help_text="The hedge speaks of the opposite of the proposition."
    )
    horizon_text = StrictCharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text='As printed ("in May"); without dates it is turned into a window against the article date.',
    )
    horizon_start = serializers.DateField(required=False, allow_null=True, default=None)
    horizon_end = serializers.DateField(required=False, allow_null=True, default=None)


class PredictionUpdateSerializer(serializers.Serializer):
    proposition = StrictCharField(required=False)
    hedge = StrictCharField(max_length=120, required=False, allow_blank=True)
    hedge_inverted = serializers.BooleanField(required=False)
    horizon_text = StrictCharField(max_length=200, required=False, allow_blank=True)
    horizon_start = serializers.DateField(required=False, allow_null=True)
    horizon_end = serializers.DateField(required=False, allow_null=True)


class ResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[c for c in Outcome.choices if c[0] != Outcome.PENDING])
    events = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.all(), many=True, help_text="Ids of the events that decided it (at least one)."
    )
    note = StrictCharField(help_text="Why: the reasoning a reader can check against the events.")


class CalibrationBinSerializer(serializers.Serializer):
    band = StrictCharField(help_text="The ICD 203 band the forecasts' probabilities fall in.")
    label = StrictCharField()
    low = serializers.FloatField()
    high = serializers.FloatField()
    count = serializers.IntegerField()
    mean_forecast = serializers.FloatField(help_text="Mean probability forecast in this band.")
    observed_frequency = serializers.FloatField(help_text="Mean observed value (1 true, 0.5 partly, 0 not/late).")


class TrackRecordSerializer(serializers.Serializer):
    made = serializers.IntegerField(help_text="Predictions made (that you may see).")
    pending = serializers.IntegerField()
    resolved = serializers.IntegerField()
    came_true = serializers.IntegerField(help_text="Came true within the horizon.")
    came_true_late = serializers.IntegerField(help_text="Came true after the horizon.")
    partly = serializers.IntegerField()
    did_not_happen = serializers.IntegerField()
    cannot_judge = serializers.IntegerField()
    judged = serializers.IntegerField(help_text="Resolved predictions that could be judged.")
    scored = serializers.IntegerField(help_text="Judged predictions with a probability (the Brier sample).")
    brier_score = serializers.FloatField(allow_null=True, help_text="0 is perfect; 0.25 is always saying 50%.")
    hits = serializers.FloatField()
    hit_rate = serializers.FloatField(allow_null=True)
    hit_rate_sample = serializers.IntegerField()
    calibration = CalibrationBinSerializer(many=True)
    caution = serializers.BooleanField(help_text=f"Fewer than {MIN_JUDGED} judged predictions: read with care.")


class TopicTrackRecordSerializer(TrackRecordSerializer):
    topic = StrictCharField(help_text="The topic's slug.")
    name = StrictCharField()


class ExpertTrackRecordSerializer(serializers.Serializer):
    expert = ExpertBriefSerializer()
    overall = TrackRecordSerializer()
    topics = TopicTrackRecordSerializer(many=True)
    minimum_judged = serializers.IntegerField(help_text="Below this many judged predictions, caution is raised.")

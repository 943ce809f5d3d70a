"""The predictions API: predictions (with ClaimReview JSON-LD), events, and experts' track records.

Thin views, as in claims.api.views: reads come from claims.selectors_predictions
and the FilterSets of claims.filtersets_predictions, writes go to
claims.services.predictions.

``?format=jsonld`` on the predictions list and detail answers schema.org
JSON-LD: a ``ClaimReview`` for each resolved prediction, a bare ``Claim`` for a
pending one (no review exists yet). The outcome is mapped onto a 1-5 rating
(RATING_SCALE; docs/predictions.md, "JSON-LD").
"""

from __future__ import annotations

import base64
import dataclasses
import json

from django.db.models import Model
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from claims.api.pagination import KeysetOrdering, KeysetPagination, _encode_value
from claims.api.permissions import ReadOnlyOrCurator
from claims.api.serializers import ArticleBriefSerializer, ClaimAffiliationSerializer, ExpertBriefSerializer
from claims.api.views import IF_MATCH, CSVStreamMixin, KeysetListMixin, VersionedMixin
from claims.choices import DatePrecision, Outcome
from claims.filtersets_predictions import EVENT_ORDERINGS, PREDICTION_ORDERINGS, EventFilterSet, PredictionFilterSet
from claims.models import Claim, Event, Expert, Prediction, Topic
from claims.selectors import can_see_unreviewed
from claims.selectors_predictions import event_queryset, expert_track_record, prediction_queryset
from claims.services.predictions import (
    event_create,
    event_update,
    prediction_create,
    prediction_resolve,
    prediction_update,
)
from claims.track_record import MIN_JUDGED

__all__ = [
    "RATING_SCALE",
    "ClaimReviewRenderer",
    "EventViewSet",
    "ExpertTrackRecordView",
    "PredictionViewSet",
    "claim_review",
]

PROJECT_NAME = "Expert claims database"
SCHEMA_ORG = "https://schema.org"
WIKIDATA = "https://www.wikidata.org/wiki/{}"

# Outcome -> reviewRating.ratingValue on a 1 (false) to 5 (true) scale. 2 is unused; "cannot be judged"
# has a rating label but no value; a pending prediction has no review at all.
RATING_SCALE: dict[str, int] = {
    Outcome.CAME_TRUE: 5,
    Outcome.CAME_TRUE_LATE: 4,
    Outcome.PARTLY: 3,
    Outcome.DID_NOT_HAPPEN: 1,
}
BEST_RATING, WORST_RATING = 5, 1


# Serializers ---------------------------------------------------------------------------------------------------


class EvidenceLinkSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=1000)
    publisher = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=500)


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
    title = serializers.CharField(max_length=300)
    occurred_on = serializers.DateField()
    date_precision = serializers.ChoiceField(
        choices=[c for c in DatePrecision.choices if c[0] != DatePrecision.UNKNOWN], default=DatePrecision.DAY
    )
    description = serializers.CharField(help_text="What happened, in the curator's own words.")
    topics = serializers.SlugRelatedField(slug_field="slug", queryset=Topic.objects.all(), many=True, required=False)
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
    proposition = serializers.CharField(help_text='The forecast in plain words: "Kim Jong Un will not visit Russia".')
    hedge = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default="", help_text='As printed: "very unlikely".'
    )
    hedge_inverted = serializers.BooleanField(
        required=False, default=False, help_text="The hedge speaks of the opposite of the proposition."
    )
    horizon_text = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text='As printed ("in May"); without dates it is turned into a window against the article date.',
    )
    horizon_start = serializers.DateField(required=False, allow_null=True, default=None)
    horizon_end = serializers.DateField(required=False, allow_null=True, default=None)


class PredictionUpdateSerializer(serializers.Serializer):
    proposition = serializers.CharField(required=False)
    hedge = serializers.CharField(max_length=120, required=False, allow_blank=True)
    hedge_inverted = serializers.BooleanField(required=False)
    horizon_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    horizon_start = serializers.DateField(required=False, allow_null=True)
    horizon_end = serializers.DateField(required=False, allow_null=True)


class ResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[c for c in Outcome.choices if c[0] != Outcome.PENDING])
    events = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.all(), many=True, help_text="Ids of the events that decided it (at least one)."
    )
    note = serializers.CharField(help_text="Why: the reasoning a reader can check against the events.")


class CalibrationBinSerializer(serializers.Serializer):
    band = serializers.CharField(help_text="The ICD 203 band the forecasts' probabilities fall in.")
    label = serializers.CharField()
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
    topic = serializers.CharField(help_text="The topic's slug.")
    name = serializers.CharField()


class ExpertTrackRecordSerializer(serializers.Serializer):
    expert = ExpertBriefSerializer()
    overall = TrackRecordSerializer()
    topics = TopicTrackRecordSerializer(many=True)
    minimum_judged = serializers.IntegerField(help_text="Below this many judged predictions, caution is raised.")


# JSON-LD -------------------------------------------------------------------------------------------------------


class ClaimReviewRenderer(JSONRenderer):
    """schema.org JSON-LD (``?format=jsonld``); the views shape the data, this only encodes it."""

    media_type = "application/ld+json"
    format = "jsonld"


def _organization(name: str, *, wikidata_id: str = "", url: str = "") -> dict:
    node = {"@type": "Organization", "name": name}
    if url:
        node["url"] = url
    if wikidata_id:
        node["sameAs"] = WIKIDATA.format(wikidata_id)
    return node


def _person(claim: Claim, request) -> dict:
    expert = claim.expert
    person = {"@type": "Person", "name": expert.name, "url": request.build_absolute_uri(expert.get_api_url())}
    if expert.wikidata_id:
        person["sameAs"] = WIKIDATA.format(expert.wikidata_id)
    affiliation = claim.affiliation
    if affiliation is not None:
        if affiliation.role:
            person["jobTitle"] = affiliation.role
        if affiliation.organization_id is not None:
            organization = affiliation.organization
            person["affiliation"] = _organization(
                organization.name, wikidata_id=organization.wikidata_id, url=organization.website
            )
    return person


def _appearance(claim: Claim, request) -> dict:
    article = claim.article
    outlet = article.outlet
    node = {
        "@type": "NewsArticle" if outlet is not None else "CreativeWork",
        "headline": article.title,
        # The original address when it is known, else the project's record of the article.
        "url": article.url or request.build_absolute_uri(article.get_api_url()),
    }
    if article.published_on is not None:
        node["datePublished"] = _date(article.published_on, article.date_precision)
    if outlet is not None:
        node["publisher"] = _organization(outlet.name, url=f"https://{outlet.domain}" if outlet.domain else "")
    return node


def _date(value, precision: str) -> str:
    """ISO 8601 at the precision known: 2015-02-13, 2019-04, 2014."""
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%Y-%m}"
    return value.isoformat()


def claim_review(prediction: Prediction, request, *, context: bool = True) -> dict:
    """The schema.org node for a prediction: a ClaimReview once resolved, the bare Claim while pending."""
    claim = prediction.claim
    item = {"@type": "Claim", "text": claim.text, "appearance": _appearance(claim, request)}
    if claim.expert_id is not None:
        item["author"] = _person(claim, request)
    if claim.article.published_on is not None:
        item["datePublished"] = _date(claim.article.published_on, claim.article.date_precision)
    page = request.build_absolute_uri(reverse("predictions:detail", args=[prediction.pk]))
    head = {"@context": SCHEMA_ORG} if context else {}
    if prediction.outcome == Outcome.PENDING:
        return {**head, **item, "url": page, "name": prediction.proposition}
    rating = {
        "@type": "Rating",
        "alternateName": Outcome(prediction.outcome).label,
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
    }
    if prediction.outcome in RATING_SCALE:
        rating["ratingValue"] = RATING_SCALE[prediction.outcome]
    return {
        **head,
        "@type": "ClaimReview",
        "url": page,
        "claimReviewed": prediction.proposition,
        "itemReviewed": item,
        "reviewRating": rating,
        "reviewBody": prediction.resolution_note,
        "datePublished": prediction.resolved_at.date().isoformat(),
        "author": _organization(PROJECT_NAME, url=request.build_absolute_uri(reverse("predictions:index"))),
    }


# Pagination over a related field ------------------------------------------------------------------------------


def _follow(model: type[Model], path: str):
    """(model, field) at the end of a lookup path such as "claim__sort_date"."""
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model, model._meta.get_field(name)


def path_keyset_orderings(model: type[Model], fields: dict[str, str]) -> dict[str, KeysetOrdering]:
    """Like claims.api.pagination.keyset_orderings, for fields that may sit across a relation."""
    result = {}
    for public, path in fields.items():
        nullable = _follow(model, path)[1].null
        result[public] = KeysetOrdering(public, path, False, nullable)
        result[f"-{public}"] = KeysetOrdering(f"-{public}", path, True, nullable)
    return result


class PathKeysetPagination(KeysetPagination):
    """KeysetPagination whose ordering field may be a lookup path ("claim__sort_date")."""

    def decode_cursor(self, request, ordering, model):
        if "__" in ordering.field:
            model, field = _follow(model, ordering.field)
            ordering = dataclasses.replace(ordering, field=field.name)
        return super().decode_cursor(request, ordering, model)

    def encode_cursor(self, row, *, reverse: bool) -> str:
        value = row
        for part in self.ordering.field.split("__"):
            value = getattr(value, part)
        payload = json.dumps({"o": self.ordering.name, "v": _encode_value(value), "id": row.pk, "r": reverse})
        return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


# Views ---------------------------------------------------------------------------------------------------------


class CanChange(ReadOnlyOrCurator):
    """A POST that changes a record (an action such as resolve) needs the change permission, not the add one."""

    perms_map = {**ReadOnlyOrCurator.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


def _wants_jsonld(request) -> bool:
    return getattr(request.accepted_renderer, "format", None) == ClaimReviewRenderer.format


JSONLD_NOTE = (
    " `?format=jsonld` answers schema.org JSON-LD: a ClaimReview per resolved prediction (outcome rated 1-5), "
    "a Claim per pending one."
)


# Each format has its own shape: JSON-LD is a schema.org document, not the JSON page.
JSONLD_RESPONSE = OpenApiResponse(OpenApiTypes.OBJECT, description="schema.org JSON-LD (ClaimReview / Claim)")


@extend_schema_view(
    list=extend_schema(
        summary="List predictions",
        description="Newest forecast first; anonymous clients see the predictions of approved claims only."
        + JSONLD_NOTE
        + " On the JSON-LD list the page is an @graph, and the next/previous pages are in the Link header.",
        responses={
            (200, "application/json"): PredictionSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/ld+json"): JSONLD_RESPONSE,
        },
    ),
    retrieve=extend_schema(
        summary="A prediction",
        description="Its ETag is its version, for If-Match on writes." + JSONLD_NOTE,
        responses={
            (200, "application/json"): PredictionSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/ld+json"): JSONLD_RESPONSE,
        },
    ),
)
class PredictionViewSet(
    KeysetListMixin,
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Prediction.objects.all()
    serializer_class = PredictionSerializer
    filterset_class = PredictionFilterSet
    pagination_class = PathKeysetPagination
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, ClaimReviewRenderer]
    keyset_fields = PREDICTION_ORDERINGS
    default_ordering = "-made_on"

    def get_queryset(self):
        return prediction_queryset(user=self.request.user)

    def get_keyset_orderings(self) -> dict[str, KeysetOrdering]:
        return path_keyset_orderings(self.queryset.model, self.keyset_fields)

    def get_default_ordering(self) -> str:
        return self.default_ordering

    def list(self, request, *args, **kwargs):
        if not _wants_jsonld(request):
            return super().list(request, *args, **kwargs)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        graph = [claim_review(prediction, request, context=False) for prediction in page]
        response = Response({"@context": SCHEMA_ORG, "@graph": graph})
        links = [
            f'<{url}>; rel="{rel}"'
            for rel, url in (("next", self.paginator.get_next_link()), ("prev", self.paginator.get_previous_link()))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response

    def retrieve(self, request, *args, **kwargs):
        if not _wants_jsonld(request):
            return super().retrieve(request, *args, **kwargs)
        prediction = self.get_object()
        response = Response(claim_review(prediction, request))
        response.version = prediction.version
        return response

    def _reloaded(self, prediction):
        return self.get_queryset().get(pk=prediction.pk)

    @extend_schema(request=PredictionInputSerializer, responses={201: PredictionSerializer}, summary="Add a prediction")
    def create(self, request, *args, **kwargs):
        serializer = PredictionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        prediction = prediction_create(**serializer.validated_data, user=request.user)
        return self.versioned(self._reloaded(prediction), PredictionSerializer, status.HTTP_201_CREATED)

    @extend_schema(
        request=PredictionUpdateSerializer,
        responses=PredictionSerializer,
        parameters=[IF_MATCH],
        summary="Change the proposition, hedge or horizon",
        description="The probability follows the hedge (ICD 203 or the extended table); a horizon phrase without "
        "dates is read into a window against the article's date.",
    )
    def partial_update(self, request, *args, **kwargs):
        prediction = self.get_object()
        serializer = PredictionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        prediction = prediction_update(
            prediction=prediction,
            data=serializer.validated_data,
            expected_version=self.expected_version(),
            user=request.user,
        )
        return self.versioned(self._reloaded(prediction), PredictionSerializer)

    @extend_schema(
        request=ResolveSerializer,
        responses=PredictionSerializer,
        parameters=[IF_MATCH],
        summary="Resolve a prediction",
        description="Records the outcome, the deciding events (at least one), the note, the resolver and the time.",
    )
    @action(detail=True, methods=["post"], permission_classes=[CanChange])
    def resolve(self, request, pk=None):
        prediction = self.get_object()
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        prediction = prediction_resolve(
            prediction=prediction,
            outcome=data["outcome"],
            events=data["events"],
            user=request.user,
            note=data["note"],
            expected_version=self.expected_version(),
        )
        return self.versioned(self._reloaded(prediction), PredictionSerializer)


@extend_schema_view(
    list=extend_schema(summary="List events", description="Oldest first; each with its topics and evidence links."),
    retrieve=extend_schema(summary="An event"),
)
class EventViewSet(CSVStreamMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Event.objects.all()
    serializer_class = EventSerializer
    filterset_class = EventFilterSet

    def get_queryset(self):
        return event_queryset().order_by(*EVENT_ORDERINGS)

    def get_csv_ordering(self):
        return EVENT_ORDERINGS

    def _reloaded(self, event):
        return self.get_queryset().get(pk=event.pk)

    @extend_schema(request=EventInputSerializer, responses={201: EventSerializer}, summary="Add an event")
    def create(self, request, *args, **kwargs):
        serializer = EventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = event_create(**serializer.validated_data, user=request.user)
        data = EventSerializer(self._reloaded(event), context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EventInputSerializer, responses=EventSerializer, summary="Change an event")
    def partial_update(self, request, *args, **kwargs):
        event = self.get_object()
        serializer = EventInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        event = event_update(event=event, data=serializer.validated_data, user=request.user)
        return Response(EventSerializer(self._reloaded(event), context=self.get_serializer_context()).data)


class ExpertTrackRecordView(GenericAPIView):
    """How an expert's forecasts turned out, overall and per topic (of the predictions you may see)."""

    queryset = Expert.objects.all()
    serializer_class = ExpertTrackRecordSerializer
    pagination_class = None

    @extend_schema(
        summary="An expert's track record",
        description="Counts by outcome, the Brier score over resolved predictions with a probability "
        '("came true late" scores 0 against its horizon, "partly" 0.5), the hit rate, calibration bins by ICD 203 '
        f"band, and a caution flag below {MIN_JUDGED} judged predictions; the same per topic. "
        "See docs/predictions.md, Scoring.",
        responses=ExpertTrackRecordSerializer,
        parameters=[],
    )
    def get(self, request, pk: int):
        self.filter_queryset(self.get_queryset().none())  # unknown query parameters answer 400
        expert = get_object_or_404(Expert, pk=pk)
        result = expert_track_record(expert=expert, user=request.user)
        topics = [
            {"topic": entry.topic, "name": result.topic_names.get(entry.topic, entry.topic), **_asdict(entry.record)}
            for entry in result.topics
        ]
        data = {"expert": expert, "overall": _asdict(result.overall), "topics": topics, "minimum_judged": MIN_JUDGED}
        return Response(ExpertTrackRecordSerializer(data, context=self.get_serializer_context()).data)


def _asdict(record) -> dict:
    return dataclasses.asdict(record)

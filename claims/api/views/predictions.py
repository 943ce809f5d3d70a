"""API views of predictions (with ClaimReview JSON-LD), events, and experts' track records.

Reads come from claims.selectors.predictions and the FilterSets of claims.filtersets.predictions,
writes go to claims.services.predictions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import sys

import orjson
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.settings import api_settings

from claims.api.jsonld import SCHEMA_ORG, ClaimReviewRenderer, claim_review
from claims.api.permissions import CanChange
from claims.api.renderers import FastJSONRenderer
from claims.api.serializers import (
    EventInputSerializer,
    EventSerializer,
    ExpertBriefSerializer,
    ExpertTrackRecordSerializer,
    PredictionInputSerializer,
    PredictionSerializer,
    PredictionUpdateSerializer,
    ResolveSerializer,
    TopicTrackRecordSerializer,
    TrackRecordSerializer,
)
from claims.api.views.base import (
    IF_MATCH,
    CSVStreamMixin,
    KeysetListMixin,
    VersionedMixin,
    read_transaction,
)
from claims.domain import track_record as track_record_math
from claims.domain.track_record import MIN_JUDGED
from claims.filtersets import (
    EVENT_ORDERINGS,
    EventFilterSet,
    PredictionFilterSet,
)
from claims.models import Event, Expert, Prediction
from claims.selectors.base import can_see_unreviewed, visible_experts
from claims.selectors.predictions import (
    RECORDS_KEPT,
    event_queryset,
    expert_track_record,
    prediction_queryset,
    public_track_record,
)
from claims.services.predictions import (
    event_create,
    event_update,
    prediction_create,
    prediction_resolve,
    prediction_update,
)
from claims.services.track_records import public_track_record_keep

__all__ = ["EventViewSet", "ExpertTrackRecordView", "PredictionViewSet"]


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
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, ClaimReviewRenderer]

    def get_queryset(self):
        return prediction_queryset(user=self.request.user)

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
    # claims.api.fastpath answers the public's compact JSON by this view's get(), with these parameters only.
    fast_get_parameters = frozenset({"format"})

    @method_decorator(transaction.non_atomic_requests)
    def dispatch(self, request, *args, **kwargs):
        # A read: no transaction around it (see read_transaction); a stored record is written in one statement.
        with read_transaction():
            return super().dispatch(request, *args, **kwargs)

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
        public = not can_see_unreviewed(request.user)
        stored = public_track_record(expert_id=int(pk), computed_by=RECORDS_CODE) if public else None
        if stored is None:  # a curator, or no visible expert (the 404 of Django's lookup)
            expert = get_object_or_404(visible_experts(request.user), pk=pk)
            expert_data = ExpertBriefSerializer(expert, context=self.get_serializer_context()).data
            return self._answer(expert_data, self._serialized(expert_track_record(expert=expert, user=request.user)))
        if stored.overall is not None:
            return self._answer(stored.brief, (stored.overall, stored.topics), texts=True)
        overall, topics = self._serialized(stored.computed)
        public_track_record_keep(
            expert_id=int(pk),
            revision=stored.revision,
            overall=orjson.dumps(overall).decode(),
            topics=orjson.dumps(topics).decode(),
            computed_by=RECORDS_CODE,
        )
        return self._answer(stored.brief, (overall, topics))

    def _answer(self, expert_data, records, *, texts: bool = False) -> Response:
        """The response: records as serialized, or as their stored JSON texts (embedded as they are in compact
        JSON, decoded for the other renderers)."""
        overall, topics = records
        if texts:
            renderer = self.request.accepted_renderer
            compact = (
                type(renderer) is FastJSONRenderer
                and renderer.get_indent(self.request.accepted_media_type or "", self.get_renderer_context()) is None
            )
            convert = orjson.Fragment if compact else orjson.loads
            overall, topics = convert(overall), convert(topics)
        return Response({"expert": expert_data, "overall": overall, "topics": topics, "minimum_judged": MIN_JUDGED})

    @staticmethod
    def _serialized(result) -> tuple:
        """The fields ExpertTrackRecordSerializer nests, serialized once per process for the same stored rows."""
        records = _SERIALIZED.get(result.key)
        if records is None:
            topics = [
                {
                    "topic": entry.topic,
                    "name": result.topic_names.get(entry.topic, entry.topic),
                    **_asdict(entry.record),
                }
                for entry in result.topics
            ]
            records = (
                TrackRecordSerializer(_asdict(result.overall)).data,
                TopicTrackRecordSerializer(topics, many=True).data,
            )
            if len(_SERIALIZED) >= RECORDS_KEPT:
                _SERIALIZED.pop(next(iter(_SERIALIZED), None), None)
            _SERIALIZED[result.key] = records
        return records


def _code_fingerprint(*modules) -> str:
    """A hash of the source of ``modules``: equal for the same code."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(inspect.getsource(module).encode())
    return digest.hexdigest()[:32]


# The code that writes a stored public record (PublicTrackRecord.computed_by): the math, its serializers and this
# view. A deploy that changes any of them computes the records again instead of serving those stored before it.
RECORDS_CODE = _code_fingerprint(
    track_record_math, sys.modules[TrackRecordSerializer.__module__], sys.modules[__name__]
)


# The serialized records, per process, keyed as the selector keeps the records (by the stored rows they come from):
# the same rows give the same JSON, whatever expert brief goes beside it.
_SERIALIZED: dict[object, tuple] = {}


def _asdict(record) -> dict:
    return dataclasses.asdict(record)

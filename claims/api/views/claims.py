"""API views of claims (with review actions) and topics."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action

from claims.api.permissions import CanChange
from claims.api.serializers import (
    ClaimInputSerializer,
    ClaimSerializer,
    ClaimUpdateSerializer,
    ReviewSerializer,
    TopicSerializer,
)
from claims.api.views.base import (
    IF_MATCH,
    BulkListMixin,
    ReferenceViewSet,
    VersionedMixin,
)
from claims.choices import ReviewStatus
from claims.filtersets import (
    ClaimFilterSet,
    TopicFilterSet,
)
from claims.models import Claim, Topic
from claims.selectors.base import visible_claims
from claims.selectors.claims import CLAIM_SHAPE, claim_json_rows, claim_queryset, claim_rows
from claims.services.claims import claim_create, claim_update
from claims.services.claims import claim_review as claim_review_service

__all__ = ["ClaimViewSet", "TopicViewSet"]


@extend_schema_view(
    list=extend_schema(
        summary="List claims", description="Newest article first; anonymous clients see approved claims."
    ),
    retrieve=extend_schema(summary="A claim", description="Its ETag is its version, for If-Match on writes."),
)
class ClaimViewSet(
    BulkListMixin,
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Claims: who said what, in which article, wearing which hat. Lists are paged by cursor, without totals."""

    queryset = Claim.objects.all()
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilterSet
    list_shape = CLAIM_SHAPE
    row_selector = claim_rows
    json_row_selector = claim_json_rows
    # The hot anonymous reads answered in front of Django's request cycle (claims.api.fastpath).
    fast_list_parameters = frozenset({"expert", "cursor", "limit", "format"})

    def get_queryset(self):
        return claim_queryset(user=self.request.user)

    def list_queryset(self):
        return visible_claims(self.request.user)

    @extend_schema(request=ClaimInputSerializer, responses={201: ClaimSerializer}, summary="Create a claim")
    def create(self, request, *args, **kwargs):
        serializer = ClaimInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = claim_create(**serializer.validated_data)
        return self.versioned(claim, status_code=status.HTTP_201_CREATED)

    @extend_schema(request=ClaimUpdateSerializer, parameters=[IF_MATCH], summary="Change a claim")
    def partial_update(self, request, *args, **kwargs):
        claim = self.get_object()
        serializer = ClaimUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = claim_update(
            claim=claim, data=serializer.validated_data, expected_version=self.expected_version(), user=request.user
        )
        return self.versioned(claim)

    def _review(self, request, status_value):
        claim = self.get_object()
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = claim_review_service(
            claim=claim,
            status=status_value,
            user=request.user,
            expected_version=self.expected_version(),
            notes=serializer.validated_data.get("notes"),
        )
        return self.versioned(claim, ClaimSerializer)

    @extend_schema(request=ReviewSerializer, responses=ClaimSerializer, parameters=[IF_MATCH], summary="Approve")
    @action(detail=True, methods=["post"], permission_classes=[CanChange])
    def approve(self, request, pk=None):
        return self._review(request, ReviewStatus.APPROVED)

    @extend_schema(request=ReviewSerializer, responses=ClaimSerializer, parameters=[IF_MATCH], summary="Reject")
    @action(detail=True, methods=["post"], permission_classes=[CanChange])
    def reject(self, request, pk=None):
        return self._review(request, ReviewStatus.REJECTED)

    @extend_schema(
        request=ReviewSerializer, responses=ClaimSerializer, parameters=[IF_MATCH], summary="Back to the queue"
    )
    @action(detail=True, methods=["post"], permission_classes=[CanChange])
    def requeue(self, request, pk=None):
        return self._review(request, ReviewStatus.EXTRACTED)


@extend_schema_view(list=extend_schema(summary="List topics"), retrieve=extend_schema(summary="A topic"))
class TopicViewSet(ReferenceViewSet):
    queryset = Topic.objects.all()
    serializer_class = TopicSerializer
    filterset_class = TopicFilterSet

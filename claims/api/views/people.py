"""API views of experts and organizations."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets

from claims.api.serializers import (
    ExpertInputSerializer,
    ExpertSerializer,
    OrganizationSerializer,
)
from claims.api.views.base import (
    IF_MATCH,
    BulkListMixin,
    ReferenceViewSet,
    VersionedMixin,
)
from claims.filtersets import (
    ExpertFilterSet,
    OrganizationFilterSet,
)
from claims.models import Expert, Organization
from claims.selectors.base import visible_experts
from claims.selectors.people import EXPERT_SHAPE, expert_json_rows, expert_queryset, expert_rows
from claims.services.people import expert_create, expert_update

__all__ = ["ExpertViewSet", "OrganizationViewSet"]


EXPERT_ID_OR_SLUG = OpenApiParameter(
    "id",
    str,
    location=OpenApiParameter.PATH,
    description='The expert\'s id (3) or slug ("andrei-lankov").',
)


@extend_schema_view(
    list=extend_schema(summary="List experts"),
    retrieve=extend_schema(
        summary="An expert, with aliases, affiliations and claim count", parameters=[EXPERT_ID_OR_SLUG]
    ),
    partial_update=extend_schema(parameters=[EXPERT_ID_OR_SLUG]),
)
class ExpertViewSet(
    BulkListMixin,
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Experts, with their aliases, affiliations and the number of claims you may see.

    Lists are paged by cursor, without totals; ordering by claim_count counts
    the claims of every matching expert, so it costs more than the others.
    """

    queryset = Expert.objects.all()
    serializer_class = ExpertSerializer
    filterset_class = ExpertFilterSet
    list_shape = EXPERT_SHAPE
    row_selector = expert_rows
    json_row_selector = expert_json_rows
    # The hot anonymous reads answered in front of Django's request cycle (claims.api.fastpath).
    fast_list_parameters = frozenset({"name", "cursor", "limit", "format"})
    # /api/experts/3 and /api/experts/andrei-lankov are the same expert.
    lookup_value_regex = r"[^/.]+"

    def get_queryset(self):
        return expert_queryset(user=self.request.user).order_by("sort_name", "id")

    def get_object(self):
        if not (self.kwargs["pk"].isascii() and self.kwargs["pk"].isdigit()):
            self.lookup_field, self.lookup_url_kwarg = "slug", "pk"
        return super().get_object()

    def list_queryset(self):
        return visible_experts(self.request.user)

    def _reloaded(self, expert):
        return self.get_queryset().get(pk=expert.pk)

    @extend_schema(request=ExpertInputSerializer, responses={201: ExpertSerializer}, summary="Create an expert")
    def create(self, request, *args, **kwargs):
        serializer = ExpertInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        expert = expert_create(**serializer.validated_data)
        return self.versioned(self._reloaded(expert), status_code=status.HTTP_201_CREATED)

    @extend_schema(request=ExpertInputSerializer, parameters=[IF_MATCH], summary="Change an expert")
    def partial_update(self, request, *args, **kwargs):
        expert = self.get_object()
        serializer = ExpertInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        aliases = data.pop("aliases", ())
        expert = expert_update(
            expert=expert, data=data, aliases=aliases, expected_version=self.expected_version(), user=request.user
        )
        return self.versioned(self._reloaded(expert))


@extend_schema_view(list=extend_schema(summary="List organizations"), retrieve=extend_schema(summary="An organization"))
class OrganizationViewSet(ReferenceViewSet):
    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet

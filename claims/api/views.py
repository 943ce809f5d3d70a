"""API views: thin. Reads come from selectors and FilterSets, writes go to services."""

from __future__ import annotations

import re

from django.db import connection, transaction
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from claims.api.exceptions import PreconditionFailed
from claims.api.pagination import KeysetOrdering, KeysetPagination, keyset_orderings
from claims.api.renderers import ClaimRepresentation, ExpertRepresentation, csv_lines
from claims.api.serializers import (
    ArticleDetailSerializer,
    ArticleSerializer,
    ArticleUpdateSerializer,
    ClaimInputSerializer,
    ClaimSerializer,
    ClaimUpdateSerializer,
    ExpertInputSerializer,
    ExpertSerializer,
    OrganizationSerializer,
    OutletSerializer,
    ReviewSerializer,
    TopicSerializer,
)
from claims.choices import ReviewStatus
from claims.filtersets import (
    ARTICLE_ORDERINGS,
    CLAIM_ORDERINGS,
    ArticleFilterSet,
    ClaimFilterSet,
    ExpertFilterSet,
    OrganizationFilterSet,
    OutletFilterSet,
    TopicFilterSet,
)
from claims.models import Article, Claim, Expert, Organization, Outlet, Topic
from claims.search import matching_expert_ids
from claims.selectors import (
    article_queryset,
    claim_queryset,
    claim_rows,
    expert_queryset,
    expert_rows,
    visible_claim_count,
    visible_claims,
)
from claims.services.articles import article_update
from claims.services.claims import claim_create, claim_review, claim_update
from claims.services.experts import expert_create, expert_update
from claims.services.records import record_create, record_update

_ETAG = re.compile(r'^\s*(?:W/)?"(\d+)"\s*$')

IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description='The ETag of the copy the change is based on (e.g. "3"); a stale one answers 412.',
)


class CSVStreamMixin:
    """``?format=csv`` on a list streams every matching row (same filters, no pagination)."""

    # No endpoint deletes or replaces records: curators reject claims, and
    # PATCH changes only what it names.
    http_method_names = ["get", "post", "patch", "head", "options"]

    csv_chunk_size = 1000

    def list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) != "csv":
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset())
        ordering = self.get_csv_ordering()
        if ordering:
            queryset = queryset.order_by(*ordering)
        serializer_class = self.get_serializer_class()
        context = self.get_serializer_context()
        rows = (serializer_class(row, context=context).data for row in queryset.iterator(self.csv_chunk_size))
        response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.basename}.csv"'
        return response

    def get_csv_ordering(self):
        return None


class KeysetListMixin(CSVStreamMixin):
    """Lists paged by keyset (see claims.api.pagination.KeysetPagination)."""

    pagination_class = KeysetPagination
    keyset_fields: dict[str, str] = {}
    default_ordering = "-id"

    def get_keyset_orderings(self) -> dict[str, KeysetOrdering]:
        orderings = keyset_orderings(self.queryset.model, self.keyset_fields)
        if self.request.query_params.get("q"):
            orderings["relevance"] = KeysetOrdering("relevance", "rank", descending=True, nullable=False)
        return orderings

    def get_default_ordering(self) -> str:
        return "relevance" if self.request.query_params.get("q") else self.default_ordering

    def get_csv_ordering(self):
        return self.paginator.get_ordering(self.request, self).order_by()


class BulkListMixin(KeysetListMixin):
    """Lists whose rows are loaded in bulk: the page's keys first, then one query per table for those rows.

    JSON pages never instantiate models or serializers (see
    claims.api.renderers); CSV streams the same representation in batches of
    ids, in constant memory.
    """

    @method_decorator(transaction.non_atomic_requests)
    def dispatch(self, request, *args, **kwargs):
        # Reads run in autocommit: at READ COMMITTED a transaction around them
        # adds two round trips (BEGIN, COMMIT) and no consistency. Writes keep
        # the one transaction per request that ATOMIC_REQUESTS gives the rest,
        # and so does a read inside a caller's transaction (a test's), so that
        # an error response rolls back a savepoint, not the caller's work.
        if request.method in ("GET", "HEAD", "OPTIONS") and not connection.in_atomic_block:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            return super().dispatch(request, *args, **kwargs)

    def list_queryset(self):
        """The rows the user may see, unjoined: filters and keys only."""
        raise NotImplementedError

    def keyset_partitions(self) -> list | None:
        return None

    def bulk_rows(self, ids: list[int]) -> list[dict]:
        raise NotImplementedError

    def bulk_representation(self):
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.list_queryset())
        if getattr(request.accepted_renderer, "format", None) == "csv":
            return self._csv_response(queryset)
        keys = self.paginator.paginate_keys(queryset, request, self, partitions=self.keyset_partitions())
        rows = self.bulk_rows([key["id"] for key in keys])
        return self.get_paginated_response(self.bulk_representation().many(rows))

    def _csv_response(self, queryset):
        ids = queryset.order_by(*self.get_csv_ordering()).values_list("id", flat=True)
        representation = self.bulk_representation()

        def records():
            batch = []
            for pk in ids.iterator(chunk_size=self.csv_chunk_size):
                batch.append(pk)
                if len(batch) == self.csv_chunk_size:
                    yield from representation.many(self.bulk_rows(batch))
                    batch = []
            if batch:
                yield from representation.many(self.bulk_rows(batch))

        response = StreamingHttpResponse(csv_lines(records()), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.basename}.csv"'
        return response


class VersionedMixin:
    """ETag on reads, If-Match on writes: a change based on a stale copy answers 412."""

    def expected_version(self) -> int | None:
        header = self.request.headers.get("If-Match")
        if header is None or header.strip() == "*":
            return None
        match = _ETAG.match(header)
        if match is None:
            raise PreconditionFailed(f'If-Match must be an ETag such as "3", not {header!r}.')
        return int(match.group(1))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        version = getattr(response, "version", None)
        if version is not None:
            response["ETag"] = f'"{version}"'
        return response

    def versioned(self, instance, serializer_class=None, status_code=status.HTTP_200_OK) -> Response:
        serializer_class = serializer_class or self.get_serializer_class()
        response = Response(serializer_class(instance, context=self.get_serializer_context()).data, status=status_code)
        response.version = instance.version
        return response

    def retrieve(self, request, *args, **kwargs):
        return self.versioned(self.get_object())


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
    keyset_fields = {name: ("sort_date" if name == "published_on" else name) for name in CLAIM_ORDERINGS}
    default_ordering = "-published_on"

    def get_queryset(self):
        return claim_queryset(user=self.request.user)

    def list_queryset(self):
        return visible_claims(self.request.user)

    def keyset_partitions(self):
        """One partition per expert the ``expert`` filter matched: each is paged from its own index."""
        name = self.request.query_params.get("expert")
        ids = matching_expert_ids(name, request=self.request) if name else None
        return [Q(expert_id=pk) for pk in ids] if ids else None

    def bulk_rows(self, ids):
        return claim_rows(ids, user=self.request.user)

    def bulk_representation(self):
        return ClaimRepresentation(self.request, self.format_kwarg)

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
        claim = claim_review(
            claim=claim,
            status=status_value,
            user=request.user,
            expected_version=self.expected_version(),
            notes=serializer.validated_data.get("notes"),
        )
        return self.versioned(claim, ClaimSerializer)

    @extend_schema(request=ReviewSerializer, responses=ClaimSerializer, parameters=[IF_MATCH], summary="Approve")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._review(request, ReviewStatus.APPROVED)

    @extend_schema(request=ReviewSerializer, responses=ClaimSerializer, parameters=[IF_MATCH], summary="Reject")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._review(request, ReviewStatus.REJECTED)

    @extend_schema(
        request=ReviewSerializer, responses=ClaimSerializer, parameters=[IF_MATCH], summary="Back to the queue"
    )
    @action(detail=True, methods=["post"])
    def requeue(self, request, pk=None):
        return self._review(request, ReviewStatus.EXTRACTED)


@extend_schema_view(
    list=extend_schema(summary="List experts"),
    retrieve=extend_schema(summary="An expert, with aliases, affiliations and claim count"),
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
    keyset_fields = {"name": "sort_name", "id": "id"}
    default_ordering = "name"

    def get_queryset(self):
        return expert_queryset(user=self.request.user).order_by("sort_name", "id")

    def list_queryset(self):
        experts = Expert.objects.all()
        if self.request.query_params.get("ordering", "").lstrip("-") == "claim_count":
            experts = experts.annotate(claim_count=visible_claim_count(self.request.user))
        return experts

    def get_keyset_orderings(self):
        orderings = super().get_keyset_orderings()
        orderings["claim_count"] = KeysetOrdering("claim_count", "claim_count", descending=False, nullable=False)
        orderings["-claim_count"] = KeysetOrdering("-claim_count", "claim_count", descending=True, nullable=False)
        return orderings

    def bulk_rows(self, ids):
        return expert_rows(ids, user=self.request.user)

    def bulk_representation(self):
        return ExpertRepresentation(self.request, self.format_kwarg)

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


@extend_schema_view(
    list=extend_schema(summary="List articles", description="Newest first; the text is in the detail view."),
    retrieve=extend_schema(summary="An article with its text and the claims you may see"),
)
class ArticleViewSet(
    KeysetListMixin,
    VersionedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Article.objects.all()
    filterset_class = ArticleFilterSet
    keyset_fields = {name: name for name in ARTICLE_ORDERINGS}
    default_ordering = "-published_on"

    def get_queryset(self):
        return article_queryset(user=self.request.user, with_claims=self.action == "retrieve")

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    @extend_schema(request=ArticleUpdateSerializer, responses=ArticleSerializer, parameters=[IF_MATCH])
    def partial_update(self, request, *args, **kwargs):
        article = self.get_object()
        serializer = ArticleUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        article = article_update(
            article=article, data=serializer.validated_data, expected_version=self.expected_version(), user=request.user
        )
        return self.versioned(article, ArticleSerializer)


class ReferenceViewSet(
    CSVStreamMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Organizations, outlets, topics: small tables, paged by limit/offset with a total."""

    def get_csv_ordering(self):
        return self.queryset.model._meta.ordering

    def perform_create(self, serializer):
        serializer.instance = record_create(model=self.queryset.model, data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = record_update(instance=serializer.instance, data=serializer.validated_data)


@extend_schema_view(list=extend_schema(summary="List organizations"), retrieve=extend_schema(summary="An organization"))
class OrganizationViewSet(ReferenceViewSet):
    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet


@extend_schema_view(list=extend_schema(summary="List outlets"), retrieve=extend_schema(summary="An outlet"))
class OutletViewSet(ReferenceViewSet):
    queryset = Outlet.objects.all()
    serializer_class = OutletSerializer
    filterset_class = OutletFilterSet


@extend_schema_view(list=extend_schema(summary="List topics"), retrieve=extend_schema(summary="A topic"))
class TopicViewSet(ReferenceViewSet):
    queryset = Topic.objects.all()
    serializer_class = TopicSerializer
    filterset_class = TopicFilterSet


__all__ = [
    "ArticleViewSet",
    "ClaimViewSet",
    "ExpertViewSet",
    "OrganizationViewSet",
    "OutletViewSet",
    "TopicViewSet",
]

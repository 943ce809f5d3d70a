"""API views of articles and outlets."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.renderers import BrowsableAPIRenderer

from claims.api.permissions import CuratorsOnly
from claims.api.renderers import FastJSONRenderer
from claims.api.serializers import (
    ArticleDetailSerializer,
    ArticleSerializer,
    ArticleUpdateSerializer,
    IngestJobSerializer,
    OutletSerializer,
)
from claims.api.views.base import (
    IF_MATCH,
    KeysetListMixin,
    ReferenceViewSet,
    VersionedMixin,
)
from claims.filtersets import (
    ArticleFilterSet,
    IngestJobFilterSet,
    OutletFilterSet,
)
from claims.models import Article, IngestJob, Outlet
from claims.selectors.articles import article_queryset, ingest_job_queryset
from claims.services.articles import article_update

__all__ = ["ArticleViewSet", "IngestJobViewSet", "OutletViewSet"]


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


@extend_schema_view(list=extend_schema(summary="List outlets"), retrieve=extend_schema(summary="An outlet"))
class OutletViewSet(ReferenceViewSet):
    queryset = Outlet.objects.all()
    serializer_class = OutletSerializer
    filterset_class = OutletFilterSet


@extend_schema_view(
    list=extend_schema(
        summary="List ingestion jobs (curators)",
        description="One job per input sent to the ingestion workers: queued, running, done with its article, "
        "or failed with the reason. Newest first.",
    ),
    retrieve=extend_schema(summary="An ingestion job (curators)"),
)
class IngestJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = IngestJob.objects.all()
    serializer_class = IngestJobSerializer
    filterset_class = IngestJobFilterSet
    permission_classes = (CuratorsOnly,)
    renderer_classes = (FastJSONRenderer, BrowsableAPIRenderer)  # no CSV: a handful of pages, read by curators

    def get_queryset(self):
        return ingest_job_queryset()

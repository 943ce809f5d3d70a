"""API views of articles and outlets."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from claims.api.permissions import CuratorsOnly
from claims.api.renderers import FastJSONRenderer
from claims.api.serializers import (
    ArticleDetailSerializer,
    ArticleIngestSerializer,
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

__all__ = ["ArticleViewSet", "IngestFailed", "IngestJobViewSet", "OutletViewSet"]


class IngestFailed(APIException):
    """The input could not be ingested (not found, not an article, not allowed by robots.txt, ...)."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "The input cannot be ingested."
    default_code = "ingest_failed"


_ERROR = inline_serializer("IngestError", fields={"detail": serializers.CharField()})
# The shared error answers (400, 401, 403, 413, ...) are added by claims.api.schema.document_errors.
INGEST_RESPONSES = {
    201: OpenApiResponse(ArticleDetailSerializer, description="A new article, with the claims extracted from it."),
    200: OpenApiResponse(ArticleDetailSerializer, description="Already stored: the article as it is."),
    422: OpenApiResponse(
        _ERROR,
        description="Nothing stored, with the reason: the address failed (404, timeout, not HTML, too large, "
        "disallowed by robots.txt), it is not an article (a home page, a login wall), or it holds several (a feed).",
    ),
}


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
        if self.action == "ingest":
            return ArticleIngestSerializer
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    @extend_schema(
        summary="Ingest one article: an address, a text or a file",
        request={"application/json": ArticleIngestSerializer, "multipart/form-data": ArticleIngestSerializer},
        responses=INGEST_RESPONSES,
    )
    @action(detail=False, methods=["post"], url_path="ingest", filterset_class=None, pagination_class=None)
    def ingest(self, request):
        """The one ingestion entry point (as ``manage.py ingest`` and the admin): 201 new, 200 already stored."""
        from claims.services.inputs import Input, default_fetcher, input_ingest

        serializer = ArticleIngestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, meta = serializer.validated_data, serializer.validated_data["meta"]
        if data.get("url"):
            item = Input.for_url(data["url"], meta)
        elif data.get("text"):
            item = Input.for_text(data["text"], meta)
        else:
            item = Input.for_bytes(data["file"].name, data["file"].read(), meta)
        result = input_ingest(item=item, fetcher=default_fetcher(trusted=False))
        if result.status == "failed":
            raise IngestFailed(result.error)
        article = article_queryset(user=request.user, with_claims=True).get(pk=result.article_id)
        body = ArticleDetailSerializer(article, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED if result.status == "new" else status.HTTP_200_OK)

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

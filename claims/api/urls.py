"""API routes: plural, with or without the trailing slash, never a redirect."""

from django.urls import re_path
from rest_framework.routers import DefaultRouter

from claims.api.exceptions import api_not_found
from claims.api.views.articles import ArticleViewSet, IngestJobViewSet, OutletViewSet
from claims.api.views.claims import ClaimViewSet, TopicViewSet
from claims.api.views.people import ExpertViewSet, OrganizationViewSet
from claims.api.views.predictions import EventViewSet, ExpertTrackRecordView, PredictionViewSet

app_name = "api"

router = DefaultRouter()
# Both /api/claims and /api/claims/ answer, so neither redirects.
router.trailing_slash = "/?"
router.register("claims", ClaimViewSet, basename="claim")
router.register("experts", ExpertViewSet, basename="expert")
router.register("articles", ArticleViewSet, basename="article")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("outlets", OutletViewSet, basename="outlet")
router.register("topics", TopicViewSet, basename="topic")
router.register("predictions", PredictionViewSet, basename="prediction")
router.register("events", EventViewSet, basename="event")
router.register("ingest-jobs", IngestJobViewSet, basename="ingest-job")

urlpatterns = router.urls
urlpatterns += [
    re_path(
        r"^experts/(?P<pk>[0-9]+)/track-record/?$",
        ExpertTrackRecordView.as_view(),
        name="expert-track-record",
    ),
]
# Last: any other /api/ path answers the JSON error shape, with DEBUG on too.
urlpatterns += [re_path(r"^.*$", api_not_found, name="not-found")]

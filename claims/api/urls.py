"""API routes: plural, with or without the trailing slash, never a redirect."""

from django.urls import re_path
from rest_framework.routers import DefaultRouter

from claims.api import views
from claims.api.predictions import EventViewSet, ExpertTrackRecordView, PredictionViewSet

app_name = "api"

router = DefaultRouter()
# Both /api/claims and /api/claims/ answer, so neither redirects.
router.trailing_slash = "/?"
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("experts", views.ExpertViewSet, basename="expert")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("outlets", views.OutletViewSet, basename="outlet")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("predictions", PredictionViewSet, basename="prediction")
router.register("events", EventViewSet, basename="event")

urlpatterns = router.urls
urlpatterns += [
    re_path(
        r"^experts/(?P<pk>[0-9]+)/track-record/?$",
        ExpertTrackRecordView.as_view(),
        name="expert-track-record",
    ),
]

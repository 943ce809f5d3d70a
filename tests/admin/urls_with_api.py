"""A URLconf with stand-in API detail routes, to test the admin's links to them whatever the real API's state."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path


def _detail(request, pk):
    return HttpResponse(f"record {pk}")


api_patterns = [
    path(f"{name}s/<int:pk>/", _detail, name=f"{name}-detail")
    for name in ("claim", "expert", "article", "organization", "outlet")
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include((api_patterns, "api"))),
]

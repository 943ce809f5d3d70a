"""Top-level routes: the admin, the API with its schema and docs, the public pages."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

admin.site.site_header = "Expert claims: curation"
admin.site.site_title = "Expert claims"
admin.site.index_title = "Curator's workbench"

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("claims/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, so the page
    # runs under the Content-Security-Policy (script-src 'self').
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/auth/", include("rest_framework.urls")),
    path("api/", include("claims.api.urls", namespace="api")),
    path("predictions/", include("claims.pages.urls")),
    # Home, claims search, experts and articles: the public pages at the root.
    path("", include("claims.pages.site_urls")),
]

# Outside the API views, Django answers errors itself: in JSON under /api/, with its pages elsewhere.
handler400 = "claims.api.exceptions.bad_request"
handler404 = "claims.api.exceptions.page_not_found"
handler500 = "claims.api.exceptions.server_error"

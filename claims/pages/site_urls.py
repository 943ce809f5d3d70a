"""The public pages at the site root: home, claims search, experts and articles (see claims.pages.site)."""

from django.urls import path

from claims.pages import site

app_name = "pages"

urlpatterns = [
    path("", site.home, name="home"),
    path("claims/", site.claim_search_page, name="claims"),
    path("experts/names.json", site.expert_names, name="expert-names"),
    path("experts/<slug:slug>/", site.expert_detail, name="expert"),
    path("articles/<int:pk>/", site.article_detail, name="article"),
]

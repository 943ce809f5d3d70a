"""A URLconf with the admin only, as before the API routes are installed."""

from django.contrib import admin
from django.urls import path

urlpatterns = [path("admin/", admin.site.urls)]

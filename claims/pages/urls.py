"""Public pages, mounted at /predictions/ by project.urls."""

from django.urls import path

from claims.pages import views

app_name = "predictions"

urlpatterns = [
    path("", views.predictions_index, name="index"),
    path("<int:pk>/", views.prediction_detail, name="detail"),
]

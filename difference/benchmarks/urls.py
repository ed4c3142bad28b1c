from __future__ import annotations

from django.urls import path

from difference.benchmarks import views

app_name = "benchmarks"
urlpatterns = [
    path("", views.national_trends, name="national_trends"),
]

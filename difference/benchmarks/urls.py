from __future__ import annotations

from django.urls import path

from difference.benchmarks import views

app_name = "benchmarks"
urlpatterns = [
    path("", views.national_trends, name="national_trends"),
    path("areas/", views.area_comparison, name="area_comparison"),
    path("areas/<str:code>/", views.la_detail, name="la_detail"),
    path("schools/<int:urn>/", views.school_benchmarks, name="school_benchmarks"),
]

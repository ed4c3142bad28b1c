from __future__ import annotations

from django.urls import path

from difference.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/cancel/", views.job_cancel, name="job_cancel"),
    path("<int:pk>/rerun/", views.job_rerun, name="job_rerun"),
    path("<int:pk>/file/", views.job_file, name="job_file"),
]

from __future__ import annotations

from django.urls import path

from difference.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("analysis/", views.analysis_overview, name="analysis"),
    path("audit-templates/", views.template_list, name="template_list"),
    path("audit-templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/plan/", views.project_edit, name="project_edit"),
    path("<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("<int:pk>/audit/", views.audit_compare, name="audit_compare"),
    path("<int:pk>/audit/<str:round>/", views.audit_edit, name="audit_edit"),
    path("<int:pk>/measures/new/", views.measure_create, name="measure_create"),
    path("<int:pk>/pupils/", views.pupil_list, name="pupil_list"),
    path("<int:pk>/pupils/new/", views.pupil_create, name="pupil_create"),
    path("<int:pk>/rounds/new/", views.round_create, name="round_create"),
    path("<int:pk>/import/", views.assessment_import, name="assessment_import"),
    path("<int:pk>/report/", views.project_report, name="report"),
    path("<int:pk>/report.pdf", views.project_report_pdf, name="report_pdf"),
]

from __future__ import annotations

from django.urls import path

from difference.consultancy import views

app_name = "consultancy"
urlpatterns = [
    path("", views.engagement_list, name="engagement_list"),
    path("new/", views.engagement_create, name="engagement_create"),
    path("templates/<str:kind>/", views.upload_template, name="upload_template"),
    path("<int:pk>/", views.engagement_detail, name="engagement_detail"),
    path("<int:pk>/upload/", views.engagement_upload, name="engagement_upload"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report.html", views.report_export, {"file_format": "html"}, name="report_html"),
    path("<int:pk>/report.pdf", views.report_export, {"file_format": "pdf"}, name="report_pdf"),
    path("<int:pk>/report.xlsx", views.report_export, {"file_format": "xlsx"}, name="report_xlsx"),
    path("<int:pk>/report.pdf/prepare/", views.report_prepare, {"file_format": "pdf"}, name="report_pdf_prepare"),
    path("<int:pk>/report.xlsx/prepare/", views.report_prepare, {"file_format": "xlsx"}, name="report_xlsx_prepare"),
]

from __future__ import annotations

from django.urls import path

from difference.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("diversity/", views.diversity_summary, name="diversity_summary"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/consents/", views.consent_create, name="consent_create"),
    path("<int:pk>/demographics/", views.demographics_detail, name="demographics_detail"),
    path("consent/withdraw/<str:token>/", views.consent_withdraw, name="consent_withdraw"),
]

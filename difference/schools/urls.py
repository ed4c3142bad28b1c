from __future__ import annotations

from django.urls import path

from difference.schools import views

app_name = "schools"
urlpatterns = [
    path("", views.school_list, name="school_list"),
    path("<int:urn>/", views.school_detail, name="school_detail"),
    path("trusts/<int:uid>/", views.trust_detail, name="trust_detail"),
]

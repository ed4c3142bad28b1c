from __future__ import annotations

from typing import Any

from django.urls import path  # noqa: F401 - the routes are added section by section

from difference.careers import views  # noqa: F401 - the views are added section by section

app_name = "careers"
urlpatterns: list[Any] = [
    # --- Role histories, the alumni overview and follow-up (programme staff; an alumnus their own) ---------------
    path("alumni/", views.alumni, name="alumni"),
    path("people/<int:pk>/", views.history, name="history"),
    path("people/<int:pk>/roles/", views.role_create, name="role_create"),
    # --- Cohort outcomes and their analysis (research and programme staff) --------------------------------------
    path("outcomes/", views.outcomes, name="outcomes"),
    # --- The yearly refresh: the emailed one-use link, answered without a login ---------------------------------
    # --- Brokering: opportunities from partner trusts and schools, and alumni's interest ------------------------
    path("opportunities/", views.opportunity_list, name="opportunity_list"),
    path("opportunities/new/", views.opportunity_create, name="opportunity_create"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/close/", views.opportunity_close, name="opportunity_close"),
    path("opportunities/<int:pk>/interest/", views.interest_register, name="interest_register"),
    path("opportunities/<int:pk>/interest/withdraw/", views.interest_withdraw, name="interest_withdraw"),
    path("opportunities/<int:pk>/results/", views.interest_result, name="interest_result"),
]

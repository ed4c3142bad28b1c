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
]

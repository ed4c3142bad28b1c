from __future__ import annotations

from django.urls import path

from difference.placements import views

app_name = "placements"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("mine/", views.my_placements, name="my_placements"),
    path("<int:year>/", views.round_detail, name="round_detail"),
    path("<int:year>/runs/", views.run_create, name="run_create"),
    path("<int:year>/vacancies/new/", views.vacancy_create, name="vacancy_create"),
    path("<int:year>/candidates/", views.candidate_create, name="candidate_create"),
    path("vacancies/<int:pk>/edit/", views.vacancy_edit, name="vacancy_edit"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/what-if/", views.run_what_if, name="run_what_if"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path("vacancies/<int:pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("vacancies/<int:pk>/ranking/", views.vacancy_ranking, name="vacancy_ranking"),
    path("candidates/<int:pk>/preferences/", views.candidate_preferences, name="candidate_preferences"),
    path("candidates/<int:pk>/expand-regions/", views.candidate_expand_regions, name="candidate_expand_regions"),
    path("placements/<int:pk>/", views.placement_detail, name="placement_detail"),
    path("placements/<int:pk>/end/", views.placement_end, name="placement_end"),
]

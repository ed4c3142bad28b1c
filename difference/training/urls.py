from __future__ import annotations

from django.urls import path

from difference.training import views

app_name = "training"
urlpatterns: list = []

urlpatterns += [
    path("", views.cohort_list, name="cohort_list"),
    path("mine/", views.my_training, name="my_training"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/requirements/", views.cohort_requirements, name="cohort_requirements"),
    path("cohorts/<int:pk>/enrol-placed/", views.cohort_enrol_placed, name="cohort_enrol_placed"),
    path("cohorts/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("cohorts/<int:pk>/ledger/", views.cohort_ledger, name="cohort_ledger"),
    path("cohorts/<int:pk>/early-warning/", views.cohort_warnings, name="cohort_warnings"),
    path("cohorts/<int:pk>/reach/", views.cohort_reach, name="cohort_reach"),
    path("sessions/<int:pk>/register/", views.session_register, name="session_register"),
    path("enrolments/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path("feeds/new/", views.feed_create, name="feed_create"),
    path("feeds/<int:pk>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("calendar/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
]

urlpatterns += [
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/new/", views.certificate_create, name="certificate_create"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/evidence/", views.certificate_evidence, name="certificate_evidence"),
    path("enrolments/<int:pk>/notes/", views.enrolment_notes, name="enrolment_notes"),
]

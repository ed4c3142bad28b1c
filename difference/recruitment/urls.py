from __future__ import annotations

from django.urls import path

from difference.recruitment import views

app_name = "recruitment"
urlpatterns = [
    # Public
    path("register/", views.interest_register, name="interest_register"),
    path("register/thanks/", views.interest_thanks, name="interest_thanks"),
    path("register/confirm/<str:token>/", views.interest_confirm, name="interest_confirm"),
    path("apply/account/", views.applicant_signup, name="applicant_signup"),
    # Applicants
    path("apply/", views.my_applications, name="my_applications"),
    path("apply/<int:year>/start/", views.application_start, name="application_start"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/diversity/", views.application_diversity, name="application_diversity"),
    path("applications/<int:pk>/booking/", views.application_booking, name="application_booking"),
    path("applications/<int:pk>/offer/", views.offer_respond, name="offer_respond"),
    # Staff
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:year>/", views.round_detail, name="round_detail"),
    path("rounds/<int:year>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:year>/questions/", views.question_create, name="question_create"),
    path("rounds/<int:year>/pipeline/", views.pipeline, name="pipeline"),
    path("rounds/<int:year>/pipeline/export/", views.pipeline_export, name="pipeline_export"),
    path("rounds/<int:year>/sift/", views.sift_overview, name="sift_overview"),
    path("rounds/<int:year>/sift/assign/", views.sift_assign, name="sift_assign"),
    path("rounds/<int:year>/shortlist/", views.shortlist, name="shortlist"),
    path("rounds/<int:year>/centre/", views.centre_overview, name="centre_overview"),
    path("rounds/<int:year>/centre/invite/", views.centre_invite, name="centre_invite"),
    path("funnels/", views.funnel_index, name="funnel_index"),
    path("rounds/<int:year>/funnel/", views.funnel, name="funnel"),
    path("rounds/<int:year>/validity/", views.validity, name="validity"),
    path("applications/<int:pk>/move/", views.application_move, name="application_move"),
    path("applications/<int:pk>/decision/", views.application_decision, name="application_decision"),
    path("applications/<int:pk>/make-offer/", views.application_make_offer, name="application_make_offer"),
    path("applications/<int:pk>/withdraw-offer/", views.offer_withdraw, name="offer_withdraw"),
    path("import/", views.import_applications, name="import_applications"),
    # Assessors
    path("sift/", views.review_queue, name="review_queue"),
    path("sift/<int:pk>/", views.review_score, name="review_score"),
    path("centre/", views.centre_queue, name="centre_queue"),
    path("centre/<slug:reference>/", views.centre_candidate, name="centre_candidate"),
]

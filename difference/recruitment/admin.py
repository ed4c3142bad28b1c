from __future__ import annotations

from django.contrib import admin

from difference.recruitment.models import Application, CentreDay, InterestRegistration, Offer, RecruitmentRound


@admin.register(RecruitmentRound)
class RecruitmentRoundAdmin(admin.ModelAdmin):
    list_display = ["year", "opens_at", "closes_at", "target_leaders", "shortlist_threshold"]
    filter_horizontal = ["assessors"]


@admin.register(CentreDay)
class CentreDayAdmin(admin.ModelAdmin):
    list_display = ["date", "venue", "recruitment_round"]
    filter_horizontal = ["assessors"]


@admin.register(InterestRegistration)
class InterestRegistrationAdmin(admin.ModelAdmin):
    list_display = ["person", "recruitment_round", "setting", "region", "registered_at", "times_registered"]
    list_filter = ["recruitment_round", "setting", "region"]
    raw_id_fields = ["person"]


# Stage, scores and offers change only through the recruitment pages, which record who moved them and why.
@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["reference", "person", "recruitment_round", "stage", "sift_score", "centre_score"]
    list_filter = ["recruitment_round", "stage", "imported"]
    search_fields = ["reference", "person__last_name", "person__email"]
    readonly_fields = ["stage", "sift_score", "centre_score", "submitted_at", "withdrawn_at", "imported"]
    raw_id_fields = ["person"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["application", "status", "made_at", "responded_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "made_at", "responded_at"]

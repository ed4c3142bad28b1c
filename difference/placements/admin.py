from __future__ import annotations

from django.contrib import admin

from difference.placements.models import Candidate, MatchRun, Placement, PlacementRound, Vacancy

admin.site.register(PlacementRound)


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "placement_round", "posts", "setting_type", "status"]
    list_filter = ["placement_round", "status", "setting_type"]
    raw_id_fields = ["school"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["person", "placement_round", "ready_since"]
    raw_id_fields = ["person"]


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "placement_round", "proposing", "status", "created_at"]
    readonly_fields = ["instance", "blocking_pairs", "vacancy_explanations"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["candidate", "vacancy", "starts_on", "status"]
    list_filter = ["status"]

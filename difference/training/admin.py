from __future__ import annotations

from django.contrib import admin

from difference.training.models import Cohort, Enrolment, Programme

admin.site.register(Programme)


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "year", "target_size"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["person", "cohort", "status"]
    list_filter = ["cohort", "status"]
    raw_id_fields = ["person"]

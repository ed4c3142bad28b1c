from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from difference.jobs.models import Job


# Jobs change only through their runner and services; the admin lists them for staff admin to inspect.
@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["pk", "title", "kind", "state", "started_by", "created_at", "finished_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

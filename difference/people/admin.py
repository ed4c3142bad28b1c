from __future__ import annotations

from django.contrib import admin

from difference.people.models import ConsentRecord, Person

# Demographics is deliberately not registered: the only way to read it row by
# row is the audited page in the people app.


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    fields = ["purpose", "status", "method", "recorded_at", "note"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "job_title", "school"]
    search_fields = ["first_name", "last_name", "email"]
    raw_id_fields = ["school", "user"]
    inlines = [ConsentInline]

from __future__ import annotations

from django.contrib import admin

from difference.schools.models import LocalAuthority, Partnership, School, Trust


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "category", "local_authority", "region"]
    list_filter = ["category", "region"]
    search_fields = ["name", "urn"]
    raw_id_fields = ["trust", "local_authority"]


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    list_display = ["name", "uid", "group_type"]
    search_fields = ["name", "uid"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "gss_code", "region"]
    search_fields = ["name", "code"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["school", "kind", "since"]
    list_filter = ["kind"]
    raw_id_fields = ["school"]

from __future__ import annotations

import django_tables2 as tables

from difference.schools.models import School


class SchoolTable(tables.Table):
    name = tables.Column(linkify=True)
    local_authority = tables.Column(verbose_name="Local authority")
    category = tables.Column(verbose_name="Type")

    class Meta:
        model = School
        fields = ("name", "urn", "category", "phase", "local_authority", "region", "trust", "pupils", "postcode")
        default_columns = ("name", "urn", "category", "local_authority", "region")
        order_by = ("name",)
        attrs = {"class": "schools"}
        template_name = "django_tables2/table.html"

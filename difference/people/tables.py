from __future__ import annotations

import django_tables2 as tables

from difference.people.models import Person


class PersonTable(tables.Table):
    full_name = tables.Column(linkify=True, verbose_name="Name", order_by=("last_name", "first_name"))
    school = tables.Column(verbose_name="School")

    class Meta:
        model = Person
        fields = ("full_name", "email", "job_title", "school")
        default_columns = ("full_name", "job_title", "school")
        template_name = "django_tables2/table.html"

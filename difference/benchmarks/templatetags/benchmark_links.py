"""A link to a school's benchmarks page, for pages outside the benchmarks app: shown only to users who may open it."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from difference.accounts.roles import Capability

register = template.Library()


@register.simple_tag(takes_context=True)
def school_benchmarks_link(context: dict[str, Any], school: Any) -> SafeString | str:
    # The capability is checked here, not spelt out in the template, so the link follows the roles table.
    user = context.get("user")
    if user is None or not user.is_authenticated or not user.can(Capability.VIEW_BENCHMARKS):
        return ""
    url = reverse("benchmarks:school_benchmarks", kwargs={"urn": school.urn})
    return format_html(
        '<p class="benchmarks-link"><a href="{}">Exclusions and suspensions compared with its local authority and '
        "England</a></p>",
        url,
    )

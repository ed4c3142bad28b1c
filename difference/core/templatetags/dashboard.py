from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from difference.core.dashboard import PersonSection

register = template.Library()


@register.simple_tag(takes_context=True)
def person_section(context: Any, section: PersonSection) -> SafeString:
    """``{% person_section section %}``: an app's part of a person's page, drawn by the app's own template."""
    return render_to_string(section.template, section.context, request=context.get("request"))

from __future__ import annotations

from django import template
from django.utils.html import format_html

from difference.core.stats import Proportion

register = template.Library()


@register.simple_tag
def proportion(p: Proportion) -> str:
    """Render a proportion the same way everywhere; suppressed cells say why."""
    if p.is_suppressed:
        return format_html('<span class="suppressed">{}</span>', p.as_text())
    return format_html('<span class="proportion">{}</span>', p.as_text())

"""The one way a list page is served: filter, order, paginate, and answer htmx with the results partial."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PAGE_SIZE = 50


def render_filtered_list(
    request: HttpRequest,
    *,
    queryset: QuerySet[Any],
    filterset_class: type[django_filters.FilterSet],
    ordering: tuple[str, ...],
    template: str,
    partial: str,
    extra_context: dict[str, Any] | None = None,
) -> HttpResponse:
    """Invalid filter values give an empty list with the form's errors, never a server error."""
    filterset = filterset_class(request.GET, queryset=queryset)
    rows = filterset.qs if filterset.is_valid() else queryset.none()
    page = Paginator(rows.order_by(*ordering), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page_obj": page, "total": page.paginator.count, **(extra_context or {})}
    if request.htmx and not request.htmx.boosted:  # type: ignore[attr-defined]
        return render(request, partial, context)
    return render(request, template, context)

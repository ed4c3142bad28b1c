"""The one way a list page is served: filter, order, paginate, answer htmx with the results partial, and export.

A list that may be downloaded passes an ``Export``: its header and how one row becomes cells. The same URL with
``?format=csv`` or ``?format=xlsx`` then answers the file of exactly the rows the page's filters select (every
page of them, in the page's order), so the "Export" links only add ``format`` to the current query string. The
export is refused (403, audited) to a role the spec does not allow, and every export is written to the audit log
before the file is handed over, with its row count and the filters used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import django_filters
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render

from difference.accounts import audit
from difference.accounts.models import AuditAction
from difference.accounts.policy import deny, is_active
from difference.core.exports import EXPORT_FORMATS, Cell, ExportFormat, export_response

PAGE_SIZE = 50
# Below this many rows in the viewer's whole scope a filter form is clutter: a headteacher's one school, a
# leader's own record. Staff always get the form, since their lists grow.
FILTER_FORM_MIN_ROWS = 10
# Query parameters that shape the page, not the selection: dropped from the export links and the audit detail.
_NOT_FILTERS = ("page", "format")


def may_export_lists(user: Any) -> bool:
    """Only the charity's staff take lists away as files; other roles read them on the page."""
    return is_active(user) and bool(getattr(user, "is_charity_staff", False))


@dataclass(frozen=True)
class Export:
    """How a list becomes a file: the name it downloads under, its header, and one row's cells."""

    name: str
    header: Sequence[str]
    row: Callable[[Any], Sequence[Cell]]
    allowed: Callable[[Any], bool] = may_export_lists


def requested_format(request: HttpRequest) -> ExportFormat | None:
    value = request.GET.get("format", "")
    return value if value in EXPORT_FORMATS else None  # type: ignore[return-value]


def filter_query(request: HttpRequest) -> str:
    """The current filters as a query string, without the page number or the export format."""
    query: QueryDict = request.GET.copy()
    for name in _NOT_FILTERS:
        query.pop(name, None)
    return query.urlencode()


def render_filtered_list(
    request: HttpRequest,
    *,
    queryset: QuerySet[Any],
    filterset_class: type[django_filters.FilterSet],
    ordering: tuple[str, ...],
    template: str,
    partial: str,
    extra_context: dict[str, Any] | None = None,
    export: Export | None = None,
) -> HttpResponse:
    """Invalid filter values give an empty list with the form's errors, never a server error (nor a file)."""
    filterset = filterset_class(request.GET, queryset=queryset)
    valid = filterset.is_valid()
    rows = filterset.qs if valid else queryset.none()
    file_format = requested_format(request) if export is not None else None
    if export is not None and file_format is not None and valid:
        return export_list(request, rows.order_by(*ordering), export=export, file_format=file_format)
    page = Paginator(rows.order_by(*ordering), PAGE_SIZE).get_page(request.GET.get("page"))
    may_export = export is not None and export.allowed(request.user)
    context = {
        "filter": filterset,
        "page_obj": page,
        "total": page.paginator.count,
        "show_filters": _shows_filters(request.user, queryset),
        "export_query": filter_query(request) if may_export else None,
        **(extra_context or {}),
    }
    if request.htmx and not request.htmx.boosted:  # type: ignore[attr-defined]
        return render(request, partial, context)
    return render(request, template, context)


def export_filtered_list(
    request: HttpRequest,
    *,
    queryset: QuerySet[Any],
    filterset_class: type[django_filters.FilterSet],
    ordering: tuple[str, ...],
    export: Export,
    file_format: ExportFormat,
) -> HttpResponse:
    """The file alone, for a dedicated export URL; filters it cannot read answer 400 with the reasons."""
    filterset = filterset_class(request.GET, queryset=queryset)
    if not filterset.is_valid():
        reasons = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())
        return HttpResponseBadRequest(f"These filters cannot be read: {reasons}", content_type="text/plain")
    return export_list(request, filterset.qs.order_by(*ordering), export=export, file_format=file_format)


def export_list(
    request: HttpRequest, rows: QuerySet[Any], *, export: Export, file_format: ExportFormat
) -> HttpResponse:
    return export_rows(
        request,
        rows.iterator(chunk_size=1000),
        export=export,
        file_format=file_format,
        object_type=rows.model._meta.label_lower,
    )


def export_rows(
    request: HttpRequest, objects: Iterable[Any], *, export: Export, file_format: ExportFormat, object_type: str
) -> HttpResponse:
    """Any list's objects as a file: refused (403, audited) unless the spec allows the role; the export audited."""
    if not export.allowed(request.user):
        raise deny(request, reason=f"role may not export {export.name}", object_type=object_type)
    counted = _Counted(export.row(obj) for obj in objects)
    # Built in the request: the writers stream rows, and the largest list (the schools registry) fits well in time.
    response = export_response(
        export.header, counted, filename=export.name, file_format=file_format, title=export.name.capitalize()[:31]
    )
    filters = filter_query(request)
    audit.record(
        AuditAction.EXPORT,
        request=request,
        object_type=object_type,
        detail=f"{export.name} as {file_format.upper()}: {counted.count} rows; filters: {filters or 'none'}",
    )
    return response


def render_exportable(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    export: Export,
    objects: Callable[[], Iterable[Any]],
    object_type: str,
) -> HttpResponse:
    """A page that is a list without filters (a ledger, a table of figures): the page, or with ``?format=`` its file.

    ``objects`` is called only for the file, so the page pays nothing for being exportable."""
    file_format = requested_format(request)
    if file_format is not None:
        return export_rows(request, objects(), export=export, file_format=file_format, object_type=object_type)
    may_export = export.allowed(request.user)
    return render(request, template, {**context, "export_query": filter_query(request) if may_export else None})


class _Counted:
    """Rows passed through once, counted on the way, for the audit line."""

    def __init__(self, rows: Iterator[Sequence[Cell]]) -> None:
        self._rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[Sequence[Cell]]:
        for row in self._rows:
            self.count += 1
            yield row


def _shows_filters(user: Any, queryset: QuerySet[Any]) -> bool:
    if getattr(user, "is_charity_staff", False):
        return True
    return queryset.count() > FILTER_FORM_MIN_ROWS

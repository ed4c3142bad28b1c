from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from difference.core.lists import render_filtered_list
from difference.schools.access import get_school, get_trust, require_schools
from difference.schools.filters import SCHOOL_EXPORT, SchoolFilterSet
from difference.schools.models import School


@require_safe
@login_required
def school_list(request: HttpRequest) -> HttpResponse:
    """The searchable registry; htmx requests get only the results table back."""
    require_schools(request)
    return render_filtered_list(
        request,
        queryset=School.objects.for_user(request.user).select_related("local_authority", "trust"),  # type: ignore[arg-type]
        filterset_class=SchoolFilterSet,
        ordering=("name", "urn"),
        template="schools/school_list.html",
        partial="schools/_school_results.html",
        export=SCHOOL_EXPORT,
    )


@require_safe
@login_required
def school_detail(request: HttpRequest, urn: int) -> HttpResponse:
    school = get_school(request, urn)
    context = {
        "school": school,
        "links": school.links.order_by("link_type", "linked_urn"),
        "partnerships": school.partnerships.all(),
        "linked_urns": set(
            School.objects.for_user(request.user)  # type: ignore[arg-type]
            .filter(urn__in=school.links.values("linked_urn"))
            .values_list("urn", flat=True)
        ),
    }
    return render(request, "schools/school_detail.html", context)


@require_safe
@login_required
def trust_detail(request: HttpRequest, uid: int) -> HttpResponse:
    trust = get_trust(request, uid)
    schools = School.objects.for_user(request.user).filter(trust=trust).select_related("local_authority")  # type: ignore[arg-type]
    return render(request, "schools/trust_detail.html", {"trust": trust, "schools": schools})

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from difference.accounts.policy import require
from difference.accounts.roles import Role
from difference.home.queries import own_person, people_in_view, schools_by_trust, staff_home_counts
from difference.home.search import QUERY_MIN_LENGTH, SearchForm
from difference.home.search import search as staff_search
from difference.home.work import sections_for
from difference.schools.models import School


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own home page: the work waiting for them first (every app's dashboard items), then
    the figures; staff's refresh every minute through htmx."""
    user: Any = request.user
    context: dict[str, Any] = {"sections": sections_for(user)}
    if user.is_charity_staff:
        context["counts"] = staff_home_counts()
        if request.htmx and not request.htmx.boosted:  # type: ignore[attr-defined]
            return render(request, "home/_home_counts.html", context)
        return render(request, "home/home_staff.html", context)
    context.update({"person": own_person(user), "schools": None})
    if user.role == Role.TRUST_PARTNER:
        context["schools_by_trust"] = schools_by_trust(user)
    elif user.role in (Role.HEADTEACHER, Role.LEADER):
        context["schools"] = School.objects.for_user(user).select_related("local_authority")[:50]
    if user.role == Role.HEADTEACHER:
        context["leaders"] = people_in_view(user)
    return render(request, f"home/home_{user.role}.html", context)


@require_safe
@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Staff search across people, schools and applications; htmx asks for the results as the query is typed."""
    user: Any = request.user
    require(request, user.is_charity_staff, reason="search is for the charity's staff")
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"form": form, "query": query, "groups": staff_search(user, query), "min_length": QUERY_MIN_LENGTH}
    if request.htmx and not request.htmx.boosted:  # type: ignore[attr-defined]
        return render(request, "home/_search_results.html", context)
    return render(request, "home/search.html", context)

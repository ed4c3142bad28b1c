from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from difference.core.dashboard import person_sections
from difference.core.lists import render_exportable, render_filtered_list
from difference.core.signed_links import LinkError
from difference.people import services
from difference.people.access import (
    get_person,
    get_person_to_record_consent,
    may_read_demographics_rows,
    may_record_consent,
    read_demographics,
    require_people,
    require_people_aggregates,
)
from difference.people.filters import DIVERSITY_EXPORT, PERSON_EXPORT, PersonFilterSet, diversity_lines
from difference.people.forms import ConsentForm
from difference.people.models import ConsentPurpose, Person
from difference.people.queries import diversity_breakdowns


@require_safe
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    require_people(request)
    return render_filtered_list(
        request,
        queryset=Person.objects.for_user(request.user).select_related("school"),  # type: ignore[arg-type]
        filterset_class=PersonFilterSet,
        ordering=("last_name", "first_name", "pk"),
        template="people/person_list.html",
        partial="people/_person_results.html",
        export=PERSON_EXPORT,
    )


@require_safe
@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person(request, pk)
    context = {
        "person": person,
        "consents": person.consents.select_related("recorded_by"),
        "consent_form": ConsentForm(),
        "can_record_consent": may_record_consent(request.user),
        "can_read_demographics": may_read_demographics_rows(request.user),
        # Each app's part of the story, only where the viewer may see it (each app asks its own access rules).
        "story": person_sections(request.user, person),
    }
    return render(request, "people/person_detail.html", context)


@require_http_methods(["POST"])
@login_required
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record consent given or withdrawn; htmx swaps the consent section in place."""
    person = get_person_to_record_consent(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        services.record_consent(person=person, by=request.user, **form.cleaned_data)
        if not request.htmx:  # type: ignore[attr-defined]
            messages.success(request, "Consent recorded.")
            return redirect(person)
        form = ConsentForm()
    context = {
        "person": person,
        "consents": person.consents.select_related("recorded_by"),
        "consent_form": form,
        "can_record_consent": True,
    }
    if request.htmx:  # type: ignore[attr-defined]
        # htmx does not swap 4xx responses, so errors come back as a 200 partial.
        return render(request, "people/_consent_section.html", context)
    return render(request, "people/person_detail.html", context, status=400)


@require_safe
@login_required
def demographics_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Special-category answers of one person: staff admin only, and the read is audited."""
    person = get_person(request, pk)
    demographics = read_demographics(request, person)
    return render(request, "people/demographics_detail.html", {"person": person, "demographics": demographics})


@require_safe
@login_required
def diversity_summary(request: HttpRequest) -> HttpResponse:
    require_people_aggregates(request)
    breakdowns = diversity_breakdowns(Person.objects.filter(enrolments__isnull=False).distinct())
    return render_exportable(
        request,
        "people/diversity_summary.html",
        {"breakdowns": breakdowns},
        export=DIVERSITY_EXPORT,
        objects=lambda: diversity_lines(breakdowns),
        object_type="people.demographics",
    )


@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """The one-click link in emails: GET asks (a mail scanner's visit changes nothing); the button withdraws."""
    try:
        if request.method == "POST":
            _, purpose = services.withdraw_consent_by_link(token=token, request=request)
            return render(request, "people/consent_withdrawn.html", {"purpose": ConsentPurpose(purpose).label})
        _, purpose = services.read_withdrawal_link(token)
    except LinkError as error:
        return render(request, "link_refused.html", {"message": error.message}, status=400)
    return render(request, "people/consent_withdraw.html", {"purpose": ConsentPurpose(purpose).label})

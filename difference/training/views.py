from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from difference.accounts.models import User
from difference.core.errors import errors_to_form, errors_to_messages
from difference.core.lists import render_exportable, render_filtered_list
from difference.training import calendar, ledger, reach, services
from difference.training import certificates as certificate_services
from difference.training import notes as note_services
from difference.training.access import (
    get_certificate,
    get_cohort_to_manage,
    get_enrolment,
    get_enrolment_to_manage,
    get_enrolment_to_write_notes,
    get_feed_to_manage,
    get_session_to_manage,
    is_party_to,
    may_manage_training,
    may_read_any_notes,
    readable_notes,
    require_own_training,
    require_trainer,
)
from difference.training.filters import CERTIFICATE_EXPORT, COHORT_EXPORT, CertificateFilterSet, ledger_export
from difference.training.forms import (
    CertificateCreateForm,
    EnrolmentStatusForm,
    EvidenceForm,
    NoteForm,
    RegisterForm,
    RequirementsForm,
    SessionForm,
)
from difference.training.models import Attendance, CalendarFeed, Certificate, Cohort

RENEWAL_WINDOW_DAYS = 90


def _signed_in(request: HttpRequest) -> User:
    """The user of a view behind ``login_required``: never anonymous there."""
    return cast("User", request.user)


# --- Cohorts, requirements, sessions, registers, ledgers, calendar feeds -----------------------------------------
@require_safe
@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    require_trainer(request)
    cohorts = (
        Cohort.objects.for_user(request.user)  # type: ignore[arg-type]
        .select_related("programme")
        .with_enrolment_counts()
    )
    return render_exportable(
        request,
        "training/cohort_list.html",
        {"cohorts": cohorts},
        export=COHORT_EXPORT,
        objects=lambda: cohorts.iterator(chunk_size=1000),
        object_type="training.cohort",
    )


@require_safe
@login_required
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_cohort_to_manage(request, pk)
    now = timezone.now()
    upcoming, past = calendar.sessions_by_month(cohort.sessions.select_related("component"), now)
    context = {
        "cohort": cohort,
        "enrolments": cohort.enrolments.select_related("person").order_by("person__last_name", "person__first_name"),
        "upcoming_months": upcoming,
        "past_months": past,
        "requirements": cohort.requirements.select_related("component").order_by("component__position"),
        "feeds": cohort.calendar_feeds.filter(revoked_at__isnull=True),
        "now": now,
    }
    return render(request, "training/cohort_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def cohort_requirements(request: HttpRequest, pk: int) -> HttpResponse:
    """Requirements are edited on a page of their own, so the cohort page never changes them by a stray submit."""
    cohort = get_cohort_to_manage(request, pk)
    posted = request.method == "POST"
    form = RequirementsForm(request.POST if posted else None, cohort=cohort)
    if posted and form.is_valid():
        for component, amount in form.amounts().items():
            services.set_requirement(cohort=cohort, component=component, amount=amount)
        messages.success(request, f"Requirements for {cohort} saved. Other cohorts' requirements are unchanged.")
        return redirect("training:cohort_detail", pk=cohort.pk)
    context = {"cohort": cohort, "form": form}
    return render(request, "training/cohort_requirements.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def cohort_enrol_placed(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_cohort_to_manage(request, pk)
    try:
        enrolled = services.enrol_placed_leaders(cohort=cohort, by=_signed_in(request))
        messages.success(request, f"{enrolled} placed leader{'s' if enrolled != 1 else ''} enrolled.")
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect("training:cohort_detail", pk=cohort.pk)


@require_http_methods(["GET", "POST"])
@login_required
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_cohort_to_manage(request, pk)
    form = SessionForm(request.POST if request.method == "POST" else None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(cohort=cohort, **form.cleaned_data)
            messages.success(request, f"Session added: {session}.")
            return redirect("training:cohort_detail", pk=cohort.pk)
        except ValidationError as error:
            errors_to_form(form, error)
    context = {"cohort": cohort, "form": form}
    return render(request, "training/session_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole cohort's register on one screen, saved in one submit."""
    session = get_session_to_manage(request, pk)
    enrolments = services.register_roster(session)
    marks = {a.enrolment_id: (a.status, a.minutes_missed) for a in Attendance.objects.filter(session=session)}
    form = RegisterForm(request.POST if request.method == "POST" else None, enrolments=enrolments, marks=marks)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_register(session=session, marks=form.marks(), by=_signed_in(request))
            messages.success(request, f"Register saved: {saved} people marked.")
            return redirect("training:session_register", pk=session.pk)
        except ValidationError as error:
            errors_to_form(form, error)
    context = {"session": session, "form": form, "already_marked": bool(marks)}
    return render(request, "training/session_register.html", context, status=400 if form.errors else 200)


@require_safe
@login_required
def cohort_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_cohort_to_manage(request, pk)
    rows = ledger.cohort_ledger(cohort)
    return render_exportable(
        request,
        "training/cohort_ledger.html",
        {"cohort": cohort, "rows": rows},
        export=ledger_export(cohort, rows),
        objects=lambda: rows,
        object_type="training.enrolment",
    )


@require_safe
@login_required
def cohort_warnings(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_cohort_to_manage(request, pk)
    context = {"cohort": cohort, "warnings": ledger.early_warning(cohort)}
    return render(request, "training/cohort_warnings.html", context)


@require_safe
@login_required
def cohort_reach(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = get_cohort_to_manage(request, pk)
    return render(request, "training/cohort_reach.html", {"cohort": cohort, "reach": reach.reach([cohort])})


@require_http_methods(["GET", "POST"])
@login_required
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_to_manage(request, pk) if request.method == "POST" else get_enrolment(request, pk)
    can_manage = may_manage_training(request.user)
    form = EnrolmentStatusForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.change_enrolment_status(enrolment=enrolment, by=_signed_in(request), **form.cleaned_data)
                messages.success(request, "Status changed.")
                return redirect("training:enrolment_detail", pk=enrolment.pk)
            except ValidationError as error:
                errors_to_form(form, error)
    context = {
        "enrolment": enrolment,
        "ledger": ledger.ledger_for_enrolment(enrolment),
        "changes": enrolment.changes.select_related("changed_by"),
        "status_form": form if can_manage else None,
    }
    return render(request, "training/enrolment_detail.html", context, status=400 if form.errors else 200)


@require_safe
@login_required
def my_training(request: HttpRequest) -> HttpResponse:
    """A leader's own view: ledger per enrolment, upcoming sessions, certificates and calendar links."""
    require_own_training(request)
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404("No person record is linked to this login")
    enrolments = person.enrolments.select_related("cohort__programme")
    context = {
        "person": person,
        "ledgers": [ledger.ledger_for_enrolment(e) for e in enrolments],
        "upcoming": calendar.feed_sessions(CalendarFeed(person=person)).filter(starts_at__gte=timezone.now())[:20],
        "certificates": person.certificates.select_related("certification"),
        "feeds": person.calendar_feeds.filter(revoked_at__isnull=True),
    }
    return render(request, "training/my_training.html", context)


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret link is the only credential: a revoked or unknown token is simply not found."""
    feed = CalendarFeed.objects.filter(token=token, revoked_at__isnull=True).select_related("cohort", "person").first()
    if feed is None:
        raise Http404("No such calendar")
    content = calendar.render_calendar(calendar.feed_name(feed), calendar.feed_sessions(feed))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="difference.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def feed_create(request: HttpRequest) -> HttpResponse:
    """A leader makes a link to their own sessions; staff make one for a cohort."""
    cohort_pk = request.POST.get("cohort", "")
    if cohort_pk.isdigit() and len(cohort_pk) < 10:
        cohort = get_cohort_to_manage(request, int(cohort_pk))
        CalendarFeed.objects.create(cohort=cohort, created_by=_signed_in(request))
        messages.success(request, "Calendar link created.")
        return redirect("training:cohort_detail", pk=cohort.pk)
    require_own_training(request)
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404("No person record is linked to this login")
    CalendarFeed.objects.create(person=person, created_by=_signed_in(request))
    messages.success(request, "Calendar link created. Anyone with the link can see your sessions: keep it private.")
    return redirect("training:my_training")


@require_POST
@login_required
def feed_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    feed = get_feed_to_manage(request, pk)
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    messages.success(request, "Calendar link revoked: it no longer works.")
    if feed.cohort_id is not None:
        return redirect("training:cohort_detail", pk=feed.cohort_id)
    return redirect("training:my_training")


# --- Certificates and confidential notes ------------------------------------------------------------------------
@require_safe
@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    """Staff: every certificate, filtered, with those due for renewal first. A leader: their own."""
    if not may_manage_training(request.user):
        return _my_certificates(request)
    today = timezone.localdate()
    due = certificate_services.due_for_renewal(within_days=RENEWAL_WINDOW_DAYS, today=today)
    due_rows = [(c, (c.expires_on - today).days if c.expires_on else 0) for c in due.for_user(request.user)]  # type: ignore[arg-type]
    return render_filtered_list(
        request,
        queryset=Certificate.objects.for_user(request.user).select_related("person", "certification"),  # type: ignore[arg-type]
        filterset_class=CertificateFilterSet,
        ordering=("person__last_name", "person__first_name", "certification__name", "-awarded_on", "pk"),
        template="training/certificate_list.html",
        partial="training/_certificate_rows.html",
        extra_context={"due": due_rows, "today": today, "window": RENEWAL_WINDOW_DAYS},
        export=CERTIFICATE_EXPORT,
    )


def _my_certificates(request: HttpRequest) -> HttpResponse:
    require_own_training(request)
    own = list(Certificate.objects.for_user(request.user).select_related("certification"))  # type: ignore[arg-type]
    if len(own) == 1:
        return redirect("training:certificate_detail", pk=own[0].pk)
    return render(request, "training/certificate_mine.html", {"certificates": own, "today": timezone.localdate()})


@require_http_methods(["GET", "POST"])
@login_required
def certificate_create(request: HttpRequest) -> HttpResponse:
    require_trainer(request)
    posted = request.method == "POST"
    form = CertificateCreateForm(request.POST if posted else None, request.FILES if posted else None, user=request.user)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            certificate = certificate_services.save_certificate(
                person=data["email"],
                certification=data["certification"],
                status=data["status"],
                started_on=data["started_on"],
                awarded_on=data["awarded_on"],
                by=_signed_in(request),  # type: ignore[arg-type]
                evidence=data["evidence"] or None,
            )
        except ValidationError as error:
            errors_to_form(form, error, "evidence")
        else:
            messages.success(request, f"{certificate} recorded.")
            return redirect("training:certificate_detail", pk=certificate.pk)
    return render(request, "training/certificate_create.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate and its evidence; staff and the leader themself may upload (or replace) the evidence."""
    certificate = get_certificate(request, pk)
    posted = request.method == "POST"
    form = EvidenceForm(request.POST, request.FILES) if posted else EvidenceForm()
    if posted and form.is_valid():
        try:
            certificate_services.attach_evidence(
                certificate=certificate,
                upload=form.cleaned_data["evidence"],
                by=_signed_in(request),  # type: ignore[arg-type]
            )
        except ValidationError as error:
            form.add_error("evidence", error)
        else:
            messages.success(request, "Evidence uploaded.")
            return redirect("training:certificate_detail", pk=certificate.pk)
    context = {"certificate": certificate, "form": form, "today": timezone.localdate()}
    return render(request, "training/certificate_detail.html", context, status=400 if form.errors else 200)


@require_safe
@login_required
def certificate_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Always a download, never shown inline, under the type recorded when it was checked."""
    certificate = get_certificate(request, pk)
    if not certificate.evidence:
        raise Http404("No evidence has been uploaded for this certificate")
    try:
        handle = certificate.evidence.open("rb")
    except FileNotFoundError:
        raise Http404("The evidence file is missing") from None
    allowed = {kind.content_type for kind in certificate_services.EVIDENCE_KINDS.values()}
    content_type = certificate.evidence_type if certificate.evidence_type in allowed else "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=certificate.evidence_name or "evidence", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def enrolment_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """Confidential notes: the leader, their coach and supervisor read them, staff admin too (audited); others who
    may open the enrolment see that there are notes they cannot read. Only the coach and the supervisor write."""
    posted = request.method == "POST"
    enrolment = get_enrolment_to_write_notes(request, pk) if posted else get_enrolment(request, pk)
    user = request.user
    kinds = note_services.kinds_for(enrolment, user)
    form = NoteForm(request.POST if posted else None, kinds=kinds)
    if posted:
        if form.is_valid():
            try:
                note_services.add_note(enrolment=enrolment, author=user, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, "Note added.")
                return redirect("training:enrolment_notes", pk=enrolment.pk)
    party = is_party_to(user, enrolment)
    context = {
        "enrolment": enrolment,
        "notes": readable_notes(request, enrolment),
        "audited": not party and may_read_any_notes(user),
        "withheld": not party and not may_read_any_notes(user),
        "form": form if kinds else None,
    }
    return render(request, "training/notes.html", context, status=400 if form.errors else 200)

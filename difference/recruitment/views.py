from __future__ import annotations

from dataclasses import replace

from allauth.account.views import SignupView
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from difference.core.errors import errors_to_form, errors_to_messages
from difference.core.lists import Export, export_filtered_list, render_filtered_list, requested_format
from difference.core.signed_links import LinkError
from difference.jobs.services import in_background
from difference.people.models import Person
from difference.recruitment import analysis, imports, services, tasks
from difference.recruitment.access import (
    get_application,
    get_application_to_manage,
    get_centre_candidate_to_score,
    get_own_application,
    get_review_to_score,
    get_round_for_aggregates,
    get_round_to_manage,
    may_import_demographics,
    may_manage_recruitment,
    require_applicant,
    require_assessor,
    require_recruiter,
    require_recruitment_aggregates,
)
from difference.recruitment.filters import PIPELINE_EXPORT, ApplicationFilterSet
from difference.recruitment.forms import (
    ApplicationForm,
    BookingForm,
    CentreDayForm,
    CentreScoreForm,
    CompetencyQuestionForm,
    DecisionForm,
    DiversityForm,
    EligibilityQuestionForm,
    ImportForm,
    InterestForm,
    InviteForm,
    MoveStageForm,
    OfferResponseForm,
    ReasonForm,
    ReviewForm,
    RoundForm,
    ThresholdForm,
    WithdrawForm,
)
from difference.recruitment.models import (
    Application,
    CentreInvitation,
    CompetencyQuestion,
    EligibilityQuestion,
    Offer,
    RecruitmentRound,
    SiftReview,
    Stage,
)
from difference.recruitment.queries import sift_queue


# --- Public: interest register and applicant accounts --------------------------------------------------------
@require_http_methods(["GET", "POST"])
def interest_register(request: HttpRequest) -> HttpResponse:
    """Whatever the address, a valid form is kept until its address confirms it, and the answer is the same."""
    form = InterestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not ratelimit.consume(request, action="interest_register"):
            return ratelimit.respond_429(request)
        if form.is_valid():
            address = form.cleaned_data["email"].lower()
            if not ratelimit.consume(request, action="interest_register_address", key=address):
                return ratelimit.respond_429(request)
            services.submit_interest(form.registration())
            return redirect("recruitment:interest_thanks")
    return render(request, "recruitment/interest_register.html", {"form": form}, status=400 if form.errors else 200)


@require_safe
def interest_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "recruitment/interest_thanks.html")


@require_http_methods(["GET", "POST"])
def interest_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: GET shows what confirming changes (a mail scanner's visit changes nothing); POST applies it."""
    try:
        if request.method == "POST":
            registration = services.confirm_interest(token=token, request=request)
            return render(request, "recruitment/interest_confirmed.html", {"registration": registration})
        pending, data = services.pending_registration(token)
    except LinkError as error:
        return render(request, "link_refused.html", {"message": error.message}, status=400)
    changes = services.registration_changes(Person.objects.filter(email__iexact=pending.email).first(), data)
    return render(request, "recruitment/interest_confirm.html", {"data": data, "changes": changes})


class ApplicantSignupView(SignupView):
    """allauth's sign-up (``people.forms.SignupForm``) on the applicants' page: it creates a login that reaches
    nothing until its address is verified, and answers a known address exactly as a new one."""

    template_name = "recruitment/applicant_signup.html"


applicant_signup = ApplicantSignupView.as_view()


# --- Applicants ---------------------------------------------------------------------------------------------------
@require_safe
@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    require_applicant(request)
    applications = Application.objects.for_user(request.user).select_related("recruitment_round")  # type: ignore[arg-type]
    applied_to = {a.recruitment_round_id for a in applications}
    context = {
        "applications": applications,
        "open_rounds": [r for r in services.open_rounds() if r.pk not in applied_to],
    }
    return render(request, "recruitment/my_applications.html", context)


@require_POST
@login_required
def application_start(request: HttpRequest, year: int) -> HttpResponse:
    require_applicant(request)
    person = getattr(request.user, "person", None)
    recruitment_round = RecruitmentRound.objects.filter(year=year).first()
    if person is None or recruitment_round is None:
        messages.error(request, "There is no such round to apply to.")
        return redirect("recruitment:my_applications")
    try:
        application = services.start_application(recruitment_round=recruitment_round, person=person)
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect("recruitment:my_applications")
    return redirect(application)


@require_http_methods(["GET", "POST"])
@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Staff read an application; only its applicant edits it.
    application = get_own_application(request, pk) if request.method == "POST" else get_application(request, pk)
    if may_manage_recruitment(request.user):
        return _staff_application(request, application)
    recruitment_round = application.recruitment_round
    form = ApplicationForm(
        request.POST or None,
        application=application,
        eligibility=recruitment_round.eligibility_questions.all(),
        questions=recruitment_round.questions.all(),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_draft(application=application, answers=form.answers(), eligibility=form.eligibility())
                if request.POST.get("action") == "submit":
                    services.submit_application(application=application, by=request.user)
                    messages.success(
                        request, f"Application {application.reference} submitted. We have emailed you a receipt."
                    )
                else:
                    messages.success(request, "Draft saved.")
                return redirect(application)
            except ValidationError as error:
                errors_to_form(form, error)
        status = 400
    application.refresh_from_db()
    context = {
        "application": application,
        "form": form,
        "problems": services.submission_problems(application) if application.is_draft else [],
        "withdraw_form": WithdrawForm(),
        "now": timezone.now(),
        "offer": Offer.objects.filter(application=application).first(),
        "invitation": CentreInvitation.objects.filter(application=application).select_related("slot__day").first(),
    }
    return render(request, "recruitment/application_form.html", context, status=status)


def _staff_application(request: HttpRequest, application: Application) -> HttpResponse:
    context = {
        "application": application,
        "answers": application.answers.select_related("question").prefetch_related("reviews__assessor"),
        "history": application.stage_changes.select_related("changed_by"),
        "move_form": MoveStageForm(application=application),
        "decision_form": DecisionForm(),
        "reason_form": ReasonForm(),
        "centre_scores": application.centre_scores.select_related("assessor"),
        "decision": getattr(application, "centre_decision", None),
        "offer": Offer.objects.filter(application=application).first(),
    }
    return render(request, "recruitment/application_staff.html", context)


@require_POST
@login_required
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_own_application(request, pk)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.withdraw_application(
            application=application, reason=form.cleaned_data.get("reason", ""), by=request.user
        )
        messages.success(request, "Your application has been withdrawn.")
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect(application)


@require_http_methods(["GET", "POST"])
@login_required
def application_diversity(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_own_application(request, pk)
    person = application.person
    existing = getattr(person, "demographics", None)
    initial = (
        {f: getattr(existing, f) for f in ("gender", "ethnic_group", "disability", "age_band")} if existing else None
    )
    form = DiversityForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_diversity(person=person, answers=form.cleaned_data)
        messages.success(request, "Thank you. Your answers are kept apart from your application.")
        return redirect(application)
    context = {"application": application, "form": form}
    return render(request, "recruitment/diversity_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def application_booking(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_own_application(request, pk)
    invitation = CentreInvitation.objects.filter(application=application).select_related("slot").first()
    if invitation is None:
        messages.error(request, "You have not been invited to the assessment centre.")
        return redirect(application)
    form = BookingForm(
        request.POST if request.method == "POST" else None, recruitment_round=application.recruitment_round
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.book_slot(invitation=invitation, slot=form.cleaned_data["slot"])
            messages.success(request, f"Booked: {form.cleaned_data['slot']}.")
            return redirect(application)
        except ValidationError as error:
            errors_to_form(form, error)
    context = {"application": application, "invitation": invitation, "form": form}
    return render(request, "recruitment/booking_form.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def offer_respond(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_own_application(request, pk)
    offer = Offer.objects.filter(application=application).first()
    form = OfferResponseForm(request.POST)
    if offer is None or not form.is_valid():
        messages.error(request, "There is no offer to respond to.")
        return redirect(application)
    try:
        services.respond_to_offer(offer=offer, accept=form.cleaned_data["response"] == "accept", by=request.user)
        messages.success(request, "Thank you: your response is recorded.")
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect(application)


# --- Staff: rounds, pipeline, stage moves ------------------------------------------------------------------------
@require_safe
@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    require_recruiter(request)
    rounds = RecruitmentRound.objects.all()
    return render(request, "recruitment/round_list.html", {"rounds": rounds, "now": timezone.now()})


@require_http_methods(["GET", "POST"])
@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    require_recruiter(request)
    form = RoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        recruitment_round = form.save()
        messages.success(request, f"The {recruitment_round.year} round is created. Add its questions next.")
        return redirect(recruitment_round)
    return render(
        request, "recruitment/round_form.html", {"form": form, "round": None}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@login_required
def round_edit(request: HttpRequest, year: int) -> HttpResponse:
    recruitment_round = get_round_to_manage(request, year)
    form = RoundForm(request.POST if request.method == "POST" else None, instance=recruitment_round)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Round saved.")
        return redirect(recruitment_round)
    context = {"form": form, "round": recruitment_round}
    return render(request, "recruitment/round_form.html", context, status=400 if form.errors else 200)


@require_safe
@login_required
def round_detail(request: HttpRequest, year: int) -> HttpResponse:
    recruitment_round = get_round_to_manage(request, year)
    counts = services.pipeline_counts(recruitment_round)
    context = {
        "round": recruitment_round,
        "stage_counts": [(Stage(value).label, value, n) for value, n in counts.items()],
        "registrations": recruitment_round.registrations.count(),
        "questions": recruitment_round.questions.all(),
        "eligibility_questions": recruitment_round.eligibility_questions.all(),
        "question_form": CompetencyQuestionForm(initial={"position": recruitment_round.questions.count() + 1}),
        "eligibility_form": EligibilityQuestionForm(
            initial={"position": recruitment_round.eligibility_questions.count() + 1}
        ),
        "assessors": recruitment_round.assessors.order_by("email"),
    }
    return render(request, "recruitment/round_detail.html", context)


@require_POST
@login_required
def question_create(request: HttpRequest, year: int) -> HttpResponse:
    recruitment_round = get_round_to_manage(request, year)
    kind = request.POST.get("kind")
    form_class = EligibilityQuestionForm if kind == "eligibility" else CompetencyQuestionForm
    model = EligibilityQuestion if kind == "eligibility" else CompetencyQuestion
    form = form_class(request.POST, instance=model(recruitment_round=recruitment_round))
    if form.is_valid():
        if model.objects.filter(recruitment_round=recruitment_round, position=form.cleaned_data["position"]).exists():
            messages.error(request, f"There is already a question at position {form.cleaned_data['position']}.")
        elif recruitment_round.applications.exists():
            messages.error(request, "Applications have started: the questions can no longer change.")
        else:
            form.save()
            messages.success(request, "Question added.")
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(str(e) for e in errors)}")
    return redirect(recruitment_round)


@require_safe
@login_required
def pipeline(request: HttpRequest, year: int) -> HttpResponse:
    recruitment_round = get_round_to_manage(request, year)
    return render_filtered_list(
        request,
        queryset=_pipeline_applications(recruitment_round),
        filterset_class=ApplicationFilterSet,
        ordering=PIPELINE_ORDERING,
        template="recruitment/pipeline.html",
        partial="recruitment/_pipeline_rows.html",
        extra_context={"round": recruitment_round},
        export=_pipeline_export(recruitment_round),
    )


@require_safe
@login_required
def pipeline_export(request: HttpRequest, year: int) -> HttpResponse:
    """The pipeline's file under its own address, filtered like the page (CSV unless ``format=xlsx``)."""
    recruitment_round = get_round_to_manage(request, year)
    return export_filtered_list(
        request,
        queryset=_pipeline_applications(recruitment_round),
        filterset_class=ApplicationFilterSet,
        ordering=PIPELINE_ORDERING,
        export=_pipeline_export(recruitment_round),
        file_format=requested_format(request) or "csv",
    )


PIPELINE_ORDERING = ("stage", "-sift_score", "pk")


def _pipeline_export(recruitment_round: RecruitmentRound) -> Export:
    return replace(PIPELINE_EXPORT, name=f"pipeline-{recruitment_round.year}")


def _pipeline_applications(recruitment_round: RecruitmentRound) -> QuerySet[Application]:
    return recruitment_round.applications.select_related("person", "centre_decision", "offer")


@require_POST
@login_required
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_to_manage(request, pk)
    form = MoveStageForm(request.POST, application=application)
    if form.is_valid():
        try:
            services.move_stage(
                application=application,
                to_stage=form.cleaned_data["to_stage"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            messages.success(request, "Stage changed.")
        except ValidationError as error:
            errors_to_messages(request, error)
    else:
        messages.error(request, "Choose a stage this application can move to and give a reason.")
    return redirect(application)


@require_POST
@login_required
def application_decision(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_to_manage(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide(
                application=application,
                decision=form.cleaned_data["decision"],
                rationale=form.cleaned_data["rationale"],
                by=request.user,
            )
            messages.success(request, "Decision recorded.")
        except ValidationError as error:
            errors_to_messages(request, error)
    else:
        messages.error(request, "Choose a decision and record its rationale.")
    return redirect(application)


@require_POST
@login_required
def application_make_offer(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_to_manage(request, pk)
    try:
        services.make_offer(application=application, by=request.user)
        messages.success(request, "Offer made.")
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect(application)


@require_POST
@login_required
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_to_manage(request, pk)
    offer = Offer.objects.filter(application=application).first()
    form = ReasonForm(request.POST)
    if offer is None:
        messages.error(request, "There is no offer to withdraw.")
    elif not form.is_valid():
        messages.error(request, "Give the reason the offer is withdrawn.")
    else:
        try:
            services.withdraw_offer(offer=offer, reason=form.cleaned_data["reason"], by=request.user)
            messages.success(request, "Offer withdrawn.")
        except ValidationError as error:
            errors_to_messages(request, error)
    return redirect(application)


@require_http_methods(["GET", "POST"])
@login_required
def import_applications(request: HttpRequest) -> HttpResponse:
    """Past rounds' applications from CSV or XLSX: every row checked first, then all written or none."""
    require_recruiter(request)
    form = ImportForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
    )
    result = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if in_background(upload) and request.POST.get("dry_run") != "on":
                job = tasks.start_applications_import(
                    upload=upload, by=request.user, may_write_demographics=may_import_demographics(request.user)
                )
                messages.info(request, "The file is large, so it is being checked and imported in the background.")
                return redirect(job)
            result = imports.import_applications(
                upload,
                filename=upload.name,
                may_write_demographics=may_import_demographics(request.user),
                dry_run=request.POST.get("dry_run") == "on",
                by=request.user,
            )
            if result.ok:
                status = 200
                if not result.dry_run:
                    messages.success(request, result.summary())
                    return redirect("recruitment:round_list")
    context = {"form": form, "result": result, "columns": imports.TEMPLATE_COLUMNS}
    return render(request, "recruitment/import_form.html", context, status=status)


# --- Staff: sift, shortlist, centre --------------------------------------------------------------------------------
@require_safe
@login_required
def sift_overview(request: HttpRequest, year: int) -> HttpResponse:
    recruitment_round = get_round_to_manage(request, year)
    rows, unscored = services.leaderboard(recruitment_round)
    reviews = SiftReview.objects.filter(answer__application__recruitment_round=recruitment_round)
    context = {
        "round": recruitment_round,
        "rows": rows,
        "unscored": unscored,
        "reviews_total": reviews.count(),
        "reviews_scored": reviews.filter(score__isnull=False).count(),
        "moderations": reviews.filter(kind="moderation").count(),
        "awaiting_moderator": services.awaiting_moderator(recruitment_round),
        "threshold_form": ThresholdForm(initial={"threshold": recruitment_round.shortlist_threshold}),
    }
    return render(request, "recruitment/sift_overview.html", context)


@require_POST
@login_required
def sift_assign(request: HttpRequest, year: int) -> HttpResponse:
    recruitment_round = get_round_to_manage(request, year)
    try:
        created = services.assign_sift(recruitment_round=recruitment_round)
        messages.success(request, f"{created} readings assigned.")
    except ValidationError as error:
        errors_to_messages(request, error)
    return redirect("recruitment:sift_overview", year=year)


@require_POST
@login_required
def shortlist(request: HttpRequest, year: int) -> HttpResponse:
    recruitment_round = get_round_to_manage(request, year)
    form = ThresholdForm(request.POST)
    if form.is_valid():
        shortlisted, out = services.apply_shortlist(
            recruitment_round=recruitment_round, threshold=form.cleaned_data["threshold"], by=request.user
        )
        messages.success(request, f"{shortlisted} shortlisted, {out} not shortlisted.")
    else:
        messages.error(request, "The threshold is a mean score between 1 and 5.")
    return redirect("recruitment:sift_overview", year=year)


@require_http_methods(["GET", "POST"])
@login_required
def centre_overview(request: HttpRequest, year: int) -> HttpResponse:
    recruitment_round = get_round_to_manage(request, year)
    form = CentreDayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_centre_day(recruitment_round=recruitment_round, **form.cleaned_data)
            messages.success(request, "Centre day added.")
            return redirect("recruitment:centre_overview", year=year)
        except ValidationError as error:
            errors_to_form(form, error)
    context = {
        "round": recruitment_round,
        "form": form,
        "days": recruitment_round.centre_days.prefetch_related("slots__bookings__application", "assessors"),
        "invite_form": InviteForm(recruitment_round=recruitment_round),
        "unbooked": CentreInvitation.objects.filter(
            application__recruitment_round=recruitment_round, slot__isnull=True
        ).select_related("application"),
    }
    return render(request, "recruitment/centre_overview.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def centre_invite(request: HttpRequest, year: int) -> HttpResponse:
    recruitment_round = get_round_to_manage(request, year)
    form = InviteForm(request.POST, recruitment_round=recruitment_round)
    if form.is_valid():
        try:
            invited = services.invite_to_centre(applications=form.cleaned_data["applications"], by=request.user)
            messages.success(request, f"{invited} invited; each has been emailed to book a slot.")
        except ValidationError as error:
            errors_to_messages(request, error)
    else:
        messages.error(request, "Choose at least one shortlisted applicant.")
    return redirect("recruitment:centre_overview", year=year)


# --- Aggregates: funnel and validity ------------------------------------------------------------------------------
@require_safe
@login_required
def funnel_index(request: HttpRequest) -> HttpResponse:
    require_recruitment_aggregates(request)
    return render(request, "recruitment/funnel_index.html", {"rounds": RecruitmentRound.objects.all()})


@require_safe
@login_required
def funnel(request: HttpRequest, year: int) -> HttpResponse:
    recruitment_round = get_round_for_aggregates(request, year)
    context = {"round": recruitment_round, "report": analysis.funnel_report(recruitment_round)}
    return render(request, "recruitment/funnel.html", context)


@require_safe
@login_required
def validity(request: HttpRequest, year: int) -> HttpResponse:
    recruitment_round = get_round_for_aggregates(request, year)
    all_rounds = request.GET.get("all") == "1"
    context = {
        "round": recruitment_round,
        "report": analysis.validity_report(recruitment_round, all_rounds=all_rounds),
        "all_rounds": all_rounds,
    }
    return render(request, "recruitment/validity.html", context)


# --- Assessors --------------------------------------------------------------------------------------------------------
@require_safe
@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    require_assessor(request)
    return render(request, "recruitment/review_queue.html", {"queue": sift_queue(request.user)})  # type: ignore[arg-type]


@require_http_methods(["GET", "POST"])
@login_required
def review_score(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_to_score(request, pk)
    initial = {"score": review.score, "comment": review.comment} if review.is_scored else None
    form = ReviewForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.score_review(
                    review=review,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                )
            # Read after the score is saved, so the next reading is one still unscored after this one.
            following = sift_queue(request.user).next_to_score(review)  # type: ignore[arg-type]
            messages.success(request, "Score saved.")
            return redirect(following.review.get_absolute_url() if following else reverse("recruitment:review_queue"))
        except ValidationError as error:
            errors_to_form(form, error)
    queue = sift_queue(request.user)  # type: ignore[arg-type]
    context = {
        "review": review,
        "answer": review.answer,
        "question": review.answer.question,
        "form": form,
        "queue": queue,
        "reading": queue.reading(review),
    }
    return render(request, "recruitment/review_form.html", context, status=400 if form.errors else 200)


@require_safe
@login_required
def centre_queue(request: HttpRequest) -> HttpResponse:
    require_assessor(request)
    candidates = (
        Application.objects.at_centre_for(request.user)  # type: ignore[arg-type]
        .select_related("centre_invitation__slot__day")
        .order_by("centre_invitation__slot__starts_at", "reference")
    )
    return render(request, "recruitment/centre_queue.html", {"candidates": candidates})


@require_http_methods(["GET", "POST"])
@login_required
def centre_candidate(request: HttpRequest, reference: str) -> HttpResponse:
    application = get_centre_candidate_to_score(request, reference)
    competencies = list(application.recruitment_round.questions.values_list("competency", flat=True))
    form = CentreScoreForm(request.POST if request.method == "POST" else None, competencies=competencies)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_centre(application=application, assessor=request.user, **form.cleaned_data)
            messages.success(request, "Score saved.")
            return redirect("recruitment:centre_candidate", reference=reference)
        except ValidationError as error:
            errors_to_form(form, error)
    context = {
        "candidate": application,
        "form": form,
        "my_scores": application.centre_scores.filter(assessor=request.user.pk),
    }
    return render(request, "recruitment/centre_candidate.html", context, status=400 if form.errors else 200)

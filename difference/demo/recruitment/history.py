"""The rounds of 2019 to 2022, each ending in offers accepted by exactly the people the DLP cohorts recruited
(and, in 2022, the offer-holders the placement round matches with them).

Every registration of interest goes through the interest register's service at the moment it was made. The
2019-2021 rounds then come in through the import service, as real past rounds do (scores and outcomes, no
answers); the 2022 round is run step by step through the recruitment services, each step dated when it happened:
applications started, answered and submitted, the blind sift assigned and scored (moderations included), the
shortlist, the centre, the decisions and the answers to the offers.

Each round's story is drawn first, from a seeded generator, and only then written, so every load gives the same
figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from difference.accounts.models import User
from difference.demo.recruitment.common import (
    LIVE_YEAR,
    OFFER_HOLDER_EMAIL,
    OFFER_HOLDERS,
    PLANS,
    RoundPlan,
    answer_text,
    between,
    diversity_answers,
    ensure_round,
    invented_assessors,
    invented_person,
    no_email,
    registration_fields,
    serial_ranges,
    to_score,
    uk,
)
from difference.demo.recruitment.content import (
    CENTRE_ASSESSORS,
    CENTRE_COMPETENCIES,
    CENTRE_VENUES,
    DRAFT_NOTE,
    QUESTIONS,
    RATIONALES,
    READING_COMMENTS,
    SIFT_ASSESSORS,
    WITHDRAWAL_REASONS,
)
from difference.demo.training import DLP_COHORTS, DemoCohorts
from difference.people.models import Demographics, Person
from difference.recruitment import services
from difference.recruitment.imports import TEMPLATE_HEADER, import_applications
from difference.recruitment.models import (
    MODERATION_GAP,
    Application,
    CentreInvitation,
    CentreSlot,
    Decision,
    Offer,
    OfferStatus,
    RecruitmentRound,
    ReviewKind,
    Stage,
    mean_score,
)
from difference.training.models import EnrolmentStatus

ACCEPTS, DECLINES, OTHER = "accepts", "declines", "other"

# When each step of a round's selection happened, counted from the moment the round closed (31 January, noon).
SIFT_ASSIGNED = dt.timedelta(hours=20)  # readings are scored over the next ten days, moderations up to three after
WITHDREW_IN_SIFT = dt.timedelta(days=13)
SHORTLISTED = dt.timedelta(days=15)
INVITED = SHORTLISTED + dt.timedelta(hours=2)
WITHDREW_BEFORE_CENTRE = dt.timedelta(days=17)
BOOKED = INVITED + dt.timedelta(days=1)  # every invited applicant books within a day
DECIDED_AT = 18  # o'clock, on the evening of the centre day
ANSWERED_OFFER = dt.timedelta(days=7)


@dataclass(eq=False)
class _Applicant:
    """One applicant's story, drawn before anything is written."""

    person: Person  # unsaved until their registration of interest creates them
    kind: str  # ACCEPTS, DECLINES or OTHER
    submitted_at: dt.datetime | None  # None for a draft
    quality: float = 0.0
    readings: list[tuple[int, int, int | None]] = field(default_factory=list)  # per answer: first, second, moderator
    sift_score: Decimal | None = None
    centre: list[int] = field(default_factory=list)
    registered_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    application: Application | None = None

    @property
    def app(self) -> Application:
        assert self.application is not None
        return self.application


@dataclass
class _Selection:
    threshold: Decimal
    withdrew_in_sift: list[_Applicant]
    shortlisted: list[_Applicant]
    withdrew_before_centre: list[_Applicant]
    decisions: dict[_Applicant, str]


# --- The four rounds behind the cohorts ------------------------------------------------------------------------------
def load_recruitment(*, cohorts: DemoCohorts) -> dict[int, RecruitmentRound]:
    """The 2019-2022 rounds. Run after the DLP cohorts (whose leaders accept the offers) and before the placements
    demo (which matches the 2022 offer-holders). A round that already has applications is left as it is."""
    sift_team = invented_assessors(SIFT_ASSESSORS, 1)
    centre_team = invented_assessors(CENTRE_ASSESSORS, len(SIFT_ASSESSORS) + 1)
    serials = serial_ranges()
    rounds = {}
    for year, plan in PLANS.items():
        recruitment_round = ensure_round(
            year,
            opens_at=uk(dt.date(year - 1, 10, 1), 9),
            closes_at=uk(dt.date(year, 1, 31), 12),
            target=DLP_COHORTS[year][2],
        )
        rounds[year] = recruitment_round
        if recruitment_round.applications.exists():
            continue
        rng = random.Random(f"recruitment-{year}")
        accepting = _accepting_people(year, cohorts)
        if len(accepting) != plan.offers - plan.declined:
            raise ValueError(f"The {year} plan expects {plan.offers - plan.declined} accepted offers.")
        recruitment_round.assessors.set(sift_team)  # as chosen on the round's form
        with no_email():
            applicants = _register_and_apply(recruitment_round, plan, accepting, serials[year], rng)
            selection = _select(plan, applicants, rng)
            if year == LIVE_YEAR:
                _run_selection(recruitment_round, applicants, selection, centre_team, rng)
            else:
                _import_round(recruitment_round, applicants, selection, rng)
    return rounds


def _accepting_people(year: int, cohorts: DemoCohorts) -> list[tuple[Person, str]]:
    """Who accepted the year's offers, with the enrolment status they reach: the whole cohort, withdrawals
    included, and in 2022 the offer-holders who were not placed (who first register in that round)."""
    people = list(cohorts.recruited[year])
    if year == LIVE_YEAR:
        for n, (first, last) in enumerate(OFFER_HOLDERS, start=1):
            email = OFFER_HOLDER_EMAIL.format(year=year, n=n)
            person = Person.objects.filter(email=email).first() or Person(first_name=first, last_name=last, email=email)
            people.append((person, ""))
    return people


def _quality(rng: random.Random, enrolment_status: str) -> float:
    """How strong an accepted applicant was. Loosely, not perfectly, higher for those who went on to complete."""
    means: dict[str, float] = {EnrolmentStatus.COMPLETED: 3.9, EnrolmentStatus.WITHDRAWN: 3.3}
    mean = means.get(enrolment_status, 3.75)
    return rng.gauss(mean, 0.3)


def _register_and_apply(
    recruitment_round: RecruitmentRound,
    plan: RoundPlan,
    accepting: list[tuple[Person, str]],
    serials: range,
    rng: random.Random,
) -> list[_Applicant]:
    """The round's registrations of interest, and the applicants among those who registered (drafts last)."""
    candidates = [invented_person(serial) for serial in serials]
    existing = {p.email: p for p in Person.objects.filter(email__in=[c.email for c in candidates])}
    invented = [existing.get(c.email, c) for c in candidates]  # some registered in an earlier round
    others = rng.sample(invented, plan.applied - len(accepting))
    chosen = {id(p) for p in others}
    drafts = rng.sample([p for p in invented if id(p) not in chosen], plan.drafts)
    applicants = [_Applicant(person, ACCEPTS, None, _quality(rng, status)) for person, status in accepting]
    for n, person in enumerate(others):
        kind = DECLINES if n < plan.declined else OTHER
        applicants.append(
            _Applicant(person, kind, None, rng.gauss(3.8, 0.3) if kind == DECLINES else rng.gauss(2.7, 0.6))
        )
    opens, closes = recruitment_round.opens_at, recruitment_round.closes_at
    registered_at: dict[int, dt.datetime] = {}
    for applicant in applicants:
        # Everyone who applied registered first; submissions bunch towards the deadline.
        at = between(rng, opens - dt.timedelta(days=60), closes - dt.timedelta(days=3))
        registered_at[id(applicant.person)] = at
        applicant.submitted_at = between(rng, max(at, opens) + dt.timedelta(hours=2), closes, late=True)
    applicants += [_Applicant(person, OTHER, None) for person in drafts]
    season_start = uk(dt.date(recruitment_round.year - 1, 2, 1), 9)  # just after the previous round closed
    people = [p for p, _ in accepting] + invented
    for person in people:
        registered_at.setdefault(id(person), between(rng, season_start, closes))
    people.sort(key=lambda p: registered_at[id(p)])
    registered = _register(recruitment_round, people, registered_at, rng)
    for applicant in applicants:
        applicant.registered_at = registered_at[id(applicant.person)]
        applicant.person = registered[applicant.person.email or ""]
    return applicants


def _register(
    recruitment_round: RecruitmentRound, people: list[Person], registered_at: dict[int, dt.datetime], rng: random.Random
) -> dict[str, Person]:
    """Each registration through the interest register's service at the moment it was made, in that order: a
    ticked box records consent, an unticked one withdraws consent given before. Returns the people by email."""
    registered = {}
    for person in people:
        fields = registration_fields(rng)
        consent_contact, consent_bulletin = rng.random() < 0.92, rng.random() < 0.55
        data = services.Registration(
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email or "",
            consent_contact=consent_contact,
            consent_bulletin=consent_bulletin,
            **fields,  # type: ignore[arg-type]
        )
        registration, _ = services.register_interest(data, now=registered_at[id(person)], send_email=False)
        if registration.recruitment_round_id != recruitment_round.pk:
            raise ValueError(
                f"{person.email} registered at {registered_at[id(person)]}, outside the {recruitment_round}."
            )
        registered[registration.person.email or ""] = registration.person
    return registered


def _diversity(person: Person) -> dict[str, str]:
    """A person's answers to the optional monitoring questions, the same in every round; a few skip them all."""
    rng = random.Random(f"diversity-{person.email}")
    return {} if rng.random() < 0.08 else diversity_answers(rng)


# --- Scores and selection, drawn before anything is written ----------------------------------------------------------
def _mean(values: Sequence[int] | Sequence[Decimal]) -> Decimal:
    result = mean_score(list(values))  # type: ignore[arg-type]
    assert result is not None
    return result


def _agreed(reading: tuple[int, int, int | None]) -> Decimal:
    """As ``services.settle_answer`` agrees it: the moderator's score, else the mean of the two first readings."""
    first, second, moderator = reading
    return Decimal(moderator) if moderator is not None else _mean([first, second])


def _read(applicant: _Applicant, rng: random.Random) -> None:
    readings = []
    for _ in QUESTIONS:
        first, second = to_score(applicant.quality + rng.gauss(0, 0.6)), to_score(applicant.quality + rng.gauss(0, 0.6))
        wide = abs(first - second) >= MODERATION_GAP
        readings.append((first, second, to_score(applicant.quality + rng.gauss(0, 0.4)) if wide else None))
    applicant.readings = readings
    applicant.sift_score = _mean([_agreed(r) for r in readings])


def _select(plan: RoundPlan, applicants: list[_Applicant], rng: random.Random) -> _Selection:
    """Who withdraws, the threshold that shortlists about ``plan.shortlisted``, who comes to the centre and what
    the centre decides. Everyone who is to be offered a place is read again until they clear the threshold."""
    submitted = [a for a in applicants if a.submitted_at is not None]
    for applicant in submitted:
        _read(applicant, rng)
    withdrew = rng.sample([a for a in submitted if a.kind == OTHER], plan.withdrew_in_sift)
    in_sift = [a for a in submitted if a not in withdrew]
    chosen = [a for a in in_sift if a.kind != OTHER]
    # Scores tie, so take the score whose shortlist comes closest to the plan's size.
    others = [a.sift_score or Decimal(0) for a in in_sift if a.kind == OTHER]
    wanted = plan.shortlisted - len(chosen)
    threshold = min(set(others), key=lambda t: (abs(sum(s >= t for s in others) - wanted), -t))
    for applicant in chosen:
        for _ in range(100):
            if (applicant.sift_score or 0) >= threshold:
                break
            _read(applicant, rng)
        else:
            raise ValueError(f"No sift score above {threshold} drawn for {applicant.person.email}.")
    shortlisted = [a for a in in_sift if (a.sift_score or 0) >= threshold]
    hopefuls = [a for a in shortlisted if a.kind == OTHER]
    withdrew_before = rng.sample(hopefuls, len(shortlisted) - plan.assessed)
    attending = [a for a in shortlisted if a not in withdrew_before]
    for applicant in attending:
        on_the_day = applicant.quality + rng.gauss(0, 0.3)
        applicant.centre = [to_score(on_the_day + rng.gauss(0, 0.6)) for _ in CENTRE_COMPETENCIES]
    decisions = {a: str(Decision.OFFER) for a in attending if a.kind != OTHER}
    rest = sorted((a for a in attending if a.kind == OTHER), key=lambda a: sum(a.centre), reverse=True)
    for n, applicant in enumerate(rest):
        decisions[applicant] = Decision.RESERVE if n < len(rest) // 3 else Decision.DECLINE
    return _Selection(threshold, withdrew, shortlisted, withdrew_before, decisions)


# --- The 2022 round, step by step through the services ---------------------------------------------------------------
def _apply(recruitment_round: RecruitmentRound, applicants: list[_Applicant], rng: random.Random) -> None:
    """Each application started, answered (the eligibility questions too) and, unless left in draft, submitted at
    its moment, through the application services, which check every answer as they would an applicant's."""
    eligibility = [str(pk) for pk in recruitment_round.eligibility_questions.values_list("pk", flat=True)]
    questions = list(recruitment_round.questions.order_by("position"))
    opens, closes = recruitment_round.opens_at, recruitment_round.closes_at
    for applicant in applicants:
        assert applicant.registered_at is not None
        if applicant.submitted_at is not None:
            started = max(opens + dt.timedelta(minutes=5), applicant.submitted_at - dt.timedelta(days=2))
            texts = {q.pk: answer_text(rng, index) for index, q in enumerate(questions)}
        else:
            started = min(max(opens, applicant.registered_at) + dt.timedelta(hours=1), closes - dt.timedelta(hours=1))
            texts = {
                q.pk: f"{answer_text(rng, index)} {DRAFT_NOTE}" if index == 0 else ""
                for index, q in enumerate(questions)
            }
        applicant.started_at = started
        application = services.start_application(
            recruitment_round=recruitment_round, person=applicant.person, now=started
        )
        answered = eligibility if applicant.submitted_at else eligibility[:1]
        services.save_draft(application=application, answers=texts, eligibility={pk: True for pk in answered})
        if applicant.submitted_at is not None:
            application = services.submit_application(application=application, by=None, now=applicant.submitted_at)
        applicant.application = application


def _answer_diversity(applicants: list[_Applicant], rng: random.Random) -> None:
    """The diversity questions, answered with the application (about half the drafts got that far) by those who
    have not answered before: the DLP leaders' answers, among others, stand."""
    answering = [a for a in applicants if a.submitted_at or rng.random() < 0.5]
    answered = set(
        Demographics.objects.filter(person__in=[a.person for a in answering]).values_list("person_id", flat=True)
    )
    for applicant in answering:
        answers = _diversity(applicant.person)
        if applicant.person.pk not in answered and answers:
            answered.add(applicant.person.pk)
            moment = applicant.submitted_at or applicant.started_at
            services.save_diversity(person=applicant.person, answers=answers, now=moment)


def _sift(recruitment_round: RecruitmentRound, applicants: list[_Applicant], rng: random.Random) -> None:
    """The blind sift through the sift services: two first readers per answer as ``assign_sift`` spreads them,
    each reading scored with its drawn score over the ten days after, and where the two are MODERATION_GAP or more
    apart the moderation the service asks for scored a few days later. The agreed scores are the drawn ones."""
    assigned_at = recruitment_round.closes_at + SIFT_ASSIGNED
    services.assign_sift(recruitment_round=recruitment_round, now=assigned_at)
    for applicant in applicants:
        if applicant.submitted_at is None:
            continue
        answers = applicant.app.answers.order_by("question__position")
        for answer, (first, second, moderator) in zip(answers, applicant.readings, strict=True):
            readings = answer.reviews.filter(kind=ReviewKind.FIRST).select_related("assessor").order_by("pk")
            scored = []
            for review, score in zip(readings, (first, second), strict=True):
                at = assigned_at + dt.timedelta(hours=rng.randint(4, 240))
                scored.append((at, review, score, READING_COMMENTS[score] if rng.random() < 0.3 else ""))
            # In the order they came in: the second reading, if far from the first, is what asks for moderation.
            for at, review, score, comment in sorted(scored, key=lambda reading: reading[0]):
                services.score_review(review=review, score=score, comment=comment, by=review.assessor, now=at)
            if moderator is not None:
                moderation = answer.reviews.select_related("assessor").get(kind=ReviewKind.MODERATION)
                at = max(at for at, *_ in scored) + dt.timedelta(hours=rng.randint(12, 72))
                comment = READING_COMMENTS[moderator]
                services.score_review(
                    review=moderation, score=moderator, comment=comment, by=moderation.assessor, now=at
                )


def _centre_days(recruitment_round: RecruitmentRound, team: list[User], attending: int) -> list[CentreSlot]:
    """Thursdays from early March, two sittings each, two centre assessors a day. Returns a place per seat."""
    first = dt.date(recruitment_round.year, 3, 1)
    first += dt.timedelta(days=(3 - first.weekday()) % 7)
    seats = []
    for n in range(max(1, -(-attending // 18))):
        day = services.create_centre_day(
            recruitment_round=recruitment_round,
            date=first + dt.timedelta(weeks=n),
            venue=CENTRE_VENUES[n % len(CENTRE_VENUES)],
            slot_times=[dt.time(9, 30), dt.time(13, 30)],
            capacity=9,
            assessors=[team[n % len(team)], team[(n + 1) % len(team)]],
        )
        seats += [slot for slot in day.slots.order_by("starts_at") for _ in range(slot.capacity)]
    return seats


def _run_selection(
    recruitment_round: RecruitmentRound,
    applicants: list[_Applicant],
    selection: _Selection,
    centre_team: list[User],
    rng: random.Random,
) -> None:
    """The 2022 round, every step through the recruitment services at the moment it happened: applications, the
    sift, withdrawals, the shortlist, invitations, bookings, the centre's scores and decisions, and the answers to
    the offers (accepting one makes its holder a placement candidate)."""
    closed = recruitment_round.closes_at
    _apply(recruitment_round, applicants, rng)
    _answer_diversity(applicants, rng)
    _sift(recruitment_round, applicants, rng)
    for n, applicant in enumerate(selection.withdrew_in_sift):
        reason, at = rng.choice(WITHDRAWAL_REASONS), closed + WITHDREW_IN_SIFT + dt.timedelta(hours=3 * n)
        services.withdraw_application(application=applicant.app, reason=reason, by=None, now=at)
    services.apply_shortlist(
        recruitment_round=recruitment_round, threshold=selection.threshold, by=None, now=closed + SHORTLISTED
    )
    shortlisted = recruitment_round.applications.filter(stage=Stage.SHORTLISTED).select_related("person")
    services.invite_to_centre(applications=list(shortlisted.order_by("pk")), by=None, now=closed + INVITED)
    for n, applicant in enumerate(selection.withdrew_before_centre):
        reason = f"Withdrew before the assessment centre: {rng.choice(WITHDRAWAL_REASONS).lower()}"
        at = closed + WITHDREW_BEFORE_CENTRE + dt.timedelta(hours=3 * n)
        services.withdraw_application(application=applicant.app, reason=reason, by=None, now=at)
    attending = [a for a in selection.shortlisted if a not in selection.withdrew_before_centre]
    rng.shuffle(attending)
    seats = _centre_days(recruitment_round, centre_team, len(attending))
    invitations = {
        i.application_id: i
        for i in CentreInvitation.objects.filter(application__in=[a.app for a in attending]).select_related(
            "application"
        )
    }
    for n, (applicant, slot) in enumerate(zip(attending, seats, strict=False)):
        at = closed + BOOKED + dt.timedelta(minutes=20 * n)
        services.book_slot(invitation=invitations[applicant.app.pk], slot=slot, now=at)
    _score_centre(attending, seats)
    for applicant, slot in zip(attending, seats, strict=False):
        decision = selection.decisions[applicant]
        at = uk(timezone.localtime(slot.starts_at).date(), DECIDED_AT)
        rationale = rng.choice(RATIONALES[decision])
        services.decide(application=applicant.app, decision=decision, rationale=rationale, by=None, now=at)
    accepts = {a.app.pk for a in attending if a.kind == ACCEPTS}
    for offer in Offer.objects.filter(application__recruitment_round=recruitment_round).order_by("pk"):
        accept = offer.application_id in accepts
        services.respond_to_offer(offer=offer, accept=accept, by=None, now=offer.made_at + ANSWERED_OFFER)


def _score_centre(attending: list[_Applicant], seats: list[CentreSlot]) -> None:
    """The day's two centre assessors share the four exercises, each scored through ``services.score_centre`` in
    the hour it was done."""
    day_assessors = {slot.day_id: list(slot.day.assessors.order_by("pk")) for slot in set(seats)}
    for applicant, slot in zip(attending, seats, strict=False):
        pair = day_assessors[slot.day_id]
        for n, ((exercise, competency), score) in enumerate(zip(CENTRE_COMPETENCIES, applicant.centre, strict=True)):
            services.score_centre(
                application=applicant.app,
                assessor=pair[n % len(pair)],
                exercise=exercise,
                competency=competency,
                score=score,
                comment="",
                now=slot.starts_at + dt.timedelta(hours=n + 1),
            )


# --- The 2019-2021 rounds, imported ----------------------------------------------------------------------------------
def _import_round(
    recruitment_round: RecruitmentRound, applicants: list[_Applicant], selection: _Selection, rng: random.Random
) -> None:
    """A past round comes in as real past rounds do, through the import service: one spreadsheet row per
    application with its scores, shortlisting, centre decision and answer to any offer. The importer cannot say
    who withdrew, so the withdrawals then go through the withdrawal service, and the threshold the round was
    shortlisted against through the shortlisting service (which finds every application already moved)."""
    withdrew = set(selection.withdrew_in_sift)
    shortlisted = set(selection.shortlisted)
    last_day = timezone.localtime(recruitment_round.closes_at).date() - dt.timedelta(days=1)
    rows = []
    for applicant in applicants:
        decision = selection.decisions.get(applicant, "")
        accepted = OfferStatus.ACCEPTED if applicant.kind == ACCEPTS else OfferStatus.DECLINED
        assert applicant.submitted_at is not None
        rows.append(
            {
                "round_year": recruitment_round.year,
                "first_name": applicant.person.first_name,
                "last_name": applicant.person.last_name,
                "email": applicant.person.email,
                # The importer puts a submission at noon on its day, the very moment the round closes on the last.
                "submitted_on": min(timezone.localtime(applicant.submitted_at).date(), last_day).isoformat(),
                "sift_score": applicant.sift_score,
                "shortlisted": "" if applicant in withdrew else ("yes" if applicant in shortlisted else "no"),
                "centre_score": _mean(applicant.centre) if applicant.centre else "",
                "decision": decision,
                "offer_status": accepted if decision == Decision.OFFER else "",
                # The leaders' answers are already on the platform; a blank leaves an answer as it is.
                **({} if applicant.kind == ACCEPTS else _diversity(applicant.person)),
            }
        )
    sheet = io.StringIO()
    writer = csv.DictWriter(sheet, fieldnames=TEMPLATE_HEADER, restval="")
    writer.writeheader()
    writer.writerows(rows)
    result = import_applications(
        io.BytesIO(sheet.getvalue().encode()),
        filename=f"applications-{recruitment_round.year}.csv",
        may_write_demographics=True,
    )
    if not result.ok:
        raise ValueError(f"The {recruitment_round.year} demo round does not import: {result.errors[:3]}")
    closed = recruitment_round.closes_at
    by_person = {a.person_id: a for a in recruitment_round.applications.all()}
    for n, applicant in enumerate([*selection.withdrew_in_sift, *selection.withdrew_before_centre]):
        reason = rng.choice(WITHDRAWAL_REASONS)
        at = closed + WITHDREW_IN_SIFT + dt.timedelta(hours=3 * n)
        if applicant in shortlisted:
            reason = f"Withdrew before the assessment centre: {reason.lower()}"
            at = closed + WITHDREW_BEFORE_CENTRE + dt.timedelta(hours=3 * n)
        services.withdraw_application(application=by_person[applicant.person.pk], reason=reason, by=None, now=at)
    moved = services.apply_shortlist(
        recruitment_round=recruitment_round, threshold=selection.threshold, by=None, now=closed + SHORTLISTED
    )
    if moved != (0, 0):
        raise ValueError(f"The {recruitment_round.year} import left applications in the sift: {moved}.")

"""The rounds of 2019 to 2022, each ending in offers accepted by exactly the people the DLP cohorts enrolled
(and, in 2022, the offer-holders the placements demo matches)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from difference.accounts.models import User
from difference.demo.placements import EXTRA_NAMES
from difference.demo.recruitment.common import (
    LIVE_YEAR,
    OFFER_HOLDER_EMAIL,
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
from difference.people.models import ConsentMethod, ConsentPurpose, ConsentRecord, ConsentStatus, Demographics, Person
from difference.recruitment import services
from difference.recruitment.imports import TEMPLATE_HEADER, import_applications
from difference.recruitment.models import (
    MODERATION_GAP,
    Answer,
    Application,
    CentreInvitation,
    CentreScore,
    CentreSlot,
    Decision,
    InterestRegistration,
    Offer,
    OfferStatus,
    RecruitmentRound,
    ReviewKind,
    SiftReview,
    Stage,
    StageChange,
    mean_score,
)
from difference.training.models import Enrolment, EnrolmentStatus

ACCEPTS, DECLINES, OTHER = "accepts", "declines", "other"


@dataclass(eq=False)
class _Applicant:
    """One applicant's story, drawn before anything is written."""

    person: Person
    kind: str  # ACCEPTS, DECLINES or OTHER
    submitted_at: dt.datetime | None  # None for a draft
    quality: float = 0.0
    readings: list[tuple[int, int, int | None]] = field(default_factory=list)  # per answer: first, second, moderator
    sift_score: Decimal | None = None
    centre: list[int] = field(default_factory=list)
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
        recruitment_round.assessors.set(sift_team)
        applicants = _register_and_apply(recruitment_round, plan, accepting, serials[year], rng)
        selection = _select(plan, applicants, rng)
        if year == LIVE_YEAR:
            _run_selection(recruitment_round, applicants, selection, sift_team, centre_team, rng)
        else:
            _import_round(recruitment_round, applicants, selection, rng)
    return rounds


def _accepting_people(year: int, cohorts: DemoCohorts) -> list[tuple[Person, str]]:
    """Who accepted the year's offers, with their DLP enrolment status: the whole cohort, withdrawals included,
    and in 2022 the offer-holders who were not placed."""
    enrolments = Enrolment.objects.filter(cohort=cohorts.cohorts[year]).select_related("person")
    people = [(e.person, e.status) for e in enrolments.order_by("person__email")]
    if year == LIVE_YEAR:
        for n, (first, last) in enumerate(EXTRA_NAMES, start=1):
            person, _ = Person.objects.get_or_create(
                email=OFFER_HOLDER_EMAIL.format(year=year, n=n),
                defaults={"first_name": first, "last_name": last, "job_title": "Offer-holder"},
            )
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
    registrations, consents = _registrations(recruitment_round, people, registered_at, rng)
    Person.objects.bulk_create([p for p in invented if p.pk is None], batch_size=500)
    InterestRegistration.objects.bulk_create(registrations, batch_size=500)
    ConsentRecord.objects.bulk_create(consents, batch_size=500)
    return applicants


def _registrations(
    recruitment_round: RecruitmentRound, people: list[Person], registered_at: dict[int, dt.datetime], rng: random.Random
) -> tuple[list[InterestRegistration], list[ConsentRecord]]:
    """Rows as ``services.register_interest`` leaves them, consents included: a ticked box records consent, an
    unticked one withdraws consent given before."""
    latest = {
        (email, purpose): status
        for email, purpose, status in ConsentRecord.objects.filter(
            person__email__in=[p.email for p in people if p.pk is not None]
        )
        .order_by("recorded_at", "pk")
        .values_list("person__email", "purpose", "status")
    }
    registrations, consents = [], []
    for person in people:
        at = registered_at[id(person)]
        fields = registration_fields(rng)
        person.job_title = person.job_title or str(fields["current_role"])
        registrations.append(
            InterestRegistration(person=person, recruitment_round=recruitment_round, registered_at=at, **fields)
        )
        for purpose, chance in ((ConsentPurpose.CONTACT, 0.92), (ConsentPurpose.BULLETIN, 0.55)):
            ticked = rng.random() < chance
            if ticked == (latest.get((person.email, purpose)) == ConsentStatus.GIVEN):
                continue
            status = ConsentStatus.GIVEN if ticked else ConsentStatus.WITHDRAWN
            latest[(person.email, purpose)] = status
            consents.append(
                ConsentRecord(
                    person=person,
                    purpose=purpose,
                    status=status,
                    recorded_at=at,
                    method=ConsentMethod.WEB_FORM,
                    note="Interest register form",
                )
            )
    return registrations, consents


def _diversity(person: Person) -> dict[str, str]:
    """A person's answers to the optional monitoring questions, the same in every round; a few skip them all."""
    rng = random.Random(f"diversity-{person.email}")
    return {} if rng.random() < 0.08 else diversity_answers(rng)


def _demographics(people: list[Person]) -> None:
    """The answers of those who have not answered before: the DLP leaders' answers, among others, stand."""
    answered = set(Demographics.objects.filter(person__in=people).values_list("person_id", flat=True))
    rows = []
    for person in people:
        answers = _diversity(person)
        if person.pk not in answered and answers:
            answered.add(person.pk)
            rows.append(Demographics(person=person, **answers))
    Demographics.objects.bulk_create(rows, batch_size=500)


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


# --- Writing a round -------------------------------------------------------------------------------------------------
def _write_applications(
    recruitment_round: RecruitmentRound, applicants: list[_Applicant], rng: random.Random, *, imported: bool
) -> list[Answer]:
    """Applications as submitted (or left in draft), with their answers unless imported, and the move to
    'submitted' in their history."""
    eligibility = [str(pk) for pk in recruitment_round.eligibility_questions.values_list("pk", flat=True)]
    for applicant in applicants:
        applicant.application = Application(
            recruitment_round=recruitment_round,
            person=applicant.person,
            stage=Stage.SUBMITTED if applicant.submitted_at else Stage.DRAFT,
            submitted_at=applicant.submitted_at,
            eligibility={pk: True for pk in (eligibility if applicant.submitted_at else eligibility[:1])},
            sift_score=applicant.sift_score,
            imported=imported,
        )
    Application.objects.bulk_create([a.app for a in applicants], batch_size=500)
    StageChange.objects.bulk_create(
        [
            StageChange(
                application=a.app,
                from_stage=Stage.DRAFT,
                to_stage=Stage.SUBMITTED,
                reason="Submitted by the applicant",
                changed_at=a.submitted_at,
            )
            for a in applicants
            if a.submitted_at
        ],
        batch_size=500,
    )
    if imported:
        return []
    questions = list(recruitment_round.questions.order_by("position"))
    answers = []
    for applicant in applicants:
        for index, question in enumerate(questions):
            if applicant.submitted_at:
                text, agreed = answer_text(rng, index), _agreed(applicant.readings[index])
            else:
                text, agreed = (f"{answer_text(rng, index)} {DRAFT_NOTE}" if index == 0 else ""), None
            answers.append(Answer(application=applicant.app, question=question, text=text, agreed_score=agreed))
    return Answer.objects.bulk_create(answers, batch_size=500)


def _write_readings(
    recruitment_round: RecruitmentRound,
    applicants: list[_Applicant],
    answers: list[Answer],
    team: list[User],
    rng: random.Random,
) -> None:
    """The blind sift as ``assign_sift`` and ``score_review`` leave it: two first readers per answer, spread
    evenly, and a third, the least loaded, wherever the first two are MODERATION_GAP or more apart."""
    by_application: dict[int, list[Answer]] = {}
    for answer in answers:
        by_application.setdefault(answer.application_id, []).append(answer)
    assigned_at = recruitment_round.closes_at + dt.timedelta(hours=20)
    loads: Counter[int] = Counter()
    reviews, n, size = [], 0, len(team)
    for applicant in applicants:
        if applicant.submitted_at is None:
            continue
        for answer, (first, second, moderator) in zip(
            by_application[applicant.app.pk], applicant.readings, strict=True
        ):
            readers = [team[n % size], team[(n + 1 + (n // size) % (size - 1)) % size]]
            n += 1
            scored = []
            for reader, score in zip(readers, (first, second), strict=True):
                scored.append(assigned_at + dt.timedelta(hours=rng.randint(4, 240)))
                reviews.append(_reading(recruitment_round, answer, reader, score, assigned_at, scored[-1], rng))
                loads[reader.pk] += 1
            if moderator is not None:
                third = min((u for u in team if u not in readers), key=lambda u: (loads[u.pk], u.pk))
                loads[third.pk] += 1
                at = max(scored)  # moderation is asked for when the second reading comes in
                moderated_at = at + dt.timedelta(hours=rng.randint(12, 72))
                reviews.append(
                    _reading(recruitment_round, answer, third, moderator, at, moderated_at, rng, ReviewKind.MODERATION)
                )
    SiftReview.objects.bulk_create(reviews, batch_size=500)


def _reading(
    recruitment_round: RecruitmentRound,
    answer: Answer,
    assessor: User,
    score: int,
    assigned_at: dt.datetime,
    scored_at: dt.datetime,
    rng: random.Random,
    kind: str = ReviewKind.FIRST,
) -> SiftReview:
    comment = READING_COMMENTS[score] if kind == ReviewKind.MODERATION or rng.random() < 0.3 else ""
    return SiftReview(
        answer=answer,
        assessor=assessor,
        kind=kind,
        order_key=SiftReview.order_key_for(recruitment_round.order_salt, assessor.pk, answer.pk),
        score=score,
        comment=comment,
        assigned_at=assigned_at,
        scored_at=scored_at,
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
    sift_team: list[User],
    centre_team: list[User],
    rng: random.Random,
) -> None:
    """The 2022 round: rows in bulk up to the scored sift, then the services from withdrawals and the shortlist
    to the answers to the offers (accepting one makes its holder a placement candidate)."""
    answers = _write_applications(recruitment_round, applicants, rng, imported=False)
    _demographics([a.person for a in applicants if a.submitted_at or rng.random() < 0.5])
    _write_readings(recruitment_round, applicants, answers, sift_team, rng)
    with no_email():
        for applicant in selection.withdrew_in_sift:
            services.withdraw_application(application=applicant.app, reason=rng.choice(WITHDRAWAL_REASONS), by=None)
        services.apply_shortlist(recruitment_round=recruitment_round, threshold=selection.threshold, by=None)
        shortlisted = recruitment_round.applications.filter(stage=Stage.SHORTLISTED).select_related("person")
        services.invite_to_centre(applications=list(shortlisted.order_by("pk")), by=None)
        for applicant in selection.withdrew_before_centre:
            reason = f"Withdrew before the assessment centre: {rng.choice(WITHDRAWAL_REASONS).lower()}"
            services.withdraw_application(application=applicant.app, reason=reason, by=None)
        attending = [a for a in selection.shortlisted if a not in selection.withdrew_before_centre]
        rng.shuffle(attending)
        seats = _centre_days(recruitment_round, centre_team, len(attending))
        invitations = {
            i.application_id: i
            for i in CentreInvitation.objects.filter(application__in=[a.app for a in attending]).select_related(
                "application"
            )
        }
        for applicant, slot in zip(attending, seats, strict=False):
            services.book_slot(invitation=invitations[applicant.app.pk], slot=slot)
        _write_centre_scores(attending, seats)
        for applicant in attending:
            decision = selection.decisions[applicant]
            services.decide(
                application=applicant.app, decision=decision, rationale=rng.choice(RATIONALES[decision]), by=None
            )
        accepts = {a.app.pk for a in attending if a.kind == ACCEPTS}
        for offer in Offer.objects.filter(application__recruitment_round=recruitment_round).order_by("pk"):
            services.respond_to_offer(offer=offer, accept=offer.application_id in accepts, by=None)


def _write_centre_scores(attending: list[_Applicant], seats: list[CentreSlot]) -> None:
    """The day's two centre assessors share the four exercises, as ``services.score_centre`` records them."""
    day_assessors = {slot.day_id: list(slot.day.assessors.order_by("pk")) for slot in set(seats)}
    scores = []
    for applicant, slot in zip(attending, seats, strict=False):
        pair = day_assessors[slot.day_id]
        for n, ((exercise, competency), score) in enumerate(zip(CENTRE_COMPETENCIES, applicant.centre, strict=True)):
            scores.append(
                CentreScore(
                    application=applicant.app,
                    assessor=pair[n % len(pair)],
                    exercise=exercise,
                    competency=competency,
                    score=score,
                    scored_at=slot.starts_at + dt.timedelta(hours=n + 1),
                )
            )
        applicant.app.centre_score = _mean(applicant.centre)
    CentreScore.objects.bulk_create(scores, batch_size=500)
    Application.objects.bulk_update([a.app for a in attending], ["centre_score"], batch_size=500)


def _import_round(
    recruitment_round: RecruitmentRound, applicants: list[_Applicant], selection: _Selection, rng: random.Random
) -> None:
    """A past round comes in as real past rounds do, through the import service: one spreadsheet row per
    application with its scores, shortlisting, centre decision and answer to any offer. The importer cannot say
    who withdrew, so the withdrawals then go through the withdrawal service."""
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
    by_person = {a.person_id: a for a in recruitment_round.applications.all()}
    for applicant in [*selection.withdrew_in_sift, *selection.withdrew_before_centre]:
        reason = rng.choice(WITHDRAWAL_REASONS)
        if applicant in shortlisted:
            reason = f"Withdrew before the assessment centre: {reason.lower()}"
        services.withdraw_application(application=by_person[applicant.person.pk], reason=reason, by=None)
    recruitment_round.shortlist_threshold = selection.threshold
    recruitment_round.save(update_fields=["shortlist_threshold"])

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.people.models import ConsentPurpose, Demographics, Disability, EthnicGroup, Gender, Person
from difference.people.tests.factories import PersonFactory
from difference.placements.models import Candidate
from difference.recruitment import services
from difference.recruitment.forms import RoundForm
from difference.recruitment.models import (
    Application,
    CentreDay,
    CentreInvitation,
    CentreSlot,
    Decision,
    InterestRegistration,
    Offer,
    OfferStatus,
    ReviewKind,
    SiftReview,
    Stage,
)
from difference.recruitment.tests.conftest import make_round, submit_for

LONDON = ZoneInfo("Europe/London")


def registration(**changes: object) -> services.Registration:
    data = {
        "first_name": "Rhiannon",
        "last_name": "Quarrington",
        "email": "rhiannon@example.org",
        "current_role": "Head of Year 9",
        "setting": "mainstream",
        "phase": "secondary",
        "subject": "History",
        "region": "london",
        "interests": ["dlp", "events"],
        "consent_contact": True,
        "consent_bulletin": False,
    }
    data.update(changes)
    return services.Registration(**data)  # type: ignore[arg-type]


# --- Interest register -----------------------------------------------------------------------------------------
def test_registering_twice_with_one_email_updates_the_registration(db, mailoutbox, django_capture_on_commit_callbacks):
    make_round()
    with django_capture_on_commit_callbacks(execute=True):
        services.register_interest(registration())
        registration_again, created = services.register_interest(
            registration(email="RHIANNON@example.org", region="north_west", consent_bulletin=True)
        )
    assert not created
    assert InterestRegistration.objects.count() == 1
    assert Person.objects.filter(email__iexact="rhiannon@example.org").count() == 1
    assert registration_again.region == "north_west"
    assert registration_again.times_registered == 2
    person = registration_again.person
    assert person.has_consent(ConsentPurpose.CONTACT) and person.has_consent(ConsentPurpose.BULLETIN)
    assert [m.subject for m in mailoutbox] == ["Thank you for registering your interest"] * 2


def test_a_registration_with_a_bad_email_and_no_interests_is_refused_and_nothing_is_written(client, db, mailoutbox):
    response = client.post(reverse("recruitment:interest_register"), {"first_name": "X", "email": "not-an-email"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a valid email address" in body and "This field is required" in body
    assert not Person.objects.exists() and not InterestRegistration.objects.exists() and not mailoutbox


# --- Deadlines ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("local_deadline", "utc_deadline"),
    [
        # 31 January is in GMT: noon in London is noon UTC.
        ("2030-01-31T12:00", dt.datetime(2030, 1, 31, 12, 0, tzinfo=dt.UTC)),
        # BST starts on 31 March 2030, so on 1 April noon in London is 11:00 UTC.
        ("2030-04-01T12:00", dt.datetime(2030, 4, 1, 11, 0, tzinfo=dt.UTC)),
    ],
)
def test_a_submission_one_minute_after_the_deadline_is_refused_in_gmt_and_in_bst(db, local_deadline, utc_deadline):
    form = RoundForm(
        data={"year": 2030, "opens_at": "2029-10-01T09:00", "closes_at": local_deadline, "target_leaders": 20}
    )
    assert form.is_valid(), form.errors
    recruitment_round = form.save()
    assert recruitment_round.closes_at == utc_deadline
    person = PersonFactory()
    with time_machine.travel(utc_deadline - dt.timedelta(days=1), tick=False):
        application = services.start_application(recruitment_round=recruitment_round, person=person)
    with time_machine.travel(utc_deadline + dt.timedelta(minutes=1), tick=False):
        with pytest.raises(ValidationError, match="closed on"):
            services.submit_application(application=application, by=None)
    application.refresh_from_db()
    assert application.stage == Stage.DRAFT and application.submitted_at is None
    with time_machine.travel(utc_deadline - dt.timedelta(minutes=1), tick=False):
        services.submit_application(application=application, by=None)
    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED


def test_a_deadline_set_across_the_clock_change_is_the_uk_time_the_staff_entered(db):
    """Opening in GMT and closing in BST: the deadline is 12:00 BST, i.e. 11:00 UTC, not 12:00 UTC."""
    opens = dt.datetime(2030, 2, 1, 9, 0, tzinfo=LONDON)
    closes = dt.datetime(2030, 4, 1, 12, 0, tzinfo=LONDON)
    recruitment_round = make_round(2030, opens_at=opens, closes_at=closes)
    person = PersonFactory()
    with time_machine.travel(dt.datetime(2030, 3, 1, tzinfo=dt.UTC), tick=False):
        application = services.start_application(recruitment_round=recruitment_round, person=person)
        services.save_draft(
            application=application,
            answers={q.pk: "An answer." for q in recruitment_round.questions.all()},
            eligibility={str(recruitment_round.eligibility_questions.get().pk): True},
        )
    with time_machine.travel(dt.datetime(2030, 4, 1, 11, 1, tzinfo=dt.UTC), tick=False):
        with pytest.raises(ValidationError, match=r"closed on 1 April 2030 at 12:00 \(UK time\)"):
            services.submit_application(application=application, by=None)


def test_the_application_page_refuses_a_late_submission_with_a_clear_message(db):
    opens = dt.datetime(2030, 1, 1, 9, 0, tzinfo=LONDON)
    closes = dt.datetime(2030, 1, 31, 12, 0, tzinfo=LONDON)
    recruitment_round = make_round(2030, opens_at=opens, closes_at=closes)
    user = UserFactory(role=Role.APPLICANT)
    person = PersonFactory(user=user, email=user.email)
    with time_machine.travel(dt.datetime(2030, 1, 10, tzinfo=dt.UTC), tick=False):
        application = services.start_application(recruitment_round=recruitment_round, person=person)
    client = Client()
    data = {f"answer_{q.pk}": "An answer." for q in recruitment_round.questions.all()}
    data[f"eligible_{recruitment_round.eligibility_questions.get().pk}"] = "yes"
    data["action"] = "submit"
    with time_machine.travel(dt.datetime(2030, 1, 31, 12, 1, tzinfo=dt.UTC), tick=False):
        client.force_login(user)
        response = client.post(application.get_absolute_url(), data)
    assert response.status_code == 400
    assert "closed on 31 January 2030 at 12:00 (UK time)" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Stage.DRAFT
    # The draft itself was saved: nothing the applicant typed is lost.
    assert application.answers.filter(text="An answer.").count() == 3


def test_an_incomplete_draft_cannot_be_submitted_and_the_page_says_what_is_missing(db):
    recruitment_round = make_round()
    user = UserFactory(role=Role.APPLICANT)
    person = PersonFactory(user=user, email=user.email)
    application = services.start_application(recruitment_round=recruitment_round, person=person)
    client = Client()
    client.force_login(user)
    question = recruitment_round.questions.first()
    data = {f"answer_{question.pk}": "word " * 51, "action": "submit"}
    response = client.post(application.get_absolute_url(), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Question 1 has 51 words; the limit is 50." in body
    assert "Answer question 2 (Relationships)." in body
    assert "Answer the eligibility question" in body
    application.refresh_from_db()
    assert application.stage == Stage.DRAFT and not application.stage_changes.exists()


# --- Blind sift -----------------------------------------------------------------------------------------------------
def test_every_submitted_answer_gets_two_different_first_readers_spread_evenly(sift_round):
    created = services.assign_sift(recruitment_round=sift_round.round)
    answers = 6 * 3
    assert created == answers * 2
    assert services.assign_sift(recruitment_round=sift_round.round) == 0
    for application in sift_round.applications:
        for answer in application.answers.all():
            readers = list(answer.reviews.values_list("assessor", flat=True))
            assert len(readers) == 2 and len(set(readers)) == 2
    loads = [SiftReview.objects.filter(assessor=a).count() for a in sift_round.assessors]
    assert max(loads) - min(loads) <= 1


def test_the_sift_needs_three_assessors(db):
    recruitment_round = make_round()
    recruitment_round.assessors.add(*[UserFactory(role=Role.ASSESSOR) for _ in range(2)])
    with pytest.raises(ValidationError, match="at least three assessors"):
        services.assign_sift(recruitment_round=recruitment_round)


def _queue_order(client: Client) -> list[int]:
    body = client.get(reverse("recruitment:review_queue")).content.decode()
    return [int(pk) for pk in re.findall(r'href="/recruitment/sift/(\d+)/"', body)]


def test_two_assessors_see_the_same_answers_in_different_orders_each_stable_on_every_visit(db):
    recruitment_round = make_round()
    recruitment_round.questions.exclude(position=1).delete()  # one question: every answer in one ordered list
    readers = [UserFactory(role=Role.ASSESSOR) for _ in range(2)]
    recruitment_round.assessors.add(*readers, UserFactory(role=Role.ASSESSOR))
    applications = [submit_for(recruitment_round, PersonFactory()) for _ in range(12)]
    answers = [a.answers.get() for a in applications]
    for reader in readers:
        for answer in answers:
            services._new_review(recruitment_round, answer, reader.pk, ReviewKind.FIRST)
    orders = []
    for reader in readers:
        client = Client()
        client.force_login(reader)
        first_visit = _queue_order(client)
        assert _queue_order(client) == first_visit
        assert len(first_visit) == 12
        orders.append([SiftReview.objects.get(pk=pk).answer_id for pk in first_visit])
    assert sorted(orders[0]) == sorted(orders[1]) == sorted(a.pk for a in answers)
    assert orders[0] != orders[1]
    # Neither follows the order the answers were submitted in.
    assert orders[0] != [a.pk for a in answers] or orders[1] != [a.pk for a in answers]


def _score_all(recruitment_round, score_for) -> None:  # type: ignore[no-untyped-def]
    for review in SiftReview.objects.filter(
        answer__application__recruitment_round=recruitment_round, score__isnull=True
    ):
        services.score_review(review=review, score=score_for(review), comment="", by=review.assessor)


def test_a_two_point_disagreement_goes_to_a_moderator_whose_score_moves_the_leaderboard(sift_round):
    services.assign_sift(recruitment_round=sift_round.round)
    target = sift_round.applications[0]
    disputed = target.answers.order_by("question__position").first()
    firsts = list(disputed.reviews.order_by("pk"))

    def score_for(review: SiftReview) -> int:
        if review.answer_id == disputed.pk:
            return 2 if review.pk == firsts[0].pk else 4
        return 3

    _score_all(sift_round.round, score_for)
    moderation = SiftReview.objects.get(answer=disputed, kind=ReviewKind.MODERATION)
    assert moderation.assessor_id not in {r.assessor_id for r in firsts}
    target.refresh_from_db()
    assert target.sift_score is None  # not fully scored until the moderator has read it
    rows, unscored = services.leaderboard(sift_round.round)
    assert unscored == 1 and target not in [r.application for r in rows]

    services.score_review(review=moderation, score=5, comment="Clear evidence.", by=moderation.assessor)
    target.refresh_from_db()
    assert target.sift_score == Decimal("3.67")  # (5 + 3 + 3) / 3
    rows, unscored = services.leaderboard(sift_round.round)
    assert unscored == 0
    assert rows[0].application == target and rows[0].rank == 1
    assert all(r.application.sift_score == Decimal("3.00") and r.rank == 2 for r in rows[1:])


def test_a_one_point_difference_is_averaged_without_moderation(sift_round):
    services.assign_sift(recruitment_round=sift_round.round)
    _score_all(sift_round.round, lambda review: 3 if review.assessor == sift_round.assessors[0] else 4)
    assert not SiftReview.objects.filter(kind=ReviewKind.MODERATION).exists()
    for application in sift_round.applications:
        application.refresh_from_db()
        assert Decimal("3.00") <= application.sift_score <= Decimal("4.00")


def test_an_assessor_cannot_score_outside_one_to_five_or_someone_elses_reading(sift_round):
    services.assign_sift(recruitment_round=sift_round.round)
    review = SiftReview.objects.first()
    with pytest.raises(ValidationError, match="1 to 5"):
        services.score_review(review=review, score=7, comment="", by=review.assessor)
    other = next(a for a in sift_round.assessors if a != review.assessor)
    with pytest.raises(ValidationError, match="Only the assessor"):
        services.score_review(review=review, score=3, comment="", by=other)
    review.refresh_from_db()
    assert review.score is None


def test_the_api_refuses_a_score_of_seven_with_a_clear_message(sift_round):
    services.assign_sift(recruitment_round=sift_round.round)
    review = SiftReview.objects.first()
    client = Client()
    client.force_login(review.assessor)
    response = client.post(reverse("api:sift-review-score", kwargs={"pk": review.pk}), {"score": 7})
    assert response.status_code == 400
    assert "less than or equal to 5" in response.json()["score"][0]
    review.refresh_from_db()
    assert review.score is None


def test_shortlisting_moves_fully_scored_applications_by_the_threshold_with_the_reason(sift_round):
    services.assign_sift(recruitment_round=sift_round.round)
    strong = sift_round.applications[0]
    _score_all(sift_round.round, lambda review: 5 if review.answer.application_id == strong.pk else 2)
    staff = UserFactory(role=Role.STAFF_PROGRAMME)
    shortlisted, out = services.apply_shortlist(recruitment_round=sift_round.round, threshold=Decimal("3.5"), by=staff)
    assert (shortlisted, out) == (1, 5)
    strong.refresh_from_db()
    assert strong.stage == Stage.SHORTLISTED
    change = strong.stage_changes.last()
    assert change.reason == "Mean sift score 5.00 against a threshold of 3.5" and change.changed_by == staff


# --- Centre and offers ------------------------------------------------------------------------------------------------
def test_a_centre_assessor_who_sifted_the_application_cannot_see_or_score_it(sift_round):
    services.assign_sift(recruitment_round=sift_round.round)
    _score_all(sift_round.round, lambda review: 4)
    services.apply_shortlist(recruitment_round=sift_round.round, threshold=Decimal("3"), by=None)
    application = sift_round.applications[0]
    services.invite_to_centre(applications=[application], by=None)
    day = services.create_centre_day(
        recruitment_round=sift_round.round,
        date=dt.date(2031, 3, 3),
        venue="Online",
        slot_times=[dt.time(9)],
        capacity=2,
    )
    sifter = application.answers.first().reviews.first().assessor
    fresh = UserFactory(role=Role.ASSESSOR)
    day.assessors.add(sifter, fresh)
    services.book_slot(invitation=application.centre_invitation, slot=day.slots.get())
    with pytest.raises(ValidationError, match="read this applicant's written answers"):
        services.score_centre(
            application=application,
            assessor=sifter,
            exercise="interview",
            competency="Leading change",
            score=4,
            comment="",
        )
    client = Client()
    client.force_login(sifter)
    assert application.reference not in client.get(reverse("recruitment:centre_queue")).content.decode()
    assert client.get(reverse("recruitment:centre_candidate", args=[application.reference])).status_code == 404
    client.force_login(fresh)
    assert application.reference in client.get(reverse("recruitment:centre_queue")).content.decode()


def test_a_full_slot_cannot_be_booked(sift_round):
    recruitment_round = sift_round.round
    day = services.create_centre_day(
        recruitment_round=recruitment_round,
        date=dt.date(2031, 3, 3),
        venue="Online",
        slot_times=[dt.time(9)],
        capacity=1,
    )
    slot = day.slots.get()
    invitations = []
    for application in sift_round.applications[:2]:
        Application.objects.filter(pk=application.pk).update(stage=Stage.INVITED)
        application.refresh_from_db()
        invitations.append(CentreInvitation.objects.create(application=application))
    services.book_slot(invitation=invitations[0], slot=slot)
    with pytest.raises(ValidationError, match="full"):
        services.book_slot(invitation=invitations[1], slot=slot)
    assert CentreSlot.objects.get().bookings.count() == 1


def test_an_accepted_offer_makes_the_person_ready_for_placement(sift_round, mailoutbox):
    application = sift_round.applications[0]
    Application.objects.filter(pk=application.pk).update(stage=Stage.INVITED)
    application.refresh_from_db()
    CentreInvitation.objects.create(application=application)
    assessor = UserFactory(role=Role.ASSESSOR)
    services.score_centre(
        application=application,
        assessor=assessor,
        exercise="interview",
        competency="Leading change",
        score=4,
        comment="",
    )
    with pytest.raises(ValidationError, match="rationale"):
        services.decide(application=application, decision=Decision.OFFER, rationale=" ", by=None)
    services.decide(application=application, decision=Decision.OFFER, rationale="Strong across exercises", by=None)
    offer = Offer.objects.get(application=application)
    assert offer.status == OfferStatus.MADE
    services.respond_to_offer(offer=offer, accept=True, by=None)
    application.refresh_from_db()
    assert application.stage == Stage.ACCEPTED
    candidate = Candidate.objects.get(person=application.person)
    assert candidate.placement_round.year == sift_round.round.year
    with pytest.raises(ValidationError, match="already been accepted"):
        services.respond_to_offer(offer=offer, accept=False, by=None)


def test_staff_moves_need_a_reason_and_an_allowed_stage(sift_round):
    application = sift_round.applications[0]
    with pytest.raises(ValidationError, match="Give a reason"):
        services.move_stage(application=application, to_stage=Stage.SHORTLISTED, reason=" ", by=None)
    with pytest.raises(ValidationError, match="cannot be moved"):
        services.move_stage(application=application, to_stage=Stage.ACCEPTED, reason="Because", by=None)
    services.move_stage(application=application, to_stage=Stage.SHORTLISTED, reason="Strong references", by=None)
    application.refresh_from_db()
    assert application.stage == Stage.SHORTLISTED
    assert application.stage_changes.last().reason == "Strong references"


# --- Anonymity ------------------------------------------------------------------------------------------------------
def test_nothing_an_assessor_can_reach_identifies_the_applicant(db):
    """Every page and API response an assessor can reach, for sift and centre, holds none of the applicant's
    name, email, school or diversity answers."""
    from difference.schools.tests.factories import SchoolFactory

    recruitment_round = make_round()
    school = SchoolFactory(name="Quillfeather Academy")
    user = UserFactory(role=Role.APPLICANT, email="xanthippe.vasquez-oduya@example.org")
    person = PersonFactory(
        first_name="Xanthippe",
        last_name="Vasquez-Oduya",
        email=user.email,
        user=user,
        school=school,
        job_title="Head of Drama",
    )
    Demographics.objects.create(
        person=person, gender=Gender.NON_BINARY, ethnic_group=EthnicGroup.MIXED, disability=Disability.YES
    )
    application = submit_for(recruitment_round, person)
    readers = [UserFactory(role=Role.ASSESSOR) for _ in range(3)]
    recruitment_round.assessors.add(*readers)
    services.assign_sift(recruitment_round=recruitment_round)
    # Put the application through the sift and book it on a centre day the third reader did not sift.
    reviews = SiftReview.objects.filter(answer__application=application)
    for review in reviews:
        services.score_review(review=review, score=4, comment="", by=review.assessor)
    services.apply_shortlist(recruitment_round=recruitment_round, threshold=Decimal("3"), by=None)
    services.invite_to_centre(applications=[application], by=None)
    day = services.create_centre_day(
        recruitment_round=recruitment_round,
        date=dt.date(2031, 3, 3),
        venue="Online",
        slot_times=[dt.time(9)],
        capacity=3,
    )
    centre_assessor = UserFactory(role=Role.ASSESSOR)
    day.assessors.add(centre_assessor)
    services.book_slot(invitation=application.centre_invitation, slot=day.slots.get())
    forbidden = [
        "Xanthippe",
        "Vasquez-Oduya",
        "xanthippe.vasquez-oduya",
        "Quillfeather",
        str(school.urn),
        "Head of Drama",
        Gender.NON_BINARY.label,
        EthnicGroup.MIXED.label,
        "non_binary",
        "mixed",
    ]
    assert CentreDay.objects.filter(assessors=centre_assessor).exists()
    for assessor in [*readers, centre_assessor]:
        client = Client()
        client.force_login(assessor)
        urls = [
            reverse("home"),
            reverse("recruitment:review_queue"),
            reverse("recruitment:centre_queue"),
            reverse("api:sift-review-list"),
        ]
        urls += [reverse("recruitment:review_score", args=[r.pk]) for r in SiftReview.objects.filter(assessor=assessor)]
        urls += [reverse("api:sift-review-detail", args=[r.pk]) for r in SiftReview.objects.filter(assessor=assessor)]
        urls.append(reverse("recruitment:centre_candidate", args=[application.reference]))
        reached = 0
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            reached += 1
            body = response.content.decode()
            for text in forbidden:
                assert text.lower() not in body.lower(), f"{text!r} appears in {url} for {assessor.email}"
        assert reached >= 4


def test_the_funnel_api_gives_suppressed_cells_their_reason_and_no_counts(db):
    recruitment_round = make_round()
    for _ in range(3):
        submit_for(recruitment_round, PersonFactory())
    client = Client()
    client.force_login(UserFactory(role=Role.STAFF_RESEARCH))
    data = client.get(reverse("api:recruitment-round-funnel", kwargs={"year": recruitment_round.year})).json()
    applied = next(s for s in data["stages"] if s["key"] == "applied")
    assert applied["count"] == 3
    gender = next(d for d in data["dimensions"] if d["key"] == "gender")
    not_answered = next(g for g in gender["groups"] if g["value"] == "not_answered")
    share = not_answered["applicants"]
    assert share["suppressed_reason"] and share["text"] == share["suppressed_reason"]
    assert share["numerator"] is None and share["n"] is None and share["low"] is None


def test_staff_add_a_centre_day_with_slots_in_uk_time_and_its_assessors(sift_round):
    client = Client()
    client.force_login(UserFactory(role=Role.STAFF_PROGRAMME))
    url = reverse("recruitment:centre_overview", args=[sift_round.round.year])
    bad = client.post(url, {"date": "2031-06-10", "venue": "Online", "slot_times": "09:00, 25:00", "capacity": 6})
    assert bad.status_code == 400 and "“25:00” is not a time" in bad.content.decode()
    assert not CentreDay.objects.exists()
    assessor = sift_round.assessors[0]
    data = {
        "date": "2031-06-10",
        "venue": "Online",
        "slot_times": "13:30, 09:00",
        "capacity": 6,
        "assessors": [assessor.pk],
    }
    assert client.post(url, data).status_code == 302
    day = CentreDay.objects.get()
    assert list(day.assessors.all()) == [assessor]
    # 10 June is in BST: 09:00 in London is 08:00 UTC.
    assert [s.starts_at for s in day.slots.all()] == [
        dt.datetime(2031, 6, 10, 8, 0, tzinfo=dt.UTC),
        dt.datetime(2031, 6, 10, 12, 30, tzinfo=dt.UTC),
    ]


# --- Destructive actions are confirmed first ------------------------------------------------------------------------
def _applicant_client(application: Application) -> Client:
    person = application.person
    if person.user is None:
        person.user = UserFactory(role=Role.APPLICANT, email=person.email)
        person.save(update_fields=["user"])
    client = Client()
    client.force_login(person.user)
    return client


def test_withdrawing_an_application_needs_confirmation_and_nothing_changes_until_it_is_given(sift_round):
    application = sift_round.applications[0]
    client = _applicant_client(application)
    url = reverse("recruitment:application_withdraw", args=[application.pk])

    page = client.get(application.get_absolute_url()).content.decode()
    assert 'class="button-danger">Withdraw my application…</button>' in page

    for response in (client.get(url), client.post(url, {"reason": "New job"})):
        assert response.status_code == 200
        body = response.content.decode()
        assert "Withdraw your application?" in body and "This cannot be undone" in body
        assert 'name="confirmed" value="yes"' in body and 'class="button-danger">Yes, withdraw my application' in body
        assert 'value="New job"' in body or response.request["REQUEST_METHOD"] == "GET"
        application.refresh_from_db()
        assert application.stage == Stage.SUBMITTED

    response = client.post(url, {"reason": "New job", "confirmed": "yes"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN


def test_declining_an_offer_needs_confirmation(sift_round):
    application = sift_round.applications[0]
    Offer.objects.create(application=application)
    client = _applicant_client(application)
    url = reverse("recruitment:offer_respond", args=[application.pk])

    response = client.post(url, {"response": "decline"})
    assert response.status_code == 200 and b"Decline your offer?" in response.content
    assert Offer.objects.get(application=application).status == OfferStatus.MADE

    client.post(url, {"response": "decline", "confirmed": "yes"})
    assert Offer.objects.get(application=application).status == OfferStatus.DECLINED


def test_an_application_already_withdrawn_gets_no_confirmation_step_but_a_clear_message(sift_round):
    application = sift_round.applications[0]
    client = _applicant_client(application)
    url = reverse("recruitment:application_withdraw", args=[application.pk])
    client.post(url, {"confirmed": "yes"})

    response = client.get(url, follow=True)
    assert b"can no longer be withdrawn" in response.content
    assert b"Yes, withdraw my application" not in response.content

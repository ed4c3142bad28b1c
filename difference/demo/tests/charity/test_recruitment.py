"""The recruitment demo: the rounds behind the impact report's cohorts, and work waiting for the demo logins."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from difference.accounts.models import User
from difference.accounts.roles import Role
from difference.demo.training import load_dlp_cohorts
from difference.people.models import ConsentRecord, Demographics, Person
from difference.placements.models import Candidate, Placement, PlacementRound
from difference.recruitment.models import (
    Answer,
    Application,
    CentreDecision,
    CentreInvitation,
    CentreScore,
    InterestRegistration,
    Offer,
    OfferStatus,
    RecruitmentRound,
    ReviewKind,
    SiftReview,
    Stage,
    StageChange,
)
from difference.recruitment.services import refresh_sift_score
from difference.training.models import Enrolment

YEARS = (2019, 2020, 2021, 2022)
# The six 2022 offer-holders who accepted but were not placed: 25 accepted offers, 19 leaders placed.
EXTRA_EMAILS = {f"offer2022.{n:02d}@demo.example.org" for n in range(1, 7)}


def test_the_2022_round_has_the_664_registrations_of_the_impact_report(demo):
    recruitment_round = RecruitmentRound.objects.get(year=2022)
    assert recruitment_round.registrations.count() == 664
    assert recruitment_round.target_leaders == 20
    assert timezone.localtime(recruitment_round.closes_at).strftime("%Y-%m-%d %H:%M") == "2022-01-31 12:00"
    line = next(line for line in demo.splitlines() if line.startswith("Recruitment 2022:"))
    assert line.startswith("Recruitment 2022: 664 registered, 181 applied, ")
    assert line.endswith("50 assessed, 27 offers (25 accepted); 19 placed against a target of 20.")


def test_the_accepted_offers_are_the_62_enrolled_leaders_and_the_6_other_offer_holders(demo):
    accepted = Offer.objects.filter(status=OfferStatus.ACCEPTED, application__recruitment_round__year__in=YEARS)
    by_year = dict(accepted.values_list("application__recruitment_round__year").annotate(n=Count("pk")))
    assert by_year == {2019: 10, 2020: 14, 2021: 19, 2022: 25}
    enrolled = set(Enrolment.objects.filter(cohort__programme__code="dlp").values_list("person__email", flat=True))
    assert len(enrolled) == 62
    assert set(accepted.values_list("application__person__email", flat=True)) == enrolled | EXTRA_EMAILS
    # Each leader applied once, in the round for their cohort.
    leaders = Application.objects.filter(person__enrolments__isnull=False)
    assert leaders.count() == 62
    assert not leaders.exclude(recruitment_round__year=F("person__enrolments__cohort__year")).exists()
    declined = Offer.objects.filter(status=OfferStatus.DECLINED, application__recruitment_round__year=2022)
    assert declined.count() == 2
    assert not declined.filter(application__person__email__in=enrolled | EXTRA_EMAILS).exists()


def test_19_of_the_25_who_accepted_in_2022_are_placed_against_a_target_of_20(demo):
    placement_round = PlacementRound.objects.get(year=2022)
    accepted_2022 = set(
        Offer.objects.filter(status=OfferStatus.ACCEPTED, application__recruitment_round__year=2022).values_list(
            "application__person", flat=True
        )
    )
    assert set(Candidate.objects.filter(placement_round=placement_round).values_list("person", flat=True)) == (
        accepted_2022
    )
    assert Placement.objects.filter(candidate__placement_round=placement_round).count() == 19
    assert placement_round.target_posts == 20


def test_no_one_who_read_an_application_assesses_it_at_the_centre(demo):
    assert CentreScore.objects.exists() and SiftReview.objects.exists()
    assert not CentreScore.objects.filter(application__answers__reviews__assessor=F("assessor")).exists()
    assert not CentreInvitation.objects.filter(
        slot__day__assessors__sift_reviews__answer__application=F("application")
    ).exists()


def test_running_the_demo_again_adds_nothing(demo):
    models = [
        Person, User, InterestRegistration, ConsentRecord, Demographics, Application, Answer, StageChange,
        SiftReview, CentreScore, CentreDecision, Offer, Candidate, RecruitmentRound,
    ]  # fmt: skip
    before = {model.__name__: model._default_manager.count() for model in models}
    call_command("load_demo", stdout=StringIO())
    assert {model.__name__: model._default_manager.count() for model in models} == before


def test_the_2022_sift_has_two_first_readings_per_answer_and_moderates_wide_gaps(demo):
    readings = SiftReview.objects.filter(answer__application__recruitment_round__year=2022)
    firsts = readings.filter(kind=ReviewKind.FIRST).values("answer").annotate(n=Count("pk"))
    assert {row["n"] for row in firsts} == {2}
    moderations = readings.filter(kind=ReviewKind.MODERATION)
    assert 0 < moderations.count() < firsts.count() / 5
    assert not moderations.exclude(answer__agreed_score=F("score")).exists()
    # The sift scores are the ones the scoring service would work out.
    submitted = Application.objects.filter(recruitment_round__year=2022).submitted()
    scores = dict(submitted.values_list("pk", "sift_score"))
    for application in submitted:
        refresh_sift_score(application)
    assert dict(submitted.values_list("pk", "sift_score")) == scores
    assert len(set(scores.values())) > 10  # a leaderboard with a spread


def test_every_submission_falls_inside_its_round_s_window(demo):
    outside = Application.objects.submitted().filter(
        Q(submitted_at__lt=F("recruitment_round__opens_at")) | Q(submitted_at__gte=F("recruitment_round__closes_at"))
    )
    submitted = Application.objects.submitted().filter(recruitment_round__year__in=YEARS)
    by_year = dict(submitted.values_list("recruitment_round__year").annotate(n=Count("pk")))
    assert by_year == {2019: 58, 2020: 96, 2021: 137, 2022: 181}
    assert not outside.exists()


def test_the_demo_assessor_has_readings_to_score_and_centre_candidates_they_did_not_read(demo):
    assessor = User.objects.get(email="assessor@demo.example.org", role=Role.ASSESSOR)
    open_round = RecruitmentRound.objects.get(year=timezone.localdate().year + 1)
    assert open_round.is_open() and assessor in open_round.assessors.all()
    waiting = SiftReview.objects.filter(assessor=assessor, score__isnull=True)
    assert 5 <= waiting.count() <= 12
    assert not waiting.exclude(answer__application__stage=Stage.SUBMITTED).exists()
    candidates = Application.objects.at_centre_for(assessor)
    assert candidates.exists()
    assert set(candidates.values_list("stage", flat=True)) == {Stage.INVITED}
    assert not candidates.filter(answers__reviews__assessor=assessor).exists()


def test_the_demo_applicant_has_a_draft_in_the_open_round(demo):
    application = Application.objects.get(person__user__email="applicant@demo.example.org")
    assert application.stage == Stage.DRAFT
    assert application.recruitment_round.is_open()
    assert application.answers.exclude(text="").count() == 2


def test_the_leaders_keep_the_diversity_answers_of_the_training_demo(demo):
    leaders = Demographics.objects.filter(person__enrolments__isnull=False).order_by("person")
    fields = ("person", "gender", "ethnic_group", "disability", "age_band")
    after_recruitment = list(leaders.values_list(*fields))
    load_dlp_cohorts(ap_schools=[], mainstream_schools=[], by=None)  # writes the training demo's answers again
    assert list(leaders.values_list(*fields)) == after_recruitment


def test_the_funnel_page_for_2022_shows_664_registered_19_placed_of_20_with_intervals_and_suppression(demo):
    from django.test import Client

    from difference.accounts.tests.factories import UserFactory
    from difference.core.stats import default_threshold

    client = Client()
    client.force_login(UserFactory(role=Role.STAFF_RESEARCH))
    response = client.get("/recruitment/rounds/2022/funnel/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "19 placed against a target of 20 leaders." in body
    assert ">664<" in body
    # Every conversion shown carries its n and interval ("27/181; 95% CI ..."), and small groups are suppressed
    # with the reason rather than a number.
    assert "95% CI" in body
    assert f"fewer than {default_threshold()}" in body
    assert 'class="suppressed"' in body


def test_the_2022_round_s_history_is_dated_when_each_step_happened_in_2022(demo):
    recruitment_round = RecruitmentRound.objects.get(year=2022)
    opened, spring = recruitment_round.opens_at, timezone.make_aware(dt.datetime(2022, 4, 30))
    changes = StageChange.objects.filter(application__recruitment_round=recruitment_round)

    assert not changes.exclude(changed_at__range=(opened, spring)).exists()
    readings = SiftReview.objects.filter(answer__application__recruitment_round=recruitment_round)
    assert not readings.exclude(scored_at__range=(recruitment_round.closes_at, spring)).exists()
    scores = CentreScore.objects.filter(application__recruitment_round=recruitment_round)
    assert {timezone.localtime(score.scored_at).month for score in scores} == {3}
    offers = Offer.objects.filter(application__recruitment_round=recruitment_round)
    assert not offers.exclude(made_at__lt=F("responded_at")).exists()
    assert not offers.exclude(responded_at__lt=spring).exists()


def test_the_2022_funnel_page_charts_the_stages_and_each_group_saying_how_many_did_not_answer(demo):
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(email="research@demo.example.org"))
    body = client.get("/recruitment/rounds/2022/funnel/").content.decode()
    assert body.index('<svg class="bar-chart" id="funnel-2022" role="img"') < body.index("<table")
    assert ">181 — 27% (181/664; 95% CI 24–31%) of the previous stage</text>" in body
    assert '<svg class="bar-chart" id="stage-share-ethnic-group" role="img"' in body
    assert "Applied: did not answer: " in body and "(did not answer: " in body


def test_the_demo_assessor_s_sift_is_numbered_with_how_many_are_done(demo):
    import re

    from django.test import Client

    assessor = User.objects.get(email="assessor@demo.example.org")
    client = Client()
    client.force_login(assessor)
    body = client.get("/recruitment/sift/").content.decode()
    done, total = map(int, re.search(r"(\d+) of (\d+) done", body).groups())  # type: ignore[union-attr]
    waiting = SiftReview.objects.filter(assessor=assessor, score__isnull=True, answer__application__stage="submitted")
    assert total - done == waiting.count() > 0
    assert re.search(r">Answer \d+ of \d+</a>", body)


def test_a_filled_demo_vacancy_is_read_only_for_its_school(demo):
    from django.test import Client

    from difference.placements.models import Vacancy, VacancyStatus

    head = User.objects.get(email="head@demo.example.org")
    vacancy = Vacancy.objects.for_user(head).filter(status=VacancyStatus.FILLED).first()
    assert vacancy is not None
    client = Client()
    client.force_login(head)
    body = client.get(vacancy.get_absolute_url()).content.decode()
    assert "Filled: this vacancy is read-only" in body
    assert f"/placements/vacancies/{vacancy.pk}/ranking/" not in body

"""The selection funnel and selection-validity reports, checked against SciPy, statsmodels and core.stats."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.test import Client
from django.urls import path
from django.utils import timezone
from scipy.stats import pearsonr, rankdata, spearmanr
from statsmodels.stats.proportion import confint_proportions_2indep

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.core.stats import SECONDARY_REASON, THRESHOLD_SETTING, proportion
from difference.core.tests.disclosure import worked_out
from difference.people.models import Demographics, Gender, Person
from difference.people.tests.factories import PersonFactory
from difference.placements.models import Candidate, MatchRun, Placement, PlacementRound, Vacancy
from difference.recruitment import services
from difference.recruitment.analysis import (
    NOT_RECORDED,
    FunnelReport,
    OutcomeDefinition,
    funnel_report,
    validity_report,
)
from difference.recruitment.models import (
    Application,
    CentreDecision,
    Offer,
    RecruitmentRound,
    Stage,
    StageChange,
)
from difference.schools.tests.factories import SchoolFactory
from difference.training.models import Cohort, Enrolment, EnrolmentStatus
from difference.training.tests.factories import ProgrammeFactory

YEAR = 2024
ORDER = ["applied", "sifted_in", "assessed", "offered", "placed", "completed"]


def _home(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


# The pages render against only the URL that base.html needs for an anonymous reader, so these tests check the
# analysis and its templates whatever state the rest of the app's URLconf is in.
urlpatterns = [path("", _home, name="home")]


@pytest.fixture
def page_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def recruitment_round(db: Any) -> RecruitmentRound:
    now = timezone.now()
    return RecruitmentRound.objects.create(
        year=YEAR, opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=30), target_leaders=20
    )


@pytest.fixture
def staff(db: Any) -> Any:
    return UserFactory(role=Role.STAFF_PROGRAMME, with_totp=False)


def _cohort(year: int) -> Cohort:
    cohort, _ = Cohort.objects.get_or_create(programme=ProgrammeFactory(), year=year)
    return cohort


def _place(person: Person, year: int) -> Placement:
    placement_round, _ = PlacementRound.objects.get_or_create(year=year)
    vacancy = Vacancy.objects.create(
        placement_round=placement_round,
        school=SchoolFactory(),
        title="Assistant Head",
        focus="send",
        starts_on=dt.date(year, 9, 1),
        setting_type="pru",
    )
    run = MatchRun.objects.create(placement_round=placement_round, instance={"candidates": {}, "vacancies": {}})
    candidate, _ = Candidate.objects.get_or_create(placement_round=placement_round, person=person)
    return Placement.objects.create(candidate=candidate, vacancy=vacancy, run=run, starts_on=dt.date(year, 9, 1))


def _enrol(person: Person, year: int, status: str) -> Enrolment:
    return Enrolment.objects.create(person=person, cohort=_cohort(year), status=status)


def _applicant(
    recruitment_round: RecruitmentRound,
    reached: str = "applied",
    *,
    gender: str | None = "",
    sift: str | None = None,
    centre: str | None = None,
) -> Application:
    """An applicant built straight from records, with every record of the stages up to ``reached``.

    ``gender=None`` leaves out the Demographics row altogether; "" is a row with the question unanswered.
    """
    person = PersonFactory()
    if gender is not None:
        Demographics.objects.create(person=person, gender=gender)
    application = Application.objects.create(
        recruitment_round=recruitment_round,
        person=person,
        stage=Stage.SUBMITTED,
        submitted_at=timezone.now(),
        sift_score=Decimal(sift) if sift else None,
        centre_score=Decimal(centre) if centre else None,
    )
    depth = ORDER.index(reached)
    if depth >= 1:
        StageChange.objects.create(application=application, from_stage="submitted", to_stage="shortlisted", reason="t")
    if depth >= 2:
        CentreDecision.objects.create(application=application, decision="offer", rationale="t")
    if depth >= 3:
        Offer.objects.create(application=application)
    if depth >= 4:
        _place(person, recruitment_round.year)
    if depth >= 5:
        _enrol(person, recruitment_round.year, EnrolmentStatus.COMPLETED)
    return application


def _stages(report: FunnelReport) -> dict[str, Any]:
    return {stage.key: stage for stage in report.stages}


def _group(report: FunnelReport, dimension: str, value: str) -> Any:
    groups = next(d for d in report.dimensions if d.key == dimension).groups
    return next(g for g in groups if g.value == value)


def _registration(n: int) -> services.Registration:
    return services.Registration(
        first_name="Reg",
        last_name=str(n),
        email=f"reg{n}@example.org",
        current_role="Teacher",
        setting="mainstream",
        phase="secondary",
        subject="",
        region="london",
        interests=["dlp"],
        consent_contact=True,
        consent_bulletin=False,
    )


# --- Funnel stages --------------------------------------------------------------------------------------------------
def test_the_funnel_counts_people_at_each_stage_from_their_records_not_their_current_stage(recruitment_round, staff):
    registrants = [services.register_interest(_registration(n), send_email=False)[0].person for n in range(6)]
    applicants = registrants[:5] + [PersonFactory()]  # the last applied without registering interest
    applications = []
    for person in applicants:
        application = services.start_application(recruitment_round=recruitment_round, person=person)
        applications.append(services.submit_application(application=application, by=staff))
    services.withdraw_application(application=applications[0], reason="Changed schools", by=staff)
    for application in applications[1:5]:
        services.move_stage(application=application, to_stage=Stage.SHORTLISTED, reason="Above threshold", by=staff)
    invited = [Application.objects.get(pk=a.pk) for a in applications[1:4]]
    services.invite_to_centre(applications=invited, by=staff)
    assessor = UserFactory(role=Role.ASSESSOR, with_totp=False)
    for application, decision in zip(invited, ["offer", "offer", "decline"], strict=True):
        services.score_centre(
            application=application,
            assessor=assessor,
            exercise="interview",
            competency="Inclusion",
            score=4,
            comment="",
        )
        services.decide(application=application, decision=decision, rationale="Centre panel", by=staff)
    for offer in Offer.objects.all():
        services.respond_to_offer(offer=offer, accept=True, by=staff)
    placed, still_enrolled = invited[0].person, invited[1].person
    _place(placed, YEAR)
    _enrol(placed, YEAR, EnrolmentStatus.COMPLETED)
    _enrol(still_enrolled, YEAR, EnrolmentStatus.ACTIVE)

    report = funnel_report(recruitment_round)

    counts = {stage.key: stage.count for stage in report.stages}
    assert counts == {
        "registered": 6,
        "applied": 6,
        "sifted_in": 4,
        "assessed": 3,
        "offered": 2,
        "placed": 1,
        "completed": 1,
    }
    assert Application.objects.get(pk=applications[0].pk).stage == Stage.WITHDRAWN
    assert _stages(report)["applied"].skipped_previous == 1
    assert _stages(report)["applied"].conversion == proportion(5, 6)
    assert (report.placed, report.target) == (1, 20)
    assert report.cohort_running and report.awaiting_outcome == 1


def test_a_draft_and_a_withdrawn_draft_are_not_counted_as_applied(recruitment_round, staff):
    draft = services.start_application(recruitment_round=recruitment_round, person=PersonFactory())
    withdrawn_draft = services.start_application(recruitment_round=recruitment_round, person=PersonFactory())
    services.withdraw_application(application=withdrawn_draft, reason="No longer interested", by=staff)
    _applicant(recruitment_round)

    assert _stages(funnel_report(recruitment_round))["applied"].count == 1
    assert Application.objects.get(pk=draft.pk).submitted_at is None


def test_each_conversion_carries_n_and_the_interval_from_core_stats(recruitment_round):
    for reached, how_many in [("applied", 10), ("sifted_in", 8), ("assessed", 6), ("offered", 6)]:
        for _ in range(how_many):
            _applicant(recruitment_round, reached)

    stages = _stages(funnel_report(recruitment_round))

    # 30 applied; 20 were shortlisted, 12 of them have a centre decision and 6 an offer.
    assert stages["sifted_in"].conversion == proportion(20, 30)
    assert stages["assessed"].conversion == proportion(12, 20)
    assert stages["offered"].conversion == proportion(6, 12)
    assert stages["placed"].conversion == proportion(0, 6)
    assert (stages["sifted_in"].conversion.numerator, stages["sifted_in"].conversion.n) == (20, 30)


def test_completion_is_not_an_outcome_while_the_cohort_is_running(recruitment_round, page_urls):
    application = _applicant(recruitment_round, "placed")
    _enrol(application.person, YEAR, EnrolmentStatus.ACTIVE)

    report = funnel_report(recruitment_round)

    assert report.cohort_running and report.awaiting_outcome == 1 and report.completed == 0
    page = render_to_string("recruitment/funnel.html", {"round": recruitment_round, "report": report})
    assert "still running" in page


def test_a_round_whose_cohort_has_not_started_says_completion_is_not_yet_an_outcome(recruitment_round, page_urls):
    _applicant(recruitment_round, "offered")

    report = funnel_report(recruitment_round)

    assert report.cohort_enrolled == 0 and not report.cohort_running
    page = render_to_string("recruitment/funnel.html", {"round": recruitment_round, "report": report})
    assert "No one is enrolled in the 2024 cohort" in page


# --- Groups and suppression -----------------------------------------------------------------------------------------
def test_a_group_below_the_threshold_is_suppressed_with_the_reason(recruitment_round, page_urls, settings):
    setattr(settings, THRESHOLD_SETTING, 5)
    for _ in range(3):
        _applicant(recruitment_round, "offered", gender=Gender.NON_BINARY)
    for _ in range(20):
        _applicant(recruitment_round, "offered", gender=Gender.WOMAN)

    report = funnel_report(recruitment_round)
    small = _group(report, "gender", Gender.NON_BINARY)

    assert small.applicants.suppressed_reason == "fewer than 5 — suppressed"
    assert all(stage.conversion.is_suppressed for stage in small.stages[:3])
    assert small.stages[0].conversion.suppressed_reason == "group of fewer than 5 — suppressed"
    assert small.adverse_impact.is_suppressed and small.adverse_impact.ratio is None
    assert small.adverse_impact.reading == "group of fewer than 5 — suppressed"
    page = render_to_string("recruitment/funnel.html", {"round": recruitment_round, "report": report})
    assert '<span class="suppressed">group of fewer than 5 — suppressed</span>' in page
    assert "3/3" not in page


def test_applicants_with_no_diversity_answers_are_counted_as_not_answered(recruitment_round):
    _applicant(recruitment_round, gender=None)
    _applicant(recruitment_round, gender="")
    _applicant(recruitment_round, gender=Gender.PREFER_NOT_TO_SAY)

    report = funnel_report(recruitment_round)

    assert _group(report, "gender", "not_answered").applicants.numerator == 2
    assert _group(report, "gender", "prefer_not_to_say").applicants.numerator == 1
    assert _group(report, "ethnic_group", "not_answered").applicants.numerator == 3


def test_the_adverse_impact_ratio_and_interval_are_statsmodels_against_the_highest_group(recruitment_round):
    for gender, offered, applied in [(Gender.WOMAN, 20, 40), (Gender.MAN, 10, 40)]:
        for i in range(applied):
            _applicant(recruitment_round, "offered" if i < offered else "applied", gender=gender)

    report = funnel_report(recruitment_round)
    women, men = _group(report, "gender", Gender.WOMAN), _group(report, "gender", Gender.MAN)
    low, high = confint_proportions_2indep(10, 40, 20, 40, compare="ratio", method="log-adjusted")

    assert women.adverse_impact.is_reference
    assert women.adverse_impact.reading == "reference group (highest rate)"
    assert men.adverse_impact.selection_rate == proportion(10, 40)
    assert men.adverse_impact.ratio == pytest.approx(0.5)
    assert (men.adverse_impact.low, men.adverse_impact.high) == (pytest.approx(low), pytest.approx(high))
    assert men.adverse_impact.reading == "lower selection rate than Woman, and the interval excludes 1"
    assert next(d for d in report.dimensions if d.key == "gender").reference_label == "Woman"


def test_an_interval_that_covers_one_reads_as_no_evidence_of_a_difference(recruitment_round):
    for gender, offered in [(Gender.WOMAN, 20), (Gender.MAN, 18)]:
        for i in range(40):
            _applicant(recruitment_round, "offered" if i < offered else "applied", gender=gender)

    men = _group(funnel_report(recruitment_round), "gender", Gender.MAN).adverse_impact

    assert men.low is not None and men.high is not None and men.low < 1 < men.high
    assert men.reading == "no evidence of a difference"


def test_a_group_with_no_offers_gets_a_ratio_of_zero_without_crashing(recruitment_round):
    for _ in range(20):
        _applicant(recruitment_round, "applied", gender=Gender.MAN)
    for i in range(20):
        _applicant(recruitment_round, "offered" if i < 10 else "applied", gender=Gender.WOMAN)

    men = _group(funnel_report(recruitment_round), "gender", Gender.MAN).adverse_impact
    low, high = confint_proportions_2indep(0, 20, 10, 20, compare="ratio", method="log-adjusted")

    assert men.ratio == 0
    assert (men.low, men.high) == (pytest.approx(low), pytest.approx(high))
    assert men.reading == "lower selection rate than Woman, and the interval excludes 1"


def test_a_round_with_no_offers_says_the_ratio_cannot_be_estimated(recruitment_round):
    for gender in (Gender.MAN, Gender.WOMAN):
        for _ in range(10):
            _applicant(recruitment_round, "applied", gender=gender)

    men = _group(funnel_report(recruitment_round), "gender", Gender.MAN).adverse_impact

    assert men.ratio is None and men.reading == "cannot be estimated: no offers in any comparable group"


def test_prefer_not_to_say_is_compared_but_never_the_reference(recruitment_round):
    for i in range(10):
        _applicant(recruitment_round, "offered" if i < 9 else "applied", gender=Gender.PREFER_NOT_TO_SAY)
    for i in range(10):
        _applicant(recruitment_round, "offered" if i < 5 else "applied", gender=Gender.WOMAN)

    report = funnel_report(recruitment_round)
    refused = _group(report, "gender", Gender.PREFER_NOT_TO_SAY).adverse_impact

    assert _group(report, "gender", Gender.WOMAN).adverse_impact.is_reference
    assert not refused.is_reference and refused.ratio == pytest.approx(1.8)


# --- Secondary suppression -----------------------------------------------------------------------------------------
# Gender by stage: (applicants who reached only "applied", "sifted_in", "assessed", "offered"). At "offered" the one
# non-binary applicant sits beside empty groups, so a group with offers must be withheld with it.
GENDER_PLAN = {
    Gender.WOMAN: (6, 4, 2, 8),
    Gender.MAN: (3, 3, 1, 5),
    Gender.NON_BINARY: (0, 1, 1, 1),
    Gender.PREFER_NOT_TO_SAY: (2, 1, 0, 5),
    None: (2, 0, 5, 0),
}


def _gender_round(recruitment_round: RecruitmentRound) -> None:
    for gender, plan in GENDER_PLAN.items():
        for reached, how_many in zip(ORDER, plan, strict=False):
            for _ in range(how_many):
                _applicant(recruitment_round, reached, gender=gender)


def _published_counts(group: dict[str, Any]) -> tuple[dict[str, int | None], dict[str, int | None]]:
    """A group's count at each stage, and its count carried from the stage before, as far as the API shows them:
    every proportion that names one as its count or its n, checked to agree."""
    at: dict[str, set[int]] = {key: set() for key in ORDER}
    carried: dict[str, set[int]] = {key: set() for key in ORDER}
    at["applied"].add(group["applicants"]["numerator"])
    for previous, stage in zip(ORDER, group["stages"], strict=False):
        at[stage["key"]].add(stage["reached"]["numerator"])
        at["applied"].add(stage["reached"]["n"])
        at[previous].add(stage["conversion"]["n"])
        carried[stage["key"]].add(stage["conversion"]["numerator"])
    # A ratio to the reference group is the selection rate in other words: shown only where that rate is.
    selection = next(stage["reached"] for stage in group["stages"] if stage["key"] == "offered")
    assert group["adverse_impact"]["ratio"] is None or selection["numerator"] is not None

    def one(values: set[int | None]) -> int | None:
        shown = values - {None}
        assert len(shown) <= 1, values
        return next(iter(shown), None)

    return {k: one(v) for k, v in at.items()}, {k: one(v) for k, v in carried.items()}


def _reasons(group: dict[str, Any]) -> dict[str, str]:
    reasons = {"applied": group["applicants"]["suppressed_reason"]}
    reasons |= {stage["key"]: stage["reached"]["suppressed_reason"] for stage in group["stages"]}
    return reasons


def test_no_group_suppressed_in_the_funnel_can_be_worked_out_from_the_stage_totals(recruitment_round, settings):
    setattr(settings, THRESHOLD_SETTING, 5)
    _gender_round(recruitment_round)
    reader = UserFactory(role=Role.STAFF_RESEARCH)
    client = Client()
    client.force_login(reader)

    payload = client.get(f"/api/v1/recruitment-rounds/{YEAR}/funnel/").json()

    totals = {stage["key"]: stage["count"] for stage in payload["stages"]}
    carried_totals = {s["key"]: s["conversion"]["numerator"] for s in payload["stages"] if s["conversion"]}
    withheld_for_totals = 0
    for dimension in payload["dimensions"]:
        counts = {g["value"]: _published_counts(g) for g in dimension["groups"]}
        reasons = {g["value"]: _reasons(g) for g in dimension["groups"]}
        for stage in ORDER:
            cells = {value: at[stage] for value, (at, _) in counts.items()}
            why = {value: reasons[value][stage] for value in counts}
            assert worked_out(totals[stage], cells, why, 5) == [], (dimension["key"], stage, cells, why)
            withheld_for_totals += sum(1 for reason in why.values() if reason == SECONDARY_REASON)
            if stage != "applied" and carried_totals.get(stage) is not None:
                carried = {value: c[stage] for value, (_, c) in counts.items()}
                assert worked_out(carried_totals[stage], carried, why, 5) == []
    assert withheld_for_totals > 0
    gender = next(d for d in payload["dimensions"] if d["key"] == "gender")
    man = next(g for g in gender["groups"] if g["value"] == Gender.MAN)
    offered = next(s for s in man["stages"] if s["key"] == "offered")
    # Beside the one non-binary offer and groups with none, men's five offers are the total less the rest.
    assert offered["reached"] == {
        "text": SECONDARY_REASON, "numerator": None, "n": None, "low": None, "high": None,
        "suppressed_reason": SECONDARY_REASON,
    }  # fmt: skip
    assert man["adverse_impact"]["ratio"] is None and man["adverse_impact"]["reading"] == SECONDARY_REASON


def test_the_funnel_page_withholds_the_figures_the_totals_would_give_away(recruitment_round, settings, page_urls):
    setattr(settings, THRESHOLD_SETTING, 5)
    _gender_round(recruitment_round)

    report = funnel_report(recruitment_round)
    page = render_to_string("recruitment/funnel.html", {"round": recruitment_round, "report": report})

    man = _group(report, "gender", Gender.MAN)
    assert man.adverse_impact.selection_rate.suppressed_reason == SECONDARY_REASON
    conversions = page.split("Gender: each group's share of applicants, then its conversion")[1]
    conversions = conversions.split("</section>")[0]
    rows = re.findall(r'<th scope="row">Man</th>(.*?)</tr>', conversions, flags=re.DOTALL)
    assert len(rows) == 2  # the group's stages, and its selection rate
    stages = re.findall(r"<td>(.*?)</td>", rows[0])
    # Share of applicants, then sifted in, assessed, offered, placed, completed: the two that show men's offers
    # (as a count, then as the n of the next stage) are withheld; no one was placed, so that reads as before.
    assert "(12/50;" in stages[0] and "(6/9;" in stages[2]
    assert all(SECONDARY_REASON in cell for cell in stages[3:5]), stages
    assert "no one in this group" in stages[5]
    assert SECONDARY_REASON in rows[1] and "(5/12;" not in page
    # Women's figures are not needed to protect anyone, and stay.
    assert "(8/20;" in page


# --- Query budget ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("per_stage", [1, 8])
def test_the_reports_take_the_same_few_queries_however_many_applications(
    recruitment_round, per_stage, django_assert_max_num_queries, page_urls
):
    for reached in ORDER:
        for i in range(per_stage):
            _applicant(recruitment_round, reached, gender=[Gender.WOMAN, Gender.MAN, None][i % 3], sift="3.5")

    with django_assert_max_num_queries(3):
        report = funnel_report(recruitment_round)
        render_to_string("recruitment/funnel.html", {"round": recruitment_round, "report": report})
    with django_assert_max_num_queries(2):
        validity = validity_report(recruitment_round)
        render_to_string(
            "recruitment/validity.html", {"round": recruitment_round, "report": validity, "all_rounds": False}
        )
    assert _stages(report)["applied"].count == 6 * per_stage


# --- Validity -------------------------------------------------------------------------------------------------------
SIFT = ["2.5", "3.0", "3.25", "4.0", "3.5", "2.75", "4.5", "3.75", "2.0", "4.25", "3.0", "4.75"]
CENTRE = ["3.0", "2.5", "4.0", "3.5", "3.0", "2.0", "4.5", "4.0", "2.5", "3.75", "3.25", "5.0"]
DONE = [0, 1, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1]


def _scored_cohort(recruitment_round: RecruitmentRound, count: int = 12) -> None:
    for sift, centre, done in list(zip(SIFT, CENTRE, DONE, strict=True))[:count]:
        application = _applicant(recruitment_round, "offered", sift=sift, centre=centre)
        status = EnrolmentStatus.COMPLETED if done else EnrolmentStatus.WITHDRAWN
        _enrol(application.person, recruitment_round.year, status)


def _completion(report: Any) -> Any:
    return next(o for o in report.outcomes if o.key == "completed")


def test_the_validity_correlation_is_scipys_spearman_with_a_fisher_interval_on_the_ranks(recruitment_round):
    _scored_cohort(recruitment_round)
    unscored = _applicant(recruitment_round, "offered")
    _enrol(unscored.person, YEAR, EnrolmentStatus.COMPLETED)

    completion = _completion(validity_report(recruitment_round))
    sift = next(c for c in completion.correlations if c.score_key == "sift_score")
    x, y = [float(s) for s in SIFT], [float(d) for d in DONE]
    interval = pearsonr(rankdata(x), rankdata(y)).confidence_interval(0.95)

    assert sift.n == 12
    assert sift.rho == pytest.approx(spearmanr(x, y).statistic)
    assert (sift.low, sift.high) == (pytest.approx(interval.low), pytest.approx(interval.high))
    assert sift.as_text().startswith("ρ = ")


def test_enrolments_still_active_are_left_out_as_no_outcome_yet(recruitment_round):
    _scored_cohort(recruitment_round)
    for _ in range(2):
        _enrol(_applicant(recruitment_round, "placed", sift="4.0").person, YEAR, EnrolmentStatus.ACTIVE)
    _applicant(recruitment_round, "placed", sift="4.0")  # no enrolment at all

    completion = _completion(validity_report(recruitment_round))

    assert (completion.with_outcome, completion.awaiting) == (12, 2)
    assert all(c.n == 12 for c in completion.correlations)


def test_fewer_pairs_than_the_minimum_is_too_few_to_say(recruitment_round, settings):
    settings.DIFFERENCE_VALIDITY_MIN_N = 13
    _scored_cohort(recruitment_round)

    sift = _completion(validity_report(recruitment_round)).correlations[0]

    assert sift.rho is None and sift.n == 12
    assert sift.reading == "too few to say (n = 12; at least 13 needed)"


def test_an_outcome_everyone_shares_is_too_few_to_say(recruitment_round):
    for sift in SIFT:
        _enrol(_applicant(recruitment_round, "offered", sift=sift).person, YEAR, EnrolmentStatus.COMPLETED)

    sift = _completion(validity_report(recruitment_round)).correlations[0]

    assert sift.rho is None and sift.reading.startswith("too few to say")


def test_outcomes_not_in_the_platform_are_reported_as_not_recorded_with_no_pairs(recruitment_round):
    _scored_cohort(recruitment_round)

    report = validity_report(recruitment_round)
    unrecorded = [o for o in report.outcomes if not o.recorded]

    assert [o.key for o in unrecorded] == ["promoted", "impact_rating"]
    assert all(c.n == 0 and c.reading == NOT_RECORDED for o in unrecorded for c in o.correlations)


def test_pooling_all_rounds_gives_enough_pairs_where_one_round_has_too_few(recruitment_round):
    now = timezone.now()
    earlier = RecruitmentRound.objects.create(
        year=YEAR - 1, opens_at=now - dt.timedelta(days=400), closes_at=now - dt.timedelta(days=370)
    )
    _scored_cohort(recruitment_round, count=6)
    for sift, centre, done in list(zip(SIFT, CENTRE, DONE, strict=True))[6:]:
        application = _applicant(earlier, "offered", sift=sift, centre=centre)
        _enrol(application.person, YEAR - 1, EnrolmentStatus.COMPLETED if done else EnrolmentStatus.WITHDRAWN)

    one = _completion(validity_report(recruitment_round)).correlations[0]
    pooled_report = validity_report(recruitment_round, all_rounds=True)
    pooled = _completion(pooled_report).correlations[0]

    assert one.n == 6 and one.rho is None
    assert pooled.n == 12 and pooled.rho == pytest.approx(spearmanr([float(s) for s in SIFT], DONE).statistic)
    assert pooled_report.years == (YEAR - 1, YEAR)


def test_a_new_outcome_source_is_one_more_definition(recruitment_round):
    _scored_cohort(recruitment_round)
    ratings = {a.pk: float(a.sift_score) for a in Application.objects.all()}  # a perfectly predicted outcome
    rated = OutcomeDefinition("rating", "A rating", "Test.", lambda applications: ratings)

    report = validity_report(recruitment_round, outcomes=[rated])

    assert report.outcomes[0].correlations[0].rho == pytest.approx(1.0)


def test_the_validity_page_shows_each_reading(recruitment_round, page_urls):
    _scored_cohort(recruitment_round)
    report = validity_report(recruitment_round)

    page = render_to_string(
        "recruitment/validity.html", {"round": recruitment_round, "report": report, "all_rounds": False}
    )

    assert NOT_RECORDED in page
    assert _completion(report).correlations[0].as_text() in page


# --- The funnel page's charts ---------------------------------------------------------------------------------------
def test_the_funnel_page_shows_a_chart_of_the_stages_before_its_data_table(recruitment_round, settings):
    setattr(settings, THRESHOLD_SETTING, 5)
    _gender_round(recruitment_round)
    client = Client()
    client.force_login(UserFactory(role=Role.STAFF_PROGRAMME))

    response = client.get(f"/recruitment/rounds/{YEAR}/funnel/")
    assert response.status_code == 200, response
    page = response.content.decode()

    chart = page.index(f'<svg class="bar-chart" id="funnel-{YEAR}" role="img"')
    table = page.index(f"<caption>People at each stage of the {YEAR} round (the chart's data)</caption>")
    assert chart < table
    # 50 applied, 37 of them sifted in: the bar says the count and the conversion with its n and interval.
    assert ">37 — 74% (37/50; 95% CI 60–84%) of the previous stage</text>" in page
    # No one registered interest (the applicants came straight to the form): said in words, not as a share.
    assert ">50 — no one at the previous stage</text>" in page
    assert page.index("<svg") < page.index("<table")


def test_the_funnel_page_charts_each_groups_share_at_each_stage_and_says_how_many_did_not_answer(
    recruitment_round, page_urls, settings
):
    setattr(settings, THRESHOLD_SETTING, 5)
    _gender_round(recruitment_round)

    report = funnel_report(recruitment_round)
    gender = next(d for d in report.dimensions if d.key == "gender")
    page = render_to_string("recruitment/funnel.html", {"round": recruitment_round, "report": report})

    # Seven applicants left the gender question unanswered (two gave no diversity answers at all).
    applied = next(n for n in gender.not_answered if n.key == "applied")
    assert applied.count == 7 and applied.as_text() == "7"
    assert "Applied: did not answer: 7" in page
    assert '<svg class="bar-chart" id="stage-share-gender" role="img"' in page
    assert ">Applied (did not answer: 7)</text>" in page
    # Women are 20 of the 50 applicants: a bar with its interval.
    women = dict((g.value, share) for g, share in gender.shares_at("applied"))[Gender.WOMAN]
    assert women == proportion(20, 50)
    assert ">40% (20/50; 95% CI 28–54%)</text>" in page


def test_a_small_did_not_answer_count_is_suppressed_by_the_one_rule(recruitment_round, settings):
    setattr(settings, THRESHOLD_SETTING, 5)
    for _ in range(12):
        _applicant(recruitment_round, "sifted_in", gender=Gender.WOMAN)
    for _ in range(2):
        _applicant(recruitment_round, "sifted_in", gender="")

    gender = next(d for d in funnel_report(recruitment_round).dimensions if d.key == "gender")

    sifted = next(n for n in gender.not_answered if n.key == "sifted_in")
    assert sifted.count is None and sifted.as_text() == "fewer than 5 — suppressed"
    # ... and so is another group's share, so that it is not the stage's total less the rest.
    assert any(share.is_suppressed for _, share in gender.shares_at("sifted_in"))

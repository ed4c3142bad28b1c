"""Cohort outcomes on cohorts built like the charity's first two (its 2021-22 impact report), and on constructed
careers for the survival curves and the employers of alumni."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from lifelines import KaplanMeierFitter

from difference.careers import analysis
from difference.careers.models import CareerRole, Level, MainstreamTarget, RefreshRequest, RefreshState, Sector
from difference.careers.outcomes import Change
from difference.careers.tests.factories import CareerRoleFactory
from difference.people.tests.factories import PersonFactory
from difference.schools.models import SchoolCategory
from difference.schools.tests.factories import SchoolFactory, TrustFactory
from difference.training.models import Cohort, EnrolmentStatus
from difference.training.tests.factories import CohortFactory, EnrolmentFactory, ProgrammeFactory

D = dt.date
pytestmark = pytest.mark.django_db


def graduate(cohort: Cohort, *after: tuple[int, str, dt.date, dt.date | None], status: str = "completed"):
    """A leader of ``cohort``: a middle-leader baseline, two years as an AP senior leader, then ``after``."""
    person = PersonFactory()
    EnrolmentFactory(person=person, cohort=cohort, status=status)
    year = cohort.year
    CareerRoleFactory(
        person=person, level=Level.MIDDLE, starts_on=D(year - 3, 9, 1), ends_on=D(year, 8, 31), is_baseline=True
    )
    CareerRoleFactory(
        person=person, level=Level.SENIOR, sector=Sector.AP, starts_on=D(year, 9, 1), ends_on=D(year + 2, 8, 31)
    )
    for level, sector, starts, ends in after:
        CareerRoleFactory(person=person, level=level, sector=sector, starts_on=starts, ends_on=ends)
    return person


def first_cohort() -> Cohort:
    """2019: nine of ten to senior leadership, six of them back to mainstream; all six still there a year on."""
    cohort = CohortFactory(year=2019, programme=ProgrammeFactory())
    after = D(2021, 9, 1)
    for _ in range(6):
        graduate(cohort, (Level.SENIOR, Sector.MAINSTREAM, after, None))
    for _ in range(3):
        graduate(cohort, (Level.SENIOR, Sector.AP, after, None))
    graduate(cohort, (Level.MIDDLE, Sector.SPECIAL, after, None))
    graduate(cohort, status=EnrolmentStatus.WITHDRAWN)  # not a graduate: not counted
    return cohort


def second_cohort() -> Cohort:
    """2020: ten of twelve promoted, one at the same level, one taking a year out; half stayed in AP."""
    cohort = CohortFactory(year=2020, programme=ProgrammeFactory())
    after = D(2022, 9, 1)
    for _ in range(5):
        graduate(cohort, (Level.HEAD, Sector.AP, after, None))
    graduate(cohort, (Level.SENIOR, Sector.AP, after, None))
    for _ in range(4):
        graduate(cohort, (Level.SENIOR, Sector.MAINSTREAM, after, None))
    graduate(cohort, (Level.MIDDLE, Sector.MAINSTREAM, after, None))
    graduate(cohort, (Level.CLASSROOM, Sector.OUT_OF_EDUCATION, after, D(2023, 8, 31)))
    MainstreamTarget.objects.create(cohort_year=2020, share=Decimal("0.6"))
    return cohort


def counts(rows) -> dict[str, int]:
    return {row.key: row.count for row in rows if row.count}


def test_the_first_cohort_reads_as_the_charity_published_it():
    result = analysis.analyse_cohort(first_cohort(), as_of=D(2022, 10, 1), threshold=1)
    end = result.at_end
    assert (result.programme_end, end.checkpoint.on, end.n) == (D(2021, 7, 31), D(2021, 9, 1), 10)
    assert counts(end.changes) == {Change.PROMOTED: 9, Change.SAME: 1}
    assert (end.senior.numerator, end.senior.n) == (9, 10)
    assert counts(end.sectors) == {Sector.MAINSTREAM: 6, Sector.AP: 3, Sector.SPECIAL: 1}
    assert end.mainstream_senior.numerator == 6
    # Six of ten is the 60% target exactly: met, though the interval of a cohort of ten spans it.
    assert end.target.target == Decimal("0.6") and end.target.met and end.target.crosses
    [continuation] = result.continuations
    assert (continuation.on, continuation.still.numerator, continuation.still.n) == (D(2022, 9, 1), 6, 6)


def test_the_second_cohort_missed_its_mainstream_target():
    result = analysis.analyse_cohort(second_cohort(), as_of=D(2022, 10, 1), threshold=1)
    end = result.at_end
    assert end.n == 12
    assert counts(end.changes) == {Change.PROMOTED: 10, Change.SAME: 1, Change.OUT_OF_EDUCATION: 1}
    assert counts(end.sectors) == {Sector.AP: 6, Sector.MAINSTREAM: 5, Sector.OUT_OF_EDUCATION: 1}
    assert end.senior.numerator == 10
    assert end.mainstream.as_text() == "42% (5/12; 95% CI 19–68%)"
    assert not end.target.met and end.target.crosses
    assert result.continuations == ()  # a year on is not reached yet


def test_the_shares_are_of_the_whole_cohort_and_a_graduate_with_no_role_that_day_is_not_known():
    cohort = first_cohort()
    graduate(cohort)  # an eleventh graduate whose history stops at the programme's end
    end = analysis.analyse_cohort(cohort, as_of=D(2022, 10, 1), threshold=1).at_end
    assert end.n == 11 and counts(end.changes)[Change.UNKNOWN] == 1
    assert counts(end.sectors)[analysis.NOT_KNOWN] == 1
    assert (end.mainstream.numerator, end.mainstream.n) == (6, 11) and not end.target.met


def test_at_the_default_threshold_small_cells_are_withheld_but_n_and_intervals_are_kept():
    end = analysis.analyse_cohort(first_cohort(), as_of=D(2022, 10, 1)).at_end
    rows = {row.key: row.share for row in end.changes}
    assert "fewer than 5" in rows[Change.SAME].suppressed_reason
    # The one withheld cell would be 10 less the others: its complement is withheld too.
    assert rows[Change.PROMOTED].is_suppressed
    assert rows[Change.LOWER].as_text().startswith("0%")
    assert all(share.n == 10 and share.low is not None for share in rows.values())
    assert not end.senior.is_suppressed and end.senior.numerator == 9


def test_a_move_to_a_school_that_later_changed_type_keeps_the_sector_it_was_recorded_with():
    cohort = CohortFactory(year=2019, programme=ProgrammeFactory())
    school = SchoolFactory(category=SchoolCategory.MAINSTREAM)
    person = graduate(cohort)
    CareerRoleFactory(person=person, school=school, sector=Sector.MAINSTREAM, starts_on=D(2021, 9, 1))
    school.category = SchoolCategory.AP_ACADEMY
    school.save()
    end = analysis.analyse_cohort(cohort, as_of=D(2022, 10, 1), threshold=1).at_end
    assert counts(end.sectors) == {Sector.MAINSTREAM: 1}
    assert end.mainstream.numerator == 1


def test_the_target_of_a_year_without_one_is_the_default():
    assert analysis.mainstream_target(CohortFactory(year=2031)) == Decimal("0.6")
    MainstreamTarget.objects.create(cohort_year=2032, share=Decimal("0.75"))
    assert analysis.mainstream_target(CohortFactory(year=2032)) == Decimal("0.75")


# --- Staying in senior leadership and in education ----------------------------------------------------------------
def confirm(person, on: dt.date) -> None:
    RefreshRequest.objects.create(
        person=person,
        nonce=secrets.token_urlsafe(32),
        state=RefreshState.CONFIRMED,
        expires_at=timezone.now(),
        answered_at=timezone.make_aware(dt.datetime(on.year, on.month, on.day, 12)),
    )


def years(start: dt.date, end: dt.date) -> float:
    return (end - start).days / 365.25


def test_time_in_senior_leadership_and_in_education_is_censored_at_the_last_confirmation():
    cohort = CohortFactory(year=2019, programme=ProgrammeFactory())
    start = D(2021, 9, 1)
    stays = graduate(cohort, (Level.SENIOR, Sector.MAINSTREAM, start, None))
    confirm(stays, D(2024, 6, 1))
    graduate(
        cohort,
        (Level.SENIOR, Sector.MAINSTREAM, start, D(2022, 12, 31)),
        (Level.MIDDLE, Sector.MAINSTREAM, D(2023, 1, 1), None),
    )  # steps down on 1 January 2023
    graduate(
        cohort,
        (Level.SENIOR, Sector.AP, start, D(2023, 8, 31)),
        (Level.CLASSROOM, Sector.OUT_OF_EDUCATION, D(2023, 9, 1), None),
    )  # leaves education on 1 September 2023
    graduate(cohort, (Level.SENIOR, Sector.AP, start, D(2022, 8, 31)))  # then nothing known: censored at its end
    graduate(cohort, (Level.HEAD, Sector.AP, start, None))  # never confirmed: known only on its first day
    middle = graduate(cohort, (Level.MIDDLE, Sector.MAINSTREAM, start, None))  # not a senior leader at the end
    confirm(middle, D(2023, 3, 1))
    late = graduate(cohort, (Level.SENIOR, Sector.MAINSTREAM, start, None))
    confirm(late, D(2025, 1, 1))  # after the day of the analysis: followed to that day only
    as_of = D(2024, 9, 1)
    result = analysis.analyse_cohort(cohort, as_of=as_of, threshold=0)

    senior = ([years(start, d) for d in (D(2024, 6, 1), D(2023, 1, 1), D(2023, 9, 1), D(2022, 8, 31), start, as_of)],)
    expected = KaplanMeierFitter().fit(senior[0], event_observed=[False, True, True, False, False, False])
    curve = result.senior_survival
    assert (curve.n, curve.events) == (6, 2)
    assert [s.time for s in curve.steps] == pytest.approx(list(expected.survival_function_.index))
    assert [s.survival for s in curve.steps] == pytest.approx(list(expected.survival_function_["KM_estimate"]))
    assert [s.low for s in curve.steps] == pytest.approx(list(expected.confidence_interval_.iloc[:, 0]))

    education = [years(start, d) for d in (D(2024, 6, 1), D(2023, 1, 1), D(2023, 9, 1), D(2022, 8, 31), start)]
    education += [years(start, D(2023, 3, 1)), years(start, as_of)]
    expected = KaplanMeierFitter().fit(education, event_observed=[False, False, True, False, False, False, False])
    curve = result.education_survival
    assert (curve.n, curve.events) == (7, 1)
    assert [s.survival for s in curve.steps] == pytest.approx(list(expected.survival_function_["KM_estimate"]))
    assert [s.high for s in curve.steps] == pytest.approx(list(expected.confidence_interval_.iloc[:, 1]))


def test_a_curve_of_a_cohort_below_the_threshold_is_withheld():
    cohort = CohortFactory(year=2019, programme=ProgrammeFactory())
    graduate(cohort, (Level.SENIOR, Sector.MAINSTREAM, D(2021, 9, 1), None))
    curve = analysis.analyse_cohort(cohort, as_of=D(2024, 9, 1), threshold=5).senior_survival
    assert curve.is_suppressed and curve.n == 1


# --- Where alumni work ---------------------------------------------------------------------------------------------
def test_trusts_and_schools_employing_alumni_count_every_programme_s_graduates_on_the_day():
    trust_a, trust_b = TrustFactory(name="Trust A"), TrustFactory(name="Trust B")
    a1, a2 = SchoolFactory(name="A One", trust=trust_a), SchoolFactory(name="A Two", trust=trust_a)
    b1, lone = SchoolFactory(name="B One", trust=trust_b), SchoolFactory(name="Lone School", trust=None)
    dlp = CohortFactory(year=2019, programme=ProgrammeFactory())
    ilc = CohortFactory(year=2021, programme=ProgrammeFactory(code="ilc", name="ILC", duration_years=1))
    on = D(2022, 10, 1)

    def alumnus(cohort, school, level, *, status="completed", ends=None):
        person = PersonFactory()
        EnrolmentFactory(person=person, cohort=cohort, status=status)
        CareerRoleFactory(person=person, school=school, level=level, starts_on=D(2021, 9, 1), ends_on=ends)

    alumnus(dlp, a1, Level.SENIOR)
    alumnus(dlp, a2, Level.MIDDLE)
    alumnus(ilc, b1, Level.HEAD)  # an ILC participant: a mainstream leader, an alumnus too
    alumnus(ilc, lone, Level.SENIOR)
    alumnus(dlp, b1, Level.SENIOR, status=EnrolmentStatus.WITHDRAWN)  # not an alumnus
    alumnus(dlp, a1, Level.SENIOR, ends=D(2022, 8, 31))  # left before the day
    found = analysis.employers(on)
    assert found.alumni == 5
    assert [(e.name, e.alumni, e.senior_leaders) for e in found.trusts] == [("Trust A", 2, 1), ("Trust B", 1, 1)]
    assert [t.name for t in found.trusts_with_senior_leaders] == ["Trust A", "Trust B"]
    assert {e.name for e in found.schools} == {"A One", "A Two", "B One", "Lone School"}
    assert len(found.schools_with_senior_leaders) == 3
    assert analysis.employers(D(2021, 1, 1)).trusts == ()


def test_a_role_is_counted_once_where_it_is_held_however_many_roles_someone_has():
    trust = TrustFactory(name="Trust A")
    school = SchoolFactory(trust=trust)
    person = PersonFactory()
    EnrolmentFactory(person=person, cohort=CohortFactory(year=2019, programme=ProgrammeFactory()), status="completed")
    CareerRoleFactory(person=person, school=school, level=Level.SENIOR, starts_on=D(2021, 9, 1))
    CareerRoleFactory(person=person, employer="The council", level=Level.EXECUTIVE, starts_on=D(2022, 1, 1))
    assert CareerRole.objects.count() == 2
    # On the day, the executive role with the council is the one that counts: no school employs them then.
    assert analysis.employers(D(2022, 2, 1)).schools == ()
    assert [e.alumni for e in analysis.employers(D(2021, 10, 1)).schools] == [1]


# --- The outcomes page ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff_research", 200),
        ("staff_programme", 200),
        ("staff_admin", 200),
        ("leader", 403),
        ("headteacher", 403),
        ("trust_partner", 403),
        ("assessor", 403),
        ("applicant", 403),
    ],
)
def test_the_outcomes_page_is_for_research_programme_and_admin_staff(world, client_for, role, status):
    assert client_for(role).get(reverse("careers:outcomes")).status_code == status


def test_the_outcomes_page_sends_anonymous_visitors_to_log_in(world, client_for):
    response = client_for("anonymous").get(reverse("careers:outcomes"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_outcomes_page_shows_the_chosen_cohort_with_n_intervals_and_charts(world, client_for):
    first_cohort()
    second_cohort()
    response = client_for("staff_research").get(reverse("careers:outcomes"), {"cohort_year": "2020"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "DLP 2020: 12 graduates" in page and "DLP 2019: 10 graduates" not in page
    # At the default threshold the cohort's 10 promoted are withheld (the 1 and 1 beside them would show).
    assert "suppressed so that a hidden figure cannot be worked out" in page
    assert "(n = 12)" in page and "Not met" in page
    assert 'class="chart bars cohort-outcomes"' in page and "DLP 2019 (n=10)" in page
    # The world's trust A school employs no alumnus: its leaders' cohort has not finished.
    assert "Where alumni work" in page


def test_the_outcomes_page_lists_where_alumni_work_on_the_day_asked(world, client_for):
    cohort = first_cohort()
    school = SchoolFactory(name="Gamma Academy", trust=TrustFactory(name="Gamma Trust"))
    person = graduate(cohort)
    CareerRoleFactory(person=person, school=school, level=Level.HEAD, starts_on=D(2021, 9, 1), ends_on=D(2023, 8, 31))
    client = client_for("staff_programme")
    page = client.get(reverse("careers:outcomes"), {"on": "2022-10-01"}).content.decode()
    assert "Gamma Trust" in page and "Gamma Academy" in page
    page = client.get(reverse("careers:outcomes"), {"on": "2024-10-01"}).content.decode()
    assert "Gamma Trust" not in page
    assert client.get(reverse("careers:outcomes"), {"on": "not a day", "cohort_year": "x"}).status_code == 200


def test_the_outcomes_page_reads_a_few_queries_a_cohort_however_many_graduates(
    world, client_for, django_assert_max_num_queries
):
    first_cohort()
    second_cohort()
    client = client_for("staff_research")
    # The session and user, the cohorts, four a cohort (graduates, roles, confirmations, target) and the employers.
    with django_assert_max_num_queries(20):
        assert client.get(reverse("careers:outcomes")).status_code == 200

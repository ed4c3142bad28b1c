"""``load_demo`` as a whole: the cohorts, the partner schools, a login per role, and a second run changing nothing."""

from __future__ import annotations

from django.test import Client

from difference.accounts.models import Membership, User
from difference.accounts.roles import Role
from difference.demo.accounts import DEMO_PASSWORD
from difference.demo.tests.conftest import run_demo
from difference.people.models import Person
from difference.schools.models import Partnership
from difference.training.models import Enrolment, EnrolmentStatus

# "The Difference School Partners" in the impact report lists 20 AP leader schools and 10 mainstream alumni schools.
PARTNER_SCHOOLS_LISTED = 20 + 10


def test_the_demo_builds_the_cohorts_of_the_impact_report(demo):
    dlp = Enrolment.objects.filter(cohort__programme__code="dlp")  # the ILC's are in the training demo's tests
    enrolled = dlp.exclude(status=EnrolmentStatus.WITHDRAWN)
    counts = {year: enrolled.filter(cohort__year=year).count() for year in (2019, 2020, 2021, 2022)}
    assert counts == {2019: 10, 2020: 12, 2021: 17, 2022: 19}
    assert counts[2020] + counts[2021] == 29
    assert dlp.count() == 62  # recruited since 2019, withdrawals included
    assert enrolled.get(cohort__year=2022, person__user__role=Role.LEADER).cohort.target_size == 20


def test_the_demo_names_matched_and_unmatched_partner_schools(demo):
    output = demo
    assert "matched  Burnside Secondary PRU → Burnside Secondary PRU" in output
    assert "unmatched  Haringey Learning Partnership" in output
    assert Partnership.objects.count() == 3
    assert output.count("unmatched  ") == PARTNER_SCHOOLS_LISTED - 3  # the small registry has three of them


def test_the_demo_prints_a_login_per_role_with_mfa_secrets_where_required(demo):
    output = demo
    for role in Role:  # one login each: the recruitment demo's invented assessors have no usable password
        assert sum(user.has_usable_password() for user in User.objects.filter(role=role)) == 1
    assert output.count("TOTP secret (") == 6
    assert output.count("recovery codes:") == 6
    assert DEMO_PASSWORD in output


def test_running_the_demo_twice_changes_nothing(demo):
    before = (Person.objects.count(), Enrolment.objects.count(), User.objects.count(), Partnership.objects.count())
    schools_before = dict(Person.objects.values_list("email", "school"))
    memberships_before = set(Membership.objects.values_list("user", "school", "trust", "cohort"))
    first_secret_lines = [line for line in run_demo().splitlines() if "TOTP secret" in line]
    after = (Person.objects.count(), Enrolment.objects.count(), User.objects.count(), Partnership.objects.count())
    assert before == after
    assert first_secret_lines == [line for line in run_demo().splitlines() if "TOTP secret" in line]
    # The placed leaders stay at their placements' schools, and their logins' memberships with them.
    assert dict(Person.objects.values_list("email", "school")) == schools_before
    assert set(Membership.objects.values_list("user", "school", "trust", "cohort")) == memberships_before


def test_demo_logins_work_and_the_leader_sees_their_school(demo):
    client = Client()
    client.post("/accounts/login/", {"login": "leader@demo.example.org", "password": DEMO_PASSWORD})
    response = client.get("/")
    assert response.status_code == 200
    leader = Person.objects.get(user__email="leader@demo.example.org")
    assert leader.school is not None
    assert leader.school.name.encode() in response.content


def test_the_demo_publishes_the_2022_placement_run_with_19_of_20_posts_filled(demo):
    from difference.placements.models import Placement, PlacementRound, RunStatus, Vacancy

    output = demo
    placement_round = PlacementRound.objects.get(year=2022)
    run = placement_round.runs.get(status=RunStatus.PUBLISHED)
    assert run.is_stable
    assert Placement.objects.count() == 19
    assert sum(Vacancy.objects.filter(placement_round=placement_round).values_list("posts", flat=True)) == 20
    assert placement_round.candidates.count() == 25
    assert "19 placed against a target of 20" in output and "stability check passed" in output
    placed_people = set(Placement.objects.values_list("candidate__person", flat=True))
    leaders_2022 = set(
        Person.objects.filter(enrolments__cohort__year=2022, enrolments__status=EnrolmentStatus.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    assert placed_people == leaders_2022

"""Recruitment's main path in a real browser: register interest and confirm it from the email, create an
account and verify its address from the email, save a draft, submit it;
and a late submission refused when the deadline fell after the clocks went forward.

The server's clock is moved with time-machine (the live server runs in this process): the round opens in
winter (GMT) and closes at 12:00 on 1 April 2030, which is British Summer Time, i.e. 11:00 UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.people.models import ConsentPurpose, Person
from difference.people.tests.factories import PersonFactory
from difference.recruitment import services
from difference.recruitment.models import Application, InterestRegistration, Stage
from difference.recruitment.tests.conftest import make_round, submit_for

pytestmark = pytest.mark.browser

LONDON = ZoneInfo("Europe/London")
OPENS = dt.datetime(2030, 1, 6, 9, 0, tzinfo=LONDON)
CLOSES = dt.datetime(2030, 4, 1, 12, 0, tzinfo=LONDON)  # BST: 11:00 UTC


def _fill_answers(page: Any, round_: Any) -> None:
    for question in round_.questions.all():
        page.get_by_label(f"{question.position}. {question.text}").fill(
            f"When our exclusions rose I led a change in {question.competency.lower()} that lasted."
        )


def _emailed_link(outbox: list[Any], address: str, path: str) -> str:
    """The path of the link in the latest email to ``address`` (the live server runs in this process)."""
    body = [m.body for m in outbox if m.to == [address]][-1]
    (link,) = re.findall(r"https?://[^/\s]+(" + re.escape(path) + r"\S+)", body)
    return link


def test_an_educator_registers_confirms_signs_up_verifies_applies_and_submits(
    page: Any, db: Any, assert_accessible, mailoutbox: list[Any]
):
    with time_machine.travel(dt.datetime(2030, 3, 20, 10, 0, tzinfo=dt.UTC), tick=True):
        round_ = make_round(2030, opens_at=OPENS, closes_at=CLOSES)

        page.goto("/recruitment/register/")
        assert_accessible()
        page.get_by_label("First name").fill("Morwenna")
        page.get_by_label("Last name").fill("Achterberg")
        page.get_by_label("Email").fill("morwenna@example.org")
        page.get_by_label("Current role").fill("Head of Year 10")
        page.get_by_label("Where you work now").select_option("mainstream")
        page.get_by_label("Phase").select_option("secondary")
        page.get_by_label("Region").select_option("south_west")
        page.get_by_label("The Difference Leadership Programme").check()
        page.get_by_label("You may contact me about the programme").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Register").click()
        expect(page.locator("h1")).to_have_text("Check your email")
        assert not InterestRegistration.objects.exists()

        page.goto(_emailed_link(mailoutbox, "morwenna@example.org", "/recruitment/register/confirm/"))
        expect(page.locator("h1")).to_have_text("Confirm your registration")
        assert_accessible()
        with page.expect_navigation():
            page.get_by_role("button", name="Confirm my registration").click()
        expect(page.locator("h1")).to_have_text("Registration confirmed")
        registration = InterestRegistration.objects.get()
        assert registration.recruitment_round == round_
        assert registration.person.has_consent(ConsentPurpose.CONTACT)

        with page.expect_navigation():
            page.get_by_role("link", name="Create an applicant account").click()
        page.get_by_label("First name").fill("Morwenna")
        page.get_by_label("Last name").fill("Achterberg")
        page.get_by_label("Email").fill("morwenna@example.org")
        page.get_by_label("Password:", exact=True).fill("a long and unusual passphrase")
        page.get_by_label("Password (again)").fill("a long and unusual passphrase")
        with page.expect_navigation():
            page.get_by_role("button", name="Create account").click()
        expect(page.locator(".messages")).to_contain_text("We have sent an email to the address you gave.")
        assert Person.objects.get(email="morwenna@example.org").user is None

        page.goto(_emailed_link(mailoutbox, "morwenna@example.org", "/accounts/confirm-email/"))
        assert_accessible()
        with page.expect_navigation():
            page.get_by_role("button", name="Confirm").click()
        assert Person.objects.get(email="morwenna@example.org").user is not None
        expect(page.locator("h1")).to_have_text("Your applications")

        with page.expect_navigation():
            page.get_by_role("button", name="Start an application").click()
        expect(page.locator("h1")).to_have_text("Your application to the 2030 programme")
        expect(page.locator("main")).to_contain_text("Submit by Monday 1 April 2030 at 12:00 (UK time)")
        page.get_by_role("radio", name="Yes").check()
        _fill_answers(page, round_)
        with page.expect_navigation():
            page.get_by_role("button", name="Save draft").click()
        expect(page.locator(".messages")).to_contain_text("Draft saved.")
        application = Application.objects.get()
        assert application.stage == Stage.DRAFT
        assert all("exclusions rose" in a.text for a in application.answers.all())
        assert_accessible()

        with page.expect_navigation():
            page.get_by_role("button", name="Submit application").click()
        expect(page.locator(".messages")).to_contain_text(f"Application {application.reference} submitted.")
        application.refresh_from_db()
        assert application.stage == Stage.SUBMITTED


def test_a_submission_one_minute_after_a_bst_deadline_is_refused(page: Any, db: Any, login_with_session):
    round_ = make_round(2030, opens_at=OPENS, closes_at=CLOSES)
    user = UserFactory(role=Role.APPLICANT, email="late@example.org")
    person = PersonFactory(user=user, email=user.email)
    with time_machine.travel(dt.datetime(2030, 3, 1, tzinfo=dt.UTC), tick=False):
        application = services.start_application(recruitment_round=round_, person=person)
    # 11:01 UTC on 1 April 2030 is 12:01 in London: one minute late, though still before noon UTC.
    with time_machine.travel(dt.datetime(2030, 4, 1, 11, 1, tzinfo=dt.UTC), tick=True):
        login_with_session(user)
        page.goto(application.get_absolute_url())
        page.get_by_role("radio", name="Yes").check()
        _fill_answers(page, round_)
        with page.expect_navigation():
            page.get_by_role("button", name="Submit application").click()
        expect(page.locator("[role=alert]")).to_contain_text(
            "Applications for the 2030 round closed on 1 April 2030 at 12:00 (UK time). Nothing has been submitted."
        )
    application.refresh_from_db()
    assert application.stage == Stage.DRAFT and application.submitted_at is None


def test_an_applicant_withdraws_only_after_confirming_on_the_confirmation_step(
    page: Any, db: Any, login_with_session, assert_accessible
):
    round_ = make_round(2031)
    user = UserFactory(role=Role.APPLICANT, email="leaving@example.org")
    person = PersonFactory(user=user, email=user.email)
    application = submit_for(round_, person)
    login_with_session(user)
    page.goto(application.get_absolute_url())
    page.get_by_label("Reason (optional)").fill("A new post at my school")
    with page.expect_navigation():
        page.get_by_role("button", name="Withdraw my application…").click()
    expect(page.get_by_role("heading", name="Withdraw your application?")).to_be_visible()
    assert_accessible()
    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED

    with page.expect_navigation():
        page.get_by_role("button", name="Yes, withdraw my application").click()
    expect(page.locator(".messages")).to_contain_text("Your application has been withdrawn.")
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN


def test_staff_read_the_funnel_chart_and_its_tables(page: Any, db: Any, login_with_session, assert_accessible):
    round_ = make_round(2031)
    for n in range(12):
        submit_for(round_, PersonFactory(first_name=f"Funnel{n}"))
    login_with_session(UserFactory(role=Role.STAFF_PROGRAMME))
    page.goto("/recruitment/rounds/2031/funnel/")
    expect(page.get_by_role("img", name="People at each stage of the 2031 round")).to_be_visible()
    expect(page.locator("main")).to_contain_text("did not answer: 12")
    page.get_by_text("Gender: the chart's data").click()
    assert_accessible()

"""A person's page tells their whole story, each part only to those who may see it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def page(client_for, role: str, person) -> str:
    response = client_for(role).get(person.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_staff_programme_read_a_leaders_training_with_hours_and_their_certificates(world, client_for):
    content = page(client_for, "staff_programme", world.people["leader_a1"])
    assert '<h2 id="story-' in content
    assert ">Training</h2>" in content and ">Certificates</h2>" in content
    assert "/training/enrolments/" in content


def test_a_leader_reads_their_own_story_on_their_page(world, client_for):
    content = page(client_for, "leader", world.people["leader_a1"])
    assert ">Training</h2>" in content
    assert ">Certificates</h2>" in content


def test_a_headteacher_sees_their_leaders_placement_but_not_training_they_may_not_open(world, client_for):
    content = page(client_for, "headteacher", world.people["leader_a1"])
    assert ">Placement</h2>" in content
    assert ">Training</h2>" not in content
    assert ">Applications</h2>" not in content


def test_every_link_of_a_story_section_opens_for_the_viewer(world, client_for):
    from difference.core.dashboard import person_sections

    for role, key in (("staff_programme", "leader_a1"), ("leader", "leader_a1"), ("applicant", "applicant_self")):
        for section in person_sections(world.users[role], world.people[key]):
            if section.url:
                assert client_for(role).get(section.url).status_code in (200, 302), (role, section)

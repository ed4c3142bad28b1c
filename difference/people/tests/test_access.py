"""The people's lookup rule, tested directly."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import RequestFactory

from difference.people.access import get_person


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_person_helper_gives_a_leader_only_themselves(world):
    request = _request(world.users["leader"])
    assert get_person(request, world.people["leader_a1"].pk) == world.people["leader_a1"]
    with pytest.raises(Http404):
        get_person(request, world.people["leader_b1"].pk)

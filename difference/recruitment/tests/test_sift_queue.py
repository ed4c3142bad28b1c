"""An assessor's sift: each answer keeps its number as scores are saved, and "next" goes to the next unscored."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from difference.accounts.roles import Role
from difference.accounts.tests.factories import UserFactory
from difference.people.tests.factories import PersonFactory
from difference.recruitment import services
from difference.recruitment.models import ReviewKind, SiftReview
from difference.recruitment.queries import sift_queue
from difference.recruitment.tests.conftest import make_round, submit_for


def _reader_with_ten_answers(db: Any) -> tuple[Any, Client, list[SiftReview]]:
    recruitment_round = make_round()
    recruitment_round.questions.exclude(position=1).delete()
    reader = UserFactory(role=Role.ASSESSOR)
    recruitment_round.assessors.add(reader, *[UserFactory(role=Role.ASSESSOR) for _ in range(2)])
    for _ in range(10):
        answer = submit_for(recruitment_round, PersonFactory()).answers.get()
        services._new_review(recruitment_round, answer, reader.pk, ReviewKind.FIRST)
    client = Client()
    client.force_login(reader)
    ordered = [r.review for r in sift_queue(reader).readings]
    return reader, client, ordered


def _numbers(client: Client) -> dict[int, str]:
    body = client.get(reverse("recruitment:review_queue")).content.decode()
    return {int(pk): title for pk, title in re.findall(r'href="/recruitment/sift/(\d+)/">([^<]+)</a>', body)}


def _score(client: Client, review: SiftReview, score: int = 3) -> Any:
    return client.post(review.get_absolute_url(), {"score": score, "comment": ""})


def test_each_answer_keeps_its_number_after_every_score_is_saved(db):
    _, client, ordered = _reader_with_ten_answers(db)
    before = _numbers(client)
    assert before == {r.pk: f"Answer {i} of 10" for i, r in enumerate(ordered, start=1)}

    for review in (ordered[0], ordered[4], ordered[1]):
        assert _score(client, review).status_code == 302
        assert _numbers(client) == before


def test_the_queue_and_the_answer_page_say_how_many_are_done(db):
    _, client, ordered = _reader_with_ten_answers(db)
    for review in ordered[:3]:
        _score(client, review)

    assert "3 of 10 done" in client.get(reverse("recruitment:review_queue")).content.decode()
    page = client.get(ordered[5].get_absolute_url()).content.decode()
    assert "Answer 6 of 10 · 3 of 10 done" in page


def test_next_goes_to_the_next_unscored_answer_not_back_to_the_first(db):
    _, client, ordered = _reader_with_ten_answers(db)
    # Answers 1 and 2 are left for later; the assessor reads 3 and then 4.
    response = _score(client, ordered[2])
    assert response["Location"] == ordered[3].get_absolute_url()


def test_rescoring_an_earlier_answer_carries_on_after_it_skipping_those_already_scored(db):
    _, client, ordered = _reader_with_ten_answers(db)
    for review in ordered[:5]:
        _score(client, review)

    # Changing answer 2's score goes on to answer 6, the first still unscored after it.
    response = _score(client, ordered[1], score=4)
    assert response["Location"] == ordered[5].get_absolute_url()


def test_after_the_last_answer_next_goes_round_to_an_earlier_unscored_one_then_back_to_the_queue(db):
    _, client, ordered = _reader_with_ten_answers(db)
    for review in ordered[1:9]:
        _score(client, review)

    assert _score(client, ordered[9])["Location"] == ordered[0].get_absolute_url()
    assert _score(client, ordered[0])["Location"] == reverse("recruitment:review_queue")


def test_a_withdrawn_application_leaves_the_queue_without_renumbering_the_rest(db):
    reader, client, ordered = _reader_with_ten_answers(db)
    before = _numbers(client)
    withdrawn = ordered[3].answer.application
    services.withdraw_application(application=withdrawn, reason="Moved school", by=None)

    after = _numbers(client)
    assert ordered[3].pk not in after
    assert after == {pk: title for pk, title in before.items() if pk != ordered[3].pk}
    assert sift_queue(reader).done == 1  # nothing more to read of the withdrawn one

"""Reads that more than one page needs: an assessor's sift queue, numbered the same on every page."""

from __future__ import annotations

from dataclasses import dataclass

from difference.accounts.models import User
from difference.recruitment.models import ReviewKind, SiftReview, Stage


@dataclass(frozen=True)
class Reading:
    """One of an assessor's sift readings with its fixed place: "Answer 3 of 10" (or "Moderation 1 of 2")."""

    review: SiftReview
    number: int
    of: int

    @property
    def title(self) -> str:
        kind = "Moderation" if self.review.kind == ReviewKind.MODERATION else "Answer"
        return f"{kind} {self.number} of {self.of}"


@dataclass(frozen=True)
class SiftQueue:
    """An assessor's readings in the rounds they are sifting now, in their own reading order.

    Each reading is numbered among every reading of its round and kind that the assessor was given, whether
    scored or not, so a number never changes when a score is saved (the queue used to count only what was left).
    Moderations are numbered apart: they are added while the sift runs, and must not shift the first readings.
    """

    readings: tuple[Reading, ...]
    # Every reading numbered, including those of applications withdrawn since, which need nothing more.
    given: int = 0

    @property
    def to_score(self) -> tuple[Reading, ...]:
        return tuple(r for r in self.readings if not r.review.is_scored)

    @property
    def scored(self) -> tuple[Reading, ...]:
        return tuple(r for r in self.readings if r.review.is_scored)

    @property
    def done(self) -> int:
        """Readings needing nothing more: scored, or of an application withdrawn before it was read."""
        return self.total - len(self.to_score)

    @property
    def total(self) -> int:
        return max(self.given, len(self.readings))

    def reading(self, review: SiftReview) -> Reading | None:
        return next((r for r in self.readings if r.review.pk == review.pk), None)

    def next_to_score(self, after: SiftReview) -> Reading | None:
        """The first unscored reading after ``after`` in the reading order, going round to the start if need be:
        an assessor who re-scores an earlier answer carries on where they were, not from the top."""
        position = next((i for i, r in enumerate(self.readings) if r.review.pk == after.pk), -1)
        following = self.readings[position + 1 :] + self.readings[: position + 1]
        return next((r for r in following if not r.review.is_scored and r.review.pk != after.pk), None)


def sift_queue(user: User) -> SiftQueue:
    """Two queries: the rounds with readings still open to this assessor, then every reading of theirs in them."""
    mine = SiftReview.objects.for_user(user).filter(assessor=user.pk)
    live = set(
        mine.filter(answer__application__stage=Stage.SUBMITTED)
        .order_by()
        .values_list("answer__application__recruitment_round_id", flat=True)
        .distinct()
    )
    reviews = list(
        mine.filter(answer__application__recruitment_round_id__in=live)
        .select_related("answer__question", "answer__application")
        .order_by("answer__application__recruitment_round__year", "answer__question__position", "order_key", "pk")
    )
    totals: dict[tuple[int, str], int] = {}
    for review in reviews:
        key = (review.answer.application.recruitment_round_id, review.kind)
        totals[key] = totals.get(key, 0) + 1
    counters: dict[tuple[int, str], int] = {}
    readings = []
    for review in reviews:
        key = (review.answer.application.recruitment_round_id, review.kind)
        counters[key] = counters.get(key, 0) + 1
        # Withdrawn applications keep their numbers but leave the queue: nothing more is read of them.
        if review.answer.application.stage == Stage.SUBMITTED:
            readings.append(Reading(review, counters[key], totals[key]))
    return SiftQueue(tuple(readings), given=len(reviews))

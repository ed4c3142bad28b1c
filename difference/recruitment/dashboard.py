"""Recruitment's items on the home page: an assessor's readings left; for programme staff the latest round's sift
and moderation progress and the offers still waiting for an answer."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from difference.core.dashboard import DashboardItem, PersonSection, Urgency
from difference.recruitment.access import may_assess, may_manage_recruitment, may_open_applications
from difference.recruitment.models import (
    Application,
    OfferStatus,
    RecruitmentRound,
    ReviewKind,
    SiftReview,
    Stage,
)
from difference.recruitment.queries import sift_queue

SECTION = "Recruitment"


def items_for(user: Any) -> list[DashboardItem]:
    if may_manage_recruitment(user):
        return staff_items(user)
    if may_assess(user):
        return assessor_items(user)
    return []


def _progress(reviews: Any) -> tuple[int, int]:
    counts = reviews.aggregate(total=Count("pk"), done=Count("pk", filter=Q(score__isnull=False)))
    return counts["done"], counts["total"]


def assessor_items(user: Any) -> list[DashboardItem]:
    items = []
    queue = sift_queue(user)
    for kind, noun in ((ReviewKind.FIRST, "reading"), (ReviewKind.MODERATION, "moderation reading")):
        # The sift page's own count, so the home page and the queue never disagree.
        done, total = queue.progress(kind)
        if not total:
            continue
        left = total - done
        items.append(
            DashboardItem(
                title=f"{done} of {total} {noun}s done" if left else f"All {total} {noun}s done",
                count=left,
                detail=f"{left} left to score." if left else "Thank you: nothing is waiting for you.",
                url=reverse("recruitment:review_queue"),
                section=SECTION,
                urgency=Urgency.NOW if left else Urgency.INFO,
                done=done,
                total=total,
            )
        )
    centre = Application.objects.at_centre_for(user).exclude(centre_scores__assessor=user).count()
    if centre:
        items.append(
            DashboardItem(
                title=f"{centre} assessment-centre candidate{'s' if centre != 1 else ''} to score",
                count=centre,
                url=reverse("recruitment:centre_queue"),
                section=SECTION,
                urgency=Urgency.NOW,
            )
        )
    return items


def staff_items(user: Any) -> list[DashboardItem]:
    items: list[DashboardItem] = []
    latest = RecruitmentRound.objects.order_by("-year").first()
    if latest is not None:
        reviews = SiftReview.objects.for_user(user).filter(answer__application__recruitment_round=latest)
        for kind, noun in ((ReviewKind.FIRST, "Sift"), (ReviewKind.MODERATION, "Moderation")):
            done, total = _progress(reviews.filter(kind=kind))
            if not total:
                continue
            items.append(
                DashboardItem(
                    title=f"{noun} of the {latest.year} round: {done} of {total} readings done",
                    count=total - done,
                    url=reverse("recruitment:sift_overview", args=[latest.year]),
                    section=SECTION,
                    urgency=Urgency.SOON if done < total else Urgency.INFO,
                    done=done,
                    total=total,
                )
            )
    waiting = Application.objects.for_user(user).filter(stage=Stage.OFFERED, offer__status=OfferStatus.MADE)
    waiting_count = waiting.count()
    if waiting_count:
        year = waiting.order_by("-recruitment_round__year").values_list("recruitment_round__year", flat=True)[0]
        items.append(
            DashboardItem(
                title=f"{waiting_count} offer{'s' if waiting_count != 1 else ''} awaiting an answer",
                count=waiting_count,
                detail="Made and not yet accepted or declined.",
                url=reverse("recruitment:pipeline", args=[year]),
                section=SECTION,
                urgency=Urgency.SOON,
            )
        )
    return items


def person_sections(user: Any, person: Any) -> list[PersonSection]:
    """The person's applications, for staff and for the applicant themself."""
    if not may_open_applications(user):
        return []
    applications = list(
        Application.objects.for_user(user).filter(person=person).select_related("recruitment_round", "offer")
    )
    if not applications:
        return []
    return [
        PersonSection(
            title="Applications",
            template="recruitment/_person_applications.html",
            order=10,
            context={"applications": applications},
        )
    ]

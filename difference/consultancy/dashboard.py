"""Consultancy's items on the home page: for research staff each open engagement and the state of its data (the
report draft opens once data is in); for a trust partner their trust's reports, grouped under the trust."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from difference.consultancy.access import may_manage_consultancy, may_use_consultancy
from difference.consultancy.models import Engagement, EngagementStatus
from difference.core.dashboard import DashboardItem, Urgency

LISTED = 10


def items_for(user: Any) -> list[DashboardItem]:
    if not may_use_consultancy(user):
        return []
    engagements = (
        Engagement.objects.for_user(user)
        .select_related("trust")
        .annotate(uploads_in=Count("uploads", filter=Q(uploads__replaced=False)))
    )
    if may_manage_consultancy(user):
        # Closed engagements are finished work; open and reported ones still have data or a report to look after.
        return [_staff_item(e) for e in engagements.exclude(status=EngagementStatus.CLOSED)[:LISTED]]
    return [
        DashboardItem(
            title=f"{engagement.title} ({engagement.academic_year})",
            detail=engagement.get_status_display(),
            url=engagement.get_absolute_url(),
            # A partner in two trusts reads each trust's work under that trust's name.
            section=f"{engagement.trust.name}: reports",
            urgency=Urgency.INFO,
        )
        for engagement in engagements[:LISTED]
    ]


def _staff_item(engagement: Any) -> DashboardItem:
    uploads = engagement.uploads_in
    if engagement.status == EngagementStatus.REPORTED:
        return DashboardItem(
            title=f"{engagement}: reported to the trust",
            detail=f"{uploads} data file{'s' if uploads != 1 else ''} in; the report stays open to the trust.",
            url=reverse("consultancy:report", args=[engagement.pk]),
            section="Consultancy",
            urgency=Urgency.INFO,
        )
    if uploads:
        return DashboardItem(
            title=f"{engagement}: report draft ready to read",
            detail=f"{uploads} data file{'s' if uploads != 1 else ''} in; open the report to check the draft.",
            url=engagement.get_absolute_url(),
            section="Consultancy",
            urgency=Urgency.SOON,
        )
    return DashboardItem(
        title=f"{engagement}: waiting for the trust's data",
        detail="No data uploaded yet.",
        url=engagement.get_absolute_url(),
        section="Consultancy",
        urgency=Urgency.NOW,
    )

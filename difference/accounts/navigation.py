"""The main navigation, by role: each link appears only for roles with its capability."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from difference.accounts.roles import Capability


@dataclass(frozen=True)
class NavLink:
    label: str
    url_name: str
    capability: str | None = None
    # Hidden from users who have this capability (they get a fuller link instead).
    unless: str | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


LINKS = [
    NavLink("Home", "home"),
    NavLink("Schools", "schools:school_list", Capability.VIEW_SCHOOLS),
    NavLink("People", "people:person_list", Capability.VIEW_PEOPLE),
    NavLink("Diversity", "people:diversity_summary", Capability.VIEW_PEOPLE_AGGREGATES),
    NavLink("Placements", "placements:round_list", Capability.MANAGE_PLACEMENTS),
    NavLink("Placements", "placements:my_placements", Capability.VIEW_PLACEMENTS, unless=Capability.MANAGE_PLACEMENTS),
    NavLink("Recruitment", "recruitment:round_list", Capability.MANAGE_RECRUITMENT),
    NavLink(
        "Selection funnel",
        "recruitment:funnel_index",
        Capability.VIEW_RECRUITMENT_AGGREGATES,
        unless=Capability.MANAGE_RECRUITMENT,
    ),
    NavLink("My application", "recruitment:my_applications", Capability.APPLY),
    NavLink("My sift", "recruitment:review_queue", Capability.ASSESS_APPLICATIONS),
    NavLink("Assessment centre", "recruitment:centre_queue", Capability.ASSESS_APPLICATIONS),
    NavLink("Training", "training:cohort_list", Capability.MANAGE_TRAINING),
    NavLink("Certificates", "training:certificate_list", Capability.MANAGE_TRAINING),
    NavLink("My training", "training:my_training", Capability.VIEW_OWN_TRAINING),
    NavLink("Benchmarks", "benchmarks:national_trends", Capability.VIEW_BENCHMARKS),
    NavLink("Area comparison", "benchmarks:area_comparison", Capability.VIEW_BENCHMARKS),
    NavLink("Consultancy", "consultancy:engagement_list", Capability.MANAGE_CONSULTANCY),
    NavLink(
        "Our reports", "consultancy:engagement_list", Capability.VIEW_CONSULTANCY, unless=Capability.MANAGE_CONSULTANCY
    ),
    NavLink("Projects", "projects:project_list", Capability.MANAGE_PROJECTS),
    NavLink("Projects", "projects:analysis", Capability.ANALYSE_PROJECTS, unless=Capability.MANAGE_PROJECTS),
    NavLink("Projects", "projects:project_list", Capability.VIEW_PROJECTS, unless=Capability.MANAGE_PROJECTS),
    NavLink("Alumni", "careers:alumni", Capability.MANAGE_CAREERS),
    NavLink("Careers", "careers:outcomes", Capability.ANALYSE_CAREERS, unless=Capability.MANAGE_CAREERS),
    NavLink("Jobs", "jobs:job_list", Capability.FOLLOW_JOBS),
    NavLink("API", "api_docs", Capability.VIEW_API_DOCS),
]


def links_for(user: Any) -> list[NavLink]:
    return [
        link
        for link in LINKS
        if (link.capability is None or user.can(link.capability)) and not (link.unless and user.can(link.unless))
    ]

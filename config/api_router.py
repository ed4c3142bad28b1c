"""The one REST API router: every app registers its viewsets here."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from difference.consultancy.api import EngagementViewSet
from difference.jobs.api import JobViewSet
from difference.people.api import PersonViewSet
from difference.placements.api import MatchRunViewSet, PlacementViewSet, VacancyViewSet
from difference.projects.api import ProjectViewSet
from difference.recruitment.api import ApplicationViewSet, RecruitmentRoundViewSet, SiftReviewViewSet
from difference.schools.api import LocalAuthorityViewSet, SchoolViewSet, TrustViewSet
from difference.training.api import CohortViewSet, EnrolmentViewSet, SessionViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("schools", SchoolViewSet, basename="school")
router.register("trusts", TrustViewSet, basename="trust")
router.register("local-authorities", LocalAuthorityViewSet, basename="local-authority")
router.register("people", PersonViewSet, basename="person")
router.register("vacancies", VacancyViewSet, basename="vacancy")
router.register("placements", PlacementViewSet, basename="placement")
router.register("match-runs", MatchRunViewSet, basename="match-run")
router.register("recruitment-rounds", RecruitmentRoundViewSet, basename="recruitment-round")
router.register("applications", ApplicationViewSet, basename="application")
router.register("sift-reviews", SiftReviewViewSet, basename="sift-review")
router.register("cohorts", CohortViewSet, basename="cohort")
router.register("sessions", SessionViewSet, basename="session")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("engagements", EngagementViewSet, basename="engagement")
router.register("jobs", JobViewSet, basename="job")
router.register("projects", ProjectViewSet, basename="project")

urlpatterns = router.urls

"""The roles of the platform and what each may do.

A capability is a coarse "may use this part of the platform" switch checked by
views before any object is resolved; which rows a role sees is decided by each
app's ``QuerySet.for_user`` and its ``access.py``, on the kernel in ``policy.py``.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    STAFF_ADMIN = "staff_admin", "Staff: admin"
    STAFF_PROGRAMME = "staff_programme", "Staff: programme"
    STAFF_RESEARCH = "staff_research", "Staff: research"
    ASSESSOR = "assessor", "Assessor"
    LEADER = "leader", "Leader"
    APPLICANT = "applicant", "Applicant"
    HEADTEACHER = "headteacher", "Headteacher"
    TRUST_PARTNER = "trust_partner", "Trust partner"


STAFF_ROLES = frozenset({Role.STAFF_ADMIN, Role.STAFF_PROGRAMME, Role.STAFF_RESEARCH})
# The staff who run the programme day to day: recruitment, placements, training. Research staff are not among them.
PROGRAMME_STAFF = frozenset({Role.STAFF_ADMIN, Role.STAFF_PROGRAMME})
# People who apply and are placed: they see only what concerns themselves.
CANDIDATE_ROLES = frozenset({Role.LEADER, Role.APPLICANT})

# Roles that can see other people's personal data must use a second factor
# (DfE cyber security standards for schools). Leaders and applicants see only
# their own records, so MFA is offered to them but not forced.
MFA_REQUIRED_ROLES = STAFF_ROLES | {Role.ASSESSOR, Role.HEADTEACHER, Role.TRUST_PARTNER}


class Capability(models.TextChoices):
    VIEW_SCHOOLS = "view_schools", "Browse the schools registry"
    VIEW_PEOPLE = "view_people", "See people's records"
    VIEW_PEOPLE_AGGREGATES = "view_people_aggregates", "See aggregate figures about people"
    VIEW_DEMOGRAPHICS_ROWS = "view_demographics_rows", "Read special-category data row by row"
    MANAGE_CONSENT = "manage_consent", "Record consent on someone's behalf"
    VIEW_STAFF_HOME = "view_staff_home", "See the staff home page"
    VIEW_API_DOCS = "view_api_docs", "Read the API documentation"
    VIEW_PLACEMENTS = "view_placements", "See vacancies, preferences and placements in scope"
    MANAGE_PLACEMENTS = "manage_placements", "Run, compare and publish placement matches"
    MANAGE_RECRUITMENT = "manage_recruitment", "Run recruitment rounds: pipeline, sift, centre, offers"
    VIEW_RECRUITMENT_AGGREGATES = "view_recruitment_aggregates", "See the selection funnel and validity figures"
    ASSESS_APPLICATIONS = "assess_applications", "Score anonymised answers and centre exercises assigned to me"
    APPLY = "apply", "Apply to the programme"
    MANAGE_TRAINING = "manage_training", "Run cohorts: sessions, registers, requirements, certificates"
    VIEW_OWN_TRAINING = "view_own_training", "See my own ledger, sessions and certificates"
    READ_ANY_NOTES = "read_any_notes", "Read any supervision or coaching note (audited)"
    VIEW_BENCHMARKS = "view_benchmarks", "See national, regional and local-authority benchmarks from DfE statistics"
    MANAGE_CONSULTANCY = "manage_consultancy", "Run MAT consultancy engagements: upload a trust's data, report"
    VIEW_CONSULTANCY = "view_consultancy", "See my own trust's consultancy engagements and reports"
    FOLLOW_JOBS = "follow_jobs", "Follow background jobs (my own; a trust partner's, those about their trust)"
    MANAGE_PROJECTS = "manage_projects", "Oversee every research-action project; edit the audit templates"
    ANALYSE_PROJECTS = "analyse_projects", "Analyse every project's pseudonymous pupil data across projects"
    VIEW_PROJECTS = "view_projects", "See the research-action projects in my scope (my own, my school's, my trust's)"
    MANAGE_CAREERS = "manage_careers", "Keep alumni careers: role histories, follow-up, brokering opportunities"
    ANALYSE_CAREERS = "analyse_careers", "Analyse alumni career outcomes by cohort"
    VIEW_OWN_CAREER = "view_own_career", "See and update my own career history; see opportunities for alumni"
    POST_OPPORTUNITIES = "post_opportunities", "Offer senior-leadership posts to alumni; see alumni in aggregate"


_C = Capability
CAPABILITIES: dict[str, frozenset[str]] = {
    Role.STAFF_ADMIN: frozenset(
        {
            _C.VIEW_SCHOOLS,
            _C.VIEW_PEOPLE,
            _C.VIEW_PEOPLE_AGGREGATES,
            _C.VIEW_DEMOGRAPHICS_ROWS,
            _C.MANAGE_CONSENT,
            _C.VIEW_STAFF_HOME,
            _C.VIEW_API_DOCS,
            _C.VIEW_PLACEMENTS,
            _C.MANAGE_PLACEMENTS,
            _C.MANAGE_RECRUITMENT,
            _C.VIEW_RECRUITMENT_AGGREGATES,
            _C.MANAGE_TRAINING,
            _C.READ_ANY_NOTES,
            _C.VIEW_BENCHMARKS,
            _C.MANAGE_CONSULTANCY,
            _C.FOLLOW_JOBS,
            _C.MANAGE_PROJECTS,
            _C.ANALYSE_PROJECTS,
            _C.MANAGE_CAREERS,
            _C.ANALYSE_CAREERS,
        }
    ),
    Role.STAFF_PROGRAMME: frozenset(
        {
            _C.VIEW_SCHOOLS,
            _C.VIEW_PEOPLE,
            _C.VIEW_PEOPLE_AGGREGATES,
            _C.MANAGE_CONSENT,
            _C.VIEW_STAFF_HOME,
            _C.VIEW_API_DOCS,
            _C.VIEW_PLACEMENTS,
            _C.MANAGE_PLACEMENTS,
            _C.MANAGE_RECRUITMENT,
            _C.VIEW_RECRUITMENT_AGGREGATES,
            _C.MANAGE_TRAINING,
            _C.VIEW_BENCHMARKS,
            _C.FOLLOW_JOBS,
            _C.MANAGE_PROJECTS,
            _C.MANAGE_CAREERS,
        }
    ),
    Role.STAFF_RESEARCH: frozenset(
        {
            _C.VIEW_SCHOOLS,
            _C.VIEW_PEOPLE_AGGREGATES,
            _C.VIEW_STAFF_HOME,
            _C.VIEW_API_DOCS,
            _C.VIEW_RECRUITMENT_AGGREGATES,
            _C.VIEW_BENCHMARKS,
            _C.MANAGE_CONSULTANCY,
            _C.FOLLOW_JOBS,
            _C.ANALYSE_PROJECTS,
            _C.ANALYSE_CAREERS,
        }
    ),
    Role.ASSESSOR: frozenset({_C.ASSESS_APPLICATIONS}),
    Role.LEADER: frozenset(
        {
            _C.VIEW_SCHOOLS,
            _C.VIEW_PEOPLE,
            _C.VIEW_PLACEMENTS,
            _C.VIEW_OWN_TRAINING,
            _C.VIEW_PROJECTS,
            _C.VIEW_OWN_CAREER,
        }
    ),
    Role.APPLICANT: frozenset({_C.VIEW_PEOPLE, _C.VIEW_PLACEMENTS, _C.APPLY}),
    Role.HEADTEACHER: frozenset(
        {_C.VIEW_SCHOOLS, _C.VIEW_PEOPLE, _C.VIEW_PLACEMENTS, _C.VIEW_PROJECTS, _C.POST_OPPORTUNITIES}
    ),
    Role.TRUST_PARTNER: frozenset(
        {
            _C.VIEW_SCHOOLS,
            _C.VIEW_PEOPLE_AGGREGATES,
            _C.VIEW_CONSULTANCY,
            _C.FOLLOW_JOBS,
            _C.VIEW_PROJECTS,
            _C.POST_OPPORTUNITIES,
        }
    ),
}


def has_capability(role: str, capability: str) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())

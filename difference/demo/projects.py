"""Demo research-action projects: the 2021-22 literacy pilot as the impact report tells it, and the 2022 cohort's
projects under way.

"The pilot involved seven Difference Leaders who designed and implemented literacy projects. [...] Of seven
participants, four have already collected reading age data at least twice. All four have seen consistent gains –
student reading ages improving faster than chronological ages." One of them works in an SEMH school, where "by the
second reading age test, 71% of students had made progress of 12 months or more over a 6 month period". "Due to
budget limitations at their school, one Difference Leader has been unable to resource reading age tests. Two other
Difference Leaders are yet to run tests a second time." And: "Next year, all 2022 Difference Leaders will run a
research-action project. As well as literacy, projects will focus on safeguarding and student induction." (impact
report 2021-22.)

The pilot is seven of the 2021 cohort's leaders, each in the AP school they work in; the 2022 cohort's 19 placed
leaders each have a project in their placement's school, at the audit or the plan stage. Pupils are invented and
pseudonymous, as the platform holds them: a code of the school's (``SW-014``), the month and year of birth, the
year group, the dates on roll, SEN and free school meals; never a name. Their reading ages, in months, are drawn
from a fixed seed so that every load builds the same data, and the SEMH school's are set so that exactly 12 of its
17 pupils tested twice gained 12 months or more over the six months between the tests (12/17, the report's 71%).

Projects, audits, pupils and their results are plain records: a leader enters them on the project's pages (or
imports the pupil file) and no workflow stands behind them. They are validated field by field and written in bulk,
to keep the demo quick to load. A project that already has audits, pupils or measures is left as it is.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

import numpy as np
from django.db import models

from difference.demo.records import upsert
from difference.projects.models import (
    Absence,
    Assessment,
    Audit,
    AuditRating,
    AuditRound,
    AuditSection,
    AuditStatement,
    AuditTemplate,
    Measure,
    MeasureKind,
    Project,
    Pupil,
    SenProvision,
    Stage,
    Topic,
)
from difference.training.models import Cohort, Enrolment, EnrolmentStatus

SEED = 20220715
PILOT_YEAR = 2021
CURRENT_YEAR = 2022
SCALE_LABELS = "Not in place|Emerging|Established|Embedded"
# The NGRT reports reading ages from 5:00 to 17:00 (years:months), stored in months.
READING_AGE_RANGE = (60, 204)
# A partner school the demo knows to be an SEMH school (its pupils have Social, Emotional and Mental Health needs
# as their primary need): the pilot's SEMH project is in it when a pilot leader works there. The registry marks no
# school SEMH, so where none of the 2021 leaders is at one (a small test registry), the first pilot leader's school
# stands in for it.
SEMH_SCHOOLS = ("Joseph Norton Academy",)
PILOT_SIZE = 7
MONTH_DAYS = 365.25 / 12
M = TypeVar("M", bound=models.Model)

# --- The audit templates --------------------------------------------------------------------------------------------
TEMPLATES: dict[str, tuple[str, list[tuple[str, list[str]]]]] = {
    Topic.LITERACY: (
        "Whole-school literacy audit",
        [
            ("Leadership and strategy", [
                "A senior leader is accountable for literacy and reports on it to the governors or management "
                "committee.",
                "The school development plan sets literacy priorities with measurable success criteria.",
                "Time and budget are set aside for reading assessment, reading resources and staff training.",
                "Literacy is discussed in line management and department meetings, not only by English staff.",
            ]),
            ("Assessment and identification", [
                "Every pupil's reading age is assessed with a standardised test within three weeks of joining.",
                "Reading ages are retested at least twice a year and shared with every member of staff who teaches "
                "the pupil.",
                "Pupils reading well below their chronological age have their barriers (decoding, fluency, "
                "vocabulary, comprehension) diagnosed.",
                "Reading information from the previous school and from EHC plans is obtained and used.",
            ]),
            ("Reading across the curriculum", [
                "Every lesson includes planned opportunities for pupils to read aloud or follow a text.",
                "Teachers explicitly teach the vocabulary of their subject.",
                "Texts in every subject are chosen and adapted with pupils' reading ages in mind.",
                "Pupils read for pleasure every day, from books matched to their ages and interests.",
            ]),
            ("Targeted intervention", [
                "Pupils furthest behind receive a structured phonics or fluency intervention from trained staff.",
                "Interventions are timetabled and protected, and their impact is reviewed every half term.",
                "Speech, language and communication needs are screened for, and specialist advice (speech and "
                "language therapist, educational psychologist) shapes the support.",
            ]),
            ("Staff expertise", [
                "All staff have been trained in the reading difficulties common in AP and how to adapt teaching "
                "for them.",
                "Staff are confident supporting pupils with literacy barriers without lowering expectations.",
                "Teaching assistants are trained to deliver interventions and to support reading in lessons.",
            ]),
        ],
    ),
    Topic.SAFEGUARDING: (
        "Whole-school safeguarding audit",
        [
            ("Leadership and culture", [
                "The designated safeguarding lead and deputies have the time, training and authority the role "
                "needs.",
                "Every member of staff can name the DSL and say what they do when they are worried about a pupil.",
                "The governors or management committee challenge safeguarding practice using the school's own "
                "data.",
                "Staff talk about pupils' risks in a way that shows an 'it could happen here' culture.",
            ]),
            ("Recording, reporting and follow-up", [
                "Concerns are recorded on the day in one secure system, with the actions taken and their outcome.",
                "Low-level concerns are reviewed regularly so that patterns and cumulative risk are seen.",
                "Referrals to children's social care are followed up, and escalated when the response is not "
                "enough.",
            ]),
            ("Risks outside the home", [
                "Staff know the signs of criminal and sexual exploitation, county lines and serious youth violence.",
                "The school maps the risks in its community (places, times, peer groups) with the police and youth "
                "services.",
                "Pupils missing from school or from lessons are followed up within the day.",
            ]),
            ("Families and other agencies", [
                "Information is shared promptly with referring schools, social workers and youth justice workers.",
                "The school attends and contributes to child protection and child in need meetings.",
                "Families are offered early help before concerns escalate.",
            ]),
            ("Pupils' voice and the curriculum", [
                "Pupils can name a trusted adult and say they would tell them if they were worried.",
                "The PSHE and RSE curriculum teaches healthy relationships, consent and staying safe online.",
                "Pupils' views shape the school's safeguarding policy and practice.",
            ]),
        ],
    ),
    Topic.INDUCTION: (
        "Student induction audit",
        [
            ("Before the pupil arrives", [
                "Information from the referring school (attendance, behaviour, SEN, safeguarding) arrives before "
                "the pupil starts.",
                "The family is met before the first day, and the purpose of the placement explained to them.",
                "A named key adult is assigned before the pupil's first day.",
            ]),
            ("The first day and first weeks", [
                "Every new pupil follows a planned induction timetable with their key adult.",
                "Routines, expectations and the behaviour policy are explained and practised, not just read out.",
                "New pupils are introduced to their peers in a planned way that allows for known conflicts.",
            ]),
            ("Assessment on entry", [
                "Reading, numeracy and SEN screening are completed within the first two weeks.",
                "Baseline assessments set the pupil's timetable and targets.",
                "A wellbeing assessment identifies what the pupil needs to feel safe in school.",
            ]),
            ("Belonging and attendance", [
                "New pupils say they feel welcome and know who to go to for help.",
                "New pupils' attendance is checked daily in their first six weeks and followed up the same day.",
                "The key adult contacts the family every week during the first half term.",
            ]),
            ("Planning the next step", [
                "Each pupil has a plan for their next step (reintegration, a specialist placement or post-16) "
                "agreed within six weeks.",
                "Progress towards the plan is reviewed with the pupil, the family and the referring school every "
                "half term.",
            ]),
        ],
    ),
}  # fmt: skip
# What a leader writes beside a rating when nothing more particular is to be said, by rating.
EVIDENCE = [
    "Not seen in policy, planning, lesson visits or staff interviews.",
    "Seen in some classrooms and documents; not consistent or monitored.",
    "Seen in most lessons and in the policy; monitored each term.",
    "Seen consistently; staff and pupils describe it unprompted.",
]


# --- The pilot ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pilot:
    """One pilot project, as it stood at the end of 2021-22."""

    title: str
    question: str
    aims: str
    actions: str
    staff_involved: str
    stage: str
    rounds: tuple[dt.date, ...] = ()  # the reading-age test rounds held
    on_roll: int = 0  # pupils tested at the first round
    left: int = 0  # of them, left the school before the second round
    absent: int = 0  # of them, absent at the second round
    joined: int = 0  # pupils who joined after the first round and were tested at the second
    ratio: float = 0.0  # the mean of reading-age gain over chronological gain the pupils' results are drawn around
    forms: tuple[str, str] = ("", "")  # the test form at the first and second rounds ("" for an adaptive test)
    test_name: str = "NGRT"
    cannot_resource_tests: bool = False
    semh: bool = False
    start_audit_on: dt.date = dt.date(2021, 10, 18)


# The SEMH school's results: 17 pupils tested twice, 12 of them gaining 12 months or more (12/17 = 71%).
SEMH_MEASURED, SEMH_GAINED_12 = 17, 12
PILOT_STARTS_ON = dt.date(2021, 10, 4)
PILOT_ENDS_ON = dt.date(2022, 7, 22)
PILOT_END_AUDIT_ON = dt.date(2022, 7, 11)

PILOTS = [
    Pilot(
        title="Reading across an SEMH curriculum",
        question="Can a cross-curricular approach to vocabulary and comprehension, with specialist interventions, "
        "help pupils in an SEMH school read better, faster than they grow older?",
        aims="Pupils' reading ages to rise faster than their chronological ages, most pupils gaining 12 months or "
        "more in six months. Every member of staff confident to support pupils with literacy barriers.",
        actions="Train all staff in explicit vocabulary and comprehension instruction. Map daily reading "
        "opportunities into every subject's curriculum. Run small-group and one-to-one interventions planned with "
        "the educational psychologist and the speech and language therapist. Test reading ages (NGRT) in November "
        "and May.",
        staff_involved="The leader, the SENCo, the English lead, the educational psychologist, the speech and "
        "language therapist and all teaching staff.",
        stage=Stage.WRITTEN_UP,
        rounds=(dt.date(2021, 11, 15), dt.date(2022, 5, 9)),
        on_roll=SEMH_MEASURED + 3,
        left=2,
        absent=1,
        forms=("A", "B"),
        semh=True,
    ),
    Pilot(
        title="Twenty minutes a day: guided reading in tutor time",
        question="Does twenty minutes of guided reading every morning raise the reading ages of pupils in years 9 "
        "to 11?",
        aims="Every pupil reads with an adult every school day. Reading ages to rise faster than chronological "
        "ages, above all for pupils reading more than three years behind.",
        actions="Each tutor group reads a shared class novel every morning. Tutors trained in reading aloud, "
        "modelling and questioning. Books chosen for interest at a reading age of 9 to 11. Reading ages tested in "
        "December and June.",
        staff_involved="The leader, every tutor, the English lead and the librarian from the local authority's "
        "schools library service.",
        stage=Stage.MEASURED,
        rounds=(dt.date(2021, 12, 6), dt.date(2022, 6, 13)),
        on_roll=14,
        left=1,
        absent=1,
        joined=1,
        ratio=1.8,
        forms=("A", "B"),
    ),
    Pilot(
        title="Fluency first: phonics and fluency for older readers",
        question="Does a daily phonics and fluency intervention help pupils who cannot yet decode fluently to "
        "catch up?",
        aims="Pupils with a reading age below nine to be screened for decoding and receive daily intervention; "
        "their reading ages to rise at least twice as fast as their chronological ages.",
        actions="Screen every pupil with a reading age below nine for decoding. Daily 30-minute phonics and "
        "fluency sessions by two trained teaching assistants. Reading ages tested with NGRT Digital each term.",
        staff_involved="The leader, two teaching assistants trained in the intervention, and the SENCo.",
        stage=Stage.WRITTEN_UP,
        rounds=(dt.date(2022, 1, 10), dt.date(2022, 7, 4)),
        on_roll=22,
        left=3,
        absent=2,
        joined=2,
        ratio=2.0,
        test_name="NGRT Digital",
    ),
    Pilot(
        title="The words of every subject",
        question="If every teacher teaches the vocabulary of their subject explicitly, do pupils' reading ages "
        "improve?",
        aims="Every subject to teach its key vocabulary explicitly each week. Reading ages to rise faster than "
        "chronological ages.",
        actions="Subject leads identify the ten words a unit cannot be understood without. Knowledge organisers "
        "rewritten for pupils' reading ages. Weekly vocabulary quizzes. Reading ages tested in November and May.",
        staff_involved="The leader, all subject leads and the teaching staff.",
        stage=Stage.MEASURED,
        rounds=(dt.date(2021, 11, 29), dt.date(2022, 5, 23)),
        on_roll=12,
        left=1,
        absent=1,
        ratio=1.6,
        forms=("A", "B"),
    ),
    Pilot(
        title="Reading for pleasure in a short-stay school",
        question="Can a short-stay school build a reading habit in pupils who are with it for two terms or less?",
        aims="Every pupil chooses and reads a book of their own within two weeks of joining. Reading ages tested on "
        "entry and at the end of each placement.",
        actions="A reading corner in every classroom, stocked with high-interest books. Reading ages tested on "
        "entry (NGRT). Staff trained to talk about books with pupils. A second test round planned for the autumn.",
        staff_involved="The leader, the English teacher and the key workers.",
        stage=Stage.RUNNING,
        rounds=(dt.date(2022, 3, 14),),
        on_roll=16,
        forms=("A", "B"),
        start_audit_on=dt.date(2021, 11, 8),
    ),
    Pilot(
        title="Reciprocal reading in English and humanities",
        question="Does reciprocal reading (predicting, clarifying, questioning, summarising) improve pupils' "
        "comprehension?",
        aims="Pupils to use the four reciprocal reading strategies independently. Reading ages to rise faster than "
        "chronological ages.",
        actions="English and humanities teachers trained in reciprocal reading. Weekly reciprocal reading lessons "
        "in both subjects. Reading ages tested in May; the second round is due in the autumn term.",
        staff_involved="The leader, the English and humanities teachers.",
        stage=Stage.RUNNING,
        rounds=(dt.date(2022, 5, 16),),
        on_roll=11,
        forms=("A", "B"),
        start_audit_on=dt.date(2022, 1, 17),
    ),
    Pilot(
        title="Literacy-rich classrooms",
        question="Can a literacy-rich classroom routine raise pupils' confidence in reading aloud?",
        aims="Every classroom to have daily reading routines; pupils to read aloud with confidence.",
        actions="Staff trained in reading routines and in supporting pupils who are reluctant to read aloud. "
        "Reading routines observed in learning walks. The school could not afford standardised reading tests "
        "this year, so reading ages are not yet measured.",
        staff_involved="The leader and the teaching staff.",
        stage=Stage.RUNNING,
        cannot_resource_tests=True,
        start_audit_on=dt.date(2021, 11, 22),
    ),
]  # fmt: skip

# Statements the SEMH school's start audit rated lowest, with what the leader found: "low levels of student
# vocabulary and comprehension, and a lack of staff confidence in supporting students with literacy barriers".
SEMH_FINDINGS = {
    "Teachers explicitly teach the vocabulary of their subject.": (
        1,
        "Vocabulary is not taught explicitly in any subject; most pupils' vocabulary is well below their age in "
        "baseline screening.",
    ),
    "Staff are confident supporting pupils with literacy barriers without lowering expectations.": (
        1,
        "In the staff survey, fewer than half of staff felt confident supporting a pupil who cannot read the text "
        "in front of them.",
    ),
    "Pupils reading well below their chronological age have their barriers (decoding, fluency, vocabulary, "
    "comprehension) diagnosed.": (1, "Reading ages are known for some pupils; nothing is diagnosed beyond them."),
}

# --- The 2022 cohort's projects -------------------------------------------------------------------------------------
# (title, question, aims, actions, staff involved) by topic, cycled over the cohort's leaders.
PLANS: dict[str, list[tuple[str, str, str, str, str]]] = {
    Topic.LITERACY: [
        ("Closing the reading gap at Key Stage 4",
         "Can targeted reading intervention in years 10 and 11 close the gap between reading age and age?",
         "Every Key Stage 4 pupil reading below a reading age of 12 to receive intervention; their reading ages to "
         "rise faster than their chronological ages.",
         "Reading ages tested on entry and each term. Small-group comprehension intervention three times a week. "
         "Exam texts adapted for pupils' reading ages.",
         "The leader, the English lead and two teaching assistants."),
        ("Reading on entry: screening every new pupil",
         "Does screening every pupil's reading in their first two weeks change how staff teach them?",
         "Every new pupil's reading age known within two weeks of joining, and shared with their teachers.",
         "A reading test in every pupil's induction. Reading profiles on the pupil passport. Staff briefings on "
         "adapting texts.",
         "The leader, the SENCo and the induction team."),
        ("Disciplinary literacy in science and humanities",
         "Does teaching subject vocabulary and reading explicitly raise pupils' reading ages?",
         "Science and humanities lessons to include explicit vocabulary teaching and a reading task every week.",
         "Teachers trained in disciplinary literacy. Key texts adapted for reading age. Reading ages tested twice "
         "a year.",
         "The leader and the science and humanities teachers."),
    ],
    Topic.SAFEGUARDING: [
        ("Seeing cumulative risk: low-level concerns",
         "Does a fortnightly review of low-level concerns help the school act on risk earlier?",
         "Every low-level concern recorded on the day, and patterns reviewed every fortnight by the DSL team.",
         "Staff training on recording concerns. A fortnightly review meeting. Termly audit of the records.",
         "The leader, the DSL and deputy DSLs, and the pastoral team."),
        ("Mapping risks in our community",
         "Can mapping the places and times pupils are at risk, with local partners, make them safer?",
         "A map of community risks kept with the police and youth services, and used to plan supervision and "
         "pupils' journeys.",
         "Pupil and staff surveys of where pupils feel unsafe. Termly meetings with the police and youth services. "
         "Supervision at the times and places identified.",
         "The leader, the DSL, the police schools officer and the local youth service."),
        ("A trusted adult for every pupil",
         "If every pupil has a named trusted adult, do they report worries sooner?",
         "Every pupil able to name a trusted adult; more concerns raised by pupils themselves.",
         "A key adult for each pupil, with a weekly check-in. Pupil voice survey each term.",
         "The leader, the key workers and the DSL."),
    ],
    Topic.INDUCTION: [
        ("The first six weeks",
         "Does a planned six-week induction improve new pupils' attendance and sense of belonging?",
         "Every new pupil to follow a planned induction with a key adult; attendance in the first six weeks to "
         "rise.",
         "An induction timetable and key adult for each new pupil. Daily attendance checks and weekly calls home "
         "in the first half term.",
         "The leader, the key workers and the attendance officer."),
        ("Information before arrival",
         "If the school has the referring school's information before a pupil arrives, does the placement start "
         "better?",
         "Information on attendance, SEN and safeguarding received before every pupil's first day.",
         "A transfer form agreed with referring schools. A pre-admission meeting with every family.",
         "The leader, the admissions officer and the SENCo."),
        ("Planning the next step from day one",
         "Does agreeing a next-step plan in the first six weeks help more pupils return to mainstream?",
         "Every pupil to have a next-step plan within six weeks, reviewed each half term with the referring "
         "school.",
         "A next-step planning meeting in each pupil's sixth week. Half-termly reviews with families and "
         "referring schools.",
         "The leader, the reintegration lead and the key workers."),
    ],
}  # fmt: skip
CURRENT_TOPICS = [Topic.LITERACY, Topic.SAFEGUARDING, Topic.INDUCTION]
# Which of the 2022 leaders (in email order) are still auditing; the rest have audited and are planning.
CURRENT_AT_AUDIT = {2, 5, 9, 12, 16}
CURRENT_STARTS_ON = dt.date(2022, 9, 26)


@dataclass
class DemoProjects:
    pilot: list[Project] = field(default_factory=list)
    current: list[Project] = field(default_factory=list)
    semh_school: str = ""
    semh_stand_in: bool = False  # no pilot leader works at one of SEMH_SCHOOLS, so another school stands in
    semh_gained: tuple[int, int] = (0, 0)  # pupils gaining 12+ months, of those tested twice
    pupils: int = 0
    assessments: int = 0
    templates: int = 0

    def summary(self) -> str:
        topics = Counter(project.get_topic_display().lower() for project in self.current)
        stages = Counter(project.get_stage_display().lower() for project in self.current)
        if not self.pilot:
            return "Projects: no 2021 leaders in AP schools, so no pilot."
        gained, measured = self.semh_gained
        semh = f"{self.semh_school}, standing in for" if self.semh_stand_in else self.semh_school + ","
        return (
            f"Projects: {self.templates} audit templates; the {PILOT_YEAR}-22 literacy pilot's {len(self.pilot)} "
            f"projects ({semh} the SEMH school: {gained} of {measured} pupils tested twice gained 12 months or "
            f"more); {len(self.current)} projects of the {CURRENT_YEAR} cohort "
            f"({', '.join(f'{n} {topic}' for topic, n in sorted(topics.items()))}; "
            f"{', '.join(f'{n} at {stage}' for stage, n in sorted(stages.items()))}); "
            f"{self.pupils} pupils, {self.assessments} assessments."
        )


def load_projects(cohorts: dict[int, Cohort]) -> DemoProjects:
    """The audit templates, the 2021 cohort's literacy pilot and the 2022 cohort's projects."""
    templates = {topic: load_template(topic) for topic in TEMPLATES}
    result = DemoProjects(templates=len(templates))
    if PILOT_YEAR in cohorts:
        _load_pilot(cohorts[PILOT_YEAR], templates, result)
    if CURRENT_YEAR in cohorts:
        _load_current(cohorts[CURRENT_YEAR], templates, result)
    projects = [*result.pilot, *result.current]
    result.pupils = Pupil.objects.filter(project__in=projects).count()
    result.assessments = Assessment.objects.filter(pupil__project__in=projects).count()
    return result


def load_template(topic: str) -> AuditTemplate:
    """The topic's audit template, its sections and statements written the first time only: staff edit them
    afterwards, and a recorded rating holds on to its statement."""
    title, sections = TEMPLATES[topic]
    template = upsert(
        AuditTemplate, match={"topic": topic}, defaults={"title": title, "scale_max": 4, "scale_labels": SCALE_LABELS}
    )
    if template.sections.exists():
        return template
    statements = []
    for position, (section_title, texts) in enumerate(sections, start=1):
        section = upsert(AuditSection, match={"template": template, "position": position, "title": section_title})
        statements += [AuditStatement(section=section, position=n, text=text) for n, text in enumerate(texts, 1)]
    _bulk(AuditStatement, statements, exclude=["section"])
    return template


def _enrolments(cohort: Cohort) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ACTIVE, person__school__isnull=False)
        .select_related("person__school")
        .order_by("person__email")
    )


def _pilot_leaders(cohort: Cohort) -> list[Enrolment]:
    """Seven of the cohort's leaders: one at an SEMH school first where there is one, then leaders at schools not
    yet in the pilot, then any others, in email order."""
    enrolments = _enrolments(cohort)
    semh = [e for e in enrolments if e.person.school is not None and e.person.school.name in SEMH_SCHOOLS]
    chosen = semh[:1]
    for enrolment in enrolments:
        if len(chosen) < PILOT_SIZE and enrolment not in chosen:
            if enrolment.person.school_id not in {e.person.school_id for e in chosen}:
                chosen.append(enrolment)
    chosen += [e for e in enrolments if e not in chosen][: PILOT_SIZE - len(chosen)]
    return chosen


def _load_pilot(cohort: Cohort, templates: dict[str, AuditTemplate], result: DemoProjects) -> None:
    template = templates[Topic.LITERACY]
    for index, (enrolment, pilot) in enumerate(zip(_pilot_leaders(cohort), PILOTS, strict=False)):
        school = enrolment.person.school
        assert school is not None  # _enrolments chose leaders with a school
        project = upsert(
            Project,
            match={"enrolment": enrolment},
            values={
                "school": school,
                "topic": Topic.LITERACY,
                "title": pilot.title,
                "question": pilot.question,
                "aims": pilot.aims,
                "actions": pilot.actions,
                "staff_involved": pilot.staff_involved,
                "stage": pilot.stage,
                "starts_on": PILOT_STARTS_ON,
                "ends_on": PILOT_ENDS_ON if pilot.stage in (Stage.MEASURED, Stage.WRITTEN_UP) else None,
                "cannot_resource_tests": pilot.cannot_resource_tests,
            },
        )
        result.pilot.append(project)
        if pilot.semh:
            result.semh_school, result.semh_stand_in = school.name, school.name not in SEMH_SCHOOLS
        rng = np.random.default_rng([SEED, PILOT_YEAR, index])
        if not _has_records(project):
            _audits(rng, project, template, pilot)
            _pupils(rng, project, pilot)
        if pilot.semh:
            result.semh_gained = _gained_12(project)


def _has_records(project: Project) -> bool:
    return project.audits.exists() or project.pupils.exists() or project.measures.exists()


def _audits(rng: np.random.Generator, project: Project, template: AuditTemplate, pilot: Pilot) -> None:
    """The start audit, and the end audit for a project that has measured its impact: ratings up a step or two
    where the project worked."""
    statements = list(AuditStatement.objects.filter(section__template=template))
    start = _start_ratings(rng, statements)
    if pilot.semh:
        start |= {s.pk: SEMH_FINDINGS[s.text] for s in statements if s.text in SEMH_FINDINGS}
    audits = {AuditRound.START: (pilot.start_audit_on, start)}
    if pilot.stage in (Stage.MEASURED, Stage.WRITTEN_UP):
        lifts = rng.choice([0, 1, 1, 2], len(statements))
        end = {}
        for statement, lift in zip(statements, lifts, strict=True):
            rating = min(4, start[statement.pk][0] + int(lift))
            end[statement.pk] = (rating, EVIDENCE[rating - 1])
        audits[AuditRound.END] = (PILOT_END_AUDIT_ON, end)
    for round_, (completed_on, ratings) in audits.items():
        _audit(project, template, round_, completed_on, ratings)


def _start_ratings(rng: np.random.Generator, statements: list[AuditStatement]) -> dict[int, tuple[int, str]]:
    ratings = rng.choice([1, 2, 3], len(statements), p=[0.35, 0.5, 0.15])
    return {s.pk: (int(r), EVIDENCE[int(r) - 1]) for s, r in zip(statements, ratings, strict=True)}


def _audit(
    project: Project,
    template: AuditTemplate,
    round_: str,
    completed_on: dt.date | None,
    ratings: dict[int, tuple[int, str]],
) -> None:
    audit = Audit(project=project, template=template, round=round_, completed_on=completed_on)
    audit.full_clean()
    audit.save()
    rows = [
        AuditRating(audit=audit, statement_id=pk, rating=rating, evidence=evidence)
        for pk, (rating, evidence) in ratings.items()
    ]
    _bulk(AuditRating, rows, exclude=["audit", "statement"])


# --- Pupils and their reading ages ----------------------------------------------------------------------------------
YEAR_GROUPS = [7, 8, 9, 10, 11]
YEAR_GROUP_SHARES = [0.1, 0.15, 0.2, 0.25, 0.3]  # AP rolls grow through the secondary years


def _code_prefix(name: str) -> str:
    """Two letters from the school's name, as schools often begin their own pupil codes."""
    words = [w for w in name.replace("(", " ").split() if w[:1].isalpha() and w.lower() not in {"the", "of", "for"}]
    letters = "".join(w[0] for w in words[:2]).upper()
    return (letters + "XX")[:2]


def _pupils(rng: np.random.Generator, project: Project, pilot: Pilot) -> None:
    """The project's reading-age measure and pupils, with every result, absence and leaving date. Pupils who
    left between the rounds or were absent at the second have one result; so have those who joined in between."""
    if not pilot.rounds:
        return
    measure = _measure(project, pilot)
    first, second = pilot.rounds[0], pilot.rounds[-1]  # the same round when there has been one
    order = rng.permutation(pilot.on_roll)  # who leaves and who is absent, in no order of their codes
    leavers = set(order[: pilot.left].tolist())
    absentees = set(order[pilot.left : pilot.left + pilot.absent].tolist())
    twice = [n for n in range(pilot.on_roll) if second > first and n not in leavers | absentees]
    gain_of = dict(zip(twice, _gains(rng, pilot, len(twice), second - first), strict=True))
    pupils, results, absences = [], [], []
    for n, code in enumerate(_codes(rng, project.school.name, pilot.on_roll + pilot.joined)):
        joiner = n >= pilot.on_roll
        pupil = _pupil(rng, project, pilot, code, rounds=(first, second), joiner=joiner, leaver=n in leavers)
        pupils.append(pupil)
        tested_on = second if joiner else first
        reading = _first_reading(rng, pupil, tested_on)
        results.append((pupil, _catch_up(rng, tested_on), reading, pilot.forms[int(joiner)]))
        if n in gain_of:
            results.append(
                (pupil, _catch_up(rng, second), min(reading + gain_of[n], READING_AGE_RANGE[1]), pilot.forms[1])
            )
        elif n in absentees:
            absences.append((pupil, second))
    _bulk(Pupil, pupils, exclude=["project"])
    saved = {p.code: p for p in Pupil.objects.filter(project=project)}  # with their keys, whatever the database
    assessments = [
        Assessment(measure=measure, pupil=saved[p.code], assessed_on=on, value=Decimal(value), test_form=form)
        for p, on, value, form in results
    ]
    _bulk(Assessment, assessments, exclude=["measure", "pupil"])
    missed = [Absence(measure=measure, pupil=saved[p.code], round_on=on) for p, on in absences]
    _bulk(Absence, missed, exclude=["measure", "pupil"])


def _measure(project: Project, pilot: Pilot) -> Measure:
    low, high = READING_AGE_RANGE
    measure = Measure(
        project=project,
        kind=MeasureKind.READING_AGE,
        name="Reading age",
        test_name=pilot.test_name,
        minimum=Decimal(low),
        maximum=Decimal(high),
    )
    measure.full_clean()
    measure.save()
    return measure


def _codes(rng: np.random.Generator, school_name: str, count: int) -> list[str]:
    """The school's codes for ``count`` pupils: its two letters and numbers from its own register, in no order."""
    prefix = _code_prefix(school_name)
    return [f"{prefix}-{number:03d}" for number in sorted(rng.choice(np.arange(1, 10 * count), count, replace=False))]


def _pupil(
    rng: np.random.Generator,
    project: Project,
    pilot: Pilot,
    code: str,
    *,
    rounds: tuple[dt.date, dt.date],
    joiner: bool,
    leaver: bool,
) -> Pupil:
    """A pupil on roll at the first round (since they started year 7 at the earliest), or one who joined between
    the rounds; a leaver left between them."""
    first, second = rounds
    year_group = int(rng.choice(YEAR_GROUPS, p=YEAR_GROUP_SHARES))
    birth_year, birth_month = _birth(rng, year_group)
    if joiner:
        joined_on = _between(rng, first, second, margin=7)
    else:
        started_year_7 = dt.date(PILOT_YEAR - (year_group - 7), 9, 1)
        joined_on = max(started_year_7, first - dt.timedelta(days=int(rng.integers(10, 500))))
    return Pupil(
        project=project,
        code=code,
        birth_year=birth_year,
        birth_month=birth_month,
        year_group=year_group,
        joined_on=joined_on,
        left_on=_between(rng, first, second, margin=20) if leaver else None,
        sen=str(rng.choice([SenProvision.NONE, SenProvision.SUPPORT, SenProvision.EHCP], p=_sen_shares(pilot))),
        fsm=bool(rng.random() < 0.6),
    )


def _between(rng: np.random.Generator, start: dt.date, end: dt.date, *, margin: int) -> dt.date:
    return start + dt.timedelta(days=int(rng.integers(margin, (end - start).days - margin)))


def _first_reading(rng: np.random.Generator, pupil: Pupil, on: dt.date) -> int:
    """A reading age, in months, one and a half to five years below the pupil's age, as is usual in AP; kept
    inside the test's range with room for the gains to come."""
    low, high = READING_AGE_RANGE
    age = _age_months(pupil.birth_year, pupil.birth_month, on)
    return int(np.clip(age - rng.integers(18, 61), low + 6, high - 24))


def _catch_up(rng: np.random.Generator, round_on: dt.date) -> dt.date:
    """The day a pupil took the test: most on the round's day, a few caught up later that week."""
    return round_on + dt.timedelta(days=int(rng.choice([0, 0, 0, 0, 1, 2])))


def _gains(rng: np.random.Generator, pilot: Pilot, count: int, between: dt.timedelta) -> list[int]:
    """Each twice-tested pupil's reading-age gain in months. At the SEMH school exactly SEMH_GAINED_12 of them
    gain 12 months or more and the rest less; elsewhere gains are drawn around the pilot's ratio of reading-age
    gain to months elapsed."""
    if not count:
        return []
    if pilot.semh:
        gains = [*rng.integers(12, 19, SEMH_GAINED_12), *rng.integers(2, 11, count - SEMH_GAINED_12)]
        return [int(g) for g in rng.permutation(gains)]
    months = between.days / MONTH_DAYS
    # Spread around the pilot's ratio and centred on it, so that a small roll's mean is the one the report shows.
    spread = rng.normal(0.0, 0.55, count)
    ratios = np.clip(pilot.ratio + spread - spread.mean(), -0.3, 4.0)
    return [int(round(r * months)) for r in ratios]


def _sen_shares(pilot: Pilot) -> list[float]:
    """In an SEMH school most pupils have an EHC plan; in other AP most have SEN support or none recorded."""
    return [0.0, 0.2, 0.8] if pilot.semh else [0.35, 0.45, 0.2]


def _birth(rng: np.random.Generator, year_group: int) -> tuple[int, int]:
    """A birth month and year for a pupil in ``year_group`` in 2021-22: year 7 were born from September 2009 to
    August 2010."""
    month = int(rng.integers(1, 13))
    first_year = PILOT_YEAR - year_group - 5
    return (first_year if month >= 9 else first_year + 1), month


def _age_months(birth_year: int, birth_month: int, on: dt.date) -> int:
    return (on.year - birth_year) * 12 + on.month - birth_month


def _gained_12(project: Project) -> tuple[int, int]:
    """How many of the project's pupils tested twice gained 12 months or more, of how many: for the summary."""
    values: dict[int, list[Decimal]] = {}
    for pupil_id, value in (
        Assessment.objects.filter(pupil__project=project).order_by("assessed_on").values_list("pupil_id", "value")
    ):
        values.setdefault(pupil_id, []).append(value)
    twice = [v for v in values.values() if len(v) >= 2]
    return sum(v[-1] - v[0] >= 12 for v in twice), len(twice)


# --- The 2022 cohort ------------------------------------------------------------------------------------------------
def _load_current(cohort: Cohort, templates: dict[str, AuditTemplate], result: DemoProjects) -> None:
    """A project for each placed leader, in their placement's school: literacy, safeguarding and induction in
    turn; most have audited their school and are planning, a few are still auditing."""
    for index, enrolment in enumerate(_enrolments(cohort)):
        topic = CURRENT_TOPICS[index % len(CURRENT_TOPICS)]
        plans = PLANS[topic]
        title, question, aims, actions, staff = plans[(index // len(CURRENT_TOPICS)) % len(plans)]
        planning = index not in CURRENT_AT_AUDIT
        school = enrolment.person.school
        assert school is not None
        project = upsert(
            Project,
            match={"enrolment": enrolment},
            values={
                "school": school,
                "topic": topic,
                "title": title,
                "question": question,
                "aims": aims if planning else "",
                "actions": actions if planning else "",
                "staff_involved": staff if planning else "",
                "stage": Stage.PLAN if planning else Stage.AUDIT,
                "starts_on": CURRENT_STARTS_ON,
                "ends_on": None,
            },
        )
        result.current.append(project)
        if _has_records(project):
            continue
        rng = np.random.default_rng([SEED, CURRENT_YEAR, index])
        statements = list(AuditStatement.objects.filter(section__template=templates[topic]))
        ratings = _start_ratings(rng, statements)
        if planning:
            completed_on = dt.date(2022, 10, 10) + dt.timedelta(days=7 * (index % 5))
            _audit(project, templates[topic], AuditRound.START, completed_on, ratings)
        elif index % 2:
            # Still auditing: the first sections rated, the audit not yet completed.
            sections = {s.section_id for s in statements}
            first_sections = sorted(sections)[:2]
            begun = {s.pk: ratings[s.pk] for s in statements if s.section_id in first_sections}
            _audit(project, templates[topic], AuditRound.START, None, begun)


def _bulk(model: type[M], rows: list[M], *, exclude: list[str]) -> None:
    """Each row's fields validated as a form would validate them (its foreign keys are the demo's own, just made),
    then all written at once."""
    for row in rows:
        row.clean_fields(exclude=exclude)
    model._default_manager.bulk_create(rows)

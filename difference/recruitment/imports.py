"""Importing past rounds' applications and scores from a spreadsheet, all or nothing.

The file is a CSV (UTF-8 with or without a byte-order mark, or Windows-1252 as older Excel saves it; commas,
semicolons or tabs; plain, gzipped or zipped) or an Excel workbook (``.xlsx``, first sheet), read by
``difference.core.files``. Row 1 is the header; column names are
case-insensitive, in any order, and "Round year" reads as ``round_year``. Blank rows are skipped.

=================  ========  ==================================================================================
Column             Required  Values
=================  ========  ==================================================================================
``round_year``     yes       the round's year, e.g. 2022; the round must already exist on the platform
``first_name``     yes       text
``last_name``      yes       text
``email``          yes       an email address; people already on the platform are matched by it (any case)
``submitted_on``   yes       the date the application was submitted: YYYY-MM-DD or DD/MM/YYYY
``sift_score``     no        the mean sift score, 1 to 5, at most 2 decimal places
``shortlisted``    no        yes, no or blank
``centre_score``   no        the mean assessment-centre score, 1 to 5 (needs shortlisted = yes)
``decision``       no        offer, reserve, decline or blank (needs shortlisted = yes)
``offer_status``   no        made, accepted, declined, withdrawn or blank (needs decision offer or reserve;
                             a decision of offer needs one)
``gender``         no        a ``Gender`` code; blank means not answered
``ethnic_group``   no        an ``EthnicGroup`` code; blank means not answered
``disability``     no        a ``Disability`` code; blank means not answered
``age_band``       no        an ``AgeBand`` code; blank means not answered
=================  ========  ==================================================================================

Every row is checked before anything is written, and every fault of every row is reported, numbered as a
spreadsheet shows it (the header is row 1, the first applicant row 2). Only a file with no faults is written,
in one transaction: each person is found by email or created, each application is created with
``imported=True`` and a stage derived from its outcome, and the history the funnel counts from is recorded
(stage changes, the centre's decision, the offer). An accepted offer makes the person ready for placement. The
``ImportOutcome`` counts the applications and people created (a person matched by email is "unchanged") and
notes the rounds.

The diversity columns are special-category data: a file with any diversity answer in it is refused unless
the caller says the importing user may write them (staff admin, or the platform's operators).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from difference.core.files import FileProblem, RowError, Table, check_header, name_of, read_bytes, read_table
from difference.core.imports import Counts, ImportOutcome, Progress, no_progress, rows_done
from difference.people.models import AgeBand, Demographics, Disability, EthnicGroup, Gender, Person
from difference.recruitment import services
from difference.recruitment.models import (
    Application,
    CentreDecision,
    Decision,
    Offer,
    OfferStatus,
    RecruitmentRound,
    Stage,
    StageChange,
)

UK = ZoneInfo("Europe/London")
# A submission date becomes this time of day in the UK: a moment safely inside the day whatever the clocks do.
SUBMITTED_AT_TIME = dt.time(12)
PROGRESS_EVERY = 100
# Rows written per batch of bulk inserts; progress is reported after each.
WRITE_CHUNK = 250
# Keeps ``__in`` lookups under SQLite's limit on query parameters.
QUERY_CHUNK = 500
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
YES_NO = {"yes": "yes", "y": "yes", "true": "yes", "no": "no", "n": "no", "false": "no"}


@dataclass(frozen=True)
class TemplateColumn:
    name: str
    required: bool
    values: str


def _codes(choices: Iterable[tuple[Any, str]]) -> str:
    return ", ".join(str(value) for value, _ in choices)


TEMPLATE_COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn("round_year", True, "The round's year, e.g. 2022. Create the round on the platform first."),
    TemplateColumn("first_name", True, "Text."),
    TemplateColumn("last_name", True, "Text."),
    TemplateColumn("email", True, "An email address. People already on the platform are matched by it."),
    TemplateColumn("submitted_on", True, "The date submitted: YYYY-MM-DD or DD/MM/YYYY."),
    TemplateColumn("sift_score", False, "The mean sift score: 1 to 5, at most 2 decimal places."),
    TemplateColumn("shortlisted", False, "yes, no, or blank."),
    TemplateColumn("centre_score", False, "The mean assessment-centre score, 1 to 5. Needs shortlisted = yes."),
    TemplateColumn("decision", False, f"{_codes(Decision.choices)}, or blank. Needs shortlisted = yes."),
    TemplateColumn(
        "offer_status",
        False,
        f"{_codes(OfferStatus.choices)}, or blank. Needs a decision of offer or reserve; an offer decision needs one.",
    ),
    TemplateColumn("gender", False, f"Diversity (staff admin only): {_codes(Gender.choices)}, or blank."),
    TemplateColumn("ethnic_group", False, f"Diversity (staff admin only): {_codes(EthnicGroup.choices)}, or blank."),
    TemplateColumn("disability", False, f"Diversity (staff admin only): {_codes(Disability.choices)}, or blank."),
    TemplateColumn("age_band", False, f"Diversity (staff admin only): {_codes(AgeBand.choices)}, or blank."),
)
TEMPLATE_HEADER = [column.name for column in TEMPLATE_COLUMNS]
REQUIRED_COLUMNS = [column.name for column in TEMPLATE_COLUMNS if column.required]
DIVERSITY_COLUMNS = ["gender", "ethnic_group", "disability", "age_band"]
# Lower-cased before validation, so "Yes" and "OFFER" are accepted.
CODE_COLUMNS = ["email", "shortlisted", "decision", "offer_status", *DIVERSITY_COLUMNS]


# --- Validating ------------------------------------------------------------------------------------------------------
def _required(column: str) -> dict[str, str]:
    return {"required": f"Every row needs a {column}."}


def _text_field(column: str, max_length: int) -> forms.CharField:
    messages = _required(column) | {"max_length": f"At most {max_length} characters (this has %(show_value)d)."}
    return forms.CharField(max_length=max_length, error_messages=messages)


def _score_field() -> forms.DecimalField:
    out_of_range = "Scores run from 1 to 5; this is %(value)s."
    return forms.DecimalField(
        required=False,
        min_value=1,
        max_value=5,
        decimal_places=2,
        error_messages={
            "invalid": "Give a number from 1 to 5, or leave it blank.",
            "min_value": out_of_range,
            "max_value": out_of_range,
            "max_decimal_places": "Give at most 2 decimal places (this is %(value)s).",
        },
    )


def _choice_field(choices: Iterable[tuple[Any, str]]) -> forms.ChoiceField:
    choices = list(choices)
    message = f"“%(value)s” is not allowed: use one of {_codes(choices)}, or leave it blank."
    return forms.ChoiceField(choices=choices, required=False, error_messages={"invalid_choice": message})


# Django's form fields check the values and phrase the messages. A Form per row would deep-copy all fourteen
# fields for every row, most of a large import's time, so rows share these: a field keeps no state as it cleans.
ROW_FIELDS: dict[str, forms.Field] = {
    "round_year": forms.IntegerField(
        min_value=2000,
        max_value=2100,
        error_messages=_required("round_year")
        | {
            "invalid": "Give the round's year as a number, e.g. 2022.",
            "min_value": "Give the round's year, e.g. 2022.",
            "max_value": "Give the round's year, e.g. 2022.",
        },
    ),
    "first_name": _text_field("first_name", 100),
    "last_name": _text_field("last_name", 100),
    "email": forms.EmailField(
        max_length=254,
        error_messages=_required("email") | {"invalid": "“%(value)s” is not a valid email address."},
    ),
    "submitted_on": forms.DateField(
        input_formats=DATE_FORMATS,
        error_messages=_required("submitted_on") | {"invalid": "Give the date as YYYY-MM-DD or DD/MM/YYYY."},
    ),
    "sift_score": _score_field(),
    "shortlisted": _choice_field([("yes", "Yes"), ("no", "No")]),
    "centre_score": _score_field(),
    "decision": _choice_field(Decision.choices),
    "offer_status": _choice_field(OfferStatus.choices),
    "gender": _choice_field(Gender.choices),
    "ethnic_group": _choice_field(EthnicGroup.choices),
    "disability": _choice_field(Disability.choices),
    "age_band": _choice_field(AgeBand.choices),
}


def clean_row(
    row: dict[str, str], *, today: dt.date, with_demographics: bool = True
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """One row's values (text, keyed by column) cleaned, and its faults as (column, message) pairs."""
    cleaned: dict[str, Any] = {}
    faults: list[tuple[str, str]] = []
    for name, row_field in ROW_FIELDS.items():
        if name in DIVERSITY_COLUMNS and not with_demographics:
            continue
        try:
            cleaned[name] = row_field.clean(row.get(name, ""))
        except ValidationError as exc:
            faults.extend((name, message) for message in exc.messages)
    return cleaned, faults + _inconsistencies(cleaned, today)


def _inconsistencies(data: dict[str, Any], today: dt.date) -> list[tuple[str, str]]:
    """Rules across columns. Each is checked only when the columns it reads are valid, so a typo is one fault."""
    faults = []
    submitted_on = data.get("submitted_on")
    if submitted_on is not None and submitted_on > today:
        faults.append(("submitted_on", "The date is in the future; this import is for past rounds."))
    shortlisted, decision = data.get("shortlisted"), data.get("decision")
    if "shortlisted" in data and shortlisted != "yes":
        if decision:
            faults.append(("decision", "A centre decision needs shortlisted = yes."))
        if data.get("centre_score") is not None:
            faults.append(("centre_score", "A centre score needs shortlisted = yes."))
    if "decision" in data and "offer_status" in data:
        offer_status = data["offer_status"]
        if offer_status and decision not in (Decision.OFFER, Decision.RESERVE):
            faults.append(("offer_status", "An offer_status needs a decision of offer or reserve."))
        if decision == Decision.OFFER and not offer_status:
            faults.append(("offer_status", "A decision of offer needs an offer_status (made, accepted, …)."))
    return faults


@dataclass(frozen=True)
class _Row:
    number: int
    data: dict[str, Any]


@dataclass
class _Plan:
    rows: list[_Row]
    rounds: dict[int, RecruitmentRound]
    # Lower-cased email to the pk of the person it matches on the platform.
    people: dict[str, int]


def _validate(
    table: Table, *, may_write_demographics: bool, progress: Progress, today: dt.date
) -> tuple[_Plan, list[RowError]]:
    columns, errors = check_header(table.header, allowed=TEMPLATE_HEADER, required=REQUIRED_COLUMNS)
    if errors:
        return _Plan([], {}, {}), errors
    values = [(number, _row_values(line, columns)) for number, line in table.rows]
    errors += _extra_values(table, columns)
    with_demographics = True
    if not may_write_demographics:
        refusal = _demographics_refusal(values)
        if refusal is not None:
            errors.append(refusal)
        # The values will not be written, so their codes are not checked either.
        with_demographics = False
    cleaned_rows: list[tuple[int, dict[str, Any], bool]] = []
    for done, (number, row) in enumerate(values, start=1):
        cleaned, faults = clean_row(row, today=today, with_demographics=with_demographics)
        errors += [RowError(number, column, message) for column, message in faults]
        cleaned_rows.append((number, cleaned, not faults))
        if done % PROGRESS_EVERY == 0 or done == len(values):
            progress(rows_done("Validated", done, len(values)))
    years = {cleaned["round_year"] for _, cleaned, _ in cleaned_rows if "round_year" in cleaned}
    rounds = {r.year: r for r in RecruitmentRound.objects.filter(year__in=years)}
    rows: list[_Row] = []
    first_row_of: dict[tuple[int, str], int] = {}
    for number, cleaned, valid in cleaned_rows:
        if "round_year" in cleaned and cleaned["round_year"] not in rounds:
            errors.append(_no_round(number, cleaned["round_year"]))
        elif valid:
            errors += _duplicate(number, cleaned, first_row_of)
            rows.append(_Row(number, cleaned))
    if not values:
        errors.append(RowError(None, "", "The file has a header but no applications below it."))
    people = _people_by_email({row.data["email"] for row in rows})
    errors += _already_applied(rows, rounds, people)
    order = {name: position for position, name in enumerate(TEMPLATE_HEADER)}
    errors.sort(key=lambda e: (e.row or 0, order.get(e.column, -1)))
    return _Plan(rows, rounds, people), errors


def _row_values(line: list[str], columns: dict[str, int]) -> dict[str, str]:
    row = {name: line[position] if position < len(line) else "" for name, position in columns.items()}
    for name in CODE_COLUMNS:
        if name in row:
            row[name] = row[name].lower()
    if row.get("shortlisted"):
        row["shortlisted"] = YES_NO.get(row["shortlisted"], row["shortlisted"])
    return row


def _extra_values(table: Table, columns: dict[str, int]) -> list[RowError]:
    """Values under no column name would be silently lost; better to say so."""
    named = {position for position in columns.values()}
    named |= {position for position, name in enumerate(table.header) if name}
    return [
        RowError(number, "", f"There is a value in column {position + 1}, which has no name in row 1.")
        for number, line in table.rows
        for position, value in enumerate(line)
        if value and position not in named
    ]


def _demographics_refusal(values: list[tuple[int, dict[str, str]]]) -> RowError | None:
    rows = [number for number, row in values if any(row.get(name) for name in DIVERSITY_COLUMNS)]
    if not rows:
        return None
    columns = [name for name in DIVERSITY_COLUMNS if any(row.get(name) for _, row in values)]
    shown = ", ".join(str(number) for number in rows[:5]) + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")
    return RowError(
        None,
        ", ".join(columns),
        f"The file contains diversity answers ({'row' if len(rows) == 1 else 'rows'} {shown}). "
        "Diversity data is special-category data that only "
        "a staff admin may import: clear those columns, or ask a staff admin to import the file.",
    )


def _no_round(number: int, year: int) -> RowError:
    return RowError(
        number, "round_year", f"There is no {year} recruitment round on the platform. Create it first, then import."
    )


def _duplicate(number: int, data: dict[str, Any], first_row_of: dict[tuple[int, str], int]) -> list[RowError]:
    first = first_row_of.setdefault((data["round_year"], data["email"]), number)
    if first == number:
        return []
    message = f"Row {first} is the same person ({data['email']}) in the same round; a person applies once per round."
    return [RowError(number, "email", message)]


T = TypeVar("T")


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _people_by_email(emails: set[str]) -> dict[str, int]:
    """Lower-cased email to person pk. Emails are unique as stored, not ignoring case, so the oldest wins."""
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(emails), QUERY_CHUNK):
        matches = (
            Person.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=chunk)
            .order_by("-pk")
            .values_list("email_lower", "pk")
        )
        found.update(matches)
    return found


def _already_applied(rows: list[_Row], rounds: dict[int, RecruitmentRound], people: dict[str, int]) -> list[RowError]:
    person_ids = sorted({people[row.data["email"]] for row in rows if row.data["email"] in people})
    applied: set[tuple[int, int]] = set()
    for chunk in _chunks(person_ids, QUERY_CHUNK):
        applied.update(
            Application.objects.filter(person_id__in=chunk, recruitment_round__in=rounds.values()).values_list(
                "recruitment_round__year", "person_id"
            )
        )
    return [
        RowError(
            row.number,
            "email",
            f"{row.data['email']} already has an application in the {row.data['round_year']} round on the platform.",
        )
        for row in rows
        if (row.data["round_year"], people.get(row.data["email"])) in applied
    ]


# --- Writing ---------------------------------------------------------------------------------------------------------
def stage_for(data: dict[str, Any]) -> str:
    """The stage an imported application ends at, from the furthest outcome the row records."""
    offer_stages = {
        OfferStatus.ACCEPTED: Stage.ACCEPTED,
        OfferStatus.DECLINED: Stage.OFFER_DECLINED,
        OfferStatus.WITHDRAWN: Stage.OFFER_WITHDRAWN,
        OfferStatus.MADE: Stage.OFFERED,
    }
    decision_stages = {Decision.RESERVE: Stage.RESERVE, Decision.DECLINE: Stage.NOT_SELECTED}
    if data.get("offer_status"):
        return offer_stages[data["offer_status"]]
    if data.get("decision") in decision_stages:
        return decision_stages[data["decision"]]
    if data.get("shortlisted") == "yes":
        return Stage.INVITED if data.get("centre_score") is not None else Stage.SHORTLISTED
    if data.get("shortlisted") == "no":
        return Stage.NOT_SHORTLISTED
    return Stage.SUBMITTED


@dataclass
class _Written:
    applications: int = 0
    people_created: int = 0


def _write(plan: _Plan, *, source: str, by: Any, with_demographics: bool, progress: Progress) -> _Written:
    written = _Written()
    now = timezone.now()
    people = dict(plan.people)
    demographics: dict[int, dict[str, str]] = {}
    for chunk in _chunks(plan.rows, WRITE_CHUNK):
        written.people_created += _create_people(chunk, people)
        applications = _create_applications(chunk, plan.rounds, people)
        _record_history(chunk, applications, source=source, by=by, now=now)
        if with_demographics:
            for row in chunk:
                answers = {name: row.data[name] for name in DIVERSITY_COLUMNS if row.data.get(name)}
                if answers:
                    demographics.setdefault(people[row.data["email"]], {}).update(answers)
        written.applications += len(applications)
        progress(rows_done("Written", written.applications, len(plan.rows)))
    _save_demographics(demographics, now)
    return written


def _create_people(rows: Sequence[_Row], people: dict[str, int]) -> int:
    new: dict[str, Person] = {}
    for row in rows:
        email = row.data["email"]
        if email not in people and email not in new:
            new[email] = Person(first_name=row.data["first_name"], last_name=row.data["last_name"], email=email)
    created = Person.objects.bulk_create(new.values())
    # PostgreSQL and SQLite 3.35+ return the new pks; other databases need a second look.
    if any(person.pk is None for person in created):
        found = Person.objects.filter(email__in=list(new)).values_list("email", "pk")
        people.update((email, pk) for email, pk in found if email)
    else:
        people.update((person.email, person.pk) for person in created if person.email)
    return len(created)


def _create_applications(
    rows: Sequence[_Row], rounds: dict[int, RecruitmentRound], people: dict[str, int]
) -> list[Application]:
    applications = [
        Application(
            recruitment_round=rounds[row.data["round_year"]],
            person_id=people[row.data["email"]],
            stage=stage_for(row.data),
            submitted_at=dt.datetime.combine(row.data["submitted_on"], SUBMITTED_AT_TIME, tzinfo=UK),
            sift_score=row.data.get("sift_score"),
            centre_score=row.data.get("centre_score"),
            imported=True,
        )
        for row in rows
    ]
    _give_unique_references(applications)
    created = Application.objects.bulk_create(applications)
    if any(application.pk is None for application in created):
        pks = dict(
            Application.objects.filter(reference__in=[a.reference for a in created]).values_list("reference", "pk")
        )
        for application in created:
            application.pk = pks[application.reference]
    return created


def _give_unique_references(applications: list[Application]) -> None:
    """References are random; a clash would fail the whole import at the unique constraint, so avoid one."""
    references = [application.reference for application in applications]
    taken = set(Application.objects.filter(reference__in=references).values_list("reference", flat=True))
    for application in applications:
        while application.reference in taken:
            application.reference = secrets.token_hex(4).upper()
        taken.add(application.reference)


def _record_history(
    rows: Sequence[_Row], applications: list[Application], *, source: str, by: Any, now: dt.datetime
) -> None:
    """The records the funnel and the history read. Later milestones are dated now, when they were recorded."""
    changes: list[StageChange] = []
    decisions: list[CentreDecision] = []
    offers: list[Offer] = []
    accepted: list[Application] = []
    for row, application in zip(rows, applications, strict=True):
        data = row.data
        assert application.submitted_at is not None
        changes.append(_change(application, "", Stage.SUBMITTED, "Imported", by=by, at=application.submitted_at))
        last = Stage.SUBMITTED
        if data.get("shortlisted") == "yes":
            changes.append(_change(application, last, Stage.SHORTLISTED, "Imported: shortlisted", by=by, at=now))
            last = Stage.SHORTLISTED
        # Services record every stage change, so the last record always names the current stage; keep that true.
        if application.stage != last:
            reason = f"Imported: {Stage(application.stage).label.lower()}"
            changes.append(_change(application, last, application.stage, reason, by=by, at=now))
        if data.get("decision"):
            decisions.append(
                CentreDecision(
                    application=application,
                    decision=data["decision"],
                    rationale=f"Imported from {source}",
                    decided_by=by,
                    decided_at=now,
                )
            )
        if data.get("offer_status"):
            status = data["offer_status"]
            offers.append(
                Offer(
                    application=application,
                    status=status,
                    made_at=now,
                    made_by=by,
                    responded_at=None if status == OfferStatus.MADE else now,
                    reason=f"Imported from {source}"[:300],
                )
            )
            if status == OfferStatus.ACCEPTED:
                accepted.append(application)
    StageChange.objects.bulk_create(changes)
    CentreDecision.objects.bulk_create(decisions)
    Offer.objects.bulk_create(offers)
    for application in accepted:
        services.make_ready_for_placement(application)


def _change(
    application: Application, from_stage: str, to_stage: str, reason: str, *, by: Any, at: dt.datetime
) -> StageChange:
    return StageChange(
        application=application, from_stage=from_stage, to_stage=to_stage, reason=reason, changed_by=by, changed_at=at
    )


def _save_demographics(answers: dict[int, dict[str, str]], now: dt.datetime) -> None:
    """Like ``update_or_create`` per person, in bulk: given answers replace, blank ones leave what is there."""
    if not answers:
        return
    existing: dict[int, Demographics] = {}
    for chunk in _chunks(sorted(answers), QUERY_CHUNK):
        existing.update((d.person_id, d) for d in Demographics.objects.filter(person_id__in=chunk))
    new: list[Demographics] = []
    for person_id, given in answers.items():
        record = existing.get(person_id) or Demographics(person_id=person_id)
        for name, value in given.items():
            setattr(record, name, value)
        record.recorded_at = now
        if record.pk is None:
            new.append(record)
    Demographics.objects.bulk_create(new)
    Demographics.objects.bulk_update(existing.values(), [*DIVERSITY_COLUMNS, "recorded_at"])


# --- The import -------------------------------------------------------------------------------------------------------
def import_applications(
    source: Path | IO[bytes],
    *,
    may_write_demographics: bool,
    filename: str = "",
    dry_run: bool = False,
    by: Any = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Check a file of past applications and, if every row is valid and not ``dry_run``, write it all.

    ``source`` is a path or a binary file (an upload); ``filename`` names it in messages and in the imported
    records (by default the path's or upload's name). ``by`` is the importing user, recorded on the history.
    ``may_write_demographics`` must be true only for users allowed to write special-category data. The
    outcome's ``errors`` list every fault; when there are any, nothing was written.
    """
    filename = name_of(source, filename)
    outcome = ImportOutcome(source=filename, dry_run=dry_run)
    report = progress or no_progress
    try:
        table = read_table(read_bytes(source, filename), required_columns=REQUIRED_COLUMNS)
    except FileProblem as exc:
        outcome.refuse(str(exc))
        return outcome
    outcome.rows_read = len(table.rows)
    plan, outcome.errors = _validate(
        table, may_write_demographics=may_write_demographics, progress=report, today=timezone.localdate()
    )
    if outcome.errors:
        return outcome
    years = sorted({row.data["round_year"] for row in plan.rows})
    matched = len({plan.people[row.data["email"]] for row in plan.rows if row.data["email"] in plan.people})
    if dry_run:
        applications = len(plan.rows)
        people_created = len({row.data["email"] for row in plan.rows} - set(plan.people))
    else:
        try:
            with transaction.atomic():
                written = _write(
                    plan, source=filename, by=by, with_demographics=may_write_demographics, progress=report
                )
        except IntegrityError as exc:
            # Someone added one of these people or applications between the checks and the writing.
            outcome.refuse(f"The platform changed while importing ({exc}). Nothing was written; import again.")
            return outcome
        applications, people_created = written.applications, written.people_created
    outcome.rows_written = applications
    outcome.counts = {
        "applications": Counts(created=applications),
        "people": Counts(created=people_created, unchanged=matched),
    }
    outcome.notes.append(f"rounds: {', '.join(str(year) for year in years)}")
    return outcome

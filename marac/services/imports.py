"""`import_marac_cases` (DESIGN §6): historical referrals from a coordinator's spreadsheet.

Every row is checked before anything is written; any error fails the whole file, with errors
reading `line N, column NAME: message` (the header is line 1) and never quoting a value.
Repeat status is computed on import (§7), in referral-date order, never read from the file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import IO

from django.db import transaction
from django.utils import timezone

from marac.models import (
    HISTORICAL_NOT_RECORDED,
    Case,
    Consent,
    Ethnicity,
    Gender,
    Marac,
    Meeting,
    YesNo,
)
from marac.services.meetings import agenda_item_add, meeting_create, meeting_record_heard
from marac.services.recording import record
from marac.services.referrals import (
    Criteria,
    PerpetratorDetails,
    ReferralRecord,
    VictimDetails,
    cases_accept,
    criteria_errors,
    store_referrals,
)
from partnership.models import Agency, AgencyCategory, User

COLUMNS = [
    "case_ref",
    "referral_date",
    "meeting_date",
    "referring_agencies",
    "referral_criteria",
    "dash_score",
    "victim_first_name",
    "victim_last_name",
    "victim_dob",
    "victim_gender",
    "victim_ethnicity",
    "victim_lgbt",
    "victim_disability",
    "children_in_household",
    "perpetrator_first_name",
    "perpetrator_last_name",
    "idva_allocated",
    "pj_rationale",
]
CRITERIA = {"visible_high_risk", "professional_judgement", "potential_escalation"}
CRITERIA_COLUMNS = {
    "dash_score": "dash_score",
    "pj_rationale": "pj_rationale",
    "criteria": "referral_criteria",
}


class ImportRefused(Exception):
    """The file has errors; nothing was imported. `errors` are `line N, column NAME: ...`."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    referrals: int = 0
    repeats: int = 0
    meetings_created: list[date] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)

    def fail(self, column: str, message: str) -> None:
        self.errors.append(f"line {self.line}, column {column}: {message}")

    def text(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def date(self, column: str) -> date | None:
        raw = self.text(column)
        if not raw:
            self.fail(column, "enter a date")
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.fail(column, "enter a real date as YYYY-MM-DD")
            return None

    def number(self, column: str, *, required: bool) -> int | None:
        raw = self.text(column)
        if not raw:
            if required:
                self.fail(column, "enter a whole number")
            return None
        if not raw.isdigit():
            self.fail(column, "enter a whole number of 0 or more")
            return None
        return int(raw)

    def choice(self, column: str, choices: Iterable[str], default: str) -> str:
        raw = self.text(column).lower()
        allowed = list(choices)
        if not raw:
            return default
        if raw not in allowed:
            self.fail(column, "use one of " + ", ".join(allowed))
            return default
        return raw


class _Agencies:
    """Referring agencies by name or slug (case-insensitive), or a SafeLives category code."""

    def __init__(self) -> None:
        self.by_key: dict[str, Agency] = {}
        for agency in Agency.objects.all():
            self.by_key[agency.slug.lower()] = agency
            self.by_key[agency.name.lower()] = agency

    def parse(self, row: _Row) -> list[tuple[Agency | None, str]]:
        items = [item.strip() for item in row.text("referring_agencies").split(";")]
        items = [item for item in items if item]
        if not items:
            row.fail("referring_agencies", "name at least one referring agency")
        sources: dict[object, tuple[Agency | None, str]] = {}
        for position, item in enumerate(items, start=1):
            agency = self.by_key.get(item.lower())
            if agency is not None:
                sources[agency.pk] = (agency, agency.category)
            elif item.lower() in AgencyCategory.values:
                sources[item.lower()] = (None, item.lower())
            else:
                row.fail(
                    "referring_agencies",
                    f"item {position} is not a known agency name or slug, "
                    "or a SafeLives category code",
                )
        return list(sources.values())


def _criteria(row: _Row) -> Criteria:
    named = {c.strip().lower() for c in row.text("referral_criteria").split(";") if c.strip()}
    if not named:
        row.fail("referral_criteria", "list at least one criterion")
    if named - CRITERIA:
        row.fail(
            "referral_criteria",
            "use visible_high_risk, professional_judgement or potential_escalation, separated by ;",
        )
    score = row.number("dash_score", required="visible_high_risk" in named)
    criteria = Criteria(
        dash_score=score,
        professional_judgement="professional_judgement" in named,
        pj_rationale=row.text("pj_rationale"),
        potential_escalation="potential_escalation" in named,
    )
    if "visible_high_risk" in named and score is not None and score < 14:
        row.fail("dash_score", "visible high risk needs a DASH score of 14 or more")
    for name, message in criteria_errors(criteria, historical=True).items():
        row.fail(CRITERIA_COLUMNS.get(name, "referral_criteria"), message[0].lower() + message[1:])
    return criteria


def _victim(row: _Row, referral_date: date | None) -> VictimDetails | None:
    first, last = row.text("victim_first_name"), row.text("victim_last_name")
    if not first:
        row.fail("victim_first_name", "enter the victim's first name")
    if not last:
        row.fail("victim_last_name", "enter the victim's last name")
    born = row.date("victim_dob")
    if born and referral_date and born > referral_date:
        row.fail("victim_dob", "the date of birth is after the referral date")
    details = VictimDetails(
        first_name=first,
        last_name=last,
        date_of_birth=born or date.min,
        gender=row.choice("victim_gender", Gender.values, Gender.NOT_KNOWN),
        ethnicity=row.choice("victim_ethnicity", Ethnicity.values, Ethnicity.NOT_KNOWN),
        lgbt=row.choice("victim_lgbt", YesNo.values, YesNo.NOT_KNOWN),
        disability=row.choice("victim_disability", YesNo.values, YesNo.NOT_KNOWN),
    )
    return details if born else None


@dataclass
class _Parsed:
    line: int
    record: ReferralRecord
    meeting_date: date


def _parse_row(row: _Row, marac: Marac, agencies: _Agencies) -> _Parsed | None:
    case_ref = row.text("case_ref")
    if not case_ref:
        row.fail("case_ref", "enter the case reference")
    elif len(case_ref) > 40:
        row.fail("case_ref", "a case reference has at most 40 characters")
    referral_date, meeting_date = row.date("referral_date"), row.date("meeting_date")
    if referral_date and meeting_date and meeting_date < referral_date:
        row.fail("meeting_date", "the meeting is before the referral")
    if referral_date and referral_date > timezone.localdate():
        row.fail("referral_date", "the referral date is in the future")
    sources = agencies.parse(row)
    criteria = _criteria(row)
    victim = _victim(row, referral_date)
    children = row.number("children_in_household", required=False) or 0
    idva = row.choice("idva_allocated", YesNo.values, YesNo.NOT_KNOWN)
    perpetrator = PerpetratorDetails(
        first_name=row.text("perpetrator_first_name"),
        last_name=row.text("perpetrator_last_name"),
    )
    if row.errors or victim is None or referral_date is None or meeting_date is None:
        return None
    record_ = ReferralRecord(
        marac=marac,
        case_ref=case_ref,
        referral_date=referral_date,
        sources=sources,
        victim=victim,
        criteria=criteria,
        consent=Consent.NOT_RECORDED,
        lawful_basis=HISTORICAL_NOT_RECORDED,
        perpetrators=[perpetrator],
        children_in_household=children,
        idva_allocated=idva,
        is_historical=True,
    )
    return _Parsed(line=row.line, record=record_, meeting_date=meeting_date)


def _header_errors(header: list[str] | None) -> list[str]:
    if not header:
        return ["line 1: the file is empty: it needs a header row"]
    names = [name.strip() for name in header]
    errors = [f"line 1, column {c}: the column is missing" for c in COLUMNS if c not in names]
    errors += [
        f"line 1, column {c}: not a column of this import" for c in names if c not in COLUMNS
    ]
    return errors


def _duplicate_errors(parsed: list[_Parsed], marac: Marac) -> list[str]:
    errors, seen = [], {}
    existing = set(Case.objects.filter(marac=marac).values_list("case_ref", flat=True))
    for item in parsed:
        ref = item.record.case_ref
        if ref in seen:
            errors.append(
                f"line {item.line}, column case_ref: the same reference is on line {seen[ref]}"
            )
        elif ref in existing:
            errors.append(f"line {item.line}, column case_ref: already used at this MARAC")
        seen.setdefault(ref, item.line)
    return errors


def parse_marac_cases(handle: IO[str], marac: Marac) -> list[_Parsed]:
    """Read and check every row; raise ImportRefused with every error found."""
    reader = csv.DictReader(handle)
    errors = _header_errors(reader.fieldnames)
    if errors:
        raise ImportRefused(errors)
    reader.fieldnames = [name.strip() for name in reader.fieldnames or []]
    agencies, parsed = _Agencies(), []
    for index, values in enumerate(reader, start=2):
        row = _Row(line=index, values=values)
        if None in values:
            row.fail(COLUMNS[-1], "the row has more cells than the header")
        item = _parse_row(row, marac, agencies)
        errors += row.errors
        if item is not None:
            parsed.append(item)
    errors += _duplicate_errors(parsed, marac)
    if not errors and not parsed:
        errors.append("line 2: the file has no referrals to import")
    if errors:
        raise ImportRefused(errors)
    return parsed


def _meeting(marac: Marac, day: date, acting_user: User, result: ImportResult) -> Meeting:
    meeting = Meeting.objects.filter(marac=marac, date=day).first()
    if meeting is None:
        meeting = meeting_create(acting_user=acting_user, marac=marac, date=day)
        result.meetings_created.append(day)
    return meeting


def _on(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _list_at(meeting: Meeting, cases: list[Case], acting_user: User) -> None:
    if meeting.date <= timezone.localdate():
        meeting_record_heard(
            acting_user=acting_user,
            meeting=meeting,
            cases=cases,
            circulated_at=_on(meeting.date, 9),
            heard_at=_on(meeting.date, 12),
        )
        return
    for case in cases:
        agenda_item_add(acting_user=acting_user, meeting=meeting, case=case, historical=True)


@transaction.atomic
def marac_cases_import(*, acting_user: User, marac: Marac, handle: IO[str]) -> ImportResult:
    """Import every row of a checked file, or nothing. Each row is one referral heard at its
    meeting (created when missing); repeats are decided in referral-date order."""
    parsed = sorted(
        parse_marac_cases(handle, marac), key=lambda p: (p.record.referral_date, p.line)
    )
    result = ImportResult()
    cases = store_referrals(acting_user=acting_user, records=[p.record for p in parsed])
    cases_accept(acting_user=acting_user, cases=cases)
    by_meeting: dict[date, list[Case]] = {}
    for item, case in zip(parsed, cases, strict=True):
        by_meeting.setdefault(item.meeting_date, []).append(case)
    for day in sorted(by_meeting):
        _list_at(_meeting(marac, day, acting_user, result), by_meeting[day], acting_user)
    result.referrals = len(cases)
    result.repeats = sum(1 for case in cases if case.referral.is_repeat)
    record(
        acting_user=acting_user,
        action="marac_cases_import",
        obj=marac,
        marac=marac,
        detail={"referrals": result.referrals, "repeats": result.repeats},
    )
    return result

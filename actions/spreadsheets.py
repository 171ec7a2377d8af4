"""The action plan as a spreadsheet (DESIGN §6): reading CSV or .xlsx, writing CSV or .xlsx.

Reading checks every cell it can check without the database and collects every problem as
`line N, column NAME: message` (the header is line 1). The import service resolves agencies
and applies the rows.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from actions.models import Action, ActionStatus, TimescaleKind

COLUMNS = [
    "priority_code",
    "priority_title",
    "action_ref",
    "action_title",
    "sub_actions",
    "outcomes",
    "resources",
    "timescale",
    "lead_agencies",
    "performance_measures",
    "rag",
    "latest_update",
]
REQUIRED = ["priority_code", "priority_title", "action_ref", "action_title", "timescale"]
LIMITS = {"priority_code": 10, "priority_title": 500, "action_ref": 20}
_AMOUNT = re.compile(
    r"£\s*([\d,]+(?:\.\d{1,2})?)|^\s*([\d]{1,3}(?:,\d{3})+|\d{3,})(?:\.\d{1,2})?\b"
)


class SpreadsheetErrors(ValidationError):
    """Every problem in an uploaded file, each as `line N, column NAME: message`."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines)
        self.lines = lines


def error(line: int, column: str, message: str) -> str:
    return f"line {line}, column {column}: {message}"


@dataclass
class PlanRow:
    line: int
    priority_code: str
    priority_title: str
    ref: str
    title: str
    sub_actions: list[str]
    outcomes: str
    resources: str
    resource_amount: Decimal | None
    timescale_kind: str
    timescale_date: date | None
    lead_agencies: list[str]
    performance_measures: str
    rag: str
    latest_update: str


@dataclass
class PlanTable:
    rows: list[PlanRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_timescale(text: str) -> tuple[str, date | None] | None:
    """`2019-03-31`, `March 2019` (its last day) or `Ongoing`; None if it is none of them."""
    value = text.strip()
    if value.lower() == "ongoing":
        return TimescaleKind.ONGOING, None
    try:
        return TimescaleKind.DATE, date.fromisoformat(value)
    except ValueError:
        pass
    for pattern in ("%B %Y", "%b %Y"):
        try:
            month = datetime.strptime(value, pattern)  # noqa: DTZ007 - a calendar month
        except ValueError:
            continue
        last = calendar.monthrange(month.year, month.month)[1]
        return TimescaleKind.MONTH, date(month.year, month.month, last)
    return None


def resource_amount(text: str) -> Decimal | None:
    """The amount in pounds a resources cell names (`£30,000`, `30,000 for ...`), if any."""
    match = _AMOUNT.search(text)
    if not match:
        return None
    try:
        return Decimal((match.group(1) or match.group(2)).replace(",", ""))
    except InvalidOperation:
        return None


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_records(data: bytes) -> Iterator[tuple[int, list[str]]] | str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data[: problem.start].count(b"\n") + 1
        return error(line, "(line)", "the file must be saved as UTF-8 text")
    reader = csv.reader(io.StringIO(text, newline=""))

    def records() -> Iterator[tuple[int, list[str]]]:
        start = 1
        for record in reader:
            yield start, record
            start = reader.line_num + 1

    return records()


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[str]]] | str:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same problem to the user
        return error(1, "(file)", "the file is not an .xlsx workbook that can be read")
    sheet = workbook.worksheets[0]
    return (
        (number, [_cell(value) for value in row])
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
    )


def read_plan(data: bytes, *, filename: str) -> PlanTable:
    """Read a CSV (UTF-8, with or without a byte-order mark) or .xlsx action plan."""
    is_xlsx = filename.lower().endswith(".xlsx")
    records = _xlsx_records(data) if is_xlsx else _csv_records(data)
    table = PlanTable()
    if isinstance(records, str):
        table.errors.append(records)
        return table
    header: list[str] | None = None
    for line, values in records:
        if header is None:
            header = [value.strip().lstrip("\ufeff") for value in values]
            table.errors.extend(_header_errors(header))
            if table.errors:
                return table
            continue
        if not any(value.strip() for value in values):
            continue
        row, problems = _read_row(line, header, values)
        table.errors.extend(problems)
        if row is not None:
            table.rows.append(row)
    if header is None:
        table.errors.append(error(1, "(header)", "the file is empty"))
    table.errors.extend(_cross_row_errors(table.rows))
    return table


def _header_errors(header: list[str]) -> list[str]:
    problems = [
        error(1, name, "this column is missing from the header")
        for name in COLUMNS
        if name not in header
    ]
    problems += [
        error(
            1, name or f"(column {index + 1})", "this column is not part of the action plan format"
        )
        for index, name in enumerate(header)
        if name not in COLUMNS
    ]
    return problems


def _read_row(line: int, header: list[str], values: list[str]) -> tuple[PlanRow | None, list[str]]:
    if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
        return None, [error(line, header[-1], "the row has more cells than the header")]
    cells = {name: (values[i] if i < len(values) else "").strip() for i, name in enumerate(header)}
    problems = [error(line, name, "enter a value") for name in REQUIRED if not cells[name]]
    problems += [
        error(line, name, f"must be at most {limit} characters")
        for name, limit in LIMITS.items()
        if len(cells[name]) > limit
    ]
    timescale = parse_timescale(cells["timescale"]) if cells["timescale"] else None
    if cells["timescale"] and timescale is None:
        problems.append(
            error(line, "timescale", "enter a date (2019-03-31), a month (March 2019) or Ongoing")
        )
    rag = cells["rag"].lower()
    if rag and rag not in ActionStatus.values:
        problems.append(
            error(line, "rag", "must be one of " + ", ".join(ActionStatus.values) + " or empty")
        )
    if problems:
        return None, problems
    kind, when = timescale
    return (
        PlanRow(
            line=line,
            priority_code=cells["priority_code"],
            priority_title=cells["priority_title"],
            ref=cells["action_ref"],
            title=cells["action_title"],
            sub_actions=split_list(cells["sub_actions"]),
            outcomes=cells["outcomes"],
            resources=cells["resources"],
            resource_amount=resource_amount(cells["resources"]),
            timescale_kind=kind,
            timescale_date=when,
            lead_agencies=split_list(cells["lead_agencies"]),
            performance_measures=cells["performance_measures"],
            rag=rag,
            latest_update=cells["latest_update"],
        ),
        [],
    )


def _cross_row_errors(rows: list[PlanRow]) -> list[str]:
    problems = []
    refs: dict[str, int] = {}
    titles: dict[str, tuple[str, int]] = {}
    for row in rows:
        if row.ref in refs:
            problems.append(
                error(row.line, "action_ref", f"{row.ref} is already on line {refs[row.ref]}")
            )
        refs.setdefault(row.ref, row.line)
        title, first = titles.setdefault(row.priority_code, (row.priority_title, row.line))
        if title != row.priority_title:
            problems.append(
                error(
                    row.line,
                    "priority_title",
                    f"priority {row.priority_code} has a different title on line {first}",
                )
            )
    return problems


def export_rows(actions: Iterable[Action]) -> Iterator[list[str]]:
    """The header, then one row per action (prefetch leads, milestones and updates)."""
    yield list(COLUMNS)
    for action in actions:
        latest = action.latest_updates[0] if action.latest_updates else None
        yield [
            action.priority.code,
            action.priority.title,
            action.ref,
            action.title,
            "; ".join(m.title for m in action.milestones.all()),
            action.outcomes,
            action.resources,
            action.timescale_date.isoformat() if action.timescale_date else "Ongoing",
            "; ".join(lead.agency.name for lead in action.leads.all()),
            action.performance_measures,
            action.status,
            latest.narrative if latest else "",
        ]


def write_csv(rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(rows: Iterable[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "Action plan"
    for index, row in enumerate(rows):
        sheet.append(row)
        if index == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for cell in sheet["H"][1:]:
        cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""Performance measures and their quarterly values per borough."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Measure, MeasureValue
from actions.quarters import Quarter
from actions.services.recording import record, shown, stamp
from actions.spreadsheets import SpreadsheetErrors, error
from partnership.models import Borough, Partnership, User

MEASURE_FIELDS = ["name", "description", "unit", "target", "better"]
VALUE_COLUMNS = ["measure", "borough", "quarter_end", "value"]


@transaction.atomic
def measure_create(
    *, acting_user: User, partnership: Partnership, code: str, name: str, **details: Any
) -> Measure:
    measure = Measure(partnership=partnership, code=code, name=name, **details)
    stamp(measure, acting_user, new=True)
    measure.full_clean()
    measure.save()
    record(actor=acting_user, action="measure_create", obj=measure, partnership=partnership)
    return measure


@transaction.atomic
def measure_update(*, acting_user: User, measure: Measure, **details: Any) -> Measure:
    changed = {}
    for name in MEASURE_FIELDS:
        if name in details and getattr(measure, name) != details[name]:
            changed[name] = {"from": shown(getattr(measure, name)), "to": shown(details[name])}
            setattr(measure, name, details[name])
    stamp(measure, acting_user, new=False)
    measure.full_clean()
    measure.save()
    record(
        actor=acting_user,
        action="measure_update",
        obj=measure,
        partnership=measure.partnership,
        detail={"changed": changed},
    )
    return measure


def _check_value(measure: Measure, borough: Borough, quarter_end: date) -> None:
    if Quarter.ending_on(quarter_end) is None:
        raise ValidationError({"quarter_end": "Give the last day of a quarter."})
    if quarter_end > Quarter.containing(timezone.localdate()).end:
        raise ValidationError({"quarter_end": "The quarter cannot be in the future."})
    if not measure.partnership.boroughs.filter(pk=borough.pk).exists():
        raise ValidationError({"borough": "Choose a borough of the partnership."})


@transaction.atomic
def measure_value_set(
    *,
    acting_user: User,
    measure: Measure,
    borough: Borough,
    quarter_end: date,
    value: Decimal,
) -> MeasureValue:
    """Enter or correct one quarter's value for one borough. The old value is kept in the audit."""
    _check_value(measure, borough, quarter_end)
    existing = MeasureValue.objects.filter(
        measure=measure, borough=borough, quarter_end=quarter_end
    ).first()
    before = existing.value if existing else None
    entry = existing or MeasureValue(measure=measure, borough=borough, quarter_end=quarter_end)
    entry.value, entry.entered_by, entry.entered_at = value, acting_user, timezone.now()
    entry.full_clean()
    entry.save()
    record(
        actor=acting_user,
        action="measure_value_set",
        obj=measure,
        partnership=measure.partnership,
        detail={
            "borough": borough.slug,
            "quarter_end": quarter_end.isoformat(),
            "from": shown(before),
            "to": shown(value),
        },
    )
    return entry


@dataclass(frozen=True)
class ValueRow:
    line: int
    measure: Measure
    borough: Borough
    quarter_end: date
    value: Decimal


def _read_value_rows(data: bytes, partnership: Partnership) -> tuple[list[ValueRow], list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [error(1, "(line)", "the file must be saved as UTF-8 text")]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    missing = [
        error(1, name, "this column is missing from the header")
        for name in VALUE_COLUMNS
        if name not in header
    ]
    if missing:
        return [], missing
    measures = {m.code: m for m in Measure.objects.filter(partnership=partnership)}
    boroughs = {}
    for borough in partnership.boroughs.all():
        for key in (borough.slug, borough.name.lower(), borough.gss_code.lower()):
            boroughs[key] = borough
    rows, problems = [], []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        cells = {
            name: (values[i] if i < len(values) else "").strip() for i, name in enumerate(header)
        }
        row, row_problems = _value_row(line, cells, measures, boroughs)
        problems += row_problems
        if row:
            rows.append(row)
    return rows, problems


def _value_row(line, cells, measures, boroughs) -> tuple[ValueRow | None, list[str]]:
    problems = []
    measure = measures.get(cells["measure"])
    if measure is None:
        problems.append(error(line, "measure", f"no measure has the code {cells['measure']!r}"))
    borough = boroughs.get(cells["borough"].lower())
    if borough is None:
        problems.append(error(line, "borough", "not a borough of this partnership"))
    try:
        quarter_end = date.fromisoformat(cells["quarter_end"])
    except ValueError:
        quarter_end = None
    if quarter_end is None or Quarter.ending_on(quarter_end) is None:
        problems.append(
            error(line, "quarter_end", "give the last day of a quarter, like 2025-06-30")
        )
    elif quarter_end > Quarter.containing(timezone.localdate()).end:
        problems.append(error(line, "quarter_end", "the quarter cannot be in the future"))
    try:
        value = Decimal(cells["value"].replace(",", ""))
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        value = None
        problems.append(error(line, "value", "enter a number"))
    if problems:
        return None, problems
    return ValueRow(line, measure, borough, quarter_end, value), []


@transaction.atomic
def measure_values_import(*, acting_user: User, partnership: Partnership, data: bytes) -> int:
    """Load quarterly values from CSV (`measure, borough, quarter_end, value`): all or none."""
    rows, problems = _read_value_rows(data, partnership)
    seen: dict[tuple, int] = {}
    for row in rows:
        key = (row.measure.pk, row.borough.pk, row.quarter_end)
        if key in seen:
            problems.append(
                error(row.line, "quarter_end", f"this value is already on line {seen[key]}")
            )
        seen.setdefault(key, row.line)
    if problems:
        raise SpreadsheetErrors(problems)
    for row in rows:
        measure_value_set(
            acting_user=acting_user,
            measure=row.measure,
            borough=row.borough,
            quarter_end=row.quarter_end,
            value=row.value,
        )
    return len(rows)

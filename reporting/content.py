"""The figures of a board report, gathered from live data into a JSON-ready snapshot.

Only other apps' selectors and the indicator registry are read here. The same structure is
frozen on approval, so an approved report re-rendered later shows the same numbers.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone

from actions.selectors import plan_progress
from partnership import indicators
from partnership.models import Attendance, AttendanceStatus, Board
from reporting.periods import Quarter

SNAPSHOT_FORMAT = 1
TREND_QUARTERS = 4


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return float(value) if isinstance(value, int | float) else None


def indicator_figures(board: Board, period: Quarter) -> list[dict[str, Any]]:
    """Every registered indicator for the partnership and each borough, over four quarters."""
    partnership = board.partnership
    boroughs = list(partnership.boroughs.order_by("name"))
    quarters = period.trailing(TREND_QUARTERS)
    figures = []
    for indicator in indicators.all_indicators(partnership=partnership):

        def series(borough=None, indicator=indicator):
            return [
                _number(
                    indicator.value(
                        partnership=partnership, start=q.start, end=q.end, borough=borough
                    )
                )
                for q in quarters
            ]

        figures.append(
            {
                "name": indicator.name,
                "label": indicator.label,
                "unit": indicator.unit,
                "better": indicator.better,
                "recommended": _number(indicator.recommended),
                "national": _number(indicator.national),
                "target": _number(indicator.target),
                "derived_from": list(indicator.derived_from),
                "about_people": indicator.about_people,
                "group": indicator.name.split(".", 1)[0],
                "partnership": series(),
                "boroughs": [{"name": b.name, "values": series(b)} for b in boroughs],
            }
        )
    return figures


def attendance_figures(board: Board, period: Quarter) -> dict[str, Any]:
    """Board attendance by agency over the last four quarters."""
    quarters = period.trailing(TREND_QUARTERS)
    records = (
        Attendance.objects.filter(
            meeting__board=board,
            meeting__date__gte=quarters[0].start,
            meeting__date__lte=period.end,
        )
        .select_related("agency", "meeting")
        .order_by("agency__name")
    )
    by_agency: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    meetings = set()
    for record in records:
        meetings.add(record.meeting.date.isoformat())
        row = by_agency[record.agency.name]
        row["invited"] += 1
        if record.status in (AttendanceStatus.ATTENDED, AttendanceStatus.SUBSTITUTE):
            row["attended"] += 1
        if record.status == AttendanceStatus.APOLOGIES:
            row["apologies"] += 1
    return {
        "meetings": sorted(meetings),
        "agencies": [{"agency": name, **dict(row)} for name, row in sorted(by_agency.items())],
    }


def build_snapshot(board: Board, period: Quarter) -> dict[str, Any]:
    partnership = board.partnership
    return {
        "format": SNAPSHOT_FORMAT,
        "generated_at": timezone.now().isoformat(),
        "period": {
            "year": period.year,
            "quarter": period.number,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "trend_labels": [q.label for q in period.trailing(TREND_QUARTERS)],
        },
        "partnership": {
            "name": partnership.name,
            "boroughs": list(partnership.boroughs.order_by("name").values_list("name", flat=True)),
        },
        "board": {"name": board.name},
        "indicators": indicator_figures(board, period),
        "attendance": attendance_figures(board, period),
        "plan": plan_progress(partnership, start=period.start, end=period.end),
    }

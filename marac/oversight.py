"""Alerts for the data protection lead: unusual patterns in access events (DESIGN §4, §5).

Plain functions over events: nothing is stored but the lead's note that an alert was handled
(`AccessAlertReview`, by the alert's key).

- **Many cases**: one person viewed `MARAC_ALERT_MANY_CASES` or more different cases (case
  pages or API retrieves) within `MARAC_ALERT_WINDOW_MINUTES`.
- **Out of hours**: reads of cases outside 08:00–18:00, Monday to Friday, Europe/London.

One alert per kind, person and day (London time), so a busy evening is one alert, not fifty.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from marac.models import AccessEvent, AccessKind, AlertKind

VIEWS = (AccessKind.DETAIL, AccessKind.API)


@dataclass(frozen=True)
class Alert:
    kind: str
    user_id: int
    day: date
    cases: int
    reads: int
    first_at: datetime
    last_at: datetime

    @property
    def key(self) -> str:
        return alert_key(self.kind, self.user_id, self.day)

    @property
    def label(self) -> str:
        return AlertKind(self.kind).label


def alert_key(kind: str, user_id: int, day: date) -> str:
    return f"{kind}:{user_id}:{day.isoformat()}"


def is_working_time(moment: datetime) -> bool:
    local = timezone.localtime(moment)
    start, end = settings.MARAC_WORKING_HOURS
    return local.weekday() < 5 and start <= local.hour < end


def _out_of_hours(rows: Iterable[tuple[int, datetime, int, str]]) -> list[Alert]:
    groups: dict[tuple[int, date], list[tuple[datetime, int]]] = defaultdict(list)
    for user_id, at, case_id, _what in rows:
        if not is_working_time(at):
            groups[(user_id, timezone.localdate(at))].append((at, case_id))
    return [
        Alert(
            kind=AlertKind.OUT_OF_HOURS,
            user_id=user_id,
            day=day,
            cases=len({case_id for _, case_id in reads}),
            reads=len(reads),
            first_at=min(at for at, _ in reads),
            last_at=max(at for at, _ in reads),
        )
        for (user_id, day), reads in groups.items()
    ]


def _busiest_window(views: list[tuple[datetime, int]], window: timedelta) -> tuple | None:
    """The window holding the most different cases, if it reaches the threshold."""
    threshold = settings.MARAC_ALERT_MANY_CASES
    inside: Counter[int] = Counter()
    best = None
    start = 0
    for end, (at, case_id) in enumerate(views):
        inside[case_id] += 1
        while at - views[start][0] > window:
            inside[views[start][1]] -= 1
            if not inside[views[start][1]]:
                del inside[views[start][1]]
            start += 1
        if len(inside) >= threshold and (best is None or len(inside) > best[0]):
            best = (len(inside), end - start + 1, views[start][0], at)
    return best


def _many_cases(rows: Iterable[tuple[int, datetime, int, str]]) -> list[Alert]:
    window = timedelta(minutes=settings.MARAC_ALERT_WINDOW_MINUTES)
    views: dict[tuple[int, date], list[tuple[datetime, int]]] = defaultdict(list)
    for user_id, at, case_id, what in rows:
        if what in VIEWS:
            views[(user_id, timezone.localdate(at))].append((at, case_id))
    alerts = []
    for (user_id, day), seen in views.items():
        best = _busiest_window(sorted(seen), window)
        if best is not None:
            cases, reads, first_at, last_at = best
            alerts.append(
                Alert(AlertKind.MANY_CASES, user_id, day, cases, reads, first_at, last_at)
            )
    return alerts


def access_alerts(events: QuerySet[AccessEvent]) -> list[Alert]:
    """The alerts these events raise, newest day first (one query)."""
    rows = list(
        events.filter(case_id__isnull=False)
        .order_by("at", "pk")
        .values_list("user_id", "at", "case_id", "what")
    )
    alerts = _many_cases(rows) + _out_of_hours(rows)
    return sorted(alerts, key=lambda a: (a.day, a.last_at, a.kind), reverse=True)

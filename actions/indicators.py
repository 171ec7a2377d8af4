"""The action plans' figures in the indicator registry (DESIGN §2).

Static indicators count a partnership's approved action plan by status as it stood at the end
of a period. Each performance measure is `actions.measure.<code>`: its values for the quarters
ending in the period (summed for counts, averaged for percentages and rates), for one borough
or the whole partnership.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial

from django.db.models import Avg, Sum

from partnership.indicators import Indicator, IndicatorSource, register, register_source

MEASURE_PREFIX = "actions.measure."


def _plan_actions(partnership, end: date, borough=None):
    from actions.models import Action, StrategyStatus

    actions = (
        Action.objects.filter(
            strategy__partnership=partnership, strategy__status=StrategyStatus.APPROVED
        )
        .existing_on(end)
        .with_status_on(end)
    )
    if borough is not None:
        actions = actions.filter(boroughs=borough)
    return actions


def _statuses(partnership, end: date, borough=None) -> list[str]:
    return [
        status or "not_started"
        for status in _plan_actions(partnership, end, borough).values_list("status_then", flat=True)
    ]


def _count(status: str | None, *, partnership, start, end, borough=None) -> int:
    statuses = _statuses(partnership, end, borough)
    return len(statuses) if status is None else statuses.count(status)


def _complete_pct(*, partnership, start, end, borough=None) -> float | None:
    statuses = _statuses(partnership, end, borough)
    return 100 * statuses.count("complete") / len(statuses) if statuses else None


def _overdue(*, partnership, start, end, borough=None) -> int:
    return (
        _plan_actions(partnership, end, borough)
        .filter(timescale_date__lt=end)
        .exclude(status_then="complete")
        .count()
    )


def measure_value(code: str, *, partnership, start, end, borough=None) -> Decimal | None:
    from actions.models import MeasureUnit, MeasureValue

    values = MeasureValue.objects.filter(
        measure__partnership=partnership,
        measure__code=code,
        quarter_end__gte=start,
        quarter_end__lte=end,
    )
    if borough is not None:
        values = values.filter(borough=borough)
    unit = values.values_list("measure__unit", flat=True).first()
    if unit is None:
        return None
    aggregate = Sum("value") if unit == MeasureUnit.COUNT else Avg("value")
    return values.aggregate(result=aggregate)["result"]


def _measure_indicator(measure) -> Indicator:
    return Indicator(
        name=f"{MEASURE_PREFIX}{measure.code}",
        label=measure.name,
        unit=measure.unit,
        compute=partial(measure_value, measure.code),
        better=measure.better,
        target=measure.target,
    )


def _measures(partnership=None):
    from actions.models import Measure

    measures = Measure.objects.order_by("code", "pk")
    return measures if partnership is None else measures.filter(partnership=partnership)


def _lookup(name: str, *, partnership=None) -> Indicator | None:
    measure = _measures(partnership).filter(code=name.removeprefix(MEASURE_PREFIX)).first()
    return _measure_indicator(measure) if measure else None


def _listing(*, partnership=None) -> list[Indicator]:
    seen: dict[str, Indicator] = {}
    for measure in _measures(partnership):
        seen.setdefault(measure.code, _measure_indicator(measure))
    return list(seen.values())


_STATUS_COUNTS = [
    ("actions.plan_actions", "Actions in the approved plan", None),
    ("actions.plan_complete", "Actions complete", "complete"),
    ("actions.plan_green", "Actions on track (green)", "green"),
    ("actions.plan_amber", "Actions at risk (amber)", "amber"),
    ("actions.plan_red", "Actions off track (red)", "red"),
    ("actions.plan_not_started", "Actions not started", "not_started"),
]
INDICATORS = [
    *(
        Indicator(name=name, label=label, unit="count", compute=partial(_count, status))
        for name, label, status in _STATUS_COUNTS
    ),
    Indicator(
        name="actions.plan_complete_pct",
        label="Actions complete (%)",
        unit="percent",
        compute=_complete_pct,
        better="higher",
    ),
    Indicator(
        name="actions.plan_overdue",
        label="Actions past their timescale and not complete",
        unit="count",
        compute=_overdue,
        better="lower",
    ),
]
_SOURCE = IndicatorSource(lookup=_lookup, listing=_listing)


def register_all() -> None:
    for indicator in INDICATORS:
        register(indicator)
    register_source(MEASURE_PREFIX, _SOURCE)

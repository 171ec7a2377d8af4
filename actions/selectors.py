"""Reads of action plans and measures for pages, exports and the API."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import quote

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from actions.models import (
    Action,
    ActionLead,
    ActionStatus,
    Measure,
    MeasureValue,
    Priority,
    ProgressUpdate,
    Strategy,
    StrategyStatus,
)
from actions.quarters import Quarter
from partnership import indicators
from partnership.models import Agency, ChangeRecord, Partnership, User

STATUS_ORDER = [s.value for s in ActionStatus]


def suggested_status(action: Action, today: date) -> tuple[str, str] | None:
    """A computed status beside the one people set: (status, reason), or None if it agrees.

    Past its timescale and not complete suggests red; a milestone past its due date and not
    done suggests amber. Uses the prefetched milestones.
    """
    if action.status == ActionStatus.COMPLETE:
        return None
    if action.timescale_date and action.timescale_date < today:
        suggestion = (ActionStatus.RED.value, "past its timescale and not complete")
    elif any(m.due_date and m.due_date < today and not m.done for m in _milestones(action)):
        suggestion = (ActionStatus.AMBER.value, "a milestone is behind")
    else:
        return None
    if action.status in (suggestion[0], ActionStatus.RED):
        return None
    return suggestion


def _milestones(action: Action) -> list:
    prefetched = getattr(action, "milestone_list", None)
    return prefetched if prefetched is not None else list(action.milestones.all())


@dataclass
class PlanFilters:
    agency: str = ""
    borough: str = ""
    status: str = ""
    overdue: bool = False
    no_update: bool = False
    text: str = ""

    @property
    def active(self) -> bool:
        return any(
            [self.agency, self.borough, self.status, self.overdue, self.no_update, self.text]
        )


STATUS_TAGS = {
    "not_started": "govuk-tag--grey",
    "red": "govuk-tag--red",
    "amber": "govuk-tag--orange",
    "green": "govuk-tag--green",
    "complete": "govuk-tag--blue",
}
STATUS_LABELS = dict(ActionStatus.choices)


def timescale_label(action: Action) -> str:
    if action.timescale_date is None:
        return "Ongoing"
    if action.timescale_kind == "month":
        return action.timescale_date.strftime("%B %Y")
    return f"{action.timescale_date.day} {action.timescale_date:%b %Y}"


def _action_url_maker():
    """Action page URLs for many rows with one `reverse()`."""
    template = reverse("actions:action", kwargs={"slug": "SLUG", "ref": "REF"})

    def url(action: Action) -> str:
        return template.replace("SLUG", action.strategy.slug).replace("REF", quote(action.ref))

    return url


@dataclass
class PlanRowView:
    """One action as a plan row: what the templates show, worked out once in Python."""

    action: Action
    status: str
    suggestion: tuple[str, str] | None
    stale: bool
    last_update: date | None
    url: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def status_class(self) -> str:
        return STATUS_TAGS[self.status]

    @property
    def timescale(self) -> str:
        return timescale_label(self.action)

    @property
    def last_update_label(self) -> str:
        when = self.last_update
        return f"{when.day} {when:%b %Y}" if when else "None yet"


@dataclass
class PriorityGroup:
    priority: Priority
    rows: list[PlanRowView] = field(default_factory=list)


def _filtered(actions: QuerySet[Action], filters: PlanFilters, today: date) -> QuerySet[Action]:
    if filters.agency:
        actions = actions.led_by(filters.agency)
    if filters.borough:
        actions = actions.in_borough(filters.borough)
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.overdue:
        actions = actions.overdue(today)
    if filters.no_update:
        actions = actions.without_update_since(Quarter.containing(today).start)
    if filters.text:
        actions = actions.matching(filters.text)
    return actions.distinct() if (filters.agency or filters.borough) else actions


def action_plan(
    strategy: Strategy, *, filters: PlanFilters, quarter: Quarter | None = None
) -> dict:
    """The plan grouped by priority, with status counts; as it stood at a quarter's end if given.

    A fixed number of queries whatever the number of actions.
    """
    today = timezone.localdate()
    quarter_start = Quarter.containing(today).start
    actions = Action.objects.filter(strategy=strategy).for_plan()
    if quarter is not None:
        actions = actions.existing_on(quarter.end).with_status_on(quarter.end)
        today, quarter_start = quarter.end, quarter.start
    groups = {p.pk: PriorityGroup(p) for p in strategy.priorities.order_by("position", "code")}
    counts: Counter[str] = Counter()
    url = _action_url_maker()
    for action in _filtered(actions, filters, timezone.localdate()):
        status = (action.status_then or "not_started") if quarter else action.status
        last = action.updated_then if quarter else action.last_update_at
        row = PlanRowView(
            action=action,
            status=status,
            suggestion=None if quarter else suggested_status(action, today),
            stale=status != ActionStatus.COMPLETE and (last is None or last < quarter_start),
            last_update=last,
            url=url(action),
        )
        groups[action.priority_id].rows.append(row)
        counts[status] += 1
    return {
        "groups": list(groups.values()),
        "counts": [(s, ActionStatus(s).label, counts[s]) for s in STATUS_ORDER],
        "total": sum(counts.values()),
    }


def plan_filter_choices(strategy: Strategy) -> dict:
    agencies = Agency.objects.filter(action_leads__action__strategy=strategy).distinct()
    return {
        "agencies": list(agencies.order_by("name").values_list("slug", "name")),
        "boroughs": list(
            strategy.partnership.boroughs.order_by("name").values_list("slug", "name")
        ),
        "statuses": ActionStatus.choices,
    }


def past_quarters(strategy: Strategy, count: int = 8) -> list[Quarter]:
    current = Quarter.containing(timezone.localdate())
    first = Quarter.containing(timezone.localtime(strategy.created_at).date())
    return [q for q in current.previous().last(count) if q >= first][::-1]


def action_detail(action: Action) -> dict:
    updates = list(
        action.updates.select_related("author", "agency").order_by("-update_date", "-created_at")
    )
    leads = list(action.leads.select_related("agency"))
    milestones = list(action.milestones.all())
    action_for_suggestion = Action.objects.for_plan().get(pk=action.pk)
    return {
        "updates": updates,
        "leads": leads,
        "milestones": milestones,
        "boroughs": list(action.boroughs.order_by("name")),
        "suggestion": suggested_status(action_for_suggestion, timezone.localdate()),
        "stale": _is_stale(action),
        "live_figure": live_figure(action),
        "changes": list(
            ChangeRecord.objects.filter(object_type="actions.action", object_id=str(action.pk))
            .select_related("actor")
            .order_by("-at")[:20]
        ),
    }


def _is_stale(action: Action) -> bool:
    start = Quarter.containing(timezone.localdate()).start
    return action.status != ActionStatus.COMPLETE and (
        action.last_update_at is None or action.last_update_at < start
    )


def live_figure(action: Action) -> dict | None:
    """The linked registry figure over the last twelve months, for the partnership."""
    if not action.indicator_name:
        return None
    try:
        indicator = indicators.get(action.indicator_name, partnership=action.strategy.partnership)
    except indicators.UnknownIndicator:
        return {"label": action.indicator_name, "value": None, "missing": True}
    end = timezone.localdate()
    start = end - timedelta(days=364)
    value = indicator.value(partnership=action.strategy.partnership, start=start, end=end)
    return {
        "label": indicator.label,
        "unit": indicator.unit,
        "value": value,
        "missing": False,
        "start": start,
        "end": end,
    }


def my_actions(user: User, actions: QuerySet[Action]) -> list[PlanRowView]:
    """The actions a person may post progress on, in live strategies, in a fixed query count."""
    today = timezone.localdate()
    quarter_start = Quarter.containing(today).start
    rows = []
    url = _action_url_maker()
    live = actions.exclude(strategy__status=StrategyStatus.ARCHIVED).for_plan()
    for action in live.order_by("strategy__partnership__name", "strategy__title", "position"):
        rows.append(
            PlanRowView(
                action=action,
                status=action.status,
                suggestion=suggested_status(action, today),
                stale=action.status != ActionStatus.COMPLETE
                and (action.last_update_at is None or action.last_update_at < quarter_start),
                last_update=action.last_update_at,
                url=url(action),
            )
        )
    return rows


def export_actions(strategy: Strategy) -> QuerySet[Action]:
    return (
        Action.objects.filter(strategy=strategy)
        .select_related("priority")
        .prefetch_related(
            Prefetch("leads", queryset=ActionLead.objects.select_related("agency")),
            "milestones",
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.order_by("-update_date", "-created_at"),
                to_attr="latest_updates",
            ),
        )
        .order_by("priority__position", "priority__code", "position", "ref")
    )


def strategies_of(partnership: Partnership, visible: QuerySet[Strategy]) -> list[Strategy]:
    return list(
        visible.filter(partnership=partnership)
        .select_related("approved_by", "lead_officer", "supersedes")
        .order_by("-created_at")
    )


@dataclass
class MeasureRow:
    measure: Measure
    quarters: list[Quarter]
    by_borough: list[tuple[str, list[object]]]
    latest: object
    trend: str


def measures_table(partnership: Partnership, quarters: list[Quarter]) -> list[MeasureRow]:
    """Each measure with its values per borough per quarter, and the direction of travel."""
    boroughs = list(partnership.boroughs.order_by("name"))
    measures = list(
        Measure.objects.filter(partnership=partnership)
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "values",
                queryset=MeasureValue.objects.filter(
                    quarter_end__gte=quarters[0].start, quarter_end__lte=quarters[-1].end
                ),
            )
        )
    )
    rows = []
    for measure in measures:
        grid = {(v.borough_id, v.quarter_end): v.value for v in measure.values.all()}
        by_borough = [(b.name, [grid.get((b.pk, q.end)) for q in quarters]) for b in boroughs]
        totals = [
            indicators_total(measure, [grid.get((b.pk, q.end)) for b in boroughs]) for q in quarters
        ]
        rows.append(MeasureRow(measure, quarters, by_borough, totals[-1], _trend(measure, totals)))
    return rows


def indicators_total(measure: Measure, values: list) -> object:
    present = [v for v in values if v is not None]
    if not present:
        return None
    total = sum(present)
    return total if measure.unit == "count" else total / len(present)


def _trend(measure: Measure, totals: list) -> str:
    present = [t for t in totals if t is not None]
    if len(present) < 2 or present[-1] == present[-2]:
        return "no change" if len(present) >= 2 else "not enough data"
    rising = present[-1] > present[-2]
    improving = rising == (measure.better == "higher")
    return f"{'up' if rising else 'down'}, {'improving' if improving else 'worsening'}"


def approved_strategy(partnership: Partnership) -> Strategy | None:
    """The partnership's one approved strategy, if it has one."""
    return Strategy.objects.filter(partnership=partnership, status=StrategyStatus.APPROVED).first()


def _plan_row(row: PlanRowView, *, end: date, latest: dict[int, ProgressUpdate]) -> dict:
    action = row.action
    leads = sorted(action.lead_list, key=lambda lead: (not lead.is_primary, lead.position))
    update = latest.get(action.pk)
    return {
        "ref": action.ref,
        "title": action.title,
        "status": row.status,
        "status_label": ActionStatus(row.status).label,
        "lead": leads[0].agency.name if leads else "",
        "timescale": action.timescale_date.isoformat() if action.timescale_date else "Ongoing",
        "overdue": bool(
            action.timescale_date and action.timescale_date < end and row.status != "complete"
        ),
        "no_update": row.stale,
        "last_update": update.update_date.isoformat() if update else None,
        "last_narrative": update.narrative if update else "",
    }


def plan_progress(partnership: Partnership, *, start: date, end: date) -> dict | None:
    """The approved plan at the end of a period against the period before, for board reports.

    JSON-ready: status counts per priority with direction of travel, the exceptions (red,
    amber, overdue, no update in the period) with their latest update, and what was completed
    in the period. A fixed number of queries whatever the size of the plan.
    """
    strategy = approved_strategy(partnership)
    if strategy is None:
        return None
    now = action_plan(strategy, filters=PlanFilters(), quarter=Quarter.containing(end))
    before = action_plan(
        strategy, filters=PlanFilters(), quarter=Quarter.containing(start).previous()
    )
    status_before = {row.action.pk: row.status for group in before["groups"] for row in group.rows}
    latest: dict[int, ProgressUpdate] = {}
    for update in ProgressUpdate.objects.filter(
        action__strategy=strategy, update_date__lte=end
    ).order_by("action_id", "-update_date", "-created_at"):
        latest.setdefault(update.action_id, update)
    priorities, exceptions, completed = [], [], []
    for group, old in zip(now["groups"], before["groups"], strict=True):
        counts = Counter(row.status for row in group.rows)
        old_counts = Counter(row.status for row in old.rows)
        priorities.append(
            {
                "code": group.priority.code,
                "title": group.priority.title,
                "counts": {status: counts[status] for status in STATUS_ORDER},
                "total": len(group.rows),
                "direction": _direction(counts, old_counts),
            }
        )
        for row in group.rows:
            data = _plan_row(row, end=end, latest=latest)
            if row.status in ("red", "amber") or data["overdue"] or data["no_update"]:
                exceptions.append(data)
            if row.status == "complete" and status_before.get(row.action.pk) != "complete":
                completed.append(data)
    return {
        "strategy": {"title": strategy.title, "version": strategy.version},
        "status_labels": {status: ActionStatus(status).label for status in STATUS_ORDER},
        "priorities": priorities,
        "totals": {status: count for status, _, count in now["counts"]},
        "total": now["total"],
        "exceptions": exceptions,
        "completed": completed,
    }


def _direction(now: Counter, before: Counter) -> str:
    """Better, worse or the same: the share of actions complete or on track (green)."""

    def share(counts: Counter) -> float:
        total = sum(counts.values())
        return (counts["complete"] + counts["green"]) / total if total else 0.0

    difference = share(now) - share(before)
    if abs(difference) < 0.005:
        return "same"
    return "better" if difference > 0 else "worse"


def strategy_versions(strategy: Strategy) -> list[Strategy]:
    """Every version of the partnership's strategy, newest first."""
    return list(
        Strategy.objects.filter(partnership=strategy.partnership)
        .select_related("approved_by")
        .order_by("-created_at")
    )

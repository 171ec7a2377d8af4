"""Apply an action-plan spreadsheet to a strategy: all rows or none (DESIGN §6)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from actions.models import Action, Priority, ProgressUpdate, Strategy
from actions.services.plan import MilestoneSpec, _set_leads, _set_milestones, action_create
from actions.services.recording import record, shown, stamp
from actions.spreadsheets import PlanRow, PlanTable, SpreadsheetErrors, error
from partnership.models import Agency, AgencyCategory, User
from partnership.services import agency_create


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    priorities_created: list[str] = field(default_factory=list)
    agencies_created: list[str] = field(default_factory=list)
    progress_updates: int = 0


def _agency_index() -> dict[str, Agency]:
    index: dict[str, Agency] = {}
    for agency in Agency.objects.all():
        index[agency.slug.lower()] = agency
        index[agency.name.lower()] = agency
    return index


def _resolve_agencies(
    table: PlanTable, *, create: bool
) -> tuple[dict[str, Agency | None], list[str]]:
    """Map each lead-agency name in the file to an agency; unknown ones are errors or new."""
    index = _agency_index()
    resolved: dict[str, Agency | None] = {}
    problems = []
    for row in table.rows:
        for name in row.lead_agencies:
            agency = index.get(name.lower())
            if agency is None and not create:
                problems.append(error(row.line, "lead_agencies", f"no agency is called {name!r}"))
            resolved.setdefault(name.lower(), agency)
    return resolved, problems


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "agency"
    slug, counter = base, 2
    while Agency.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def action_plan_import(
    *, acting_user: User, strategy: Strategy, table: PlanTable, create_agencies: bool = False
) -> ImportResult:
    """Upsert priorities (by code) and actions (by ref) from the rows. Raises `SpreadsheetErrors`
    with every bad line, having changed nothing, if any row is bad."""
    agencies, problems = _resolve_agencies(table, create=create_agencies)
    if table.errors or problems:
        raise SpreadsheetErrors(table.errors + problems)
    result = ImportResult()
    for key, agency in list(agencies.items()):
        if agency is None:
            name = next(n for r in table.rows for n in r.lead_agencies if n.lower() == key)
            agencies[key] = agency_create(
                acting_user=acting_user,
                name=name,
                slug=_unique_slug(name),
                category=AgencyCategory.OTHER,
                boroughs=strategy.partnership.boroughs.all(),
            )
            result.agencies_created.append(name)
    priorities = _upsert_priorities(acting_user, strategy, table.rows, result)
    existing = {a.ref: a for a in Action.objects.filter(strategy=strategy)}
    for position, row in enumerate(table.rows, start=1):
        leads = [agencies[name.lower()] for name in row.lead_agencies]
        action = existing.get(row.ref)
        if action is None:
            action = _create_action(
                acting_user, priorities[row.priority_code], row, leads, position
            )
            result.created.append(row.ref)
        elif _update_action(
            acting_user, action, priorities[row.priority_code], row, leads, position
        ):
            result.updated.append(row.ref)
        else:
            result.unchanged.append(row.ref)
        result.progress_updates += _record_status(acting_user, action, row)
    record(
        actor=acting_user,
        action="action_plan_import",
        obj=strategy,
        partnership=strategy.partnership,
        detail={
            "created": result.created,
            "updated": result.updated,
            "priorities_created": result.priorities_created,
            "agencies_created": result.agencies_created,
            "progress_updates": result.progress_updates,
        },
    )
    return result


def _upsert_priorities(
    acting_user: User, strategy: Strategy, rows: list[PlanRow], result: ImportResult
) -> dict[str, Priority]:
    priorities = {p.code: p for p in strategy.priorities.all()}
    order = list(dict.fromkeys(row.priority_code for row in rows))
    for position, code in enumerate(order, start=1):
        title = next(row.priority_title for row in rows if row.priority_code == code)
        priority = priorities.get(code)
        if priority is None:
            priority = Priority(strategy=strategy, code=code, title=title, position=position)
            stamp(priority, acting_user, new=True)
            priority.full_clean()
            priority.save()
            priorities[code] = priority
            result.priorities_created.append(code)
        elif (priority.title, priority.position) != (title, position):
            priority.title, priority.position = title, position
            stamp(priority, acting_user, new=False)
            priority.save(update_fields=["title", "position", "updated_at", "updated_by"])
    return priorities


def _row_fields(row: PlanRow) -> dict:
    return {
        "title": row.title,
        "outcomes": row.outcomes,
        "resources": row.resources,
        "resource_amount": row.resource_amount,
        "performance_measures": row.performance_measures,
    }


def _create_action(
    acting_user: User, priority: Priority, row: PlanRow, leads: list[Agency], position: int
) -> Action:
    return action_create(
        acting_user=acting_user,
        priority=priority,
        ref=row.ref,
        lead_agencies=leads,
        milestones=[MilestoneSpec(title) for title in row.sub_actions],
        timescale_kind=row.timescale_kind,
        timescale_date=row.timescale_date,
        position=position,
        **_row_fields(row),
    )


def _update_action(
    acting_user: User,
    action: Action,
    priority: Priority,
    row: PlanRow,
    leads: list[Agency],
    position: int,
) -> bool:
    """Bring an existing action in line with its row; False when nothing differed."""
    wanted = {**_row_fields(row), "priority_id": priority.pk, "position": position}
    # A month exported as its last day comes back as that date: keep it a month.
    if not (action.timescale_kind == "month" and action.timescale_date == row.timescale_date):
        wanted.update(timescale_kind=row.timescale_kind, timescale_date=row.timescale_date)
    changed = {name for name, value in wanted.items() if getattr(action, name) != value}
    lead_ids = [lead.agency_id for lead in action.leads.all()]
    leads_changed = lead_ids != list(dict.fromkeys(a.pk for a in leads))
    milestone_titles = [m.title for m in action.milestones.all()]
    milestones_changed = milestone_titles != row.sub_actions
    if not (changed or leads_changed or milestones_changed):
        return False
    detail = {
        name: {"from": shown(getattr(action, name)), "to": shown(wanted[name])} for name in changed
    }
    for name in changed:
        setattr(action, name, wanted[name])
    if leads_changed:
        _set_leads(action, leads)
    if milestones_changed:
        _set_milestones(action, [MilestoneSpec(t) for t in row.sub_actions])
    action.lock_version += 1
    stamp(action, acting_user, new=False)
    action.full_clean()
    action.save()
    if leads_changed:
        detail["lead_agencies"] = {"from": "", "to": shown([a.name for a in leads])}
    if milestones_changed:
        detail["milestones"] = {"from": shown(milestone_titles), "to": shown(row.sub_actions)}
    record(
        actor=acting_user,
        action="action_update",
        obj=action,
        partnership=action.strategy.partnership,
        detail={
            "ref": action.ref,
            "version": action.lock_version,
            "changed": detail,
        },
    )
    return True


def _record_status(acting_user: User, action: Action, row: PlanRow) -> int:
    """A progress update when the row's status or latest update differs from the action's."""
    latest = action.updates.order_by("-update_date", "-created_at").first()
    narrative = latest.narrative if latest else ""
    status = row.rag or action.status
    if status == action.status and (not row.latest_update or row.latest_update == narrative):
        return 0
    today = timezone.localdate()
    ProgressUpdate.objects.create(
        action=action,
        author=acting_user,
        status=status,
        previous_status=action.status,
        narrative=row.latest_update,
        update_date=today,
    )
    Action.objects.filter(pk=action.pk).update(status=status, last_update_at=today)
    action.status, action.last_update_at = status, today
    return 1

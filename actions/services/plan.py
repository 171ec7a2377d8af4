"""Priorities, actions, milestones and progress updates."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import (
    Action,
    ActionLead,
    ActionStatus,
    Milestone,
    Priority,
    ProgressUpdate,
    Strategy,
    TimescaleKind,
)
from actions.services.recording import record, shown, stamp
from partnership.models import Agency, Borough, ChangeRecord, User

ACTION_TEXT_FIELDS = [
    "priority",
    "ref",
    "title",
    "description",
    "outcomes",
    "resources",
    "resource_amount",
    "timescale_kind",
    "timescale_date",
    "performance_measures",
    "indicator_name",
]
NEEDS_NEXT_STEPS = {ActionStatus.RED, ActionStatus.AMBER}


@dataclass(frozen=True)
class MilestoneSpec:
    title: str
    due_date: date | None = None


class StaleEdit(ValidationError):
    """Someone else saved the action after the person began editing. `changes` says what."""

    def __init__(self, changes: list[dict[str, str]]) -> None:
        super().__init__(
            "Someone else changed this action while you were editing it. Your changes have not "
            "been saved: they are still in the form below. Check them against what changed "
            "and save again.",
            code="stale",
        )
        self.changes = changes


@transaction.atomic
def priority_create(
    *,
    acting_user: User,
    strategy: Strategy,
    code: str,
    title: str,
    description: str = "",
    position: int | None = None,
) -> Priority:
    if position is None:
        position = strategy.priorities.count() + 1
    priority = Priority(
        strategy=strategy, code=code, title=title, description=description, position=position
    )
    stamp(priority, acting_user, new=True)
    priority.full_clean()
    priority.save()
    record(
        actor=acting_user,
        action="priority_create",
        obj=priority,
        partnership=strategy.partnership,
        detail={"code": code},
    )
    return priority


@transaction.atomic
def priority_update(
    *, acting_user: User, priority: Priority, code: str, title: str, description: str, position: int
) -> Priority:
    changed = {}
    for name, value in (
        ("code", code),
        ("title", title),
        ("description", description),
        ("position", position),
    ):
        if getattr(priority, name) != value:
            changed[name] = {"from": shown(getattr(priority, name)), "to": shown(value)}
            setattr(priority, name, value)
    stamp(priority, acting_user, new=False)
    priority.full_clean()
    priority.save()
    record(
        actor=acting_user,
        action="priority_update",
        obj=priority,
        partnership=priority.strategy.partnership,
        detail={"changed": changed},
    )
    return priority


def _check_timescale(kind: str, when: date | None) -> date | None:
    """The due date a timescale stands for: none if ongoing; a month means its last day."""
    if kind == TimescaleKind.ONGOING:
        return None
    if when is None:
        raise ValidationError({"timescale_date": "Enter the date the action is due."})
    if kind == TimescaleKind.MONTH:
        return when.replace(day=calendar.monthrange(when.year, when.month)[1])
    return when


@transaction.atomic
def action_create(
    *,
    acting_user: User,
    priority: Priority,
    ref: str,
    title: str,
    lead_agencies: Sequence[Agency] = (),
    boroughs: Iterable[Borough] | None = None,
    milestones: Sequence[MilestoneSpec] = (),
    timescale_kind: str = TimescaleKind.ONGOING,
    timescale_date: date | None = None,
    position: int | None = None,
    **text: Any,
) -> Action:
    """Add an action under a priority. It applies to all the partnership's boroughs by default."""
    strategy = priority.strategy
    if position is None:
        position = strategy.actions.count() + 1
    action = Action(
        strategy=strategy,
        priority=priority,
        ref=ref,
        title=title,
        timescale_kind=timescale_kind,
        timescale_date=_check_timescale(timescale_kind, timescale_date),
        position=position,
        **text,
    )
    stamp(action, acting_user, new=True)
    action.full_clean()
    action.save()
    action.boroughs.set(strategy.partnership.boroughs.all() if boroughs is None else boroughs)
    _set_leads(action, lead_agencies)
    _set_milestones(action, milestones)
    record(
        actor=acting_user,
        action="action_create",
        obj=action,
        partnership=strategy.partnership,
        detail={"ref": ref, "version": action.lock_version},
    )
    return action


def _set_leads(action: Action, agencies: Sequence[Agency]) -> None:
    unique = list(dict.fromkeys(agencies))
    action.leads.all().delete()
    ActionLead.objects.bulk_create(
        ActionLead(action=action, agency=agency, is_primary=index == 0, position=index)
        for index, agency in enumerate(unique)
    )


def _set_milestones(action: Action, specs: Sequence[MilestoneSpec]) -> None:
    """Keep milestones whose title is unchanged (with their done flag); replace the rest."""
    existing = {m.title: m for m in action.milestones.all()}
    wanted = [spec.title for spec in specs]
    action.milestones.exclude(title__in=wanted).delete()
    for index, spec in enumerate(specs):
        milestone = existing.get(spec.title) or Milestone(action=action, title=spec.title)
        milestone.due_date, milestone.position = spec.due_date, index
        milestone.full_clean(exclude=["action"])
        milestone.save()


def _lead_names(action: Action) -> list[str]:
    return [lead.agency.name for lead in action.leads.select_related("agency")]


@transaction.atomic
def action_update(
    *,
    acting_user: User,
    action: Action,
    expected_version: int,
    lead_agencies: Sequence[Agency] | None = None,
    boroughs: Iterable[Borough] | None = None,
    milestones: Sequence[MilestoneSpec] | None = None,
    **fields: Any,
) -> Action:
    """Change an action's structure. Optimistic locking: the second of two concurrent edits is
    refused with `StaleEdit`, listing what the first changed, and nothing is lost."""
    action = (
        Action.objects.select_for_update().select_related("strategy__partnership").get(pk=action.pk)
    )
    if action.lock_version != expected_version:
        raise StaleEdit(changes_since(action, expected_version))
    changed = _apply_fields(action, fields)
    if lead_agencies is not None and [a.name for a in lead_agencies] != _lead_names(action):
        changed["lead_agencies"] = {
            "from": shown(_lead_names(action)),
            "to": shown([a.name for a in lead_agencies]),
        }
        _set_leads(action, lead_agencies)
    if boroughs is not None:
        _update_boroughs(action, list(boroughs), changed)
    if milestones is not None:
        _update_milestones(action, milestones, changed)
    action.timescale_date = _check_timescale(action.timescale_kind, action.timescale_date)
    action.lock_version += 1
    stamp(action, acting_user, new=False)
    action.full_clean()
    action.save()
    record(
        actor=acting_user,
        action="action_update",
        obj=action,
        partnership=action.strategy.partnership,
        detail={"ref": action.ref, "version": action.lock_version, "changed": changed},
    )
    return action


def _apply_fields(action: Action, fields: dict[str, Any]) -> dict[str, dict[str, str]]:
    changed = {}
    for name in ACTION_TEXT_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if name == "resource_amount" and value is not None:
            value = Decimal(value)
        if getattr(action, name) != value:
            changed[name] = {"from": shown(getattr(action, name)), "to": shown(value)}
            setattr(action, name, value)
    return changed


def _update_boroughs(action: Action, boroughs: list[Borough], changed: dict) -> None:
    before = sorted(b.name for b in action.boroughs.all())
    after = sorted(b.name for b in boroughs)
    if before != after:
        changed["boroughs"] = {"from": shown(before), "to": shown(after)}
        action.boroughs.set(boroughs)


def _update_milestones(action: Action, specs: Sequence[MilestoneSpec], changed: dict) -> None:
    before = [(m.title, m.due_date) for m in action.milestones.all()]
    after = [(s.title, s.due_date) for s in specs]
    if before != after:
        changed["milestones"] = {
            "from": shown([t for t, _ in before]),
            "to": shown([t for t, _ in after]),
        }
        _set_milestones(action, specs)


FIELD_LABELS = {
    "priority": "Priority",
    "ref": "Reference",
    "title": "Title",
    "description": "Description",
    "outcomes": "Outcomes",
    "resources": "Resources",
    "resource_amount": "Amount in pounds",
    "timescale_kind": "Timescale",
    "timescale_date": "Due date",
    "performance_measures": "Performance measures",
    "indicator_name": "Linked figure",
    "lead_agencies": "Lead agencies",
    "boroughs": "Boroughs",
    "milestones": "Sub-actions and milestones",
}


def changes_since(action: Action, version: int) -> list[dict[str, str]]:
    """What was changed on the action after `version`: field, new value, who and when."""
    records = (
        ChangeRecord.objects.filter(
            object_type=action._meta.label_lower,
            object_id=str(action.pk),
            action="action_update",
            detail__version__gt=version,
        )
        .select_related("actor")
        .order_by("at")
    )
    return [
        {
            "field": FIELD_LABELS.get(name, name),
            "value": values["to"],
            "by": str(rec.actor),
            "at": timezone.localtime(rec.at).strftime("%-d %B %Y at %H:%M"),
        }
        for rec in records
        for name, values in rec.detail.get("changed", {}).items()
    ]


@transaction.atomic
def action_progress_record(
    *,
    acting_user: User,
    action: Action,
    status: str,
    narrative: str,
    next_steps: str = "",
    agency: Agency | None = None,
    update_date: date | None = None,
    milestones_done: Iterable[Milestone] = (),
) -> ProgressUpdate:
    """Append a progress update and set the action's status to it.

    A change to red or amber needs a narrative and what will be done about it. Ticking
    milestones done here records them as done on the update's date.
    """
    action = (
        Action.objects.select_for_update().select_related("strategy__partnership").get(pk=action.pk)
    )
    update_date = update_date or timezone.localdate()
    _check_progress(action, status, narrative, next_steps, update_date)
    update = ProgressUpdate(
        action=action,
        author=acting_user,
        agency=agency,
        status=status,
        previous_status=action.status,
        narrative=narrative.strip(),
        next_steps=next_steps.strip(),
        update_date=update_date,
    )
    update.full_clean()
    update.save()
    done = [m for m in milestones_done if m.action_id == action.pk and not m.done]
    for milestone in done:
        milestone.done, milestone.done_on = True, update_date
        milestone.save(update_fields=["done", "done_on"])
    _apply_latest_status(action)
    record(
        actor=acting_user,
        action="action_progress",
        obj=action,
        partnership=action.strategy.partnership,
        detail={
            "ref": action.ref,
            "update": update.pk,
            "from": update.previous_status,
            "to": status,
            "milestones_done": [m.pk for m in done],
        },
    )
    return update


def _check_progress(
    action: Action, status: str, narrative: str, next_steps: str, update_date: date
) -> None:
    errors: dict[str, str] = {}
    if status not in ActionStatus.values:
        errors["status"] = "Choose a status."
    if not narrative.strip():
        errors["narrative"] = "Say what progress has been made."
    turning = status in NEEDS_NEXT_STEPS and status != action.status
    if turning and not next_steps.strip():
        errors["next_steps"] = (
            f"Say what will be done to bring the action back on track, as it is now "
            f"{ActionStatus(status).label.lower()}."
        )
    if update_date > timezone.localdate():
        errors["update_date"] = "The date of an update cannot be in the future."
    if errors:
        raise ValidationError(errors)


def _apply_latest_status(action: Action) -> None:
    """The action's status and last update date are those of its latest update."""
    latest = action.updates.order_by("-update_date", "-created_at").first()
    if latest is None:
        return
    action.status, action.last_update_at = latest.status, latest.update_date
    action.save(update_fields=["status", "last_update_at"])

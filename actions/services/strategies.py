"""Strategy versions and their document control."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Action, ActionLead, Milestone, Priority, Strategy, StrategyStatus
from actions.services.recording import record, shown, stamp
from partnership.models import Board, Partnership, User

DOCUMENT_FIELDS = [
    "title",
    "period_start",
    "period_end",
    "version",
    "owner",
    "lead_officer",
    "review_date",
    "target_audience",
    "related_documents",
]

# Which status may follow which; approval archives the partnership's approved version.
TRANSITIONS = {
    StrategyStatus.DRAFT: {StrategyStatus.CONSULTATION, StrategyStatus.APPROVED},
    StrategyStatus.CONSULTATION: {StrategyStatus.DRAFT, StrategyStatus.APPROVED},
    StrategyStatus.APPROVED: {StrategyStatus.ARCHIVED},
    StrategyStatus.ARCHIVED: set(),
}


@transaction.atomic
def strategy_create(
    *, acting_user: User, partnership: Partnership, slug: str, title: str, **document: Any
) -> Strategy:
    """A new strategy, always a draft."""
    strategy = Strategy(partnership=partnership, slug=slug, title=title, **document)
    strategy.status = StrategyStatus.DRAFT
    stamp(strategy, acting_user, new=True)
    strategy.full_clean()
    strategy.save()
    record(actor=acting_user, action="strategy_create", obj=strategy, partnership=partnership)
    return strategy


@transaction.atomic
def strategy_update(
    *, acting_user: User, strategy: Strategy, expected_version: int, **document: Any
) -> Strategy:
    """Change the document control. Refused if someone else saved since `expected_version`."""
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    if strategy.lock_version != expected_version:
        raise ValidationError(
            "Someone else changed this strategy's details while you were editing. "
            "Your changes are below; check them against the current details and save again.",
            code="stale",
        )
    changed = {}
    for name in DOCUMENT_FIELDS:
        if name in document and getattr(strategy, name) != document[name]:
            changed[name] = {"from": shown(getattr(strategy, name)), "to": shown(document[name])}
            setattr(strategy, name, document[name])
    strategy.lock_version += 1
    stamp(strategy, acting_user, new=False)
    strategy.full_clean()
    strategy.save()
    record(
        actor=acting_user,
        action="strategy_update",
        obj=strategy,
        partnership=strategy.partnership,
        detail={"version": strategy.lock_version, "changed": changed},
    )
    return strategy


@transaction.atomic
def strategy_set_status(
    *,
    acting_user: User,
    strategy: Strategy,
    status: str,
    approved_by: Board | None = None,
    approved_on: date | None = None,
) -> Strategy:
    """Move a strategy through draft, consultation, approved and archived.

    Approving needs the approving board (of the same partnership) and archives the version that
    was approved before, so a partnership has one approved strategy at a time.
    """
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    if status not in TRANSITIONS[StrategyStatus(strategy.status)]:
        raise ValidationError(
            f"A strategy that is {strategy.get_status_display().lower()} cannot become "
            f"{StrategyStatus(status).label.lower()}."
        )
    fields = ["status", "updated_at", "updated_by", "lock_version"]
    if status == StrategyStatus.APPROVED:
        if approved_by is None or approved_by.partnership_id != strategy.partnership_id:
            raise ValidationError({"approved_by": "Choose the board that approved it."})
        _archive_approved(acting_user, strategy)
        strategy.approved_by = approved_by
        strategy.approved_on = approved_on or timezone.localdate()
        fields += ["approved_by", "approved_on"]
    previous = strategy.status
    strategy.status = status
    strategy.lock_version += 1
    stamp(strategy, acting_user, new=False)
    strategy.save(update_fields=fields)
    record(
        actor=acting_user,
        action="strategy_status",
        obj=strategy,
        partnership=strategy.partnership,
        detail={"from": previous, "to": status, "version": strategy.lock_version},
    )
    return strategy


def _archive_approved(acting_user: User, strategy: Strategy) -> None:
    current = (
        Strategy.objects.select_for_update()
        .filter(partnership=strategy.partnership, status=StrategyStatus.APPROVED)
        .exclude(pk=strategy.pk)
        .first()
    )
    if current is not None:
        strategy_set_status(
            acting_user=acting_user, strategy=current, status=StrategyStatus.ARCHIVED
        )


@transaction.atomic
def strategy_new_version(
    *, acting_user: User, source: Strategy, slug: str, version: str
) -> Strategy:
    """A draft copy of `source` (priorities, actions, leads, boroughs, milestones) superseding it.

    Progress updates stay with the version they were written against; the copy keeps each
    action's current status as its starting point.
    """
    document = {name: getattr(source, name) for name in DOCUMENT_FIELDS}
    document["version"] = version
    copy = strategy_create(
        acting_user=acting_user,
        partnership=source.partnership,
        slug=slug,
        **document,
    )
    copy.supersedes = source
    copy.save(update_fields=["supersedes"])
    for priority in source.priorities.order_by("position"):
        new_priority = Priority.objects.create(
            strategy=copy,
            code=priority.code,
            title=priority.title,
            description=priority.description,
            position=priority.position,
            created_by=acting_user,
            updated_by=acting_user,
        )
        for action in priority.actions.order_by("position"):
            _copy_action(acting_user, action, copy, new_priority)
    record(
        actor=acting_user,
        action="strategy_new_version",
        obj=copy,
        partnership=copy.partnership,
        detail={"supersedes": source.pk},
    )
    return copy


def _copy_action(acting_user: User, action: Action, strategy: Strategy, priority: Priority) -> None:
    leads = list(action.leads.all())
    boroughs = list(action.boroughs.all())
    milestones = list(action.milestones.all())
    action.pk = None
    action._state.adding = True
    action.strategy, action.priority, action.lock_version = strategy, priority, 1
    stamp(action, acting_user, new=True)
    action.save()
    action.boroughs.set(boroughs)
    ActionLead.objects.bulk_create(
        ActionLead(
            action=action,
            agency_id=lead.agency_id,
            is_primary=lead.is_primary,
            position=lead.position,
        )
        for lead in leads
    )
    Milestone.objects.bulk_create(
        Milestone(
            action=action,
            title=m.title,
            due_date=m.due_date,
            done=m.done,
            done_on=m.done_on,
            position=m.position,
        )
        for m in milestones
    )

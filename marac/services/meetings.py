"""Meetings and agendas: dates, listing cases (late and emergency additions recorded as such),
circulating the agenda (which opens the agenda lens to member agencies' representatives),
marking items heard, and agency actions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from marac.models import (
    ActionFocus,
    AgendaItem,
    AgendaItemKind,
    Case,
    CaseAction,
    CaseActionStatus,
    CaseStatus,
    Marac,
    Meeting,
)
from marac.services.recording import record, stamp
from marac.services.referrals import move_case
from partnership.models import Agency, User

LISTABLE = {CaseStatus.ACCEPTED, CaseStatus.LISTED, CaseStatus.HEARD}


@transaction.atomic
def meeting_create(*, acting_user: User, marac: Marac, date: date) -> Meeting:
    if Meeting.objects.filter(marac=marac, date=date).exists():
        raise ValidationError({"date": "This MARAC already meets on that date."})
    meeting = Meeting(marac=marac, date=date)
    stamp(meeting, acting_user, new=True)
    meeting.full_clean(validate_constraints=False)
    meeting.save()
    record(acting_user=acting_user, action="meeting_create", obj=meeting, marac=marac)
    return meeting


def _kind_for(case: Case, kind: str | None) -> str:
    if kind:
        return kind
    if case.status == CaseStatus.HEARD:
        return AgendaItemKind.REVIEW
    return AgendaItemKind.REPEAT if case.referral.is_repeat else AgendaItemKind.NEW


def _listing_errors(meeting: Meeting, case: Case, kind: str, *, historical: bool) -> str | None:
    if case.marac_id != meeting.marac_id:
        return "The case belongs to another MARAC."
    if case.status not in LISTABLE:
        return "Only an accepted case can be listed."
    if kind not in AgendaItemKind.values:
        return "Choose new, repeat, review or emergency."
    if historical or kind in (AgendaItemKind.EMERGENCY, AgendaItemKind.REVIEW):
        return None
    if meeting.agenda_circulated_at is not None:
        return "The agenda has been circulated: only emergency items can be added."
    if case.referral.referral_date > referral_cutoff(meeting):
        return "The referral came after this meeting's cut-off: list it as an emergency."
    return None


@transaction.atomic
def agenda_item_add(
    *,
    acting_user: User,
    meeting: Meeting,
    case: Case,
    kind: str | None = None,
    historical: bool = False,
) -> AgendaItem:
    """List a case at a meeting (new or repeat by its stored status, unless `kind` is given)."""
    meeting = Meeting.objects.select_for_update().select_related("marac").get(pk=meeting.pk)
    kind = _kind_for(case, kind)
    error = _listing_errors(meeting, case, kind, historical=historical)
    if error:
        raise ValidationError({"case": error})
    if AgendaItem.objects.filter(meeting=meeting, case=case).exists():
        raise ValidationError({"case": "The case is already on this agenda."})
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    late = not historical and (
        meeting.agenda_circulated_at is not None
        or case.referral.referral_date > referral_cutoff(meeting)
    )
    item = AgendaItem(meeting=meeting, case=case, kind=kind, position=last + 1, late=late)
    stamp(item, acting_user, new=True)
    item.save()
    move_case(case, CaseStatus.LISTED, acting_user)
    record(
        acting_user=acting_user,
        action="agenda_item_add",
        obj=item,
        marac=meeting.marac,
        detail={"case": case.pk, "meeting": meeting.pk, "kind": kind, "late": late},
    )
    return item


def referral_cutoff(meeting: Meeting) -> date:
    """The last referral date listed as new or repeat; later ones come only as emergencies."""
    return meeting.date - timedelta(days=meeting.marac.referral_cutoff_days)


@transaction.atomic
def agenda_items_add(
    *, acting_user: User, meeting: Meeting, cases: Sequence[Case], kind: str | None = None
) -> list[AgendaItem]:
    """List several cases at once (the agenda builder); all or none."""
    if not cases:
        raise ValidationError({"cases": "Choose at least one case."})
    return [
        agenda_item_add(acting_user=acting_user, meeting=meeting, case=case, kind=kind)
        for case in cases
    ]


@transaction.atomic
def agenda_circulate(*, acting_user: User, meeting: Meeting, at=None) -> Meeting:
    """Send the agenda to member agencies: their representatives gain the agenda lens."""
    if meeting.agenda_circulated_at is not None:
        raise ValidationError("This agenda has already been circulated.")
    if not meeting.items.exists():
        raise ValidationError("List at least one case before circulating the agenda.")
    meeting.agenda_circulated_at = at or timezone.now()
    meeting.agenda_circulated_by = acting_user
    stamp(meeting, acting_user, new=False)
    meeting.save(
        update_fields=[
            "agenda_circulated_at",
            "agenda_circulated_by",
            "updated_at",
            "updated_by",
        ]
    )
    record(acting_user=acting_user, action="agenda_circulate", obj=meeting, marac=meeting.marac)
    return meeting


@transaction.atomic
def agenda_item_mark_heard(*, acting_user: User, item: AgendaItem, at=None) -> AgendaItem:
    """Record that the meeting heard a listed case."""
    meeting = Meeting.objects.select_related("marac").get(pk=item.meeting_id)
    if meeting.agenda_circulated_at is None:
        raise ValidationError("Circulate the agenda before the meeting hears its cases.")
    if meeting.date > timezone.localdate():
        raise ValidationError("The meeting has not happened yet.")
    if item.heard_at is not None:
        raise ValidationError("This item has already been heard.")
    item.heard_at = at or timezone.now()
    stamp(item, acting_user, new=False)
    item.save(update_fields=["heard_at", "updated_at", "updated_by"])
    move_case(item.case, CaseStatus.HEARD, acting_user)
    record(
        acting_user=acting_user,
        action="agenda_item_mark_heard",
        obj=item,
        marac=meeting.marac,
        detail={"case": item.case_id, "meeting": meeting.pk},
    )
    return item


@transaction.atomic
def meeting_record_heard(
    *,
    acting_user: User,
    meeting: Meeting,
    cases: Sequence[Case],
    reviews: Sequence[Case] = (),
    circulated_at: datetime,
    heard_at: datetime,
) -> list[AgendaItem]:
    """Record a past meeting in one go (historical imports, demo data): the accepted `cases`
    (new or repeat by their stored status) and `reviews` were listed, the agenda circulated,
    and every item heard. Cut-off rules do not apply to history."""
    if meeting.date > timezone.localdate():
        raise ValidationError("The meeting has not happened yet.")
    for case in [*cases, *reviews]:
        error = _listing_errors(meeting, case, AgendaItemKind.REVIEW, historical=True)
        if error:
            raise ValidationError({"case": error})
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    kinds = [_kind_for(case, None) for case in cases] + [AgendaItemKind.REVIEW] * len(reviews)
    items = []
    for position, (case, kind) in enumerate(zip([*cases, *reviews], kinds, strict=True)):
        item = AgendaItem(
            meeting=meeting, case=case, kind=kind, position=last + position + 1, heard_at=heard_at
        )
        stamp(item, acting_user, new=True)
        items.append(item)
    AgendaItem.objects.bulk_create(items)
    Case.objects.filter(pk__in=[c.pk for c in [*cases, *reviews]]).update(
        status=CaseStatus.HEARD, updated_at=timezone.now(), updated_by=acting_user
    )
    if meeting.agenda_circulated_at is None:
        meeting.agenda_circulated_at = circulated_at
        meeting.agenda_circulated_by = acting_user
        meeting.save(update_fields=["agenda_circulated_at", "agenda_circulated_by"])
    record(
        acting_user=acting_user,
        action="meeting_record_heard",
        obj=meeting,
        marac=meeting.marac,
        detail={"cases": [c.pk for c in cases], "reviews": [c.pk for c in reviews]},
    )
    return items


@transaction.atomic
def case_action_create(
    *,
    acting_user: User,
    case: Case,
    owner_agency: Agency,
    text: str,
    meeting: Meeting | None = None,
    due_on: date | None = None,
    focus: str = ActionFocus.VICTIM,
) -> CaseAction:
    """An action for one agency; while it is open, that agency keeps the agenda lens."""
    if not text.strip():
        raise ValidationError({"text": "Say what the agency is to do."})
    if focus not in ActionFocus.values:
        raise ValidationError({"focus": "Choose the victim, children, perpetrator or other."})
    if meeting is not None and meeting.marac_id != case.marac_id:
        raise ValidationError({"meeting": "The meeting belongs to another MARAC."})
    if meeting is not None and meeting.minutes_approved_at is not None:
        raise ValidationError("The minutes of this meeting are approved: no more actions.")
    action = CaseAction(
        case=case,
        meeting=meeting,
        owner_agency=owner_agency,
        text=text.strip(),
        due_on=due_on,
        focus=focus,
    )
    stamp(action, acting_user, new=True)
    action.save()
    record(
        acting_user=acting_user,
        action="case_action_create",
        obj=action,
        marac=case.marac,
        detail={"case": case.pk, "agency": owner_agency.pk},
    )
    return action


@dataclass(frozen=True)
class AgreedAction:
    case: Case
    owner_agency: Agency
    text: str
    due_on: date | None = None
    status: str = CaseActionStatus.OPEN
    focus: str = ActionFocus.VICTIM


@transaction.atomic
def meeting_actions_record(
    *, acting_user: User, meeting: Meeting, actions: Sequence[AgreedAction]
) -> list[CaseAction]:
    """Actions agreed at a meeting, recorded together (from the minutes, or history with its
    outcomes already known)."""
    rows = []
    for agreed in actions:
        if agreed.case.marac_id != meeting.marac_id:
            raise ValidationError({"case": "The case belongs to another MARAC."})
        closed = agreed.status != CaseActionStatus.OPEN
        row = CaseAction(
            case=agreed.case,
            meeting=meeting,
            owner_agency=agreed.owner_agency,
            text=agreed.text,
            due_on=agreed.due_on,
            status=agreed.status,
            focus=agreed.focus,
            closed_at=timezone.now() if closed else None,
        )
        stamp(row, acting_user, new=True)
        rows.append(row)
    CaseAction.objects.bulk_create(rows)
    record(
        acting_user=acting_user,
        action="meeting_actions_record",
        obj=meeting,
        marac=meeting.marac,
        detail={"actions": [row.pk for row in rows]},
    )
    return rows


@transaction.atomic
def case_action_close(*, acting_user: User, action: CaseAction, status: str) -> CaseAction:
    """Close an action as done, not possible (circumstances changed) or not done by the agency."""
    if action.status != CaseActionStatus.OPEN:
        raise ValidationError("This action is already closed.")
    if status not in CaseActionStatus.values or status == CaseActionStatus.OPEN:
        raise ValidationError({"status": "Choose done, not possible or not done."})
    action.status = status
    action.closed_at = timezone.now()
    stamp(action, acting_user, new=False)
    action.save(update_fields=["status", "closed_at", "updated_at", "updated_by"])
    record(
        acting_user=acting_user,
        action="case_action_close",
        obj=action,
        marac=action.case.marac,
        detail={"case": action.case_id, "status": status},
    )
    return action

"""The meeting day and after: attendance, each agency's research, the minute of each item (with
drafts saved as it is typed), the review of open actions, agencies' updates to their own
actions, and the chair's approval, which circulates the minutes.

Who may call each is decided by `marac.permissions` before the call; the rules of the process
are here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from marac.models import (
    MINUTE_FIELDS,
    AgendaItem,
    Attendance,
    AttendanceKind,
    CaseAction,
    CaseActionStatus,
    MaracMemberAgency,
    Meeting,
    Minute,
    MinuteDraft,
    Research,
)
from marac.services.meetings import agenda_item_mark_heard
from marac.services.recording import record, stamp
from partnership.models import Agency, User

MINUTE_FIELD_LENGTH = 20_000
AGENCY_OUTCOMES = (CaseActionStatus.DONE, CaseActionStatus.NOT_POSSIBLE)
REVIEW_OUTCOMES = (CaseActionStatus.DONE, CaseActionStatus.NOT_POSSIBLE, CaseActionStatus.NOT_DONE)


def working_days_after(day: date, days: int) -> date:
    """The date `days` working days (Monday to Friday) after `day`. Bank holidays are not
    known to the portal, so a MARAC that needs them sets a longer period."""
    current = day
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def minutes_due_on(meeting: Meeting) -> date:
    return working_days_after(meeting.date, meeting.marac.minutes_working_days)


def research_due_on(meeting: Meeting) -> date:
    return meeting.date - timedelta(days=meeting.marac.research_due_days)


def _refuse_after_approval(meeting: Meeting) -> None:
    if meeting.minutes_approved_at is not None:
        raise ValidationError("The minutes of this meeting are approved and cannot change.")


def _refuse_before_meeting(meeting: Meeting) -> None:
    if meeting.date > timezone.localdate():
        raise ValidationError("The meeting has not happened yet.")


def _attendance_errors(
    kind: str, name: str, confidentiality_signed: bool, information_sent: bool
) -> dict[str, str]:
    errors = {}
    if not name.strip():
        errors["name"] = "Enter the person's name."
    if kind not in AttendanceKind.values:
        errors["kind"] = "Choose representative, observer or apologies."
    elif kind == AttendanceKind.APOLOGIES and confidentiality_signed:
        errors["confidentiality_signed"] = "Someone who sent apologies did not sign on the day."
    elif kind != AttendanceKind.APOLOGIES and not confidentiality_signed:
        errors["confidentiality_signed"] = (
            "Everyone at the meeting signs the confidentiality statement first."
        )
    if information_sent and kind != AttendanceKind.APOLOGIES:
        errors["information_sent"] = "Only an agency that sent apologies sends information instead."
    return errors


@transaction.atomic
def attendance_record(
    *,
    acting_user: User,
    meeting: Meeting,
    agency: Agency,
    name: str,
    kind: str,
    confidentiality_signed: bool = False,
    information_sent: bool = False,
    user: User | None = None,
) -> Attendance:
    """Who came for an agency (representative or observer, having signed the confidentiality
    statement), or the agency's apologies and whether it sent its information instead."""
    _refuse_after_approval(meeting)
    errors = _attendance_errors(kind, name, confidentiality_signed, information_sent)
    if errors:
        raise ValidationError(errors)
    if Attendance.objects.filter(meeting=meeting, agency=agency, name=name.strip()).exists():
        raise ValidationError({"name": "This person is already recorded for this agency."})
    row = Attendance(
        meeting=meeting,
        agency=agency,
        user=user,
        name=name.strip(),
        kind=kind,
        confidentiality_signed=confidentiality_signed,
        information_sent=information_sent,
    )
    stamp(row, acting_user, new=True)
    row.save()
    record(
        acting_user=acting_user,
        action="attendance_record",
        obj=row,
        marac=meeting.marac,
        detail={"meeting": meeting.pk, "agency": agency.pk, "kind": kind},
    )
    return row


@transaction.atomic
def research_save(
    *,
    acting_user: User,
    item: AgendaItem,
    agency: Agency | int,
    findings: str,
    withheld: bool = False,
    withheld_reason: str = "",
) -> Research:
    """An agency's research on a listed case (created or replaced) until the meeting hears it.
    Anything withheld carries a reason."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    item = AgendaItem.objects.select_related("meeting__marac").get(pk=item.pk)
    if item.meeting.agenda_circulated_at is None:
        raise ValidationError("The agenda has not been circulated yet.")
    if item.heard_at is not None:
        raise ValidationError("The meeting has heard this case: research is closed.")
    member = MaracMemberAgency.objects.filter(
        marac_id=item.meeting.marac_id, agency_id=agency_id, left_on__isnull=True
    )
    if not member.exists():
        raise ValidationError("Only a member agency of the MARAC adds research.")
    errors = {}
    if withheld and not withheld_reason.strip():
        errors["withheld_reason"] = "Say why the information is withheld."
    if not withheld and not findings.strip():
        errors["findings"] = "Enter what your agency holds, or say that it holds nothing."
    if errors:
        raise ValidationError(errors)
    row = Research.objects.filter(item=item, agency_id=agency_id).first()
    new = row is None
    row = row or Research(item=item, agency_id=agency_id)
    row.findings = findings.strip()
    row.withheld = withheld
    row.withheld_reason = withheld_reason.strip() if withheld else ""
    stamp(row, acting_user, new=new)
    row.save()
    record(
        acting_user=acting_user,
        action="research_save",
        obj=row,
        marac=item.meeting.marac,
        detail={"item": item.pk, "agency": agency_id, "withheld": withheld},
    )
    return row


def _clean_minute_text(text: dict[str, Any]) -> dict[str, str]:
    cleaned = {}
    for name in MINUTE_FIELDS:
        value = text.get(name, "")
        if not isinstance(value, str):
            raise ValidationError({name: "Enter text."})
        if len(value) > MINUTE_FIELD_LENGTH:
            raise ValidationError({name: f"Keep this under {MINUTE_FIELD_LENGTH:,} characters."})
        cleaned[name] = value
    return cleaned


@transaction.atomic
def minute_save(
    *, acting_user: User, item: AgendaItem, risks: str, victim_voice: str, decisions: str
) -> Minute:
    """The minute of an item (the Save button): the meeting has heard the case, so the item is
    marked heard; the person's draft of it is cleared."""
    item = AgendaItem.objects.select_related("meeting__marac", "case").get(pk=item.pk)
    _refuse_after_approval(item.meeting)
    text = _clean_minute_text(
        {"risks": risks, "victim_voice": victim_voice, "decisions": decisions}
    )
    if not text["decisions"].strip():
        raise ValidationError({"decisions": "Record what the meeting decided."})
    if item.heard_at is None:
        agenda_item_mark_heard(acting_user=acting_user, item=item)
    minute = Minute.objects.filter(item=item).first()
    new = minute is None
    minute = minute or Minute(item=item)
    for name, value in text.items():
        setattr(minute, name, value.strip())
    stamp(minute, acting_user, new=new)
    minute.save()
    MinuteDraft.objects.filter(item=item, user=acting_user).delete()
    record(
        acting_user=acting_user,
        action="minute_save",
        obj=minute,
        marac=item.meeting.marac,
        detail={"item": item.pk, "case": item.case_id},
    )
    return minute


@transaction.atomic
def minute_draft_save(*, acting_user: User, item: AgendaItem, text: dict[str, Any]) -> MinuteDraft:
    """Keep what is being typed into a minute, as it is typed. A draft is the typist's own
    working copy, not the record: it is saved without validation or a change record (it would
    write one every few seconds), and the minute itself is recorded when saved."""
    meeting = Meeting.objects.get(pk=item.meeting_id)
    _refuse_after_approval(meeting)
    cleaned = _clean_minute_text(text)
    draft, _ = MinuteDraft.objects.update_or_create(
        item=item, user=acting_user, defaults={"text": cleaned, "saved_at": timezone.now()}
    )
    return draft


def minute_text_for(user: User, item: AgendaItem) -> tuple[dict[str, str], MinuteDraft | None]:
    """What the minute form shows: the person's draft when it is newer than the saved minute."""
    minute = Minute.objects.filter(item=item).first()
    saved = {name: getattr(minute, name) if minute else "" for name in MINUTE_FIELDS}
    draft = MinuteDraft.objects.filter(item=item, user=user).first()
    if draft is None or (minute is not None and draft.saved_at <= minute.updated_at):
        return saved, None
    text = {name: draft.text.get(name, "") for name in MINUTE_FIELDS}
    if minute is not None and all(text[n].strip() == saved[n] for n in MINUTE_FIELDS):
        return saved, None  # a save that landed just after the minute's, saying the same
    return text, draft


def actions_for_review(meeting: Meeting) -> QuerySet[CaseAction]:
    """Open actions agreed at the MARAC's earlier meetings: this meeting reviews each one."""
    return CaseAction.objects.filter(
        case__marac_id=meeting.marac_id,
        status=CaseActionStatus.OPEN,
        meeting__date__lt=meeting.date,
    ).select_related("case", "owner_agency", "meeting")


@transaction.atomic
def case_action_review(
    *, acting_user: User, meeting: Meeting, action: CaseAction, status: str
) -> CaseAction:
    """The meeting reviews an open action from an earlier meeting and closes it: done, not
    possible because circumstances changed, or not done by the agency."""
    action = (
        CaseAction.objects.select_for_update(of=("self",))
        .select_related("meeting", "case")
        .get(pk=action.pk)
    )
    _refuse_after_approval(meeting)
    _refuse_before_meeting(meeting)
    if action.case.marac_id != meeting.marac_id or action.meeting is None:
        raise ValidationError("This action is not for this MARAC's review.")
    if action.meeting.date >= meeting.date:
        raise ValidationError("An action is reviewed at a later meeting than the one agreeing it.")
    if action.status != CaseActionStatus.OPEN:
        raise ValidationError("This action is already closed.")
    if status not in REVIEW_OUTCOMES:
        raise ValidationError({"status": "Choose done, not possible or not done."})
    action.status = status
    action.closed_at = timezone.now()
    action.review_meeting = meeting
    stamp(action, acting_user, new=False)
    action.save(update_fields=["status", "closed_at", "review_meeting", "updated_at", "updated_by"])
    record(
        acting_user=acting_user,
        action="case_action_review",
        obj=action,
        marac=meeting.marac,
        detail={"case": action.case_id, "meeting": meeting.pk, "status": status},
    )
    return action


@transaction.atomic
def case_action_update(
    *, acting_user: User, action: CaseAction, status: str, note: str = ""
) -> CaseAction:
    """The owner agency's update of its own action: a progress note, or done, or not possible
    because circumstances changed. "Not done" is the meeting's finding at review."""
    action = (
        CaseAction.objects.select_for_update(of=("self",))
        .select_related("case__marac")
        .get(pk=action.pk)
    )
    if action.status != CaseActionStatus.OPEN:
        raise ValidationError("This action is already closed.")
    if status not in (CaseActionStatus.OPEN, *AGENCY_OUTCOMES):
        raise ValidationError({"status": "Choose still open, done or not possible."})
    if status == CaseActionStatus.OPEN and not note.strip():
        raise ValidationError({"note": "Say what has happened so far."})
    if status == CaseActionStatus.NOT_POSSIBLE and not note.strip():
        raise ValidationError({"note": "Say how the circumstances changed."})
    action.status = status
    action.progress_note = note.strip() or action.progress_note
    action.closed_at = None if status == CaseActionStatus.OPEN else timezone.now()
    stamp(action, acting_user, new=False)
    action.save(update_fields=["status", "progress_note", "closed_at", "updated_at", "updated_by"])
    record(
        acting_user=acting_user,
        action="case_action_update",
        obj=action,
        marac=action.case.marac,
        detail={"case": action.case_id, "status": status},
    )
    return action


def approval_problems(meeting: Meeting) -> list[str]:
    """What stops the minutes being approved (empty when they can be)."""
    problems = []
    if meeting.date > timezone.localdate():
        problems.append("The meeting has not happened yet.")
    items = list(meeting.items.select_related("case").order_by("position"))
    if not items:
        problems.append("No case is on the agenda.")
    minuted = set(Minute.objects.filter(item__meeting=meeting).values_list("item_id", flat=True))
    problems += [
        f"Item {item.position} ({item.case.case_ref}) has no minute."
        for item in items
        if item.pk not in minuted
    ]
    waiting = actions_for_review(meeting).count()
    if waiting:
        problems.append(f"{waiting} open action{'s' if waiting != 1 else ''} still to review.")
    return problems


@transaction.atomic
def minutes_approve(*, acting_user: User, meeting: Meeting) -> Meeting:
    """The chair approves the minutes, which circulates them: each member agency's
    representatives see their extract (the decisions and their own actions)."""
    meeting = Meeting.objects.select_for_update().select_related("marac").get(pk=meeting.pk)
    _refuse_after_approval(meeting)
    problems = approval_problems(meeting)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    meeting.minutes_approved_at = now
    meeting.minutes_approved_by = acting_user
    stamp(meeting, acting_user, new=False)
    meeting.save(
        update_fields=[
            "minutes_approved_at",
            "minutes_approved_by",
            "updated_at",
            "updated_by",
        ]
    )
    on_time = timezone.localdate() <= minutes_due_on(meeting)
    record(
        acting_user=acting_user,
        action="minutes_approve",
        obj=meeting,
        marac=meeting.marac,
        detail={"meeting": meeting.pk, "within_service_level": on_time},
    )
    return meeting


@dataclass(frozen=True)
class PastMeeting:
    """What a past meeting recorded, for history and demo data written in bulk."""

    attendance: Sequence[Attendance]
    research: Sequence[Research]
    minutes: Sequence[Minute]
    approved_by: User
    approved_at: datetime


@transaction.atomic
def meeting_history_record(*, acting_user: User, meeting: Meeting, past: PastMeeting) -> Meeting:
    """Record a past meeting's attendance, research and minutes in one go, and its approval
    (historical imports, demo data). The rows are unsaved instances for this meeting."""
    _refuse_after_approval(meeting)
    _refuse_before_meeting(meeting)
    items = set(meeting.items.values_list("pk", flat=True))
    if any(r.item_id not in items for r in [*past.research, *past.minutes]):
        raise ValidationError("Research and minutes must be for this meeting's items.")
    if any(a.meeting_id != meeting.pk for a in past.attendance):
        raise ValidationError("Attendance must be for this meeting.")
    for row in [*past.attendance, *past.research, *past.minutes]:
        stamp(row, acting_user, new=True)
    Attendance.objects.bulk_create(past.attendance)
    Research.objects.bulk_create(past.research)
    Minute.objects.bulk_create(past.minutes)
    meeting.minutes_approved_at = past.approved_at
    meeting.minutes_approved_by = past.approved_by
    meeting.save(update_fields=["minutes_approved_at", "minutes_approved_by"])
    record(
        acting_user=acting_user,
        action="meeting_history_record",
        obj=meeting,
        marac=meeting.marac,
        detail={
            "meeting": meeting.pk,
            "attendance": len(past.attendance),
            "research": len(past.research),
            "minutes": len(past.minutes),
        },
    )
    return meeting

"""Reminder emails to MARAC representatives: research due, minutes ready, an action due soon
or overdue. Each says only what is due, a case reference and a link: never a name, a date of
birth, an address or any text from the records. Each is sent once (`ReminderSent`).

`reminders_for` is what one person will be (or has been) reminded of; the page shows it and the
daily Celery beat task sends what is due from it, so the two never disagree."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from marac import permissions
from marac.models import CaseActionStatus, ReminderKind, ReminderSent, Research
from marac.services.minutes import research_due_on
from partnership.models import Membership, Role, User

logger = logging.getLogger(__name__)

RESEARCH_LEAD_DAYS = 2  # remind this many days before research is due
ACTION_LEAD_DAYS = 3  # remind this many days before an action is due
MINUTES_READY_DAYS = 14  # remind of minutes approved within this many days


@dataclass(frozen=True)
class Reminder:
    kind: str
    object_id: int
    case_ref: str | None
    case_id: int | None
    due_on: date
    send_on: date
    path: str
    sent_at: object = None

    @property
    def label(self) -> str:
        return ReminderKind(self.kind).label


def _research(user: User, today: date) -> list[Reminder]:
    items = list(
        permissions.research_items_for(user)
        .filter(meeting__date__gte=today)
        .select_related("meeting__marac", "case")
    )
    done = set(Research.objects.filter(item__in=items).values_list("item_id", "agency_id"))
    agencies = {
        marac_id: permissions.representing_agency_ids(user, marac_id)
        for marac_id in {i.meeting.marac_id for i in items}
    }
    reminders = []
    for item in items:
        if any((item.pk, a) in done for a in agencies[item.meeting.marac_id]):
            continue
        due = research_due_on(item.meeting)
        reminders.append(
            Reminder(
                kind=ReminderKind.RESEARCH_DUE,
                object_id=item.pk,
                case_ref=item.case.case_ref,
                case_id=item.case_id,
                due_on=due,
                send_on=due - timedelta(days=RESEARCH_LEAD_DAYS),
                path=reverse("marac:research_item", args=[item.pk]),
            )
        )
    return reminders


def _minutes(user: User, today: date) -> list[Reminder]:
    since = timezone.now() - timedelta(days=MINUTES_READY_DAYS)
    meetings = permissions.extract_meetings_for(user).filter(minutes_approved_at__gte=since)
    return [
        Reminder(
            kind=ReminderKind.MINUTES_READY,
            object_id=meeting.pk,
            case_ref=None,
            case_id=None,
            due_on=timezone.localdate(meeting.minutes_approved_at),
            send_on=timezone.localdate(meeting.minutes_approved_at),
            path=reverse("marac:extract", args=[meeting.pk]),
        )
        for meeting in meetings
    ]


def _actions(user: User, today: date) -> list[Reminder]:
    actions = (
        permissions.actions_owned_by(user)
        .filter(status=CaseActionStatus.OPEN, due_on__isnull=False)
        .select_related("case")
    )
    reminders = []
    for action in actions:
        overdue = action.due_on < today
        reminders.append(
            Reminder(
                kind=ReminderKind.ACTION_OVERDUE if overdue else ReminderKind.ACTION_DUE,
                object_id=action.pk,
                case_ref=action.case.case_ref,
                case_id=action.case_id,
                due_on=action.due_on,
                send_on=action.due_on + timedelta(days=1)
                if overdue
                else action.due_on - timedelta(days=ACTION_LEAD_DAYS),
                path=reverse("marac:action_update", args=[action.pk]),
            )
        )
    return reminders


def reminders_for(user: User, *, today: date | None = None) -> list[Reminder]:
    """What the person will be reminded of by email, and when (with what was already sent)."""
    if not permissions.representative_maracs(user).exists():
        return []
    today = today or timezone.localdate()
    sent = {
        (kind, object_id): at
        for kind, object_id, at in ReminderSent.objects.filter(user=user).values_list(
            "kind", "object_id", "sent_at"
        )
    }
    found = _research(user, today) + _minutes(user, today) + _actions(user, today)
    return sorted(
        (Reminder(**{**r.__dict__, "sent_at": sent.get((r.kind, r.object_id))}) for r in found),
        key=lambda r: (r.send_on, r.kind, r.object_id),
    )


SUBJECTS = {
    ReminderKind.RESEARCH_DUE: "MARAC research due",
    ReminderKind.MINUTES_READY: "MARAC minutes ready",
    ReminderKind.ACTION_DUE: "MARAC action due soon",
    ReminderKind.ACTION_OVERDUE: "MARAC action overdue",
}


def reminder_message(reminder: Reminder) -> tuple[str, str]:
    """The email's subject and body: what is due, the case reference and a link. Nothing else."""
    link = settings.PORTAL_BASE_URL.rstrip("/") + reminder.path
    what = {
        ReminderKind.RESEARCH_DUE: f"Your agency's research is due for MARAC case "
        f"{reminder.case_ref}.",
        ReminderKind.MINUTES_READY: "The minutes of a MARAC meeting are approved: your agency's "
        "extract is ready.",
        ReminderKind.ACTION_DUE: f"Your agency has a MARAC action due soon on case "
        f"{reminder.case_ref}.",
        ReminderKind.ACTION_OVERDUE: f"Your agency has an overdue MARAC action on case "
        f"{reminder.case_ref}.",
    }[ReminderKind(reminder.kind)]
    body = (
        f"{what}\n\nSign in to see it: {link}\n\n"
        "This email holds no case details. Do not reply with any."
    )
    return SUBJECTS[ReminderKind(reminder.kind)], body


def _send_once(user: User, reminder: Reminder) -> bool:
    """Record and send one reminder in one transaction: recorded means sent, exactly once."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                user=user, kind=reminder.kind, object_id=reminder.object_id, sent_at=timezone.now()
            )
            subject, body = reminder_message(reminder)
            send_mail(subject, body, from_email=None, recipient_list=[user.email])
    except IntegrityError:
        return False  # another run sent it first
    return True


def reminders_send(*, today: date | None = None) -> int:
    """Send every reminder that is due and not yet sent, to every MARAC representative.
    Returns how many were sent. A failed email is not recorded, so the next run retries it."""
    today = today or timezone.localdate()
    representatives = User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.active().filter(role=Role.MARAC_REPRESENTATIVE).values("user_id"),
    ).order_by("pk")
    sent = 0
    for user in representatives:
        for reminder in reminders_for(user, today=today):
            if reminder.sent_at is None and reminder.send_on <= today:
                try:
                    sent += _send_once(user, reminder)
                except OSError:
                    logger.warning(
                        "A MARAC reminder email failed for user %s; retried next run", user.pk
                    )
    return sent

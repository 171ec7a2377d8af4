"""Reads for the meeting pages: the agenda builder, the meeting day, each item's minute, the
action tracker, and the representative's research, actions and per-agency extract.

Every case shown is read through `marac.permissions` (one access event per case shown); which
research a person sees is `permissions.research_visible_to`'s decision. (A module of its own
beside `marac.selectors`, which is already long.)"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from marac import permissions
from marac.models import (
    AgendaItem,
    Attendance,
    Case,
    CaseAction,
    CaseActionStatus,
    CaseStatus,
    Lens,
    Meeting,
    Minute,
    MinuteDraft,
    Research,
)
from marac.services import minutes as minute_rules
from marac.services.meetings import referral_cutoff
from partnership.models import Agency, User


@dataclass(frozen=True)
class AgendaBuilder:
    items: list[tuple[AgendaItem, Case]]
    on_time: list[Case]
    late: list[Case]
    reviews: list[Case]
    cutoff: date


def agenda_builder(user: User, meeting: Meeting, *, ip_address: str | None = None) -> AgendaBuilder:
    """The agenda and what could join it: accepted referrals before the cut-off (new or
    repeat), later ones (emergency only), and heard cases with open actions (review)."""
    listed = meeting.items.values("case_id")
    cutoff = referral_cutoff(meeting)
    accepted = Case.objects.with_summary().filter(
        marac_id=meeting.marac_id, status=CaseStatus.ACCEPTED
    )
    open_actions = CaseAction.objects.filter(case=OuterRef("pk"), status=CaseActionStatus.OPEN)
    heard = (
        Case.objects.with_summary()
        .filter(marac_id=meeting.marac_id, status=CaseStatus.HEARD)
        .filter(Exists(open_actions))
    )
    candidates = (accepted.exclude(pk__in=listed) | heard.exclude(pk__in=listed)).order_by(
        "referral__referral_date", "pk"
    )
    items = list(meeting.items.order_by("position"))
    shown = {
        case.pk: case
        for case in permissions.read_cases(
            user,
            Case.objects.with_summary().filter(
                Q(pk__in=[i.case_id for i in items]) | Q(pk__in=candidates.values("pk"))
            ),
            Lens.FULL,
            ip_address=ip_address,
        )
    }
    waiting = [shown[c.pk] for c in candidates if c.pk in shown]
    return AgendaBuilder(
        items=[(item, shown[item.case_id]) for item in items if item.case_id in shown],
        on_time=[
            c
            for c in waiting
            if c.status == CaseStatus.ACCEPTED and c.referral.referral_date <= cutoff
        ],
        late=[
            c
            for c in waiting
            if c.status == CaseStatus.ACCEPTED and c.referral.referral_date > cutoff
        ],
        reviews=[c for c in waiting if c.status == CaseStatus.HEARD],
        cutoff=cutoff,
    )


@dataclass(frozen=True)
class ItemRow:
    item: AgendaItem
    case: Case
    minuted: bool
    actions: int


@dataclass(frozen=True)
class MeetingDay:
    meeting: Meeting
    attendance: list[Attendance]
    items: list[ItemRow]
    reviews: list[CaseAction]
    problems: list[str]
    minutes_due_on: date


def meeting_day(user: User, meeting: Meeting, *, ip_address: str | None = None) -> MeetingDay:
    """Attendance, the items with whether each is minuted, and the open actions to review."""
    items = list(
        meeting.items.order_by("position").annotate(
            minuted=Exists(Minute.objects.filter(item=OuterRef("pk"))),
        )
    )
    action_counts = dict(
        CaseAction.objects.filter(meeting=meeting)
        .values_list("case_id")
        .annotate(n=Count("pk"))
        .values_list("case_id", "n")
    )
    reviews = list(minute_rules.actions_for_review(meeting).order_by("due_on", "pk"))
    wanted = {i.case_id for i in items} | {a.case_id for a in reviews}
    shown = {
        case.pk: case
        for case in permissions.read_cases(
            user,
            Case.objects.with_summary().filter(pk__in=wanted),
            Lens.FULL,
            ip_address=ip_address,
        )
    }
    return MeetingDay(
        meeting=meeting,
        attendance=list(meeting.attendance.select_related("agency")),
        items=[
            ItemRow(item, shown[item.case_id], item.minuted, action_counts.get(item.case_id, 0))
            for item in items
            if item.case_id in shown
        ],
        reviews=[a for a in reviews if a.case_id in shown],
        problems=minute_rules.approval_problems(meeting),
        minutes_due_on=minute_rules.minutes_due_on(meeting),
    )


@dataclass(frozen=True)
class MeetingItem:
    item: AgendaItem
    case: Case
    research: list[Research]
    silent_agencies: list[Agency]
    text: dict[str, str]
    draft: MinuteDraft | None
    actions: list[CaseAction]
    previous: AgendaItem | None
    next: AgendaItem | None


def meeting_item(
    user: User, meeting: Meeting, item_pk: int, *, ip_address: str | None = None
) -> MeetingItem:
    """One item on the meeting day: the case (a recorded full-lens read), every agency's
    research, the minute (or the person's newer draft) and the actions agreed for it."""
    item = meeting.items.select_related("meeting__marac").get(pk=item_pk)
    case = permissions.access_managed_case(user, item.case_id, ip_address=ip_address)
    research = list(permissions.research_visible_to(user, item))
    answered = {row.agency_id for row in research}
    members = Agency.objects.filter(
        marac_memberships__marac_id=meeting.marac_id, marac_memberships__left_on__isnull=True
    ).order_by("name")
    text, draft = minute_rules.minute_text_for(user, item)
    siblings = list(meeting.items.order_by("position"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    return MeetingItem(
        item=item,
        case=case,
        research=research,
        silent_agencies=[a for a in members if a.pk not in answered],
        text=text,
        draft=draft,
        actions=list(
            CaseAction.objects.filter(meeting=meeting, case=case).select_related("owner_agency")
        ),
        previous=siblings[index - 1] if index > 0 else None,
        next=siblings[index + 1] if index + 1 < len(siblings) else None,
    )


@dataclass(frozen=True)
class AgencyOverdue:
    agency: Agency
    actions: list[CaseAction] = field(default_factory=list)


def overdue_by_agency(
    user: User, marac, *, ip_address: str | None = None
) -> tuple[list[AgencyOverdue], int]:
    """The coordinator's tracker: open actions past their due date, by owner agency, and how
    many are open in all. Each case shown is one recorded read."""
    today = timezone.localdate()
    open_here = CaseAction.objects.filter(case__marac=marac, status=CaseActionStatus.OPEN)
    overdue = list(
        open_here.filter(due_on__lt=today)
        .select_related("owner_agency", "meeting")
        .order_by("owner_agency__name", "owner_agency_id", "due_on", "pk")
    )
    shown = {
        case.pk: case
        for case in permissions.read_cases(
            user,
            Case.objects.filter(pk__in={a.case_id for a in overdue}),
            Lens.FULL,
            ip_address=ip_address,
        )
    }
    groups = []
    for _agency_id, rows in groupby(
        (a for a in overdue if a.case_id in shown), key=lambda a: a.owner_agency_id
    ):
        actions = list(rows)
        for action in actions:
            action.shown_case = shown[action.case_id]
        groups.append(AgencyOverdue(agency=actions[0].owner_agency, actions=actions))
    return groups, open_here.count()


def my_actions(user: User, *, ip_address: str | None = None) -> list[CaseAction]:
    """The actions the person's agencies own (from approved minutes), open ones first; each
    case shown is one recorded agenda-lens read."""
    actions = list(
        permissions.actions_owned_by(user)
        .select_related("owner_agency", "meeting", "case__marac")
        .order_by("-status", "due_on", "pk")
    )
    actions.sort(key=lambda a: (a.status != CaseActionStatus.OPEN, a.due_on or date.max, a.pk))
    shown = {
        case.pk
        for case in permissions.read_cases(
            user,
            Case.objects.filter(pk__in={a.case_id for a in actions}),
            Lens.AGENDA,
            ip_address=ip_address,
        )
    }
    return [a for a in actions if a.case_id in shown]


@dataclass(frozen=True)
class ResearchRow:
    item: AgendaItem
    case: Case
    done: bool
    due_on: date


def research_list(user: User, *, ip_address: str | None = None) -> list[ResearchRow]:
    """The listed cases the person's agency has to research, soonest meeting first."""
    agencies_by_marac: dict[int, list[int]] = defaultdict(list)
    items = list(
        permissions.research_items_for(user)
        .select_related("meeting__marac")
        .order_by("meeting__date", "position")
    )
    for marac_id in {i.meeting.marac_id for i in items}:
        agencies_by_marac[marac_id] = permissions.representing_agency_ids(user, marac_id)
    done = set(Research.objects.filter(item__in=items).values_list("item_id", "agency_id"))
    shown = {
        case.pk: case
        for case in permissions.read_cases(
            user,
            Case.objects.with_summary().filter(pk__in={i.case_id for i in items}),
            Lens.AGENDA,
            ip_address=ip_address,
        )
    }
    return [
        ResearchRow(
            item=item,
            case=shown[item.case_id],
            done=any((item.pk, a) in done for a in agencies_by_marac[item.meeting.marac_id]),
            due_on=minute_rules.research_due_on(item.meeting),
        )
        for item in items
        if item.case_id in shown
    ]


def own_research(item: AgendaItem, agency_id: int) -> Research | None:
    return Research.objects.filter(item=item, agency_id=agency_id).first()


@dataclass(frozen=True)
class ExtractItem:
    item: AgendaItem
    case: Case
    decisions: str
    actions: list[CaseAction]


def extract(
    user: User, meeting: Meeting, agency_ids: list[int], *, ip_address: str | None = None
) -> list[ExtractItem]:
    """A member agency's extract of approved minutes: for each case it may see, the decisions
    and the actions assigned to its own agency. Never another agency's research or actions."""
    items = list(meeting.items.order_by("position").select_related("minute"))
    shown = {
        case.pk: case
        for case in permissions.read_cases(
            user,
            Case.objects.filter(pk__in=[i.case_id for i in items]),
            Lens.AGENDA,
            ip_address=ip_address,
        )
    }
    own_actions: dict[int, list[CaseAction]] = defaultdict(list)
    for action in CaseAction.objects.filter(
        meeting=meeting, owner_agency_id__in=agency_ids, case_id__in=shown
    ).select_related("owner_agency"):
        own_actions[action.case_id].append(action)
    return [
        ExtractItem(
            item=item,
            case=shown[item.case_id],
            decisions=getattr(getattr(item, "minute", None), "decisions", ""),
            actions=own_actions[item.case_id],
        )
        for item in items
        if item.case_id in shown
    ]


def extract_meetings(user: User) -> QuerySet[Meeting]:
    return permissions.extract_meetings_for(user).select_related("marac").order_by("-date")[:12]


def reminders_page(user: User, *, ip_address: str | None = None) -> list:
    """The person's reminders; each case named is one recorded agenda-lens read."""
    from marac.services.reminders import reminders_for

    found = reminders_for(user)
    shown = {
        case.pk
        for case in permissions.read_cases(
            user,
            Case.objects.filter(pk__in={r.case_id for r in found if r.case_id}),
            Lens.AGENDA,
            ip_address=ip_address,
        )
    }
    return [r for r in found if r.case_id is None or r.case_id in shown]


@dataclass(frozen=True)
class CaseMeeting:
    item: AgendaItem
    minute: Minute | None
    research: list[Research]


def case_meetings(user: User, case: Case, lens: str) -> list[CaseMeeting]:
    """A case's meetings as its page shows them (call after the page's recorded read): the
    full lens sees each minute and the research it may see; the agenda lens sees the decisions
    of approved minutes and its own agency's research."""
    items = list(
        case.agenda_items.select_related("meeting__marac", "case").order_by("-meeting__date")
    )
    minutes = {m.item_id: m for m in Minute.objects.filter(item__in=items)}
    rows = []
    for item in items:
        minute = minutes.get(item.pk)
        if lens != Lens.FULL and item.meeting.minutes_approved_at is None:
            minute = None
        rows.append(
            CaseMeeting(
                item=item,
                minute=minute,
                research=list(permissions.research_visible_to(user, item)),
            )
        )
    return rows


def minutes_awaiting_approval(marac) -> list[tuple[Meeting, date, bool]]:
    """Held meetings whose minutes are not approved yet, with the date they are due by and
    whether that date has passed (the MARAC's working-day service level)."""
    today = timezone.localdate()
    meetings = Meeting.objects.filter(
        marac=marac, date__lte=today, minutes_approved_at__isnull=True, items__isnull=False
    ).distinct()
    rows = []
    for meeting in meetings.select_related("marac").order_by("date"):
        due = minute_rules.minutes_due_on(meeting)
        rows.append((meeting, due, due < today))
    return rows

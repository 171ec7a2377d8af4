"""Reads of MARAC records that depend on who is asking. Case reads go through
`marac.permissions` (which records each one); what a lens shows is decided here from the lens."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from marac import crypto, permissions
from marac.models import (
    DASH_QUESTIONS,
    AccessAlertReview,
    AccessEvent,
    AccessKind,
    AgendaItem,
    Case,
    CaseAction,
    CaseActionStatus,
    CaseStatus,
    DashAssessment,
    Lens,
    Marac,
    Meeting,
    Referral,
)
from marac.oversight import Alert, access_alerts
from partnership.models import Agency, Membership, Partnership, Role, User


@dataclass(frozen=True)
class CrossMaracFlag:
    """Another MARAC heard this victim in the last year: who to ask there, and nothing else."""

    marac_name: str
    coordinators: list[tuple[str, str]]


@dataclass(frozen=True)
class CaseView:
    """What one lens shows of a case. Full-lens fields are None under the agenda lens."""

    lens: str
    case_id: int
    case_ref: str
    marac_name: str
    status: str
    dash_score: int | None
    criteria: list[str]
    victim: dict[str, Any]
    perpetrators: list[dict[str, Any]]
    children: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    safe_contact: str | None = None
    phone: str | None = None
    not_safe_to_talk: str | None = None
    pj_rationale: str | None = None
    dash_answers: list[tuple[str, str]] | None = None
    history: list[dict[str, Any]] | None = None
    equality: dict[str, Any] | None = None
    is_repeat: bool | None = None
    heard_elsewhere: CrossMaracFlag | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _criteria(case: Case) -> list[str]:
    referral = case.referral
    names = [
        ("visible_high_risk", referral.visible_high_risk),
        ("professional_judgement", referral.professional_judgement),
        ("potential_escalation", referral.potential_escalation),
    ]
    return [name for name, met in names if met]


def _actions(case: Case, user: User, lens: str) -> list[dict[str, Any]]:
    actions = CaseAction.objects.filter(case=case).select_related("owner_agency")
    if lens == Lens.AGENDA:
        own = permissions.marac_memberships(user).filter(scope_id=case.marac_id)
        actions = actions.filter(
            owner_agency_id__in=own.values("agency_id"),
            meeting__minutes_approved_at__isnull=False,
        )
    return [
        {
            "agency": action.owner_agency.name,
            "text": action.text,
            "due_on": action.due_on,
            "status": action.status,
        }
        for action in actions
    ]


def _cross_marac_flag(case: Case) -> CrossMaracFlag | None:
    other = case.referral.heard_elsewhere
    if other is None:
        return None
    coordinators = permissions.marac_memberships_at(other, Role.MARAC_COORDINATOR)
    return CrossMaracFlag(
        marac_name=other.name,
        coordinators=[(m.user.full_name, m.user.email) for m in coordinators],
    )


def _full_lens_fields(case: Case) -> dict[str, Any]:
    victim = case.victim
    latest = case.dash_assessments.order_by("-version").first()
    items = case.agenda_items.select_related("meeting").order_by("meeting__date")
    return {
        "safe_contact": victim.safe_contact,
        "phone": victim.phone,
        "not_safe_to_talk": case.referral.not_safe_to_talk,
        "pj_rationale": case.referral.pj_rationale,
        "dash_answers": list(zip(DASH_QUESTIONS, latest.answers, strict=True)) if latest else None,
        "history": [
            {"meeting": item.meeting.date, "kind": item.kind, "heard": item.heard_at is not None}
            for item in items
        ],
        "equality": {
            "gender": victim.gender,
            "ethnicity": victim.ethnicity,
            "lgbt": victim.lgbt,
            "disability": victim.disability,
            "age_at_referral": victim.age_at_referral,
        },
        "is_repeat": case.referral.is_repeat,
        "heard_elsewhere": _cross_marac_flag(case),
    }


def case_detail(
    user: User,
    case_id: int,
    lens: str,
    *,
    ip_address: str | None = None,
    what: str = AccessKind.DETAIL,
) -> CaseView:
    """One case as `lens` shows it; 404 when out of scope; the read is recorded."""
    case = permissions.access_case(user, case_id, lens, what=what, ip_address=ip_address)
    victim = case.victim
    view = CaseView(
        lens=lens,
        case_id=case.pk,
        case_ref=case.case_ref,
        marac_name=case.marac.name,
        status=case.status,
        dash_score=case.referral.dash_score,
        criteria=_criteria(case),
        victim={
            "first_name": victim.first_name,
            "last_name": victim.last_name,
            "date_of_birth": victim.date_of_birth,
            "address": victim.address,
        },
        perpetrators=[
            {
                "first_name": p.first_name,
                "last_name": p.last_name,
                "date_of_birth": p.date_of_birth,
                "address": p.address,
            }
            for p in case.perpetrators.all()
        ],
        children=[
            {"first_name": c.first_name, "last_name": c.last_name} for c in case.children.all()
        ],
        actions=_actions(case, user, lens),
        **(_full_lens_fields(case) if lens == Lens.FULL else {}),
    )
    return view


def case_list(
    user: User, lens: str, *, marac: Marac | None = None, ip_address: str | None = None
) -> list[Case]:
    """Cases the person may see through `lens` (optionally at one MARAC); each one recorded."""
    cases = Case.objects.with_summary().order_by("-referral__referral_date", "pk")
    if marac is not None:
        cases = cases.for_marac(marac)
    return permissions.read_cases(user, cases, lens, ip_address=ip_address, many=True)


def cases_find_exact(
    user: User,
    marac: Marac,
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    ip_address: str | None = None,
) -> list[Case]:
    """A coordinator's exact search by full name and date of birth (no partial names)."""
    index = crypto.victim_index(first_name, last_name, date_of_birth)
    cases = Case.objects.with_summary().filter(victim__blind_index=index)
    return permissions.look_up(user, marac, cases, ip_address=ip_address)


def case_find_by_ref(
    user: User, marac: Marac, case_ref: str, *, ip_address: str | None = None
) -> list[Case]:
    """A coordinator's search by exact case reference."""
    cases = Case.objects.with_summary().filter(case_ref=case_ref.strip())
    return permissions.look_up(user, marac, cases, ip_address=ip_address)


def case_viewers(user: User, case_id: int) -> QuerySet[AccessEvent]:
    """Who read a case, when and through which lens: for its MARAC's coordinators and chair
    and the partnership's data protection lead (ids and names of staff only)."""
    return (
        permissions.access_events_visible_to(user)
        .filter(case_id=case_id)
        .select_related("user")
        .order_by("-at", "-pk")
    )


def indicators(
    *, start: date, end: date, marac: Marac | None = None, partnership: Partnership | None = None
) -> dict:
    """SafeLives indicators for a MARAC or a partnership (pooled): counts only, so no grant is
    needed and no access event is written. Displays outside the MARAC's coordinators, chair and
    the data protection lead apply small-number suppression."""
    from marac import indicators as figures

    if (marac is None) == (partnership is None):
        raise ValueError("Give a MARAC or a partnership.")
    if marac is not None:
        return figures.marac_indicators(marac, start, end)
    return figures.partnership_indicators(partnership, start, end)


# Pages: each list is scoped first (ids only), then read through `permissions.read_cases`, so
# every case shown writes one access event and nothing else is read.

CASES_PER_PAGE = 50


@dataclass(frozen=True)
class CasePage:
    cases: list[Case]
    total: int
    page: int
    pages: int


def case_page(
    user: User,
    lens: str,
    *,
    marac: Marac | None = None,
    page: int = 1,
    per_page: int = CASES_PER_PAGE,
    ip_address: str | None = None,
) -> CasePage:
    """One page of the cases the person may see through `lens` (newest referral first)."""
    scoped = permissions.cases_visible_to(user, lens)
    if marac is not None:
        scoped = scoped.for_marac(marac)
    total = scoped.count()
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    ids = list(
        scoped.order_by("-referral__referral_date", "-pk").values_list("pk", flat=True)[
            (page - 1) * per_page : page * per_page
        ]
    )
    cases = (
        Case.objects.with_summary().filter(pk__in=ids).order_by("-referral__referral_date", "-pk")
    )
    shown = permissions.read_cases(user, cases, lens, ip_address=ip_address)
    return CasePage(cases=shown, total=total, page=page, pages=pages)


def agenda_cases(user: User, *, ip_address: str | None = None) -> list[Case]:
    """A representative's cases on their MARACs' circulated agendas, through the agenda lens,
    with the date of the latest meeting each is listed at."""
    circulated = AgendaItem.objects.filter(
        case=OuterRef("pk"), meeting__agenda_circulated_at__isnull=False
    )
    latest = circulated.order_by("-meeting__date").values("meeting__date")[:1]
    cases = (
        Case.objects.with_summary()
        .filter(
            Exists(circulated), marac__in=permissions.maracs_where(user, Role.MARAC_REPRESENTATIVE)
        )
        .annotate(meeting_date=Subquery(latest))
        .order_by("-meeting_date", "case_ref")
    )
    return permissions.read_cases(user, cases, Lens.AGENDA, ip_address=ip_address, many=True)


def idva_caseload(user: User, *, ip_address: str | None = None) -> list[Case]:
    """The open cases allocated to an IDVA, through the full lens."""
    cases = (
        Case.objects.with_summary()
        .open()
        .filter(idva=user)
        .order_by("-referral__referral_date", "pk")
    )
    return permissions.read_cases(user, cases, Lens.FULL, ip_address=ip_address)


def next_meetings(marac: Marac) -> QuerySet[Meeting]:
    """Meetings from today on, soonest first, with how many cases each lists."""
    return (
        Meeting.objects.filter(marac=marac, date__gte=timezone.localdate())
        .annotate(item_count=Count("items"))
        .order_by("date")
    )


def recent_meetings(marac: Marac, *, limit: int = 6) -> list[Meeting]:
    return list(
        Meeting.objects.filter(marac=marac, date__lt=timezone.localdate())
        .annotate(item_count=Count("items"))
        .order_by("-date")[:limit]
    )


def cases_by_status(marac: Marac) -> list[tuple[str, int]]:
    """How many cases the MARAC has in each status: counts only, no case is read."""
    counts = dict(
        Case.objects.filter(marac=marac)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(label, counts.get(value, 0)) for value, label in CaseStatus.choices]


def overdue_actions_count(marac: Marac) -> int:
    return CaseAction.objects.filter(
        case__marac=marac, status=CaseActionStatus.OPEN, due_on__lt=timezone.localdate()
    ).count()


def referrals_waiting(user: User, marac: Marac, *, ip_address: str | None = None) -> list[Case]:
    """Referrals not yet accepted, oldest first; each shown one recorded read."""
    cases = (
        Case.objects.with_summary()
        .for_marac(marac)
        .filter(status=CaseStatus.REFERRED)
        .order_by("referral__referral_date", "pk")
    )
    return permissions.read_cases(user, cases, Lens.FULL, ip_address=ip_address)


@dataclass(frozen=True)
class RepeatCheck:
    """What acceptance would decide: repeat or not, and another MARAC that heard the victim."""

    is_repeat: bool
    repeat_of_ref: str | None
    repeat_of_date: date | None
    heard_elsewhere: CrossMaracFlag | None


def repeat_check(case: Case) -> RepeatCheck:
    """The repeat status a referral would be given if accepted now (nothing is stored)."""
    from marac.services import repeats

    referral = Referral.objects.select_related("case__victim", "case__marac").get(case=case)
    earlier = repeats.find_repeat_of(referral)
    elsewhere = repeats.find_heard_elsewhere(referral)
    flag = None
    if elsewhere is not None:
        coordinators = permissions.marac_memberships_at(elsewhere, Role.MARAC_COORDINATOR)
        flag = CrossMaracFlag(
            marac_name=elsewhere.name,
            coordinators=[(m.user.full_name, m.user.email) for m in coordinators],
        )
    return RepeatCheck(
        is_repeat=earlier is not None,
        repeat_of_ref=earlier.case.case_ref if earlier else None,
        repeat_of_date=earlier.referral_date if earlier else None,
        heard_elsewhere=flag,
    )


def dash_history(
    user: User, case_id: int, *, ip_address: str | None = None
) -> list[DashAssessment]:
    """Every DASH version of a case, newest first: full lens only, one recorded read."""
    case = permissions.access_case(
        user, case_id, Lens.FULL, what=AccessKind.API, ip_address=ip_address
    )
    return list(case.dash_assessments.select_related("agency").order_by("-version"))


def transfer_destinations(case: Case) -> QuerySet[Marac]:
    """The other MARACs of the case's partnership (a MARAC outside it is named in free text)."""
    return Marac.objects.filter(partnership_id=case.marac.partnership_id).exclude(pk=case.marac_id)


def marac_transfers(user: User, marac: Marac, *, limit: int = 100) -> dict[str, list]:
    """A coordinator's transfers into and out of their MARAC, newest first."""
    visible = permissions.transfers_visible_to(user).select_related(
        "case", "from_marac", "to_marac"
    )
    return {
        "incoming": list(visible.filter(to_marac=marac)[:limit]),
        "outgoing": list(visible.filter(from_marac=marac)[:limit]),
    }


# Oversight: the data protection lead's access log and alerts. A constant number of queries
# whatever the number of events: the page of events (with their people), one lookup each of
# the agencies and MARACs named, the alerts' rows, their reviews and their people.

EVENTS_PER_PAGE = 50
OVERSIGHT_DEFAULT_DAYS = 30


@dataclass(frozen=True)
class OversightFilters:
    person: int | None = None
    agency: int | None = None
    marac: int | None = None
    lens: str = ""
    start: date | None = None
    end: date | None = None


def _filtered_events(events: QuerySet[AccessEvent], filters: OversightFilters) -> QuerySet:
    if filters.person:
        events = events.filter(user_id=filters.person)
    if filters.agency:
        events = events.filter(agency_id=filters.agency)
    if filters.marac:
        events = events.filter(marac_id=filters.marac)
    if filters.lens:
        events = events.filter(lens=filters.lens)
    if filters.start:
        events = events.filter(at__date__gte=filters.start)
    if filters.end:
        events = events.filter(at__date__lte=filters.end)
    return events


def oversight_choices(partnership: Partnership) -> dict[str, list[tuple[int, str]]]:
    """The people, agencies and MARACs of a partnership, for the filters (three queries)."""
    members = Membership.objects.active().filter(partnership=partnership)
    people = (
        User.objects.filter(pk__in=members.values("user_id"))
        .order_by("full_name")
        .values_list("pk", "full_name")
    )
    agencies = (
        Agency.objects.filter(pk__in=members.values("agency_id"))
        .order_by("name")
        .values_list("pk", "name")
    )
    maracs = Marac.objects.filter(partnership=partnership).order_by("name")
    return {
        "people": list(people),
        "agencies": list(agencies),
        "maracs": list(maracs.values_list("pk", "name")),
    }


def oversight_events(
    user: User, partnership: Partnership, filters: OversightFilters, *, page: int = 1
) -> tuple[Page, list[AccessEvent]]:
    """One page of the partnership's access events, newest first, with agency and MARAC names."""
    events = _filtered_events(permissions.partnership_access_events(user, partnership), filters)
    paginator = Paginator(events.select_related("user").order_by("-at", "-pk"), EVENTS_PER_PAGE)
    current = paginator.get_page(page)
    rows = list(current.object_list)
    agencies = dict(
        Agency.objects.filter(pk__in={e.agency_id for e in rows if e.agency_id}).values_list(
            "pk", "name"
        )
    )
    maracs = dict(Marac.objects.filter(partnership=partnership).values_list("pk", "name"))
    for event in rows:
        event.agency_name = agencies.get(event.agency_id, "")
        event.marac_name = maracs.get(event.marac_id, "")
    return current, rows


def oversight_alerts(
    user: User, partnership: Partnership, filters: OversightFilters
) -> list[tuple[Alert, str, AccessAlertReview | None]]:
    """The alerts the filtered events raise, each with its review (if handled) and person."""
    events = _filtered_events(permissions.partnership_access_events(user, partnership), filters)
    alerts = access_alerts(events)
    reviews = {
        review.key: review
        for review in AccessAlertReview.objects.filter(
            partnership=partnership, key__in=[a.key for a in alerts]
        ).select_related("created_by")
    }
    names = dict(
        User.objects.filter(pk__in={a.user_id for a in alerts}).values_list("pk", "full_name")
    )
    return [(alert, names.get(alert.user_id, ""), reviews.get(alert.key)) for alert in alerts]

"""Reads of the partnership model that depend on who is asking."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse

from partnership.models import (
    Agency,
    Attendance,
    AttendanceStatus,
    Board,
    BoardMeeting,
    Membership,
    Partnership,
    Role,
    User,
)
from partnership.permissions import partnerships_visible_to, roles_in

CURRENT_PARTNERSHIP_KEY = "current_partnership"
MARAC_NAV_ROLES = {Role.MARAC_COORDINATOR, Role.MARAC_CHAIR, Role.MARAC_REPRESENTATIVE, Role.IDVA}


def current_partnership(request: HttpRequest) -> Partnership | None:
    """The partnership the person is working in: the one chosen, else their first."""
    visible = partnerships_visible_to(request.user)
    slug = request.session.get(CURRENT_PARTNERSHIP_KEY)
    chosen = visible.filter(slug=slug).first() if slug else None
    return chosen or visible.order_by("name").first()


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    current: bool


def _nav_items(request: HttpRequest, partnership: Partnership, roles: set[str]) -> list[NavItem]:
    items = [("Overview", reverse("partnership:overview", kwargs={"slug": partnership.slug}))]
    items.append(("Action plan", reverse("actions:strategies", kwargs={"slug": partnership.slug})))
    if Role.LEAD_OFFICER in roles:
        items.append(("My actions", reverse("actions:my_actions")))
    if roles & MARAC_NAV_ROLES:
        items.append(("MARAC", reverse("marac:home")))
    elif roles & {Role.COMMISSIONER, Role.DATA_PROTECTION_LEAD}:
        figures = reverse("marac:partnership_indicators", kwargs={"slug": partnership.slug})
        items.append(("MARAC figures", figures))
    if Role.DATA_PROTECTION_LEAD in roles:
        oversight = reverse("marac:oversight", kwargs={"slug": partnership.slug})
        items.append(("Access oversight", oversight))
    if Role.PARTNERSHIP_ADMIN in roles:
        items.append(("People", reverse("partnership:people", kwargs={"slug": partnership.slug})))
    if roles & {Role.SERVICE_EDITOR, Role.PARTNERSHIP_ADMIN}:
        items.append(("Service directory", reverse("directory:manage")))
    return [NavItem(text, href, request.path == href) for text, href in items]


def navigation_for(request: HttpRequest) -> dict:
    partnership = current_partnership(request)
    partnerships = list(partnerships_visible_to(request.user).order_by("name"))
    if partnership is None:
        return {"current_partnership": None, "user_partnerships": [], "nav_items": []}
    return {
        "current_partnership": partnership,
        "user_partnerships": partnerships,
        "other_partnerships": len(partnerships) > 1,
        "nav_items": _nav_items(request, partnership, roles_in(request.user, partnership)),
    }


def partnership_overview(partnership: Partnership) -> dict:
    boroughs = list(partnership.boroughs.order_by("name"))
    boards = list(
        Board.objects.filter(partnership=partnership)
        .select_related("parent")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__ended_at__isnull=True, memberships__user__is_active=True),
            )
        )
        .order_by("name")
    )
    agencies = list(
        Agency.objects.filter(Q(boroughs__in=boroughs) | Q(memberships__partnership=partnership))
        .distinct()
        .prefetch_related("boroughs")
        .order_by("name")
    )
    return {
        "boroughs": boroughs,
        "board_tree": _board_tree(boards),
        "agencies": agencies,
    }


def _board_tree(boards: list[Board]) -> list[tuple[Board, int]]:
    """Boards in tree order with their depth, parents before their subgroups."""
    children: dict[int | None, list[Board]] = defaultdict(list)
    ids = {board.pk for board in boards}
    for board in boards:
        children[board.parent_id if board.parent_id in ids else None].append(board)
    ordered: list[tuple[Board, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for board in children.get(parent_id, []):
            ordered.append((board, depth))
            walk(board.pk, depth + 1)

    walk(None, 0)
    return ordered


def agency_detail(agency: Agency, partnerships: QuerySet[Partnership]) -> dict:
    members = (
        Membership.objects.active()
        .filter(agency=agency, partnership__in=partnerships)
        .select_related("user", "partnership", "board", "scope_type")
        .prefetch_related("marac")
        .order_by("user__full_name", "role")
    )
    return {"boroughs": list(agency.boroughs.order_by("name")), "memberships": list(members)}


def board_detail(board: Board) -> dict:
    """A board with its members and attendance at its meetings over time."""
    members = list(
        Membership.objects.active()
        .filter(board=board, role=Role.BOARD_MEMBER)
        .select_related("user", "agency")
        .order_by("user__full_name")
    )
    meetings = list(
        BoardMeeting.objects.filter(board=board)
        .order_by("-date")
        .prefetch_related(
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related("user", "agency", "substitute"),
            )
        )[:12]
    )
    meetings.reverse()
    people: dict[int, User] = {m.user_id: m.user for m in members}
    for meeting in meetings:
        for record in meeting.attendance.all():
            people.setdefault(record.user_id, record.user)
    grid = []
    for person in sorted(people.values(), key=lambda u: u.full_name):
        row = []
        for meeting in meetings:
            record = next((a for a in meeting.attendance.all() if a.user_id == person.pk), None)
            row.append(record)
        attended = sum(
            1
            for r in row
            if r and r.status in {AttendanceStatus.ATTENDED, AttendanceStatus.SUBSTITUTE}
        )
        invited = sum(1 for r in row if r)
        grid.append({"person": person, "records": row, "attended": attended, "invited": invited})
    return {
        "members": members,
        "meetings": meetings,
        "attendance_grid": grid,
        "subgroups": list(board.children.order_by("name")),
    }


def people_list(partnership: Partnership) -> list[dict]:
    memberships = (
        Membership.objects.filter(partnership=partnership, ended_at__isnull=True)
        .select_related("user", "agency", "board", "scope_type")
        .prefetch_related("marac")
        .order_by("user__full_name", "role")
    )
    people: dict[int, dict] = {}
    for membership in memberships:
        entry = people.setdefault(membership.user_id, {"user": membership.user, "memberships": []})
        entry["memberships"].append(membership)
    return list(people.values())


def person_memberships(person: User, partnership: Partnership) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=person, partnership=partnership)
        .select_related("agency", "board", "scope_type", "ended_by")
        .prefetch_related("marac")
        .order_by("ended_at", "role")
    )

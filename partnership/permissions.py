"""Who may see and change the partnership model (DESIGN §4). The only place that decides it.

Queryset functions scope every list; `access_*` accessors guard every detail page and write.
Out of scope answers exactly like missing: `Http404`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from partnership.models import Agency, Board, Membership, Partnership, Role, User


def _active_memberships(user: User) -> QuerySet[Membership]:
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.active().filter(user=user)


def partnerships_visible_to(user: User) -> QuerySet[Partnership]:
    """Partnerships the person holds any role in (or in one of their MARACs or boards)."""
    ids = _active_memberships(user).values("partnership_id")
    return Partnership.objects.filter(pk__in=ids)


def roles_in(user: User, partnership: Partnership) -> set[str]:
    return set(
        _active_memberships(user).filter(partnership=partnership).values_list("role", flat=True)
    )


def has_role(user: User, partnership: Partnership, *roles: str) -> bool:
    return _active_memberships(user).filter(partnership=partnership, role__in=roles).exists()


def access_partnership(user: User, slug: str) -> Partnership:
    try:
        return partnerships_visible_to(user).get(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404 from None


def access_partnership_admin(user: User, slug: str) -> Partnership:
    """The partnership, when the person administers it; 404 otherwise."""
    partnership = access_partnership(user, slug)
    if not has_role(user, partnership, Role.PARTNERSHIP_ADMIN):
        raise Http404
    return partnership


def agencies_visible_to(user: User) -> QuerySet[Agency]:
    """Agencies serving a borough of one of the person's partnerships, or with members in one."""
    partnerships = partnerships_visible_to(user)
    return Agency.objects.filter(
        Q(boroughs__partnerships__in=partnerships) | Q(memberships__partnership__in=partnerships)
    ).distinct()


def access_agency(user: User, slug: str) -> Agency:
    try:
        return agencies_visible_to(user).get(slug=slug)
    except Agency.DoesNotExist:
        raise Http404 from None


def boards_visible_to(user: User) -> QuerySet[Board]:
    return Board.objects.filter(partnership__in=partnerships_visible_to(user))


def access_board(user: User, slug: str) -> Board:
    try:
        return boards_visible_to(user).select_related("partnership", "parent").get(slug=slug)
    except Board.DoesNotExist:
        raise Http404 from None


def can_manage_board(user: User, board: Board) -> bool:
    return has_role(user, board.partnership, Role.PARTNERSHIP_ADMIN)


def people_of(partnership: Partnership) -> QuerySet[User]:
    return User.objects.filter(memberships__partnership=partnership).distinct()


def access_person(user: User, partnership: Partnership, person_id: int) -> User:
    """A person whose memberships a partnership administrator may manage."""
    if not has_role(user, partnership, Role.PARTNERSHIP_ADMIN):
        raise Http404
    try:
        return people_of(partnership).get(pk=person_id)
    except User.DoesNotExist:
        raise Http404 from None


def access_membership(user: User, partnership: Partnership, membership_id: int) -> Membership:
    if not has_role(user, partnership, Role.PARTNERSHIP_ADMIN):
        raise Http404
    try:
        return Membership.objects.select_related("user", "agency").get(
            pk=membership_id, partnership=partnership
        )
    except Membership.DoesNotExist:
        raise Http404 from None


def access_partnership_borough(user: User, slug: str, borough_slug: str) -> tuple:
    """A borough of a partnership the person administers (to edit its population)."""
    partnership = access_partnership_admin(user, slug)
    borough = partnership.boroughs.filter(slug=borough_slug).first()
    if borough is None:
        raise Http404
    return partnership, borough

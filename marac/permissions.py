"""Who may see MARAC cases, and through which lens (DESIGN §4). The only place that decides it,
and the only code that calls django-guardian.

- The **full lens**: the MARAC's coordinators and chair, the allocated IDVA, the referring
  agencies' representatives at the MARAC, representatives of an agency granted the case, and
  people granted it explicitly (guardian direct-foreign-key rows on the case).
- The **agenda lens**: representatives of the MARAC's member agencies, for cases on a
  circulated agenda of that MARAC, until `agenda_access_days` after the meeting, or while their
  agency owns an open action on the case. Derived by a query, never stored per case.
- A **do-not-disclose** entry naming the person, or an agency they act for, beats every lens.
- **Research** is private to the agency that wrote it until the meeting has heard the case; the
  MARAC's coordinators and chair always see all of it, other full-lens holders see all of it
  afterwards, and the agenda lens never shows another agency's.
- **Actions** change only in the hands of the owner agency's representatives; the meeting's
  review (coordinators and chair) closes what is still open.

Queryset functions scope lists, lookups and counts; `access_case` guards details and writes.
Out of scope answers exactly like missing: `Http404`. Every read through a lens writes an
`AccessEvent` in the same transaction, or the read fails.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import reduce
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_users_with_perms, remove_perm

from marac.models import (
    AccessEvent,
    AccessKind,
    AgendaItem,
    Case,
    CaseAction,
    CaseActionStatus,
    CaseAgencyGrant,
    CaseExport,
    CaseStatus,
    CaseTransfer,
    CaseUserObjectPermission,
    DoNotDisclose,
    LegalHold,
    Lens,
    Marac,
    MaracMemberAgency,
    Meeting,
    ReferralSource,
    Research,
    TransferStatus,
)
from partnership.models import Membership, Partnership, Role, User

FULL_LENS_PERMISSION = "marac.full_lens_case"
FULL_LENS_ROLES = (Role.MARAC_COORDINATOR, Role.MARAC_CHAIR)
LOOKUPS_PER_HOUR = 20


class LookupLimitReached(Exception):
    """Too many exact lookups by one person in the last hour."""


def _marac_type() -> ContentType:
    return ContentType.objects.get_for_model(Marac)


def _is_signed_in(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def marac_memberships(user: User, *roles: str) -> QuerySet[Membership]:
    """The person's active MARAC-scoped memberships (of the given roles, if any)."""
    if not _is_signed_in(user):
        return Membership.objects.none()
    memberships = Membership.objects.active().filter(user=user, scope_type=_marac_type())
    return memberships.filter(role__in=roles) if roles else memberships


def marac_memberships_at(marac: Marac, *roles: str) -> QuerySet[Membership]:
    """Active memberships held at a MARAC (of the given roles)."""
    memberships = Membership.objects.active().filter(scope_type=_marac_type(), scope_id=marac.pk)
    return memberships.filter(role__in=roles).select_related("user", "agency")


def maracs_where(user: User, *roles: str) -> QuerySet[Marac]:
    """MARACs where the person holds one of `roles`."""
    return Marac.objects.filter(pk__in=marac_memberships(user, *roles).values("scope_id"))


def access_marac(user: User, slug: str, *roles: str) -> Marac:
    """A MARAC where the person holds one of `roles` (any MARAC role if none given); else 404."""
    try:
        return maracs_where(user, *roles).get(slug=slug)
    except Marac.DoesNotExist:
        raise Http404 from None


def _user_agencies(user: User) -> QuerySet[Membership]:
    return Membership.objects.active().filter(user=user).values("agency_id")


def _not_disclosed_to(user: User) -> Q:
    barred = DoNotDisclose.objects.filter(
        Q(user=user) | Q(agency__in=_user_agencies(user)), case=OuterRef("pk")
    )
    return ~Exists(barred)


def _representatives(user: User) -> QuerySet[Membership]:
    return marac_memberships(user, Role.MARAC_REPRESENTATIVE)


def _live(status_field: str = "case__status") -> Q:
    """Not transferred. A transferred case has left its MARAC: only the grants the transfer made
    (to the receiving agencies, or explicitly to people) still reach it."""
    return ~Q(**{status_field: CaseStatus.TRANSFERRED})


class _Branch(NamedTuple):
    """One reason a lens reaches cases: rows naming the cases, and the field holding their id."""

    rows: QuerySet
    case_field: str = "case_id"

    def ids(self) -> QuerySet:
        return self.rows.order_by().values(self.case_field)

    def reaches(self) -> Exists:
        """The same reason asked of one case (the outer query's)."""
        return Exists(self.rows.filter(**{self.case_field: OuterRef("pk")}))


@dataclass(frozen=True)
class _Standing:
    """What a person's MARAC memberships allow, read in one query when a lens is built, so the
    lens queries name MARACs and agencies as values the planner can estimate."""

    full_lens_maracs: tuple[int, ...] = ()  # coordinator or chair
    coordinator_maracs: tuple[int, ...] = ()
    idva_maracs: tuple[int, ...] = ()
    represented: tuple[tuple[int, int], ...] = ()  # (MARAC, agency) pairs
    member_represented: tuple[tuple[int, int, int], ...] = ()  # (MARAC, agency, access days)
    acting: tuple[tuple[int, int | None], ...] = ()  # (MARAC, agency of the earliest membership)

    def agency_at(self, marac_id: int) -> int | None:
        """The agency the person acts for at a MARAC (recorded on every access event)."""
        return dict(self.acting).get(marac_id)


def _standing(user: User) -> _Standing:
    member = MaracMemberAgency.objects.filter(
        marac_id=OuterRef("scope_id"), agency_id=OuterRef("agency_id"), left_on__isnull=True
    )
    access_days = Marac.objects.filter(pk=OuterRef("scope_id")).values("agenda_access_days")
    rows = (
        marac_memberships(user)
        .annotate(is_member=Exists(member), access_days=Subquery(access_days))
        .order_by("pk")
        .values_list("role", "scope_id", "agency_id", "is_member", "access_days")
    )
    full, coordinated, idva, represented, member_represented = set(), set(), set(), set(), set()
    acting: dict[int, int | None] = {}
    for role, marac_id, agency_id, is_member, days in rows:
        acting.setdefault(marac_id, agency_id)
        if role in FULL_LENS_ROLES:
            full.add(marac_id)
            if role == Role.MARAC_COORDINATOR:
                coordinated.add(marac_id)
        elif role == Role.IDVA:
            idva.add(marac_id)
        elif role == Role.MARAC_REPRESENTATIVE:
            represented.add((marac_id, agency_id))
            if is_member:
                member_represented.add((marac_id, agency_id, days))
    return _Standing(
        tuple(sorted(full)),
        tuple(sorted(coordinated)),
        tuple(sorted(idva)),
        tuple(sorted(represented)),
        tuple(sorted(member_represented)),
        tuple(acting.items()),
    )


def _any_of(conditions: Iterable[Q]) -> Q:
    return reduce(operator.or_, conditions)


def _full_lens(user: User, standing: _Standing) -> list[_Branch]:
    """Why the person holds the full lens on cases, one branch per reason. Each branch starts
    from the person's own MARACs and agencies or from rows naming them, so what it costs
    follows what the person may see, not how many cases are held."""
    branches = []
    if standing.full_lens_maracs:
        at_the_marac = Case.objects.filter(_live("status"), marac_id__in=standing.full_lens_maracs)
        branches.append(_Branch(at_the_marac, "pk"))
    if standing.idva_maracs:
        allocated = Case.objects.filter(
            _live("status"), idva=user, marac_id__in=standing.idva_maracs
        )
        branches.append(_Branch(allocated, "pk"))
    if standing.represented:
        referred_by_own_agency = ReferralSource.objects.filter(
            _live("referral__case__status"),
            _any_of(
                Q(agency_id=agency, referral__case__marac_id=marac)
                for marac, agency in standing.represented
            ),
        )
        granted_to_own_agency = CaseAgencyGrant.objects.filter(
            _any_of(
                Q(agency_id=agency, case__marac_id=marac) for marac, agency in standing.represented
            ),
            revoked_at__isnull=True,
        )
        branches += [
            _Branch(referred_by_own_agency, "referral__case_id"),
            _Branch(granted_to_own_agency),
        ]
    # guardian's direct-foreign-key rows, read as `get_objects_for_user` would (the person's own
    # rows: no groups, no global permission), as one subquery instead of a lookup and a query.
    app_label, codename = FULL_LENS_PERMISSION.split(".")
    explicit = CaseUserObjectPermission.objects.filter(
        user=user, permission__codename=codename, permission__content_type__app_label=app_label
    )
    return [*branches, _Branch(explicit, "content_object_id")]


def _agenda_lens(standing: _Standing) -> list[_Branch]:
    """The agenda lens's branches: cases on a circulated agenda of a MARAC where the person
    represents a member agency, until the lens window after that meeting ends, or while their
    agency owns an open action on the case."""
    if not standing.member_represented:
        return []
    today = timezone.localdate()
    circulated = AgendaItem.objects.filter(
        _live(),
        meeting__agenda_circulated_at__isnull=False,
        meeting__marac_id=F("case__marac_id"),
    )
    in_window = circulated.filter(
        _any_of(
            Q(meeting__marac_id=marac, meeting__date__gte=today - timedelta(days=days))
            for marac, _, days in standing.member_represented
        )
    )
    open_action_of_own_agency = CaseAction.objects.filter(
        _live(),
        _any_of(
            Q(owner_agency_id=agency, case__marac_id=marac)
            for marac, agency, _ in standing.member_represented
        ),
        Exists(circulated.filter(case=OuterRef("case_id"))),
        status=CaseActionStatus.OPEN,
    )
    return [_Branch(in_window), _Branch(open_action_of_own_agency)]


def cases_visible_to(user: User | None, lens: str) -> QuerySet[Case]:
    """Cases the person may read through `lens` (the agenda lens includes full-lens holders)."""
    if not _is_signed_in(user):
        return Case.objects.none()
    return _visible(user, lens, _standing(user))


def _visible(
    user: User, lens: str, standing: _Standing, *, per_case: bool = False
) -> QuerySet[Case]:
    return Case.objects.filter(_through(user, lens, standing, per_case=per_case))


def _through(user: User, lens: str, standing: _Standing, *, per_case: bool = False) -> Q:
    """The condition that `lens` shows a case to the person. For lists, the ids every branch
    reaches, combined (the cost follows what the person may see); `per_case` asks each branch
    of each candidate instead, for a handful of known cases (one page, a lookup's matches)."""
    branches = _full_lens(user, standing) + (_agenda_lens(standing) if lens == Lens.AGENDA else [])
    if per_case:
        allowed = _any_of(Q(branch.reaches()) for branch in branches)
    else:
        first, *rest = (branch.ids() for branch in branches)
        allowed = Q(pk__in=first.union(*rest, all=True) if rest else first)
    # Once the retention purge has run there is nothing personal left to read.
    return _not_disclosed_to(user) & allowed & Q(personal_data_purged_at__isnull=True)


def lens_of(user: User | None, case: Case) -> str | None:
    """The widest lens the person holds on one case, or None."""
    if not _is_signed_in(user):
        return None
    standing = _standing(user)
    for lens in (Lens.FULL, Lens.AGENDA):
        if _visible(user, lens, standing, per_case=True).filter(pk=case.pk).exists():
            return lens
    return None


@transaction.atomic
def access_case(
    user: User | None,
    case_id: int,
    lens: str,
    *,
    what: str = AccessKind.DETAIL,
    ip_address: str | None = None,
) -> Case:
    """A case through `lens`, its read recorded; Http404 when missing or out of scope."""
    if not _is_signed_in(user):
        raise Http404
    standing = _standing(user)
    try:
        case = (
            _visible(user, lens, standing, per_case=True)
            .select_related("marac", "referral", "victim")
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    AccessEvent.objects.create(
        user=user,
        agency_id=standing.agency_at(case.marac_id),
        marac_id=case.marac_id,
        case_id=case.pk,
        lens=lens,
        what=what,
        ip_address=ip_address,
    )
    return case


class _Read(NamedTuple):
    """One access event to write: the case (None for a lookup itself), where, for whom, how."""

    case_id: int | None
    marac_id: int
    agency_id: int | None
    lens: str


def _record(user: User, reads: list[_Read], *, what: str, ip_address: str | None) -> None:
    """Write access events in a single INSERT over arrays: a list of hundreds of cases would
    otherwise cost a model instance and a row of placeholders each. Every bulk read (lists,
    lookups, exports) records through here; a single detail read uses the model."""
    if not reads:
        return
    table = connection.ops.quote_name(AccessEvent._meta.db_table)
    # Names come from the model; every value is a bound parameter.
    sql = (
        f"INSERT INTO {table} (at, user_id, agency_id, marac_id, case_id, lens, what, ip_address) "  # noqa: S608  # nosec B608
        "SELECT %s::timestamptz, %s::bigint, t.agency, t.marac, t.case_id, t.lens, "
        "%s::varchar, %s::inet "
        "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::varchar[]) "
        "AS t(case_id, marac, agency, lens)"
    )
    case_ids, marac_ids, agency_ids, lenses = (list(column) for column in zip(*reads, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [timezone.now(), user.pk, what, ip_address, case_ids, marac_ids, agency_ids, lenses],
        )


@transaction.atomic
def read_cases(
    user: User | None,
    cases: QuerySet[Case],
    lens: str,
    *,
    what: str = AccessKind.LIST,
    ip_address: str | None = None,
    many: bool = False,
) -> list[Case]:
    """Evaluate a list of cases through `lens`, recording one event per case shown.

    The ids come first, through the lens; the rows (with whatever the caller joins) are then
    read for those ids alone, so the joins never run over cases the person cannot see. Each
    of the caller's cases is checked against the lens, which suits a bounded handful (a page,
    a meeting's agenda, a lookup's matches); `many=True` says the caller's cases may be far
    more than the lens reaches (every case on a MARAC's agendas), so the lens's ids are
    worked out once instead."""
    if not _is_signed_in(user):
        return []
    return _read(user, _standing(user), cases, lens, what, ip_address, many=many)


def _read(
    user: User,
    standing: _Standing,
    cases: QuerySet[Case],
    lens: str,
    what: str,
    ip_address: str | None,
    *,
    many: bool = False,
    lookup_at: Marac | None = None,
) -> list[Case]:
    allowed = _through(user, lens, standing, per_case=not many)
    ids = list(cases.filter(allowed).order_by().values_list("pk", flat=True))
    shown = list(cases.filter(pk__in=ids)) if ids else []
    reads = [_Read(c.pk, c.marac_id, standing.agency_at(c.marac_id), lens) for c in shown]
    if lookup_at is not None:
        reads.insert(0, _Read(None, lookup_at.pk, standing.agency_at(lookup_at.pk), ""))
    _record(user, reads, what=what, ip_address=ip_address)
    return shown


def _count_lookup(user: User) -> None:
    """Count a lookup against the person's hourly limit; refuse past it. The person's row is
    locked first, so concurrent lookups queue and cannot all slip under the limit together
    (the caller's transaction holds the lock until it records the lookup). The count is a
    statement of its own: one that waited for the lock would count from its own start, before
    the lookup it waited for was recorded."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    recent = AccessEvent.objects.filter(
        user=user,
        what=AccessKind.LOOKUP,
        case_id__isnull=True,
        at__gte=timezone.now() - timedelta(hours=1),
    )
    if recent.count() >= LOOKUPS_PER_HOUR:
        raise LookupLimitReached


@transaction.atomic
def look_up(
    user: User | None, marac: Marac, cases: QuerySet[Case], *, ip_address: str | None = None
) -> list[Case]:
    """A coordinator's exact lookup at their MARAC, in one transaction: counted against the
    hourly limit and recorded, then the cases found read through the full lens, each read
    recorded. Anyone else is refused (`PermissionDenied`); past the limit, `LookupLimitReached`."""
    standing = _standing(user) if _is_signed_in(user) else _Standing()
    if not _looks_up(standing, marac):
        raise PermissionDenied
    _count_lookup(user)
    found = cases.filter(marac=marac)
    return _read(user, standing, found, Lens.FULL, AccessKind.LOOKUP, ip_address, lookup_at=marac)


def _looks_up(standing: _Standing, marac: Marac) -> bool:
    """Exact lookups by name and date of birth, or case reference: coordinators only."""
    return marac.pk in standing.coordinator_maracs


def can_look_up(user: User, marac: Marac) -> bool:
    return _is_signed_in(user) and _looks_up(_standing(user), marac)


def can_manage(user: User, marac: Marac) -> bool:
    """Build agendas, accept referrals, record meetings: coordinators and chair."""
    return maracs_where(user, *FULL_LENS_ROLES).filter(pk=marac.pk).exists()


def can_export_cases(user: User, marac: Marac) -> bool:
    """Exports of case data: the MARAC's coordinators and the partnership's data protection lead."""
    if can_look_up(user, marac):
        return True
    return (
        _is_signed_in(user)
        and Membership.objects.active()
        .filter(user=user, partnership_id=marac.partnership_id, role=Role.DATA_PROTECTION_LEAD)
        .exists()
    )


def access_events_visible_to(user: User | None) -> QuerySet[AccessEvent]:
    """Access events a person may oversee: their MARACs' (coordinators, chair) and their
    partnerships' (data protection lead). The events hold ids only, never personal values."""
    if not _is_signed_in(user):
        return AccessEvent.objects.none()
    overseen = maracs_where(user, *FULL_LENS_ROLES).values("pk")
    dpl_partnerships = (
        Membership.objects.active()
        .filter(user=user, role=Role.DATA_PROTECTION_LEAD)
        .values("partnership_id")
    )
    in_partnership = Marac.objects.filter(partnership_id__in=dpl_partnerships).values("pk")
    return AccessEvent.objects.filter(Q(marac_id__in=overseen) | Q(marac_id__in=in_partnership))


def grant_full_lens(*, user: User, case: Case) -> None:
    """Write the guardian row; called only by `marac.services.case_full_lens_grant`."""
    assign_perm(FULL_LENS_PERMISSION, user, case)


def revoke_full_lens(*, user: User, case: Case) -> None:
    remove_perm(FULL_LENS_PERMISSION, user, case)


def explicit_full_lens_holders(case: Case) -> Iterable[User]:
    return get_users_with_perms(
        case,
        only_with_perms_in=["full_lens_case"],
        with_superusers=False,
        with_group_users=False,
    )


def sees_unsuppressed_indicators(user: User | None, marac: Marac) -> bool:
    """The MARAC's coordinators and chair and the partnership's data protection lead see small
    numbers; every other display of the indicators is suppressed (DESIGN §4, §5)."""
    if not _is_signed_in(user):
        return False
    if can_manage(user, marac):
        return True
    return (
        Membership.objects.active()
        .filter(user=user, partnership_id=marac.partnership_id, role=Role.DATA_PROTECTION_LEAD)
        .exists()
    )


def access_case_lens(user: User | None, case_id: int) -> str:
    """The widest lens the person holds on a case (no read is recorded); Http404 if none."""
    for lens in (Lens.FULL, Lens.AGENDA):
        if cases_visible_to(user, lens).filter(pk=case_id).exists():
            return lens
    raise Http404


def access_marac_figures(user: User | None, slug: str) -> Marac:
    """A MARAC whose indicators the person may see (counts only): any member of its
    partnership. Else Http404."""
    if not _is_signed_in(user):
        raise Http404
    partnerships = Membership.objects.active().filter(user=user).values("partnership_id")
    try:
        return Marac.objects.select_related("partnership").get(
            slug=slug, partnership_id__in=partnerships
        )
    except Marac.DoesNotExist:
        raise Http404 from None


@transaction.atomic
def access_managed_case(
    user: User | None, case_id: int, *, what: str = AccessKind.DETAIL, ip_address: str | None = None
) -> Case:
    """A case at a MARAC the person coordinates or chairs, read through the full lens and
    recorded; Http404 (and nothing recorded) for anyone else."""
    if not _is_signed_in(user):
        raise Http404
    managed = maracs_where(user, *FULL_LENS_ROLES)
    if not Case.objects.filter(pk=case_id, marac__in=managed).exists():
        raise Http404
    return access_case(user, case_id, Lens.FULL, what=what, ip_address=ip_address)


# Meetings: research, minutes, actions (issue 7).


def can_chair(user: User | None, marac: Marac) -> bool:
    """Approve the minutes: the MARAC's chair."""
    return _is_signed_in(user) and maracs_where(user, Role.MARAC_CHAIR).filter(pk=marac.pk).exists()


def access_managed_meeting(user: User | None, slug: str, pk: int) -> Meeting:
    """A meeting of a MARAC the person coordinates or chairs; else Http404."""
    marac = access_marac(user, slug, *FULL_LENS_ROLES)
    try:
        return Meeting.objects.select_related("marac", "marac__partnership").get(marac=marac, pk=pk)
    except (Meeting.DoesNotExist, ValueError):
        raise Http404 from None


def representing_agency_ids(user: User | None, marac_id: int) -> list[int]:
    """The member agencies a person represents at a MARAC (oldest membership first)."""
    if not _is_signed_in(user):
        return []
    members = MaracMemberAgency.objects.filter(marac_id=marac_id, left_on__isnull=True)
    return list(
        _representatives(user)
        .filter(scope_id=marac_id, agency_id__in=members.values("agency_id"))
        .order_by("pk")
        .values_list("agency_id", flat=True)
        .distinct()
    )


def representative_maracs(user: User | None) -> QuerySet[Marac]:
    """MARACs where the person represents a member agency."""
    if not _is_signed_in(user):
        return Marac.objects.none()
    return maracs_where(user, Role.MARAC_REPRESENTATIVE)


def research_items_for(user: User | None) -> QuerySet[AgendaItem]:
    """Items on circulated agendas, not yet heard, that the person's agency may research: they
    represent a member agency there and hold the agenda lens on the case."""
    if not _is_signed_in(user):
        return AgendaItem.objects.none()
    return AgendaItem.objects.filter(
        meeting__marac__in=representative_maracs(user),
        meeting__agenda_circulated_at__isnull=False,
        heard_at__isnull=True,
        case__in=cases_visible_to(user, Lens.AGENDA),
    )


@transaction.atomic
def access_research_item(
    user: User | None, item_id: int, *, ip_address: str | None = None
) -> tuple[AgendaItem, int]:
    """An item the person researches for their agency, and that agency's id; the case is read
    through the agenda lens and recorded. Http404 for anyone else."""
    try:
        item = (
            research_items_for(user)
            .select_related("meeting", "meeting__marac", "case")
            .get(pk=item_id)
        )
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    agencies = representing_agency_ids(user, item.meeting.marac_id)
    if not agencies:
        raise Http404
    access_case(user, item.case_id, Lens.AGENDA, ip_address=ip_address)
    return item, agencies[0]


def research_visible_to(user: User | None, item: AgendaItem) -> QuerySet[Research]:
    """The research on one item the person may read (call after a recorded read of the case).

    Coordinators and chair: all of it. Other full-lens holders: their own agency's until the
    meeting has heard the case, then all of it. The agenda lens: only their own agency's."""
    rows = Research.objects.filter(item=item).select_related("agency")
    marac = item.meeting.marac
    if can_manage(user, marac):
        return rows
    lens = lens_of(user, item.case)
    if lens is None:
        return rows.none()
    heard = item.heard_at is not None
    if lens == Lens.FULL and heard:
        return rows
    own = Membership.objects.active().filter(
        user=user, scope_type=_marac_type(), scope_id=marac.pk, role=Role.MARAC_REPRESENTATIVE
    )
    return rows.filter(agency_id__in=own.values("agency_id"))


def actions_owned_by(user: User | None) -> QuerySet[CaseAction]:
    """Actions the person's agencies own at MARACs where they represent them, once the minutes
    that agreed them are approved (their per-agency extract), on cases they still may see."""
    if not _is_signed_in(user):
        return CaseAction.objects.none()
    reps = _representatives(user)
    return CaseAction.objects.filter(
        Exists(
            reps.filter(scope_id=OuterRef("case__marac_id"), agency_id=OuterRef("owner_agency_id"))
        ),
        Q(meeting__isnull=True) | Q(meeting__minutes_approved_at__isnull=False),
        case__in=cases_visible_to(user, Lens.AGENDA),
    )


@transaction.atomic
def access_owned_action(
    user: User | None, action_id: int, *, ip_address: str | None = None
) -> CaseAction:
    """An action the person's agency owns; its case read through the agenda lens and
    recorded. Http404 for anyone else, the MARAC's coordinators included."""
    try:
        action = (
            actions_owned_by(user)
            .select_related("case", "case__marac", "owner_agency", "meeting")
            .get(pk=action_id)
        )
    except (CaseAction.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_case(user, action.case_id, Lens.AGENDA, ip_address=ip_address)
    return action


def extract_meetings_for(user: User | None) -> QuerySet[Meeting]:
    """Meetings whose approved minutes the person's agency has an extract of."""
    if not _is_signed_in(user):
        return Meeting.objects.none()
    return Meeting.objects.filter(
        marac__in=representative_maracs(user), minutes_approved_at__isnull=False
    )


def access_extract_meeting(user: User | None, pk: int) -> tuple[Meeting, list[int]]:
    """A meeting with approved minutes at a MARAC where the person represents a member agency,
    and those agencies' ids; else Http404."""
    try:
        meeting = extract_meetings_for(user).select_related("marac").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    agencies = representing_agency_ids(user, meeting.marac_id)
    if not agencies:
        raise Http404
    return meeting, agencies


def access_managed_item(user: User | None, slug: str, pk: int, item_pk: int) -> AgendaItem:
    """An item of a meeting the person coordinates or chairs, on a case they may see through
    the full lens (a do-not-disclose entry still wins). Nothing is read or recorded: for writes
    such as drafts, whose page read was recorded when it was shown. Else Http404."""
    meeting = access_managed_meeting(user, slug, pk)
    try:
        item = meeting.items.select_related("meeting__marac", "case").get(pk=item_pk)
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not cases_visible_to(user, Lens.FULL).filter(pk=item.case_id).exists():
        raise Http404
    return item


# Transfers (marac.services.transfers): the sending MARAC's coordinators ask; the receiving
# MARAC's coordinators answer. Anyone else gets 404.


def can_transfer(user: User | None, case: Case) -> bool:
    """Request a transfer of a case: coordinators of the MARAC holding it."""
    return (
        _is_signed_in(user)
        and case.status != CaseStatus.TRANSFERRED
        and maracs_where(user, Role.MARAC_COORDINATOR).filter(pk=case.marac_id).exists()
    )


def access_transferable_case(user: User | None, case_id: int) -> Case:
    """A case the person may transfer (no read is recorded: the form shows its reference
    only); Http404 otherwise."""
    try:
        case = Case.objects.select_related("marac__partnership").get(
            pk=case_id, personal_data_purged_at__isnull=True
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_transfer(user, case):
        raise Http404
    return case


def transfers_visible_to(user: User | None) -> QuerySet[CaseTransfer]:
    """Transfers out of, or into, the MARACs the person coordinates."""
    if not _is_signed_in(user):
        return CaseTransfer.objects.none()
    coordinated = maracs_where(user, Role.MARAC_COORDINATOR)
    return CaseTransfer.objects.filter(Q(from_marac__in=coordinated) | Q(to_marac__in=coordinated))


def access_transfer(user: User | None, transfer_id: int) -> CaseTransfer:
    try:
        return (
            transfers_visible_to(user)
            .select_related("case__referral", "from_marac", "to_marac", "created_by")
            .get(pk=transfer_id)
        )
    except (CaseTransfer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_answer_transfer(user: User | None, transfer: CaseTransfer) -> bool:
    """Accept or decline: the receiving MARAC's coordinators, while the request is open."""
    return (
        _is_signed_in(user)
        and transfer.to_marac_id is not None
        and transfer.status == TransferStatus.REQUESTED
        and maracs_where(user, Role.MARAC_COORDINATOR).filter(pk=transfer.to_marac_id).exists()
    )


# Exports (marac.services.exports): the MARAC's coordinators and the partnership's data
# protection lead, of the cases held at (or transferred to) that MARAC, never a case barred
# from them by a do-not-disclose entry. Each case exported or downloaded is an access event.


def _is_data_protection_lead(user: User, partnership_id: int) -> bool:
    return (
        Membership.objects.active()
        .filter(user=user, partnership_id=partnership_id, role=Role.DATA_PROTECTION_LEAD)
        .exists()
    )


def access_export_marac(user: User | None, slug: str) -> Marac:
    """A MARAC whose cases the person may export; Http404 otherwise."""
    try:
        marac = Marac.objects.select_related("partnership").get(slug=slug)
    except Marac.DoesNotExist:
        raise Http404 from None
    if not (_is_signed_in(user) and can_export_cases(user, marac)):
        raise Http404
    return marac


def exportable_cases(user: User | None, marac: Marac) -> QuerySet[Case]:
    if not (_is_signed_in(user) and can_export_cases(user, marac)):
        return Case.objects.none()
    held_here = (Q(marac=marac) & _live("status")) | Q(transferred_to=marac)
    return Case.objects.filter(
        held_here & _not_disclosed_to(user), personal_data_purged_at__isnull=True
    )


def _export_agency_id(user: User, marac: Marac) -> int | None:
    here = marac_memberships(user).filter(scope_id=marac.pk).order_by("pk").first()
    if here is not None:
        return here.agency_id
    lead = (
        Membership.objects.active()
        .filter(user=user, partnership_id=marac.partnership_id, role=Role.DATA_PROTECTION_LEAD)
        .order_by("pk")
        .first()
    )
    return lead.agency_id if lead else None


@transaction.atomic
def record_export_reads(
    user: User, marac: Marac, case_ids: Iterable[int], *, what: str, ip_address: str | None
) -> None:
    """One access event per case in an export (written, or downloaded as a file)."""
    agency_id = _export_agency_id(user, marac)
    reads = [_Read(case_id, marac.pk, agency_id, Lens.FULL) for case_id in sorted(set(case_ids))]
    _record(user, reads, what=what, ip_address=ip_address)


def exports_visible_to(user: User | None) -> QuerySet[CaseExport]:
    """A person's own exports that have not expired, at MARACs they may still export from."""
    if not _is_signed_in(user):
        return CaseExport.objects.none()
    coordinated = maracs_where(user, Role.MARAC_COORDINATOR).values("pk")
    led = (
        Membership.objects.active()
        .filter(user=user, role=Role.DATA_PROTECTION_LEAD)
        .values("partnership_id")
    )
    return CaseExport.objects.filter(
        Q(marac__in=coordinated) | Q(marac__partnership_id__in=led),
        created_by=user,
        deleted_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def access_export(user: User | None, export_id: int) -> CaseExport:
    try:
        return exports_visible_to(user).select_related("marac").get(pk=export_id)
    except (CaseExport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# Legal holds (marac.services.retention): the coordinators of the MARAC holding the case and
# the partnership's data protection lead set and lift them. No lens is needed: the page shows
# the case reference and the holds only.


def can_hold(user: User | None, case: Case) -> bool:
    if not _is_signed_in(user):
        return False
    # A case transferred within the partnership is held by the receiving MARAC.
    holding = case.transferred_to_id or case.marac_id
    if maracs_where(user, Role.MARAC_COORDINATOR).filter(pk=holding).exists():
        return True
    return _is_data_protection_lead(user, case.marac.partnership_id)


def access_holdable_case(user: User | None, case_id: int) -> Case:
    try:
        case = Case.objects.select_related("marac__partnership").get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_hold(user, case):
        raise Http404
    return case


def legal_holds_visible_to(user: User | None) -> QuerySet[LegalHold]:
    """Active legal holds in the partnerships the person is data protection lead of."""
    if not _is_signed_in(user):
        return LegalHold.objects.none()
    led = (
        Membership.objects.active()
        .filter(user=user, role=Role.DATA_PROTECTION_LEAD)
        .values("partnership_id")
    )
    return LegalHold.objects.filter(case__marac__partnership_id__in=led, lifted_at__isnull=True)


# Oversight: the partnership's data protection lead sees every access event at its MARACs.


def partnerships_overseen(user: User | None) -> QuerySet[Partnership]:
    if not _is_signed_in(user):
        return Partnership.objects.none()
    led = (
        Membership.objects.active()
        .filter(user=user, role=Role.DATA_PROTECTION_LEAD)
        .values("partnership_id")
    )
    return Partnership.objects.filter(pk__in=led)


def access_oversight(user: User | None, slug: str) -> Partnership:
    """A partnership the person is data protection lead of; Http404 otherwise."""
    try:
        return partnerships_overseen(user).get(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404 from None


def partnership_access_events(user: User | None, partnership: Partnership) -> QuerySet[AccessEvent]:
    if not partnerships_overseen(user).filter(pk=partnership.pk).exists():
        return AccessEvent.objects.none()
    maracs = Marac.objects.filter(partnership=partnership).values("pk")
    return AccessEvent.objects.filter(marac_id__in=maracs)

"""Writes to the partnership model. Each is atomic, takes the acting user and records the change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone

from partnership.models import (
    ROLE_SCOPES,
    Agency,
    Attendance,
    AttendanceStatus,
    Board,
    BoardKind,
    BoardMeeting,
    Borough,
    ChangeRecord,
    Membership,
    Partnership,
    Role,
    Scope,
    User,
)

SYSTEM_ACTOR_EMAIL = "system@vawg-portal.invalid"
MARAC_MODEL = "marac.Marac"


def system_actor() -> User:
    """The recorded user that management commands and scheduled jobs act as."""
    user, _ = User.objects.get_or_create(
        email=SYSTEM_ACTOR_EMAIL,
        defaults={"full_name": "System", "is_system": True, "is_active": False},
    )
    return user


def record_change(
    *,
    actor: User,
    action: str,
    obj: models.Model,
    partnership: Partnership | None = None,
    detail: dict[str, Any] | None = None,
) -> ChangeRecord:
    return ChangeRecord.objects.create(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        partnership=partnership,
        detail=detail or {},
    )


def _stamp(obj: models.Model, acting_user: User, *, new: bool) -> None:
    now = timezone.now()
    if new:
        obj.created_by = acting_user
        obj.created_at = now
    obj.updated_by = acting_user
    obj.updated_at = now


@transaction.atomic
def partnership_create(
    *, acting_user: User, name: str, slug: str, boroughs: Iterable[Borough], description: str = ""
) -> Partnership:
    partnership = Partnership(name=name, slug=slug, description=description)
    _stamp(partnership, acting_user, new=True)
    partnership.full_clean()
    partnership.save()
    partnership.boroughs.set(boroughs)
    record_change(
        actor=acting_user, action="partnership_create", obj=partnership, partnership=partnership
    )
    return partnership


@transaction.atomic
def agency_create(
    *,
    acting_user: User,
    name: str,
    slug: str,
    category: str,
    boroughs: Iterable[Borough],
) -> Agency:
    agency = Agency(name=name, slug=slug, category=category)
    _stamp(agency, acting_user, new=True)
    agency.full_clean()
    agency.save()
    agency.boroughs.set(boroughs)
    record_change(actor=acting_user, action="agency_create", obj=agency)
    return agency


@transaction.atomic
def agency_update(
    *, acting_user: User, agency: Agency, name: str, category: str, boroughs: Iterable[Borough]
) -> Agency:
    agency.name = name
    agency.category = category
    _stamp(agency, acting_user, new=False)
    agency.full_clean()
    agency.save(update_fields=["name", "category", "updated_at", "updated_by"])
    agency.boroughs.set(boroughs)
    record_change(actor=acting_user, action="agency_update", obj=agency)
    return agency


@transaction.atomic
def board_create(
    *,
    acting_user: User,
    partnership: Partnership,
    name: str,
    slug: str,
    kind: str = BoardKind.BOARD,
    parent: Board | None = None,
    remit: str = "",
) -> Board:
    if parent is not None and parent.partnership_id != partnership.pk:
        raise ValidationError({"parent": "The parent must belong to the same partnership."})
    board = Board(
        partnership=partnership, name=name, slug=slug, kind=kind, parent=parent, remit=remit
    )
    _stamp(board, acting_user, new=True)
    board.full_clean()
    board.save()
    record_change(actor=acting_user, action="board_create", obj=board, partnership=partnership)
    return board


@transaction.atomic
def borough_population_update(
    *, acting_user: User, borough: Borough, population: int, source: str, year: int
) -> Borough:
    borough.adult_female_population = population
    borough.population_source = source
    borough.population_year = year
    borough.full_clean()
    borough.save(update_fields=["adult_female_population", "population_source", "population_year"])
    record_change(
        actor=acting_user,
        action="borough_population_update",
        obj=borough,
        detail={"population": population, "year": year},
    )
    return borough


def _marac_scope(marac: models.Model | None, partnership: Partnership) -> dict[str, Any]:
    if marac is None:
        return {"scope_type": None, "scope_id": None}
    if marac._meta.label != MARAC_MODEL:
        raise ValidationError({"marac": "That is not a MARAC."})
    if marac.partnership_id != partnership.pk:
        raise ValidationError({"marac": "That MARAC belongs to another partnership."})
    return {"scope_type": ContentType.objects.get_for_model(marac), "scope_id": marac.pk}


def _validate_scope(
    role: str, partnership: Partnership, board: Board | None, marac: models.Model | None
) -> None:
    if role not in Role.values:
        raise ValidationError({"role": f"“{role}” is not a role."})
    scope = ROLE_SCOPES[role]
    if scope == Scope.BOARD and board is None:
        raise ValidationError({"board": "Choose the board this role is for."})
    if scope == Scope.MARAC and marac is None:
        raise ValidationError({"marac": "Choose the MARAC this role is for."})
    if scope != Scope.BOARD and board is not None:
        raise ValidationError({"board": "This role is not held on a board."})
    if scope != Scope.MARAC and marac is not None:
        raise ValidationError({"marac": "This role is not held at a MARAC."})
    if board is not None and board.partnership_id != partnership.pk:
        raise ValidationError({"board": "That board belongs to another partnership."})


@transaction.atomic
def membership_grant(
    *,
    acting_user: User,
    user: User,
    agency: Agency,
    role: str,
    partnership: Partnership,
    board: Board | None = None,
    marac: models.Model | None = None,
) -> Membership:
    """Give a person a role through an agency. A duplicate of an active membership is refused."""
    _validate_scope(role, partnership, board, marac)
    if not agency.is_active:
        raise ValidationError({"agency": "That agency is no longer active."})
    scope = _marac_scope(marac, partnership)
    duplicate = Membership.objects.filter(
        user=user, role=role, partnership=partnership, board=board, ended_at__isnull=True, **scope
    )
    if duplicate.exists():
        raise ValidationError(f"{user} already holds this role here.")
    membership = Membership(
        user=user, agency=agency, role=role, partnership=partnership, board=board, **scope
    )
    _stamp(membership, acting_user, new=True)
    membership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as error:  # a concurrent grant won the race
        raise ValidationError(f"{user} already holds this role here.") from error
    record_change(
        actor=acting_user,
        action="membership_grant",
        obj=membership,
        partnership=partnership,
        detail={"user": user.pk, "role": role, "agency": agency.pk},
    )
    return membership


@transaction.atomic
def membership_end(*, acting_user: User, membership: Membership) -> Membership:
    if membership.ended_at is not None:
        raise ValidationError("This membership has already ended.")
    membership.ended_at = timezone.now()
    membership.ended_by = acting_user
    _stamp(membership, acting_user, new=False)
    membership.save(update_fields=["ended_at", "ended_by", "updated_at", "updated_by"])
    record_change(
        actor=acting_user,
        action="membership_end",
        obj=membership,
        partnership=membership.partnership,
        detail={"user": membership.user_id, "role": membership.role},
    )
    return membership


def _send_invitation(user: User, partnership: Partnership, request_host: str | None) -> None:
    """Email a set-your-password link (allauth's reset flow: accounts have no password yet)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    base = f"https://{request_host}" if request_host else ""
    send_mail(
        subject=f"You have been invited to the {settings.SERVICE_NAME}",
        message=(
            f"You have been given access to {partnership} on the {settings.SERVICE_NAME}.\n\n"
            f"Set your password here: {base}{path}\n\n"
            "You will then be asked to set up a second way of proving it is you."
        ),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def person_invite(
    *,
    acting_user: User,
    partnership: Partnership,
    email: str,
    full_name: str,
    agency: Agency,
    role: str,
    board: Board | None = None,
    marac: models.Model | None = None,
    request_host: str | None = None,
) -> Membership:
    """Create (or reuse) an account by invitation and give it its first role here."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, full_name=full_name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
        record_change(actor=acting_user, action="person_invite", obj=user, partnership=partnership)
    elif not user.is_active:
        raise ValidationError({"email": "That person's account is deactivated."})
    membership = membership_grant(
        acting_user=acting_user,
        user=user,
        agency=agency,
        role=role,
        partnership=partnership,
        board=board,
        marac=marac,
    )
    if not user.has_usable_password():
        transaction.on_commit(lambda: _send_invitation(user, partnership, request_host))
    return membership


def user_sessions_end(*, user: User) -> int:
    """Delete every session of a person: sessions are in PostgreSQL, indexed by user."""
    from portal.models import StaffSession

    ended, _ = StaffSession.objects.filter(user=user).delete()
    return ended


@transaction.atomic
def second_factor_reset(*, acting_user: User, user: User, partnership: Partnership) -> int:
    """Remove a person's authenticators and recovery codes (they lost them) and sign them out.

    Their next sign-in asks for the password and then makes them set up a new second factor.
    Returns how many authenticators were removed.
    """
    from allauth.mfa.models import Authenticator

    if user.pk == acting_user.pk:
        raise ValidationError("Ask another administrator to reset your own second factor.")
    if not user.is_active:
        raise ValidationError("This account is not active.")
    removed, _ = Authenticator.objects.filter(user=user).delete()
    user_sessions_end(user=user)
    record_change(
        actor=acting_user,
        action="second_factor_reset",
        obj=user,
        partnership=partnership,
        detail={"authenticators_removed": removed},
    )
    return removed


@transaction.atomic
def accounts_lock_dormant(*, acting_user: User, now: datetime | None = None) -> list[int]:
    """Lock every active account nobody has signed in to for ACCOUNT_DORMANT_DAYS days.

    An invitation never taken up counts from the day the account was made. Locked accounts
    keep their roles but cannot sign in, and their sessions end. Returns the locked ids.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ACCOUNT_DORMANT_DAYS)
    # PostgreSQL's GREATEST skips NULLs: the later of last sign-in and last unlock, or else
    # (an invitation never taken up) the day the account was made.
    last_use = Coalesce(Greatest("last_login", "unlocked_at"), "date_joined")
    dormant = (
        User.objects.filter(is_active=True, is_system=False)
        .alias(last_use=last_use)
        .filter(last_use__lt=cutoff)
    )
    locked = []
    for user in dormant.select_for_update(skip_locked=True):
        user.is_active = False
        user.locked_at = now
        user.save(update_fields=["is_active", "locked_at"])
        user_sessions_end(user=user)
        record_change(
            actor=acting_user,
            action="account_lock_dormant",
            obj=user,
            detail={"last_login": user.last_login.isoformat() if user.last_login else None},
        )
        locked.append(user.pk)
    return locked


@transaction.atomic
def account_unlock(*, acting_user: User, user: User, partnership: Partnership) -> User:
    """Let a person locked for disuse sign in again; the dormancy clock restarts now."""
    if user.is_active or user.locked_at is None or user.deactivated_at is not None:
        raise ValidationError("Only an account locked for not being used can be unlocked.")
    user.is_active = True
    user.locked_at = None
    user.unlocked_at = timezone.now()
    user.save(update_fields=["is_active", "locked_at", "unlocked_at"])
    record_change(actor=acting_user, action="account_unlock", obj=user, partnership=partnership)
    return user


@transaction.atomic
def person_deactivate(*, acting_user: User, user: User, partnership: Partnership) -> User:
    """Deactivate an account: it can no longer sign in, its sessions end and its roles end."""
    if user.pk == acting_user.pk:
        raise ValidationError("You cannot deactivate your own account.")
    if not user.is_active:
        raise ValidationError("This account is already deactivated.")
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    for membership in Membership.objects.filter(user=user, ended_at__isnull=True):
        membership_end(acting_user=acting_user, membership=membership)
    user_sessions_end(user=user)
    record_change(actor=acting_user, action="person_deactivate", obj=user, partnership=partnership)
    return user


@transaction.atomic
def board_meeting_create(
    *, acting_user: User, board: Board, date: date, title: str = ""
) -> BoardMeeting:
    """Schedule a meeting, inviting every current member of the board."""
    if BoardMeeting.objects.filter(board=board, date=date).exists():
        raise ValidationError({"date": "This board already has a meeting on that date."})
    meeting = BoardMeeting(board=board, date=date, title=title)
    _stamp(meeting, acting_user, new=True)
    meeting.full_clean()
    meeting.save()
    members = Membership.objects.active().filter(board=board, role=Role.BOARD_MEMBER)
    invitations = []
    for membership in members.distinct("user_id").order_by("user_id"):
        attendance = Attendance(
            meeting=meeting, user_id=membership.user_id, agency_id=membership.agency_id
        )
        _stamp(attendance, acting_user, new=True)
        invitations.append(attendance)
    Attendance.objects.bulk_create(invitations)
    record_change(
        actor=acting_user, action="board_meeting_create", obj=meeting, partnership=board.partnership
    )
    return meeting


@transaction.atomic
def attendance_record(
    *,
    acting_user: User,
    attendance: Attendance,
    status: str,
    substitute: User | None = None,
) -> Attendance:
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": "Choose attended, apologies or sent a substitute."})
    if status == AttendanceStatus.SUBSTITUTE and substitute is None:
        raise ValidationError({"substitute": "Say who came instead."})
    attendance.status = status
    attendance.substitute = substitute if status == AttendanceStatus.SUBSTITUTE else None
    _stamp(attendance, acting_user, new=False)
    attendance.full_clean()
    attendance.save(update_fields=["status", "substitute", "updated_at", "updated_by"])
    return attendance


def marac_model() -> type[models.Model] | None:
    """The MARAC model, looked up by name so this app imports no other."""
    try:
        return apps.get_model(MARAC_MODEL)
    except LookupError:
        return None

"""MARAC-to-MARAC transfers (SafeLives' MARAC-to-MARAC process).

Within the partnership a transfer is requested by the sending MARAC's coordinator and accepted
or declined by the receiving MARAC's coordinators. Accepting moves the case: the receiving
coordinators are granted the full lens (guardian rows) and the sending side's access ends —
its roles no longer reach a transferred case (`marac.permissions`) and every explicit grant made
there is revoked. A transfer to a MARAC outside the partnership is recorded as sent, and the
sending side's access ends the same way. Each step is recorded (ids only).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marac import permissions
from marac.models import (
    Case,
    CaseAgencyGrant,
    CaseStatus,
    CaseTransfer,
    Marac,
    TransferStatus,
)
from marac.services.grants import (
    case_agency_grant_revoke,
    case_full_lens_grant,
    case_full_lens_revoke,
)
from marac.services.recording import record, stamp
from marac.services.referrals import move_case
from partnership.models import Role, User

TRANSFERABLE = (CaseStatus.ACCEPTED, CaseStatus.LISTED, CaseStatus.HEARD)


def _end_sending_access(case: Case, acting_user: User) -> None:
    """Revoke every explicit grant on the case: they were made by the sending MARAC."""
    for grant in CaseAgencyGrant.objects.filter(case=case, revoked_at__isnull=True):
        case_agency_grant_revoke(acting_user=acting_user, grant=grant, why="transfer")
    for holder in list(permissions.explicit_full_lens_holders(case)):
        case_full_lens_revoke(acting_user=acting_user, case=case, user=holder, why="transfer")


def _move_out(case: Case, acting_user: User, to_marac: Marac | None) -> None:
    move_case(case, CaseStatus.TRANSFERRED, acting_user)
    case.transferred_to = to_marac
    case.closed_at = timezone.now()  # the sending MARAC's retention clock starts here
    case.save(update_fields=["transferred_to", "closed_at"])
    _end_sending_access(case, acting_user)


@transaction.atomic
def case_transfer(*, acting_user: User, case: Case, to_marac: Marac) -> Case:
    """Move a case to another MARAC of the partnership: the sending side's access ends and the
    receiving MARAC's coordinators are granted the full lens."""
    if to_marac.pk == case.marac_id:
        raise ValidationError({"to_marac": "Choose another MARAC."})
    if case.status == CaseStatus.TRANSFERRED:
        raise ValidationError("This case has already been transferred.")
    _move_out(case, acting_user, to_marac)
    for membership in permissions.marac_memberships_at(to_marac, Role.MARAC_COORDINATOR):
        case_full_lens_grant(
            acting_user=acting_user,
            case=case,
            user=membership.user,
            reason=f"Transferred to {to_marac.name}",
            why="transfer",
        )
    record(
        acting_user=acting_user,
        action="case_transfer",
        obj=case,
        marac=case.marac,
        detail={"to_marac": to_marac.pk},
    )
    return case


def _check_request(case: Case, to_marac: Marac | None, outside_marac_name: str, reason: str):
    errors: dict[str, str] = {}
    if case.status not in TRANSFERABLE:
        errors["__all__"] = (
            f"A {case.get_status_display().lower()} case cannot be transferred: "
            "accept the referral first."
            if case.status == CaseStatus.REFERRED
            else f"A {case.get_status_display().lower()} case cannot be transferred."
        )
    if (to_marac is None) == (not outside_marac_name.strip()):
        errors["destination"] = "Choose the MARAC the case is going to."
    elif to_marac is not None and (
        to_marac.pk == case.marac_id or to_marac.partnership_id != case.marac.partnership_id
    ):
        errors["destination"] = "Choose another MARAC of the partnership."
    if not reason.strip():
        errors["reason"] = "Say why the case is transferring."
    if CaseTransfer.objects.filter(case=case, status=TransferStatus.REQUESTED).exists():
        errors["__all__"] = "A transfer of this case is already waiting for an answer."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def case_transfer_request(
    *,
    acting_user: User,
    case: Case,
    reason: str,
    to_marac: Marac | None = None,
    outside_marac_name: str = "",
) -> CaseTransfer:
    """Ask another MARAC of the partnership to take a case, or record it as sent to a MARAC
    outside the partnership (which ends the sending side's access at once)."""
    case = Case.objects.select_for_update().select_related("marac").get(pk=case.pk)
    _check_request(case, to_marac, outside_marac_name, reason)
    transfer = CaseTransfer(
        case=case,
        from_marac=case.marac,
        to_marac=to_marac,
        outside_marac_name=outside_marac_name.strip(),
        reason=reason.strip(),
    )
    stamp(transfer, acting_user, new=True)
    if to_marac is None:
        transfer.status = TransferStatus.SENT
        transfer.decided_at, transfer.decided_by = timezone.now(), acting_user
    transfer.save()
    record(
        acting_user=acting_user,
        action="case_transfer_request" if to_marac else "case_transfer_sent",
        obj=transfer,
        marac=case.marac,
        detail={"case": case.pk, "to_marac": to_marac and to_marac.pk},
    )
    if to_marac is None:
        _move_out(case, acting_user, None)
    return transfer


def _open(transfer: CaseTransfer) -> CaseTransfer:
    locked = (
        CaseTransfer.objects.select_for_update(of=("self",))
        .select_related("case__marac", "to_marac")
        .get(pk=transfer.pk)
    )
    if locked.status != TransferStatus.REQUESTED:
        raise ValidationError("This transfer has already been answered.")
    return locked


def _decide(transfer: CaseTransfer, acting_user: User, status: str) -> None:
    transfer.status = status
    transfer.decided_at, transfer.decided_by = timezone.now(), acting_user
    stamp(transfer, acting_user, new=False)
    transfer.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "decline_reason",
            "updated_at",
            "updated_by",
        ]
    )


@transaction.atomic
def case_transfer_accept(*, acting_user: User, transfer: CaseTransfer) -> CaseTransfer:
    """The receiving MARAC takes the case."""
    transfer = _open(transfer)
    _decide(transfer, acting_user, TransferStatus.ACCEPTED)
    record(
        acting_user=acting_user,
        action="case_transfer_accept",
        obj=transfer,
        marac=transfer.to_marac,
        detail={"case": transfer.case_id},
    )
    case_transfer(acting_user=acting_user, case=transfer.case, to_marac=transfer.to_marac)
    return transfer


@transaction.atomic
def case_transfer_decline(
    *, acting_user: User, transfer: CaseTransfer, reason: str
) -> CaseTransfer:
    """The receiving MARAC declines: the case stays where it is, and nobody's access changes."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the transfer is declined."})
    transfer = _open(transfer)
    transfer.decline_reason = reason.strip()
    _decide(transfer, acting_user, TransferStatus.DECLINED)
    record(
        acting_user=acting_user,
        action="case_transfer_decline",
        obj=transfer,
        marac=transfer.to_marac,
        detail={"case": transfer.case_id},
    )
    return transfer

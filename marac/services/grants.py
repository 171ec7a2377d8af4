"""Explicit access to cases: full-lens grants to people (guardian rows, written through
`marac.permissions`) or to agencies, and do-not-disclose entries. Each is recorded."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marac import permissions
from marac.models import Case, CaseAgencyGrant, DoNotDisclose
from marac.services.recording import record, stamp
from partnership.models import Agency, User


def _with_why(detail: dict, why: str | None) -> dict:
    return {**detail, "why": why} if why else detail


@transaction.atomic
def case_full_lens_grant(
    *, acting_user: User, case: Case, user: User, reason: str, why: str | None = None
) -> None:
    """Give one person the full lens on a case (a transfer, an extra professional). `why`
    names the workflow that made the grant in the record ("transfer")."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why this person needs the case."})
    permissions.grant_full_lens(user=user, case=case)
    record(
        acting_user=acting_user,
        action="case_full_lens_grant",
        obj=case,
        marac=case.marac,
        detail=_with_why({"user": user.pk}, why),
    )


@transaction.atomic
def case_full_lens_revoke(
    *, acting_user: User, case: Case, user: User, why: str | None = None
) -> None:
    permissions.revoke_full_lens(user=user, case=case)
    record(
        acting_user=acting_user,
        action="case_full_lens_revoke",
        obj=case,
        marac=case.marac,
        detail=_with_why({"user": user.pk}, why),
    )


@transaction.atomic
def case_agency_grant(
    *, acting_user: User, case: Case, agency: Agency, reason: str
) -> CaseAgencyGrant:
    """Give an agency's representatives at the MARAC the full lens on a case."""
    if CaseAgencyGrant.objects.filter(case=case, agency=agency, revoked_at__isnull=True).exists():
        raise ValidationError(f"{agency} already holds this case.")
    grant = CaseAgencyGrant(case=case, agency=agency, reason=reason)
    stamp(grant, acting_user, new=True)
    grant.full_clean(validate_constraints=False)
    grant.save()
    record(
        acting_user=acting_user,
        action="case_agency_grant",
        obj=grant,
        marac=case.marac,
        detail={"case": case.pk, "agency": agency.pk},
    )
    return grant


@transaction.atomic
def case_agency_grant_revoke(
    *, acting_user: User, grant: CaseAgencyGrant, why: str | None = None
) -> CaseAgencyGrant:
    if grant.revoked_at is not None:
        raise ValidationError("This grant has already been revoked.")
    grant.revoked_at = timezone.now()
    stamp(grant, acting_user, new=False)
    grant.save(update_fields=["revoked_at", "updated_at", "updated_by"])
    record(
        acting_user=acting_user,
        action="case_agency_grant_revoke",
        obj=grant,
        marac=grant.case.marac,
        detail=_with_why({"case": grant.case_id, "agency": grant.agency_id}, why),
    )
    return grant


@transaction.atomic
def do_not_disclose_add(
    *,
    acting_user: User,
    case: Case,
    user: User | None = None,
    agency: Agency | None = None,
    reason: str = "",
) -> DoNotDisclose:
    """Bar a person or a whole agency from a case, whatever lens they would hold."""
    if (user is None) == (agency is None):
        raise ValidationError("Name either one person or one agency.")
    entry = DoNotDisclose(case=case, user=user, agency=agency, reason=reason)
    stamp(entry, acting_user, new=True)
    entry.save()
    record(
        acting_user=acting_user,
        action="do_not_disclose_add",
        obj=entry,
        marac=case.marac,
        detail={"case": case.pk, "user": user and user.pk, "agency": agency and agency.pk},
    )
    return entry


@transaction.atomic
def do_not_disclose_remove(*, acting_user: User, entry: DoNotDisclose) -> None:
    record(
        acting_user=acting_user,
        action="do_not_disclose_remove",
        obj=entry,
        marac=entry.case.marac,
        detail={"case": entry.case_id, "user": entry.user_id, "agency": entry.agency_id},
    )
    entry.delete()

"""Writes to MARACs and their member agencies."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marac.models import Marac, MaracMemberAgency
from marac.services.recording import record, stamp
from partnership.models import Agency, Borough, Partnership, User
from partnership.services import record_change


@transaction.atomic
def marac_create(
    *,
    acting_user: User,
    partnership: Partnership,
    name: str,
    slug: str,
    boroughs: Iterable[Borough],
) -> Marac:
    boroughs = list(boroughs)
    own = set(partnership.boroughs.values_list("pk", flat=True))
    outside = [b for b in boroughs if b.pk not in own]
    if outside:
        raise ValidationError({"boroughs": "A MARAC covers boroughs of its own partnership only."})
    marac = Marac(partnership=partnership, name=name, slug=slug)
    stamp(marac, acting_user, new=True)
    marac.full_clean()
    marac.save()
    marac.boroughs.set(boroughs)
    record_change(actor=acting_user, action="marac_create", obj=marac, partnership=partnership)
    return marac


@transaction.atomic
def marac_member_agency_add(
    *,
    acting_user: User,
    marac: Marac,
    agency: Agency,
    isa_signed_on: date | None,
    joined_on: date | None = None,
) -> MaracMemberAgency:
    """An agency joins a MARAC. Its representatives then hold the agenda lens there."""
    if MaracMemberAgency.objects.filter(marac=marac, agency=agency, left_on__isnull=True).exists():
        raise ValidationError(f"{agency} already takes part in {marac}.")
    member = MaracMemberAgency(
        marac=marac,
        agency=agency,
        isa_signed_on=isa_signed_on,
        joined_on=joined_on or timezone.localdate(),
    )
    stamp(member, acting_user, new=True)
    member.full_clean(validate_constraints=False)
    member.save()
    record(
        acting_user=acting_user,
        action="marac_member_agency_add",
        obj=member,
        marac=marac,
        detail={"agency": agency.pk},
    )
    return member


@transaction.atomic
def marac_member_agency_leave(
    *, acting_user: User, member: MaracMemberAgency, left_on: date | None = None
) -> MaracMemberAgency:
    if member.left_on is not None:
        raise ValidationError("This agency has already left the MARAC.")
    member.left_on = left_on or timezone.localdate()
    stamp(member, acting_user, new=False)
    member.save(update_fields=["left_on", "updated_at", "updated_by"])
    record(
        acting_user=acting_user,
        action="marac_member_agency_leave",
        obj=member,
        marac=member.marac,
        detail={"agency": member.agency_id},
    )
    return member

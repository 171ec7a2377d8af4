"""Writes to MARAC records. Each is atomic, takes the acting user and records the change."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marac.models import Marac
from partnership.models import Borough, Partnership, User
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
    outside = [b for b in boroughs if not partnership.boroughs.filter(pk=b.pk).exists()]
    if outside:
        raise ValidationError({"boroughs": "A MARAC covers boroughs of its own partnership only."})
    now = timezone.now()
    marac = Marac(
        partnership=partnership,
        name=name,
        slug=slug,
        created_by=acting_user,
        updated_by=acting_user,
        created_at=now,
        updated_at=now,
    )
    marac.full_clean()
    marac.save()
    marac.boroughs.set(boroughs)
    record_change(actor=acting_user, action="marac_create", obj=marac, partnership=partnership)
    return marac

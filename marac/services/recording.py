"""How MARAC services stamp rows and write their audit record (ids only, never personal values)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from marac.models import Marac
from partnership.models import ChangeRecord, User
from partnership.services import record_change


def stamp(obj: models.Model, acting_user: User, *, new: bool) -> None:
    now = timezone.now()
    if new:
        obj.created_by = acting_user
        obj.created_at = now
    obj.updated_by = acting_user
    obj.updated_at = now


def record(
    *,
    acting_user: User,
    action: str,
    obj: models.Model,
    marac: Marac,
    detail: dict[str, Any] | None = None,
) -> ChangeRecord:
    return record_change(
        actor=acting_user,
        action=action,
        obj=obj,
        partnership=marac.partnership,
        detail={"marac": marac.pk, **(detail or {})},
    )

"""Stamping and audit records shared by the action-plan services."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from partnership.models import Partnership, User
from partnership.services import record_change

AUDIT_TEXT_LIMIT = 300


def stamp(obj: models.Model, acting_user: User, *, new: bool) -> None:
    now = timezone.now()
    if new:
        obj.created_by = acting_user
        obj.created_at = now
    obj.updated_by = acting_user
    obj.updated_at = now


def shown(value: Any) -> str:
    """A value as it goes into an audit record: text, shortened."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(shown(v) for v in value)
    text = str(value)
    return text if len(text) <= AUDIT_TEXT_LIMIT else text[: AUDIT_TEXT_LIMIT - 1] + "…"


def record(
    *,
    actor: User,
    action: str,
    obj: models.Model,
    partnership: Partnership,
    detail: dict[str, Any] | None = None,
) -> None:
    record_change(actor=actor, action=action, obj=obj, partnership=partnership, detail=detail)

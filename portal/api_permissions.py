"""DRF permission defaults: DRF views skip LoginRequiredMiddleware, so they deny by default."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import BasePermission

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

from portal.verification import is_verified


class IsVerifiedStaff(BasePermission):
    """An active, signed-in person whose session passed the second factor."""

    message = "Sign in with your second factor to use the staff API."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and is_verified(request))

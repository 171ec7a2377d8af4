"""DRF permission defaults: DRF views skip LoginRequiredMiddleware, so they deny by default.

Both classes are DRF's defaults (settings REST_FRAMEWORK). `IsVerifiedStaff` refuses anyone
without a second-factor-verified session. `ObjectInScope` is the object-level check DRF's own
`DjangoObjectPermissions` is not: it checks GET too, and it asks the app's `permissions.py`
through two queryset functions the view names, so list and detail obey the same rule:

    class CaseDetail(RetrieveAPIView):
        objects_visible_to = staticmethod(permissions.cases_visible_to)
        objects_changeable_by = staticmethod(permissions.cases_changeable_by)  # writes only

A view that fetches an object without naming them is refused; an object outside the person's
scope answers 404, exactly like a missing one (DESIGN §4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission

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


class ObjectInScope(BasePermission):
    """Object access decided by the app's permissions.py queryset functions, GET included."""

    message = "You cannot do that to this record."

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        visible_to = getattr(view, "objects_visible_to", None)
        if visible_to is None:
            return False
        if not visible_to(request.user).filter(pk=obj.pk).exists():
            raise NotFound
        if request.method in SAFE_METHODS:
            return True
        changeable_by = getattr(view, "objects_changeable_by", None)
        return changeable_by is not None and changeable_by(request.user).filter(pk=obj.pk).exists()

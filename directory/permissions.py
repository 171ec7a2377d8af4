"""Who may see and change directory entries (DESIGN §4). The only place that decides it.

- The public sees published services that are open (or temporarily closed) and were checked
  in the last twelve months; nothing else, and never a confidential location's address.
- A service editor (a partnership-scoped role held through an agency) edits that agency's
  services; a published service's edits wait as a draft.
- A partnership administrator edits and publishes the services of agencies working in their
  partnership: agencies serving one of its boroughs, or with members in it.
Out of scope answers exactly like missing: `Http404`.
"""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from directory.models import Service
from partnership.models import Agency, Membership, Partnership, Role, User


def public_services() -> QuerySet[Service]:
    return Service.objects.public()


def access_public_service(service_id: uuid.UUID | str) -> Service:
    try:
        return public_services().select_related("organisation").get(pk=service_id)
    except (Service.DoesNotExist, ValueError):
        raise Http404 from None


def _memberships(user: User, role: str) -> QuerySet[Membership]:
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.active().filter(user=user, role=role)


def editor_agencies(user: User) -> QuerySet[Agency]:
    """Agencies the person edits services for (as a service editor)."""
    return Agency.objects.filter(
        pk__in=_memberships(user, Role.SERVICE_EDITOR).values("agency_id"), is_active=True
    )


def administered_partnerships(user: User) -> QuerySet[Partnership]:
    return Partnership.objects.filter(
        pk__in=_memberships(user, Role.PARTNERSHIP_ADMIN).values("partnership_id")
    )


def publishable_agencies(user: User) -> QuerySet[Agency]:
    """Agencies whose services the person may publish (as a partnership administrator)."""
    partnerships = administered_partnerships(user)
    return Agency.objects.filter(
        Q(boroughs__partnerships__in=partnerships) | Q(memberships__partnership__in=partnerships)
    ).distinct()


def services_editable_by(user: User) -> QuerySet[Service]:
    return Service.objects.filter(
        Q(agency__in=editor_agencies(user)) | Q(agency__in=publishable_agencies(user))
    )


def can_use_directory_editing(user: User) -> bool:
    return editor_agencies(user).exists() or administered_partnerships(user).exists()


def creatable_agencies(user: User) -> QuerySet[Agency]:
    """Agencies the person may add a service for."""
    return Agency.objects.filter(
        Q(pk__in=editor_agencies(user)) | Q(pk__in=publishable_agencies(user))
    ).order_by("name")


def access_service_for_editing(user: User, service_id: uuid.UUID | str) -> Service:
    try:
        return (
            services_editable_by(user).select_related("organisation", "agency").get(pk=service_id)
        )
    except (Service.DoesNotExist, ValueError):
        raise Http404 from None


def can_publish(user: User, service: Service) -> bool:
    return publishable_agencies(user).filter(pk=service.agency_id).exists()


def access_service_for_publishing(user: User, service_id: uuid.UUID | str) -> Service:
    service = access_service_for_editing(user, service_id)
    if not can_publish(user, service):
        raise Http404
    return service

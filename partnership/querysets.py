from __future__ import annotations

from django.db import models
from django.utils import timezone


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(ended_at__isnull=True, user__is_active=True)

    def for_partnership(self, partnership) -> MembershipQuerySet:
        return self.filter(partnership=partnership)

    def with_role(self, *roles: str) -> MembershipQuerySet:
        return self.filter(role__in=roles)

    def ended_before(self, when=None) -> MembershipQuerySet:
        return self.filter(ended_at__lte=when or timezone.now())

from __future__ import annotations

from django.db import models


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(ended_at__isnull=True, user__is_active=True)

    def for_partnership(self, partnership) -> MembershipQuerySet:
        return self.filter(partnership=partnership)

    def with_role(self, *roles: str) -> MembershipQuerySet:
        return self.filter(role__in=roles)

"""Chainable filters for MARAC records, with the joins they need beside them."""

from __future__ import annotations

from django.db import models


class CaseQuerySet(models.QuerySet):
    def for_marac(self, marac) -> CaseQuerySet:
        return self.filter(marac=marac)

    def open(self) -> CaseQuerySet:
        return self.exclude(status__in=["closed", "transferred"])

    def with_summary(self) -> CaseQuerySet:
        """What a list of cases shows: the MARAC, the referral and the victim, in one query."""
        return self.select_related("marac", "referral", "victim")

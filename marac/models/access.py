"""Who may see a case beyond what their role gives, who must not, and who did see it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.models import UserObjectPermissionBase

from marac.fields import EncryptedTextField
from marac.models.records import Case
from partnership.models import Agency, Recorded


class Lens(models.TextChoices):
    AGENDA = "agenda", "Agenda lens"
    FULL = "full", "Full lens"


class AccessKind(models.TextChoices):
    DETAIL = "detail", "Viewed the case"
    LIST = "list", "Appeared in a list"
    LOOKUP = "lookup", "Exact lookup"
    EXPORT = "export", "Exported"
    FILE = "file", "Downloaded a file"
    API = "api", "Retrieved through the API"


class AccessEvent(models.Model):
    """One read of a case through a lens. Append-only: a trigger refuses UPDATE and DELETE.

    `case_id` and `marac_id` are plain numbers, not foreign keys, so events outlive purged cases.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency_id = models.BigIntegerField(null=True, blank=True)
    marac_id = models.BigIntegerField(null=True, blank=True)
    case_id = models.BigIntegerField(null=True, blank=True)
    lens = models.CharField(max_length=16, choices=Lens.choices, blank=True)
    what = models.CharField(max_length=16, choices=AccessKind.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["case_id", "at"], name="access_event_case_at"),
            models.Index(fields=["user", "what", "at"], name="access_event_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} user {self.user_id} {self.what} case {self.case_id}"


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Guardian's direct-foreign-key rows: explicit full-lens grants of a case to a person."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass


class CaseAgencyGrant(Recorded):
    """The full lens for a whole agency's representatives (an extra agency, a transfer)."""

    class Reason(models.TextChoices):
        EXTRA_AGENCY = "extra_agency", "Extra agency"
        TRANSFER = "transfer", "Transfer"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agency_grants")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency"],
                condition=Q(revoked_at__isnull=True),
                name="case_agency_grant_active_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} may see case {self.case_id}"


class DoNotDisclose(Recorded):
    """A person or a whole agency that must not see a case, whatever their role or grant."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="do_not_disclose")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["case", "pk"]
        verbose_name = "do-not-disclose entry"
        verbose_name_plural = "do-not-disclose entries"
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(agency__isnull=True))
                | (Q(user__isnull=True) & Q(agency__isnull=False)),
                name="do_not_disclose_one_party",
            ),
        ]

    def __str__(self) -> str:
        return f"Do not disclose case {self.case_id} to {self.user or self.agency}"

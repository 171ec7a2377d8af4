"""Information governance of MARAC cases: transfers between MARACs, exports, legal holds and
the data protection lead's review of access alerts (DESIGN §4, §5)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from marac.fields import EncryptedTextField
from marac.models.maracs import Marac
from marac.models.records import Case
from partnership.models import Partnership, Recorded


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for the receiving MARAC"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    SENT = "sent", "Sent outside the partnership"


class CaseTransfer(Recorded):
    """A MARAC-to-MARAC transfer. Within the partnership it is requested, then accepted or
    declined by the receiving MARAC's coordinators; to a MARAC outside it is recorded as sent
    (the referral itself goes by the secure route the two MARACs agree)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_marac = models.ForeignKey(Marac, on_delete=models.PROTECT, related_name="+")
    to_marac = models.ForeignKey(
        Marac, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers_in"
    )
    outside_marac_name = models.CharField(
        "receiving MARAC outside the partnership", max_length=200, blank=True
    )
    reason = EncryptedTextField("why the case is transferring")
    status = models.CharField(
        max_length=16, choices=TransferStatus.choices, default=TransferStatus.REQUESTED
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = EncryptedTextField("why the transfer was declined", blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(to_marac__isnull=False) & Q(outside_marac_name=""))
                | (Q(to_marac__isnull=True) & ~Q(outside_marac_name="")),
                name="case_transfer_one_destination",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="requested"),
                name="case_transfer_one_open_request",
            ),
        ]

    def __str__(self) -> str:
        return f"Transfer {self.pk} of case {self.case_id} ({self.status})"

    @property
    def destination(self) -> str:
        return str(self.to_marac) if self.to_marac_id else self.outside_marac_name


class ExportKind(models.TextChoices):
    CASES = "cases", "Cases"
    ACTIONS = "actions", "Agency actions"


class CaseExport(Recorded):
    """A spreadsheet of a MARAC's cases or actions, encrypted in private storage until it
    expires; `case_ids` says which cases it holds, so each download is recorded per case."""

    marac = models.ForeignKey(Marac, on_delete=models.PROTECT, related_name="exports")
    kind = models.CharField(max_length=16, choices=ExportKind.choices)
    file_name = models.CharField(max_length=80, unique=True)
    case_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Export {self.pk} of {self.marac} ({self.kind})"


class LegalHold(Recorded):
    """Keeps a case's personal data past its retention period (a domestic homicide review, a
    court case). Set and lifted with a reason; the purge skips a case while one is active."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_holds")
    reason = EncryptedTextField("why the case is held")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = EncryptedTextField("why the hold was lifted", blank=True)

    class Meta:
        ordering = ["case", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(lifted_at__isnull=True),
                name="legal_hold_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.pk} on case {self.case_id}"


class AlertKind(models.TextChoices):
    MANY_CASES = "many_cases", "Many cases viewed in a short time"
    OUT_OF_HOURS = "out_of_hours", "Reads outside working hours"


class AccessAlertReview(Recorded):
    """The data protection lead's record that an access alert has been looked into. Alerts are
    computed from the access events; this row only marks one, by its key, as handled."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField()
    note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="access_alert_review_once"),
        ]

    def __str__(self) -> str:
        return f"Alert {self.key} handled"

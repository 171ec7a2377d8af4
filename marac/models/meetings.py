"""Meetings, their agendas and the actions agreed for agencies (minimal: the meetings issue
builds attendance, research and minutes on these)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from marac.fields import EncryptedTextField
from marac.models.maracs import Marac
from marac.models.records import Case
from partnership.models import Agency, Recorded


class Meeting(Recorded):
    marac = models.ForeignKey(Marac, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    agenda_circulated_at = models.DateTimeField(null=True, blank=True)
    agenda_circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes_approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["marac", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["marac", "date"], name="meeting_date_unique_in_marac"),
        ]

    def __str__(self) -> str:
        return f"{self.marac} — {self.date:%d %B %Y}"


class AgendaItemKind(models.TextChoices):
    NEW = "new", "New"
    REPEAT = "repeat", "Repeat"
    REVIEW = "review", "Review"
    EMERGENCY = "emergency", "Emergency"


class AgendaItem(Recorded):
    """A case listed at a meeting. Circulating the agenda opens the agenda lens for it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agenda_items")
    kind = models.CharField(max_length=16, choices=AgendaItemKind.choices)
    position = models.PositiveSmallIntegerField()
    heard_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="agenda_item_case_once"),
        ]

    def __str__(self) -> str:
        return f"Item {self.position} ({self.kind}) at {self.meeting}"


class CaseActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    NOT_POSSIBLE = "not_possible", "Not possible: circumstances changed"
    NOT_DONE = "not_done", "Not done by the agency"


class CaseAction(Recorded):
    """An action agreed at a meeting for one agency."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=CaseActionStatus.choices, default=CaseActionStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "due_on", "pk"]

    def __str__(self) -> str:
        return f"Action {self.pk} for {self.owner_agency} on case {self.case_id}"

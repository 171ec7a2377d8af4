"""Meetings, their agendas, attendance, each agency's research, the minutes and the actions
agreed for agencies. Every free-text field is personal data and encrypted (DESIGN §5); each row
hangs off a `Case` or an `AgendaItem` by foreign key, so a retention purge finds it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from marac.fields import EncryptedJSONField, EncryptedTextField
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
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

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
    late = models.BooleanField(
        default=False,
        help_text="Added after the agenda was circulated, or a referral after the cut-off.",
    )

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


class ActionFocus(models.TextChoices):
    VICTIM = "victim", "Victim"
    CHILDREN = "children", "Children"
    PERPETRATOR = "perpetrator", "Perpetrator"
    OTHER = "other", "Other"


class CaseAction(Recorded):
    """An action agreed at a meeting for one agency. Only that agency's representatives change
    it; an open one is reviewed and closed at the next meeting (`review_meeting`)."""

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
    focus = models.CharField(max_length=16, choices=ActionFocus.choices, default=ActionFocus.VICTIM)
    progress_note = EncryptedTextField(blank=True)
    review_meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="reviewed_actions"
    )

    class Meta:
        ordering = ["case", "due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="case_action_status_due")]

    def __str__(self) -> str:
        return f"Action {self.pk} for {self.owner_agency} on case {self.case_id}"


class AttendanceKind(models.TextChoices):
    REPRESENTATIVE = "representative", "Representative"
    OBSERVER = "observer", "Observer"
    APOLOGIES = "apologies", "Apologies"


class Attendance(Recorded):
    """Who came to a meeting for which agency, or sent apologies (and information instead).

    Staff names only: attendance holds nothing about a victim."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=16, choices=AttendanceKind.choices)
    confidentiality_signed = models.BooleanField("confidentiality statement signed", default=False)
    information_sent = models.BooleanField("information sent instead", default=False)

    class Meta:
        ordering = ["meeting", "agency__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "agency", "name"], name="attendance_once_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency}) at {self.meeting}"


class Research(Recorded):
    """One agency's research on one listed case: private to that agency until the meeting;
    the MARAC's coordinators and chair see all of it. What is withheld carries a reason."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="research")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    findings = EncryptedTextField(blank=True)
    withheld = models.BooleanField("something is withheld", default=False)
    withheld_reason = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["item", "agency__name"]
        verbose_name_plural = "research"
        constraints = [
            models.UniqueConstraint(fields=["item", "agency"], name="research_once_per_agency"),
        ]

    def __str__(self) -> str:
        return f"Research by {self.agency} on item {self.item_id}"


MINUTE_FIELDS = ("risks", "victim_voice", "decisions")


class Minute(Recorded):
    """The minute of one agenda item: the risks, the victim's voice (through the IDVA) and the
    decisions. The decisions, with each agency's own actions, form its per-agency extract."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="minute")
    risks = EncryptedTextField(blank=True)
    victim_voice = EncryptedTextField("the victim's voice", blank=True)
    decisions = EncryptedTextField(blank=True)

    def __str__(self) -> str:
        return f"Minute of item {self.item_id}"


class MinuteDraft(models.Model):
    """Text typed into a minute and saved as it was typed, before the Save button: a reload or
    a dropped connection loses nothing. One per item and person; saving the minute clears it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="minute_drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = EncryptedJSONField()
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="minute_draft_one_per_person"),
        ]

    def __str__(self) -> str:
        return f"Draft of item {self.item_id} by user {self.user_id}"


class ReminderKind(models.TextChoices):
    RESEARCH_DUE = "research_due", "Research due"
    MINUTES_READY = "minutes_ready", "Minutes ready"
    ACTION_DUE = "action_due", "Action due soon"
    ACTION_OVERDUE = "action_overdue", "Action overdue"


class ReminderSent(models.Model):
    """A reminder email sent, so the same one is never sent twice. Ids only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    object_id = models.BigIntegerField(help_text="The agenda item, meeting or action.")
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "object_id"], name="reminder_sent_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} to user {self.user_id}"

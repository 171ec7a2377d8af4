"""MARACs and their member agencies."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from partnership.models import Agency, Borough, Partnership, Recorded


class MeetingFrequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"


class Marac(Recorded):
    """A multi-agency risk assessment conference covering one or more boroughs.

    Coordinators, chair, representatives and IDVAs are `partnership.Membership` rows scoped to
    the MARAC; the agencies that take part are its `MaracMemberAgency` rows.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="maracs")
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    boroughs = models.ManyToManyField(Borough, related_name="maracs")
    meeting_frequency = models.CharField(
        max_length=16, choices=MeetingFrequency.choices, default=MeetingFrequency.MONTHLY
    )
    referral_cutoff_days = models.PositiveSmallIntegerField(
        default=8, help_text="Referrals must arrive this many days before a meeting to be listed."
    )
    agenda_access_days = models.PositiveSmallIntegerField(
        default=30,
        help_text="Representatives keep the agenda view this many days after the meeting.",
    )
    minutes_working_days = models.PositiveSmallIntegerField(
        default=3,
        help_text="The chair approves and circulates the minutes within this many working days.",
    )
    research_due_days = models.PositiveSmallIntegerField(
        default=1, help_text="Agencies' research is due this many days before the meeting."
    )
    retention_months = models.PositiveSmallIntegerField(
        default=72, help_text="How long case records are kept after closure, per the local ISP."
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "MARAC"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership:overview", kwargs={"slug": self.partnership.slug})


class MaracMemberAgency(Recorded):
    """An agency taking part in a MARAC, and when it signed the information-sharing agreement."""

    marac = models.ForeignKey(Marac, on_delete=models.CASCADE, related_name="member_agencies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="marac_memberships")
    isa_signed_on = models.DateField(
        "information-sharing agreement signed on", null=True, blank=True
    )
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["marac", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["marac", "agency"],
                condition=Q(left_on__isnull=True),
                name="marac_member_agency_active_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} at {self.marac}"

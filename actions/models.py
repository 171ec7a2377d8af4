"""Strategies, priorities, actions, milestones, progress updates and performance measures.

A strategy version owns its priorities and actions; a new version starts as a copy of the
approved one. Progress updates are append-only: the status people set on an action is the
status of its latest update, so the plan as it stood at any date can be read back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from actions.querysets import ActionQuerySet
from partnership.models import Agency, Board, Borough, Partnership, Recorded


class StrategyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CONSULTATION = "consultation", "Consultation"
    APPROVED = "approved", "Approved"
    ARCHIVED = "archived", "Archived"


class Strategy(Recorded):
    """One version of a partnership's VAWG strategy, with the document control councils keep."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="strategies"
    )
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    version = models.CharField(max_length=20, default="0.1")
    status = models.CharField(
        max_length=16, choices=StrategyStatus.choices, default=StrategyStatus.DRAFT
    )
    owner = models.CharField(max_length=200, blank=True, help_text="The team or post that owns it.")
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        Board, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    target_audience = models.CharField(max_length=300, blank=True)
    related_documents = models.TextField(blank=True)
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["partnership", "-created_at"]
        verbose_name_plural = "strategies"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(status="approved"),
                name="strategy_one_approved_per_partnership",
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="strategy_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("actions:strategy", kwargs={"slug": self.slug})


class Priority(Recorded):
    """A strategic priority or objective, coded `A`…`D` or `1`…`7`."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    code = models.CharField(max_length=10)
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["strategy", "position", "code"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="priority_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"


class TimescaleKind(models.TextChoices):
    DATE = "date", "Date"
    MONTH = "month", "Month"
    ONGOING = "ongoing", "Ongoing"


class Action(Recorded):
    """A numbered action (`B.2`, `3.1`) under a priority of one strategy version."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="actions")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    ref = models.CharField(max_length=20)
    title = models.TextField()
    description = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    resources = models.TextField(blank=True)
    resource_amount = models.DecimalField(
        "amount in pounds", max_digits=12, decimal_places=2, null=True, blank=True
    )
    timescale_kind = models.CharField(
        max_length=8, choices=TimescaleKind.choices, default=TimescaleKind.ONGOING
    )
    timescale_date = models.DateField(null=True, blank=True)
    lead_agencies = models.ManyToManyField(
        Agency, through="ActionLead", related_name="led_actions", blank=True
    )
    boroughs = models.ManyToManyField(Borough, related_name="actions", blank=True)
    performance_measures = models.TextField(blank=True)
    indicator_name = models.CharField(
        max_length=200, blank=True, help_text="A figure in the indicator registry to show live."
    )
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    last_update_at = models.DateField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    lock_version = models.PositiveIntegerField(default=1)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "position", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "ref"], name="action_ref_unique"),
            models.CheckConstraint(
                condition=Q(timescale_kind="ongoing", timescale_date__isnull=True)
                | (~Q(timescale_kind="ongoing") & Q(timescale_date__isnull=False)),
                name="action_timescale_has_date_unless_ongoing",
            ),
        ]
        indexes = [models.Index(fields=["strategy", "status"])]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("actions:action", kwargs={"slug": self.strategy.slug, "ref": self.ref})


class ActionLead(models.Model):
    """An agency leading an action: the primary lead first, the others supporting."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="leads")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="action_leads")
    is_primary = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["action", "position"]
        constraints = [
            models.UniqueConstraint(fields=["action", "agency"], name="action_lead_unique"),
            models.UniqueConstraint(
                fields=["action"], condition=Q(is_primary=True), name="action_one_primary_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} ({'primary' if self.is_primary else 'supporting'})"


class Milestone(models.Model):
    """A sub-action with a due date and a done flag."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.TextField()
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    done_on = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["action", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(models.Model):
    """A dated progress report on an action. Append-only: never edited or deleted."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    update_date = models.DateField(default=timezone.localdate)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=ActionStatus.choices)
    previous_status = models.CharField(max_length=16, choices=ActionStatus.choices)
    narrative = models.TextField(blank=True)
    next_steps = models.TextField(
        "what will be done", blank=True, help_text="Required when the action turns red or amber."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["action", "-update_date", "-created_at"]
        indexes = [models.Index(fields=["action", "update_date"])]

    def __str__(self) -> str:
        return f"{self.action.ref} {self.update_date}: {self.get_status_display()}"


class MeasureUnit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENT = "percent", "Percentage"
    RATE = "rate", "Rate"


class Better(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Measure(Recorded):
    """A named performance measure of a partnership with quarterly values per borough."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="measures")
    code = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=8, choices=MeasureUnit.choices)
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    better = models.CharField(max_length=8, choices=Better.choices)

    class Meta:
        ordering = ["partnership", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="measure_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def indicator_name(self) -> str:
        return f"actions.measure.{self.code}"


class MeasureValue(models.Model):
    """A measure's value for one borough in one calendar quarter (identified by its last day)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    borough = models.ForeignKey(Borough, on_delete=models.PROTECT, related_name="+")
    quarter_end = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=4)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["measure", "quarter_end", "borough"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "borough", "quarter_end"], name="measure_value_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.borough} {self.quarter_end}: {self.value}"

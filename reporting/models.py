"""Board reports: definitions per board and quarter, frozen snapshots, and render runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partnership.models import Board, Recorded
from reporting.periods import Quarter


class Variant(models.TextChoices):
    BOARD = "board", "Board (OFFICIAL-SENSITIVE, not for publication)"
    PUBLIC = "public", "Public (OFFICIAL, small numbers suppressed)"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class BoardReport(Recorded):
    """The quarterly report of one board: narrative written in the browser, figures from data.

    A draft always shows live figures; approval freezes them into `snapshot`, so an approved
    report rendered later shows the same numbers.
    """

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(help_text="Financial year starting in April")
    quarter = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    contact = models.CharField(
        max_length=200, blank=True, help_text="A team mailbox or phone number, not a personal one"
    )
    brief_update = models.TextField(blank=True)
    key_challenges = models.TextField(blank=True)
    support_required = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    snapshot = models.JSONField(null=True, blank=True)
    snapshot_version = models.PositiveIntegerField(default=0)
    public_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["board", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "year", "quarter"], name="board_report_one_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="board_report_quarter_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.DRAFT) | Q(snapshot__isnull=False),
                name="board_report_approved_has_snapshot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.board} — {self.period.label}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:report", kwargs={"report_id": self.pk})

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    @property
    def is_approved(self) -> bool:
        return self.status == ReportStatus.APPROVED


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


IN_FLIGHT = [RunStatus.QUEUED, RunStatus.RENDERING]


class ReportRun(models.Model):
    """One request to render a report to PDF: a database row first, so nothing is lost if the
    broker is down, then picked up by the `render` queue (a sweeper re-enqueues stragglers)."""

    report = models.ForeignKey(BoardReport, on_delete=models.PROTECT, related_name="runs")
    variant = models.CharField(max_length=16, choices=Variant.choices)
    snapshot_version = models.PositiveIntegerField(
        help_text="0 renders live figures (a draft); otherwise the frozen snapshot's version"
    )
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    file_name = models.CharField(max_length=300, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # One render in flight per report, variant and snapshot: a second request reuses it.
            models.UniqueConstraint(
                fields=["report", "variant", "snapshot_version"],
                condition=Q(status__in=["queued", "rendering"]),
                name="report_run_one_in_flight",
            ),
            # An approved snapshot renders once: the ready run is reused.
            models.UniqueConstraint(
                fields=["report", "variant", "snapshot_version"],
                condition=Q(status="ready", snapshot_version__gt=0),
                name="report_run_snapshot_ready_once",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.report} ({self.variant}, {self.status})"


class ReportDownload(models.Model):
    """A record of each PDF download: who, which run, when (no personal data in the file)."""

    run = models.ForeignKey(ReportRun, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} downloaded run {self.run_id} at {self.at:%Y-%m-%d %H:%M}"

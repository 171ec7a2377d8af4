"""Writes for board reports: drafts, narrative, approval (freezing figures) and render runs."""

from __future__ import annotations

import logging
import os
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from partnership.models import Board, Role, User
from partnership.permissions import has_role
from partnership.services import record_change
from reporting import content
from reporting.models import (
    IN_FLIGHT,
    BoardReport,
    ReportRun,
    ReportStatus,
    RunStatus,
    Variant,
)
from reporting.pdf import ReportRenderError, render_pdf
from reporting.periods import Quarter
from reporting.suppression import suppress_indicators

logger = logging.getLogger(__name__)

MARKINGS = {
    Variant.BOARD: "OFFICIAL-SENSITIVE – not for publication",
    Variant.PUBLIC: "OFFICIAL",
}
STALE_AFTER = timedelta(minutes=10)
STATUS_COLOURS = {
    "not_started": "#b1b4b6",
    "red": "#d4351c",
    "amber": "#f47738",
    "green": "#00703c",
    "complete": "#1d70b8",
}


def _stamp(report: BoardReport, acting_user: User, *, new: bool) -> None:
    now = timezone.now()
    if new:
        report.created_at, report.created_by = now, acting_user
    report.updated_at, report.updated_by = now, acting_user


@transaction.atomic
def report_open(
    *, acting_user: User, board: Board, period: Quarter, author: User | None = None
) -> BoardReport:
    """The board's report for a quarter, opened as a draft if it does not exist yet."""
    existing = BoardReport.objects.filter(
        board=board, year=period.year, quarter=period.number
    ).first()
    if existing:
        return existing
    if author is not None and not has_role(author, board.partnership, Role.COMMISSIONER):
        raise ValidationError({"author": "The author must be a commissioner of the partnership."})
    report = BoardReport(
        board=board,
        year=period.year,
        quarter=period.number,
        title=f"{board.name}: VAWG update, {period.label}",
        author=author,
    )
    _stamp(report, acting_user, new=True)
    report.full_clean()
    report.save()
    record_change(
        actor=acting_user, action="report_open", obj=report, partnership=board.partnership
    )
    return report


@transaction.atomic
def report_author_assign(*, acting_user: User, report: BoardReport, author: User) -> BoardReport:
    """Make a commissioner of the partnership the report's author (who alone approves it)."""
    if report.is_approved:
        raise ValidationError("This report is approved; its author can no longer change.")
    if not has_role(author, report.board.partnership, Role.COMMISSIONER):
        raise ValidationError({"author": "The author must be a commissioner of the partnership."})
    report.author = author
    _stamp(report, acting_user, new=False)
    report.save(update_fields=["author", "updated_at", "updated_by"])
    record_change(
        actor=acting_user,
        action="report_author_assign",
        obj=report,
        partnership=report.board.partnership,
        detail={"author": author.pk},
    )
    return report


@transaction.atomic
def report_narrative_update(
    *,
    acting_user: User,
    report: BoardReport,
    title: str,
    contact: str,
    brief_update: str,
    key_challenges: str,
    support_required: str,
) -> BoardReport:
    if report.is_approved:
        raise ValidationError("This report is approved; its text can no longer change.")
    report.title, report.contact = title, contact
    report.brief_update, report.key_challenges = brief_update, key_challenges
    report.support_required = support_required
    _stamp(report, acting_user, new=False)
    report.full_clean()
    report.save(
        update_fields=[
            "title",
            "contact",
            "brief_update",
            "key_challenges",
            "support_required",
            "updated_at",
            "updated_by",
        ]
    )
    record_change(
        actor=acting_user,
        action="report_narrative_update",
        obj=report,
        partnership=report.board.partnership,
    )
    return report


@transaction.atomic
def report_approve(*, acting_user: User, report: BoardReport) -> BoardReport:
    """The author approves the report: its figures are frozen into a snapshot."""
    report = BoardReport.objects.select_for_update().get(pk=report.pk)
    if report.is_approved:
        raise ValidationError("This report is already approved.")
    if report.author_id != acting_user.pk:
        raise ValidationError("Only the report's author can approve it.")
    missing = [
        label
        for label, text in (
            ("brief update", report.brief_update),
            ("key challenges", report.key_challenges),
            ("support required from the board", report.support_required),
        )
        if not text.strip()
    ]
    if missing:
        raise ValidationError("Write the " + ", ".join(missing) + " before approving.")
    report.snapshot = content.build_snapshot(report.board, report.period)
    report.snapshot_version += 1
    report.status = ReportStatus.APPROVED
    report.approved_at, report.approved_by = timezone.now(), acting_user
    _stamp(report, acting_user, new=False)
    report.save(
        update_fields=[
            "snapshot",
            "snapshot_version",
            "status",
            "approved_at",
            "approved_by",
            "updated_at",
            "updated_by",
        ]
    )
    record_change(
        actor=acting_user,
        action="report_approve",
        obj=report,
        partnership=report.board.partnership,
        detail={"snapshot_version": report.snapshot_version},
    )
    return report


@transaction.atomic
def report_publish(*, acting_user: User, report: BoardReport) -> BoardReport:
    """Publish the public variant of an approved report at /reports/public/."""
    if not report.is_approved:
        raise ValidationError("Approve the report before publishing its public version.")
    report.public_published_at = timezone.now()
    _stamp(report, acting_user, new=False)
    report.save(update_fields=["public_published_at", "updated_at", "updated_by"])
    record_change(
        actor=acting_user, action="report_publish", obj=report, partnership=report.board.partnership
    )
    report_render_request(acting_user=acting_user, report=report, variant=Variant.PUBLIC)
    return report


def _enqueue(run: ReportRun) -> None:
    from reporting.tasks import render_report_run

    def send() -> None:
        try:
            render_report_run.apply_async(args=[run.pk], queue="render")
        except Exception:  # the broker may be down: the sweeper re-enqueues queued runs
            logger.warning("Could not enqueue report run %s; the sweeper will retry.", run.pk)
            return
        ReportRun.objects.filter(pk=run.pk).update(enqueued_at=timezone.now())

    transaction.on_commit(send)


@transaction.atomic
def report_render_request(
    *, acting_user: User, report: BoardReport, variant: str = Variant.BOARD, enqueue: bool = True
) -> ReportRun:
    """Ask for a PDF. A request is a database row first; a second request reuses the first."""
    if variant not in Variant.values:
        raise ValidationError({"variant": "Choose the board or the public version."})
    version = report.snapshot_version if report.is_approved else 0
    reusable = ReportRun.objects.filter(report=report, variant=variant, snapshot_version=version)
    existing = reusable.filter(status__in=IN_FLIGHT).first()
    if existing is None and version:
        existing = reusable.filter(status=RunStatus.READY).first()
    if existing is not None:
        return existing
    run = ReportRun(
        report=report, variant=variant, snapshot_version=version, requested_by=acting_user
    )
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:  # a concurrent request created it first
        return reusable.filter(status__in=[*IN_FLIGHT, RunStatus.READY]).first()
    if enqueue:
        _enqueue(run)
    return run


def _report_context(report: BoardReport, variant: str) -> dict:
    figures = _figures_for(report)
    indicator_rows = figures["indicators"]
    if variant == Variant.PUBLIC:
        indicator_rows = suppress_indicators(indicator_rows)
    author = None
    if report.author_id:
        membership = (
            report.author.memberships.filter(
                partnership=report.board.partnership_id, role=Role.COMMISSIONER
            )
            .select_related("agency")
            .first()
        )
        author = f"Commissioner, {membership.agency}" if membership else "Commissioner"
    appendices = []
    if figures.get("plan"):
        appendices.append({"kind": "plan", "title": "Action plan progress"})
    for title, rows in _group(indicator_rows):
        appendices.append({"kind": "indicators", "title": title, "rows": rows})
    if variant == Variant.BOARD:
        appendices.append({"kind": "attendance", "title": "Board attendance by agency"})
    for index, appendix in enumerate(appendices):
        appendix["letter"] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]
    return {
        "report": report,
        "variant": variant,
        "marking": MARKINGS[variant],
        "figures": figures,
        "author_role": author,
        "appendices": appendices,
        "show_update_text": variant == Variant.BOARD,
        "status_colours": STATUS_COLOURS,
    }


def report_html(report: BoardReport, variant: str) -> str:
    """The whole report document for the PDF."""
    return render_to_string("reporting/pdf/board_report.html", _report_context(report, variant))


def report_body_html(report: BoardReport, variant: str) -> str:
    """The same report body, for the in-browser preview."""
    return render_to_string("reporting/pdf/_body.html", _report_context(report, variant))


def _figures_for(report: BoardReport) -> dict:
    if report.is_approved and report.snapshot is not None:
        return report.snapshot
    return content.build_snapshot(report.board, report.period)


def _group(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    titles = {
        "marac": "MARAC performance",
        "actions": "Performance measures",
        "directory": "Directory of services",
    }
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["group"], []).append(row)
    return [(titles.get(key, key.title()), value) for key, value in groups.items()]


def report_stylesheet() -> str:
    return (Path(__file__).resolve().parent / "assets" / "report.css").read_text()


def _storage_dir() -> Path:
    path = Path(settings.PRIVATE_STORAGE_ROOT) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def run_file_path(run: ReportRun) -> Path:
    return _storage_dir() / run.file_name


def _set_progress(run: ReportRun, progress: int) -> None:
    ReportRun.objects.filter(pk=run.pk).update(progress=progress)


def report_run_execute(*, run_id: int) -> ReportRun:
    """Render one run to PDF. Idempotent: a ready run is left alone; a redelivered run whose
    worker died mid-render renders again into the same final name, written atomically."""
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().select_related("report__board").get(pk=run_id)
        if run.status == RunStatus.READY and run.file_name and run_file_path(run).exists():
            return run
        run.status, run.started_at, run.progress = RunStatus.RENDERING, timezone.now(), 5
        run.attempts += 1
        run.save(update_fields=["status", "started_at", "progress", "attempts"])
    try:
        return _render_and_store(run)
    except ReportRenderError as error:
        return _fail(run, str(error))
    except Exception:
        logger.exception("Report run %s failed", run.pk)
        return _fail(
            run,
            "Something went wrong while rendering. The previous PDF is still "
            "available; try again, and tell the portal team if it happens again.",
        )


def _render_and_store(run: ReportRun) -> ReportRun:
    report = run.report
    html = report_html(report, run.variant)
    _set_progress(run, 40)
    pdf = render_pdf(html, stylesheet=report_stylesheet())
    _set_progress(run, 90)
    name = f"{report.board.slug}-{report.year}-q{report.quarter}-{run.variant}-run{run.pk}.pdf"
    directory = _storage_dir()
    for leftover in directory.glob(f"{name}.part-*"):  # from a worker killed mid-write
        leftover.unlink(missing_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f"{name}.part-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(pdf.content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, directory / name)  # atomic: no partial PDF is ever served
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    run.status, run.progress, run.error = RunStatus.READY, 100, ""
    run.file_name, run.pages, run.size_bytes = name, pdf.pages, len(pdf.content)
    run.finished_at = timezone.now()
    run.save(
        update_fields=[
            "status",
            "progress",
            "error",
            "file_name",
            "pages",
            "size_bytes",
            "finished_at",
        ]
    )
    return run


def _fail(run: ReportRun, reason: str) -> ReportRun:
    run.status, run.error, run.finished_at = RunStatus.FAILED, reason[:500], timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    return run


def report_runs_sweep() -> int:
    """Re-enqueue runs never sent (the broker was down), sent long ago and still queued, or
    stuck rendering (a worker died): a request is a row first, so none is ever lost."""
    now = timezone.now()
    never_sent = Q(
        status=RunStatus.QUEUED,
        enqueued_at__isnull=True,
        requested_at__lt=now - timedelta(minutes=1),
    )
    lost = Q(status=RunStatus.QUEUED, enqueued_at__lt=now - STALE_AFTER)
    stuck = Q(status=RunStatus.RENDERING, started_at__lt=now - STALE_AFTER)
    stale = list(ReportRun.objects.filter(never_sent | lost | stuck))
    for run in stale:
        _enqueue(run)
    return len(stale)


def latest_ready_run(report: BoardReport, variant: str) -> ReportRun | None:
    return (
        ReportRun.objects.filter(report=report, variant=variant, status=RunStatus.READY)
        .order_by("-finished_at")
        .first()
    )


def report_render_now(
    *, acting_user: User, report: BoardReport, variant: str, out: Path | None = None
) -> ReportRun:
    """Render in-process through the same code as the Celery task (management commands)."""
    run = report_render_request(
        acting_user=acting_user, report=report, variant=variant, enqueue=False
    )
    run = report_run_execute(run_id=run.pk)
    if run.status != RunStatus.READY:
        raise ReportRenderError(run.error)
    if out is not None:
        out.write_bytes(run_file_path(run).read_bytes())
    return run

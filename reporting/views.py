"""Board report pages. Thin: access through reporting.permissions, then a service or selector."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.forms import add_validation_error
from portal.sessions import passive_session
from reporting import permissions, services
from reporting.forms import NarrativeForm
from reporting.models import BoardReport, ReportDownload, ReportRun, Variant
from reporting.periods import Quarter


def board_reports(request: HttpRequest, slug: str) -> HttpResponse:
    board = permissions.access_board_reports(request.user, slug)
    reports = list(
        BoardReport.objects.filter(board=board)
        .select_related("author")
        .order_by("-year", "-quarter")
    )
    latest = {
        run.report_id: run
        for run in ReportRun.objects.filter(
            report__in=reports, variant=Variant.BOARD, status="ready"
        ).order_by("finished_at")
    }
    rows = [{"report": r, "run": latest.get(r.pk)} for r in reports]
    context = {
        "board": board,
        "rows": rows,
        "can_author": permissions.can_author(request.user, board),
        "last_quarter": Quarter.containing(timezone.localdate()).previous(),
    }
    return render(request, "reporting/board_reports.html", context)


@require_POST
def report_open(request: HttpRequest, slug: str) -> HttpResponse:
    board = permissions.access_board_reports(request.user, slug)
    if not permissions.can_author(request.user, board):
        raise Http404
    period = Quarter.containing(timezone.localdate()).previous()
    report = services.report_open(
        acting_user=request.user, board=board, period=period, author=request.user
    )
    return redirect(report)


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, report_id: int) -> HttpResponse:
    report = permissions.access_report(request.user, report_id)
    can_author = permissions.can_author(request.user, report.board)
    form = None
    if can_author and not report.is_approved:
        form = NarrativeForm(request.POST or None, instance=report)
        if request.method == "POST" and form.is_valid():
            try:
                services.report_narrative_update(
                    acting_user=request.user, report=report, **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, "Report saved.")
                return redirect(report)
    elif request.method == "POST":
        raise Http404
    context = {
        "report": report,
        "form": form,
        "can_author": can_author,
        "is_author": report.author_id == request.user.pk,
        "runs": report.runs.select_related("requested_by").order_by("-requested_at")[:20],
        "latest_board_pdf": services.latest_ready_run(report, Variant.BOARD),
    }
    return render(request, "reporting/report.html", context)


@require_GET
def report_preview(request: HttpRequest, report_id: int, variant: str) -> HttpResponse:
    report = permissions.access_report(request.user, report_id)
    if variant not in Variant.values:
        raise Http404
    body = services.report_body_html(report, variant)
    return render(
        request, "reporting/preview.html", {"report": report, "variant": variant, "body": body}
    )


def _author_action(request: HttpRequest, report_id: int, action, success: str) -> HttpResponse:
    report = permissions.access_report_as_author(request.user, report_id)
    try:
        action(acting_user=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(report)


@require_POST
def report_approve(request: HttpRequest, report_id: int) -> HttpResponse:
    return _author_action(
        request, report_id, services.report_approve, "Report approved. Its figures are now fixed."
    )


@require_POST
def report_publish(request: HttpRequest, report_id: int) -> HttpResponse:
    return _author_action(
        request,
        report_id,
        services.report_publish,
        "The public version is being prepared for publication.",
    )


@require_POST
def report_render(request: HttpRequest, report_id: int) -> HttpResponse:
    report = permissions.access_report_as_author(request.user, report_id)
    variant = request.POST.get("variant", Variant.BOARD)
    try:
        services.report_render_request(acting_user=request.user, report=report, variant=variant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The PDF is being made. This page shows its progress.")
    return redirect(report)


@passive_session
@require_GET
def run_status(request: HttpRequest, run_id: int) -> JsonResponse:
    try:
        run = ReportRun.objects.get(
            pk=run_id, report__in=permissions.reports_visible_to(request.user)
        )
    except ReportRun.DoesNotExist:
        raise Http404 from None
    return JsonResponse(
        {
            "status": run.status,
            "progress": run.progress,
            "error": run.error,
            "label": run.get_status_display(),
        }
    )


def _pdf_response(run: ReportRun) -> FileResponse:
    path = services.run_file_path(run)
    if not path.exists():
        raise Http404
    filename = f"{run.report.board.slug}-{run.report.year}-q{run.report.quarter}-{run.variant}.pdf"
    response = FileResponse(
        path.open("rb"), content_type="application/pdf", as_attachment=True, filename=filename
    )
    patch_cache_control(response, no_store=True, private=True)
    return response


@require_GET
def run_download(request: HttpRequest, run_id: int) -> FileResponse:
    run = permissions.access_run_download(request.user, run_id)
    ReportDownload.objects.create(run=run, user=request.user)
    return _pdf_response(run)


@login_not_required
@require_GET
def public_reports(request: HttpRequest) -> HttpResponse:
    runs = (
        permissions.public_runs()
        .select_related("report__board__partnership")
        .order_by("-report__year", "-report__quarter", "-finished_at")
    )
    latest: dict[int, ReportRun] = {}
    for run in runs:
        latest.setdefault(run.report_id, run)
    return render(request, "reporting/public_reports.html", {"runs": list(latest.values())})


@login_not_required
@require_GET
def public_download(request: HttpRequest, run_id: int) -> FileResponse:
    run = permissions.access_public_run(run_id)
    ReportDownload.objects.create(run=run, user=None)
    return _pdf_response(run)

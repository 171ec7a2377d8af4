"""Who may open board reports (DESIGN §4): the board's members and the partnership's
commissioners, who author them. Out of scope answers 404, exactly like missing."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from partnership.models import Board, Membership, Role, User
from reporting.models import BoardReport, ReportRun, RunStatus, Variant


def boards_reported_to(user: User) -> QuerySet[Board]:
    if not user.is_authenticated or not user.is_active:
        return Board.objects.none()
    memberships = Membership.objects.active().filter(user=user)
    member_of = memberships.filter(role=Role.BOARD_MEMBER).values("board_id")
    commissioner_in = memberships.filter(role=Role.COMMISSIONER).values("partnership_id")
    return Board.objects.filter(Q(pk__in=member_of) | Q(partnership_id__in=commissioner_in))


def reports_visible_to(user: User) -> QuerySet[BoardReport]:
    return BoardReport.objects.filter(board__in=boards_reported_to(user))


def access_board_reports(user: User, slug: str) -> Board:
    try:
        return boards_reported_to(user).select_related("partnership").get(slug=slug)
    except Board.DoesNotExist:
        raise Http404 from None


def access_report(user: User, report_id: int) -> BoardReport:
    try:
        return (
            reports_visible_to(user)
            .select_related("board__partnership", "author")
            .get(pk=report_id)
        )
    except BoardReport.DoesNotExist:
        raise Http404 from None


def can_author(user: User, board: Board) -> bool:
    return (
        Membership.objects.active()
        .filter(user=user, partnership=board.partnership_id, role=Role.COMMISSIONER)
        .exists()
    )


def access_report_as_author(user: User, report_id: int) -> BoardReport:
    report = access_report(user, report_id)
    if not can_author(user, report.board):
        raise Http404
    return report


def access_run_download(user: User, run_id: int) -> ReportRun:
    try:
        return ReportRun.objects.select_related("report__board").get(
            pk=run_id, status=RunStatus.READY, report__in=reports_visible_to(user)
        )
    except ReportRun.DoesNotExist:
        raise Http404 from None


def public_runs() -> QuerySet[ReportRun]:
    """The published public variants: the only report files anyone may download unsigned."""
    return ReportRun.objects.filter(
        variant=Variant.PUBLIC,
        status=RunStatus.READY,
        report__public_published_at__isnull=False,
        snapshot_version__gt=0,
    )


def access_public_run(run_id: int) -> ReportRun:
    try:
        return public_runs().select_related("report__board").get(pk=run_id)
    except ReportRun.DoesNotExist:
        raise Http404 from None

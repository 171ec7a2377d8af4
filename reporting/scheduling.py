"""The day after a quarter ends, open the next report draft for every board and tell its author."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from partnership.models import Board, BoardKind, Membership, Role, User
from reporting.models import BoardReport
from reporting.periods import Quarter
from reporting.services import report_open


def _author_for(board: Board, period: Quarter) -> User | None:
    """Last quarter's author if still a commissioner, else the partnership's first one."""
    previous = BoardReport.objects.filter(
        board=board, year=period.previous().year, quarter=period.previous().number
    ).first()
    commissioners = Membership.objects.active().filter(
        partnership=board.partnership, role=Role.COMMISSIONER
    )
    if previous and previous.author_id and commissioners.filter(user=previous.author_id).exists():
        return previous.author
    first = commissioners.select_related("user").order_by("started_at").first()
    return first.user if first else None


def drafts_open_for_new_quarter(*, acting_user: User) -> int:
    """Open the draft for the quarter that has just ended. Idempotent."""
    period = Quarter.containing(timezone.localdate()).previous()
    opened = 0
    for board in Board.objects.filter(kind__in=[BoardKind.BOARD, BoardKind.SUBGROUP]):
        if BoardReport.objects.filter(
            board=board, year=period.year, quarter=period.number
        ).exists():
            continue
        author = _author_for(board, period)
        report = report_open(acting_user=acting_user, board=board, period=period, author=author)
        opened += 1
        if author is not None:
            transaction.on_commit(lambda r=report, a=author: _notify(r, a))
    return opened


def _notify(report: BoardReport, author: User) -> None:
    send_mail(
        subject=f"The {report.period.label} board report is ready for you to write",
        message=(
            f"The draft report for {report.board.name}, {report.period.label}, is open.\n"
            "Its figures fill themselves in from the portal; write the brief update, key "
            "challenges and support required, then approve it.\n"
            f"{reverse('reporting:report', kwargs={'report_id': report.pk})}"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[author.email],
    )

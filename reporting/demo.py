"""Demo board reports: each demo board's last-quarter report, written, approved and rendered
in-process. The narrative is invented for the demo."""

from django.utils import timezone

from partnership.demo import DemoContext, demo_email
from reporting.models import BoardReport, RunStatus, Variant
from reporting.periods import Quarter
from reporting.services import (
    report_approve,
    report_author_assign,
    report_narrative_update,
    report_open,
    report_render_now,
)

DEMO_REPORTS = [
    ("shared-services-strategic-board", "shared-services"),
    ("havering-csp", "havering"),
]

NARRATIVE = {
    "contact": "vawg-team@demo.vawg-portal.uk",
    "brief_update": (
        "This is demonstration text. The partnership met its milestones for the quarter: the "
        "MARAC steering group reviewed referral routes, two agencies completed domestic abuse "
        "training for front-line staff, and the service directory was checked end to end."
    ),
    "key_challenges": (
        "Demonstration text. Referrals from health partners remain below the level SafeLives "
        "expects, and refuge spaces for women with no recourse to public funds are scarce."
    ),
    "support_required": (
        "Demonstration text. The board is asked to note the figures in the appendices and to "
        "ask each health partner to name a MARAC representative by next quarter."
    ),
}


def seed(context: DemoContext) -> None:
    period = Quarter.containing(timezone.localdate()).previous()
    for board_slug, partnership_slug in DEMO_REPORTS:
        board = context.boards[board_slug]
        author = context.people[demo_email(partnership_slug, "commissioner")]
        report = report_open(acting_user=context.actor, board=board, period=period, author=author)
        if not report.is_approved:
            if report.author_id is None:
                report = report_author_assign(
                    acting_user=context.actor, report=report, author=author
                )
            report = report_narrative_update(
                acting_user=author, report=report, title=report.title, **NARRATIVE
            )
            report = report_approve(acting_user=author, report=report)
        report = BoardReport.objects.get(pk=report.pk)
        current = report.runs.filter(
            variant=Variant.BOARD, status=RunStatus.READY, snapshot_version=report.snapshot_version
        )
        if not current.exists():
            report_render_now(acting_user=context.actor, report=report, variant=Variant.BOARD)

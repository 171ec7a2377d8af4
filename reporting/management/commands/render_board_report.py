"""Render a board's report for a period to a PDF file, in-process, through the task's code."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partnership.models import Board
from partnership.services import system_actor
from reporting.models import Variant
from reporting.pdf import ReportRenderError
from reporting.periods import Quarter
from reporting.services import report_open, report_render_now


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: “{value}” is not a date like 2026-06-30.") from None


class Command(BaseCommand):
    help = "Render the board report for a quarter (DESIGN §6)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--board", required=True, help="The board's slug")
        parser.add_argument("--from", dest="start", required=True, help="First day, ISO date")
        parser.add_argument("--to", dest="end", required=True, help="Last day, ISO date")
        parser.add_argument("--variant", choices=Variant.values, default=Variant.BOARD)
        parser.add_argument("--out", required=True, help="Where to write the PDF")

    def handle(self, *args, **options) -> None:
        start, end = _date(options["start"], "--from"), _date(options["end"], "--to")
        period = Quarter.containing(start)
        if (period.start, period.end) != (start, end):
            raise CommandError(
                f"--from and --to must be a whole financial quarter, such as {period.start} "
                f"to {period.end} ({period.label})."
            )
        try:
            board = Board.objects.select_related("partnership").get(slug=options["board"])
        except Board.DoesNotExist:
            raise CommandError(f"--board: there is no board “{options['board']}”.") from None
        out = Path(options["out"])
        if not out.parent.exists():
            raise CommandError(f"--out: the folder {out.parent} does not exist.")
        actor = system_actor()
        with transaction.atomic():
            report = report_open(acting_user=actor, board=board, period=period)
        try:
            run = report_render_now(
                acting_user=actor, report=report, variant=options["variant"], out=out
            )
        except ReportRenderError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Wrote {out} ({run.pages} pages).")

"""Export a strategy's action plan as CSV or .xlsx in the import's columns (DESIGN §6)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actions import selectors
from actions.models import Strategy
from actions.spreadsheets import export_rows, write_csv, write_xlsx


class Command(BaseCommand):
    help = "Export an action plan; the file imports back unchanged."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--strategy", required=True, help="The strategy's slug.")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--out", required=True, help="Where to write the file.")

    def handle(self, *args, **options) -> None:
        strategy = Strategy.objects.filter(slug=options["strategy"]).first()
        if strategy is None:
            raise CommandError(f"No strategy {options['strategy']!r}.")
        rows = export_rows(selectors.export_actions(strategy))
        data = write_xlsx(rows) if options["format"] == "xlsx" else write_csv(rows)
        out = Path(options["out"])
        try:
            out.write_bytes(data)
        except OSError as problem:
            raise CommandError(f"Could not write {out}: {problem.strerror}.") from None
        self.stdout.write(f"Wrote {strategy.actions.count()} actions to {out}.")

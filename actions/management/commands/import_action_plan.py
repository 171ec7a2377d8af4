"""Import an action plan from CSV (or .xlsx) into a strategy, as DESIGN §6 describes.

All or nothing: every bad line is reported as `line N, column NAME: message` and nothing is
changed. Acts as the system actor.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actions import services
from actions.models import Strategy
from actions.spreadsheets import SpreadsheetErrors, read_plan
from partnership.models import Partnership
from partnership.services import system_actor


class Command(BaseCommand):
    help = "Import an action plan spreadsheet into a strategy (all rows or none)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="The CSV file (UTF-8) or .xlsx workbook.")
        parser.add_argument("--strategy", required=True, help="The strategy's slug.")
        parser.add_argument(
            "--create", action="store_true", help="Create the strategy as a draft first."
        )
        parser.add_argument("--partnership", help="With --create: the partnership's slug.")
        parser.add_argument("--title", help="With --create: the strategy's title.")
        parser.add_argument(
            "--create-agencies",
            action="store_true",
            help="Create unknown lead agencies (category other) instead of refusing them.",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        table = read_plan(path.read_bytes(), filename=path.name)
        actor = system_actor()
        try:
            with transaction.atomic():
                strategy = self._strategy(actor, options)
                result = services.action_plan_import(
                    acting_user=actor,
                    strategy=strategy,
                    table=table,
                    create_agencies=options["create_agencies"],
                )
        except SpreadsheetErrors as problems:
            for line in problems.lines:
                self.stderr.write(line)
            raise CommandError(
                f"{len(problems.lines)} problem(s) found; nothing was imported."
            ) from None
        self.stdout.write(
            f"Imported {len(table.rows)} actions into {strategy.slug}: "
            f"{len(result.created)} new, {len(result.updated)} changed, "
            f"{len(result.unchanged)} unchanged, {result.progress_updates} progress update(s)."
        )
        for name in result.agencies_created:
            self.stdout.write(f"Created agency: {name}")

    def _strategy(self, actor, options) -> Strategy:
        slug = options["strategy"]
        if not options["create"]:
            strategy = Strategy.objects.select_related("partnership").filter(slug=slug).first()
            if strategy is None:
                raise CommandError(f"No strategy {slug!r}. Add --create to create it.")
            return strategy
        if not options["partnership"] or not options["title"]:
            raise CommandError("--create needs --partnership SLUG and --title TEXT.")
        if Strategy.objects.filter(slug=slug).exists():
            raise CommandError(f"Strategy {slug!r} already exists; leave out --create.")
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership {options['partnership']!r}.")
        return services.strategy_create(
            acting_user=actor, partnership=partnership, slug=slug, title=options["title"]
        )

"""Remove the personal data of MARAC cases past their retention period (DESIGN §5).

A dry run unless --apply. Acts as the system actor, in one transaction; keeps the counts the
SafeLives indicators use and every access event; skips cases under a legal hold.
"""

from django.core.management.base import BaseCommand, CommandError

from marac.models import Marac
from marac.services.retention import PurgePlan, marac_data_purge, purge_plan
from partnership.services import system_actor


class Command(BaseCommand):
    help = (
        "Remove personal data from MARAC cases past their MARAC's retention period "
        "(a dry run unless --apply). Cases under a legal hold are skipped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--apply", action="store_true", help="Remove the data (otherwise only report)."
        )
        parser.add_argument("--marac", help="Only this MARAC (its slug).")

    def handle(self, *args, **options) -> None:
        maracs = None
        if options["marac"]:
            maracs = list(Marac.objects.filter(slug=options["marac"]))
            if not maracs:
                raise CommandError("--marac: there is no MARAC with that slug. Nothing changed.")
        if options["apply"]:
            plan = marac_data_purge(acting_user=system_actor(), maracs=maracs)
            verb = "Removed personal data from"
        else:
            plan = purge_plan(maracs=maracs)
            verb = "Dry run: would remove personal data from"
        self._report(plan, verb)
        if not options["apply"]:
            self.stdout.write("Nothing was changed. Run again with --apply to remove it.")

    def _report(self, plan: PurgePlan, verb: str) -> None:
        for slug, (due, held) in sorted(plan.by_marac.items()):
            self.stdout.write(f"{slug}: {due} past retention, {held} kept under a legal hold")
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {len(plan.due)} case{'s' if len(plan.due) != 1 else ''}; "
                f"{len(plan.held)} skipped under a legal hold."
            )
        )

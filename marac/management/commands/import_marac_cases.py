"""Import historical MARAC referrals from a CSV (DESIGN §6). All rows or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marac.models import Marac
from marac.services.imports import ImportRefused, marac_cases_import
from partnership.services import system_actor


class Command(BaseCommand):
    help = "Import historical MARAC referrals from a CSV file, acting as the system actor."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--marac", required=True, help="The MARAC's slug.")
        parser.add_argument("path", type=Path, help="The CSV file (UTF-8, with a header row).")

    def handle(self, *args, **options) -> None:
        marac = Marac.objects.filter(slug=options["marac"]).first()
        if marac is None:
            raise CommandError("--marac: there is no MARAC with that slug.")
        path: Path = options["path"]
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                result = marac_cases_import(acting_user=system_actor(), marac=marac, handle=handle)
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file.") from None
        except UnicodeDecodeError:
            raise CommandError(
                "line 1: the file is not UTF-8 text. Nothing was imported."
            ) from None
        except ImportRefused as refused:
            raise CommandError("Nothing was imported:\n" + "\n".join(refused.errors)) from None
        created = ", ".join(day.isoformat() for day in result.meetings_created) or "none"
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.referrals} referrals into {marac.name} "
                f"({result.repeats} repeats). Meetings created: {created}."
            )
        )

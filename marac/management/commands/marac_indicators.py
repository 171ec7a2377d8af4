"""SafeLives MARAC indicators for a MARAC or a partnership over a period (DESIGN §6–§7)."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from marac.models import Marac
from marac.selectors import indicators
from partnership.models import Partnership

LABELS = [
    ("cases_discussed", "Cases discussed", ""),
    ("cases_per_10k_women", "Cases per 10,000 adult women (recommended 40)", ""),
    ("repeat_cases", "Repeat cases", ""),
    ("repeat_rate", "Repeat rate", "%"),
    ("children", "Children in the household", ""),
    ("police_referral_pct", "Police referrals", "%"),
    ("partner_referral_pct", "Partner-agency referrals", "%"),
    ("bme_pct", "Black, Asian and minoritised", "%"),
    ("lgbt_pct", "LGBT+", "%"),
    ("disability_pct", "Disabled", "%"),
    ("male_pct", "Male", "%"),
    ("age_16_17_count", "Aged 16 to 17", ""),
    ("age_16_17_pct", "Aged 16 to 17", "%"),
]


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: “{value}” is not a date like 2026-06-30.") from None


class Command(BaseCommand):
    help = "Print the SafeLives indicators of a MARAC or a partnership for a period."

    def add_arguments(self, parser) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--marac", help="A MARAC's slug")
        scope.add_argument("--partnership", help="A partnership's slug (figures pooled)")
        parser.add_argument("--from", dest="start", required=True, help="First day, ISO date")
        parser.add_argument("--to", dest="end", required=True, help="Last day, ISO date")
        parser.add_argument("--json", action="store_true", help="Print only JSON")

    def handle(self, *args, **options) -> None:
        start, end = _date(options["start"], "--from"), _date(options["end"], "--to")
        if end < start:
            raise CommandError("--to must not be before --from.")
        if options["marac"]:
            marac = Marac.objects.filter(slug=options["marac"]).first()
            if marac is None:
                raise CommandError(f"--marac: there is no MARAC “{options['marac']}”.")
            result = indicators(marac=marac, start=start, end=end)
        else:
            partnership = Partnership.objects.filter(slug=options["partnership"]).first()
            if partnership is None:
                raise CommandError(
                    f"--partnership: there is no partnership “{options['partnership']}”."
                )
            result = indicators(partnership=partnership, start=start, end=end)
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2))
            return
        self._print(result)

    def _print(self, result: dict) -> None:
        blocks = (
            [result]
            if "marac" in result
            else [
                {**result["total"], "marac": f"{result['partnership']} (all MARACs)"},
                *result["maracs"],
            ]
        )
        for block in blocks:
            self.stdout.write(
                f"{block['marac']}: {result['from']} to {result['to']} "
                f"(adult female population {block['adult_female_population']:,})"
            )
            for key, label, suffix in LABELS:
                self.stdout.write(
                    f"  {label:<52} {block[key]:>10.2f}{suffix}"
                    if isinstance(block[key], float)
                    else f"  {label:<52} {block[key]:>10}{suffix}"
                )

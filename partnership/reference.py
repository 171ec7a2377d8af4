"""Reference data shipped with the portal: the 33 London boroughs and their GSS codes."""

import csv
from pathlib import Path

LONDON_BOROUGHS_CSV = Path(__file__).resolve().parent / "data" / "london-boroughs.csv"


def load_london_boroughs(borough_model) -> None:
    """Upsert every borough by GSS code. Takes the model so data migrations can pass theirs."""
    with LONDON_BOROUGHS_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            borough_model.objects.update_or_create(
                gss_code=row["gss_code"], defaults={"name": row["name"], "slug": row["slug"]}
            )

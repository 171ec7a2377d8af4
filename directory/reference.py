"""Reference data shipped with the directory: the VAWG taxonomy and postcode-district centroids."""

from __future__ import annotations

import csv
import uuid
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
TAXONOMY_CSV = DATA / "vawg-taxonomy.csv"
CENTROIDS_CSV = DATA / "london-outcode-centroids.csv"
TAXONOMY_BASE_URI = "https://vawg-portal.uk/taxonomy/"


def load_taxonomy(term_model) -> None:
    """Upsert every term by its id. Takes the model so data migrations can pass theirs."""
    with TAXONOMY_CSV.open(encoding="utf-8", newline="") as handle:
        for position, row in enumerate(csv.DictReader(handle)):
            term_model.objects.update_or_create(
                code=row["id"],
                defaults={
                    "uuid": uuid.uuid5(uuid.NAMESPACE_URL, TAXONOMY_BASE_URI + row["id"]),
                    "vocabulary": row["vocabulary"],
                    "name": row["name"],
                    "description": row["description"],
                    "synonyms": [s.strip() for s in row["synonyms"].split(";") if s.strip()],
                    "position": position,
                },
            )


@cache
def outcode_centroids() -> dict[str, tuple[float, float]]:
    """Outward code (e.g. `RM1`) to its approximate centre (latitude, longitude)."""
    with CENTROIDS_CSV.open(encoding="utf-8", newline="") as handle:
        return {
            row["outcode"].upper(): (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }

import csv
from pathlib import Path

import pytest

from partnership.models import Borough

SHARED_BOROUGHS = (
    Path(__file__).resolve().parents[3] / "shared" / "taxonomy" / "london-boroughs.csv"
)

pytestmark = pytest.mark.django_db


def test_the_33_london_boroughs_are_loaded_with_their_gss_codes():
    """The data migration loads exactly the 33 London local authorities from the shared list."""
    with SHARED_BOROUGHS.open(encoding="utf-8") as handle:
        expected = {(r["gss_code"], r["name"], r["slug"]) for r in csv.DictReader(handle)}
    loaded = set(Borough.objects.values_list("gss_code", "name", "slug"))
    assert len(expected) == 33
    assert loaded == expected


def test_gss_codes_are_london_boroughs():
    """Every GSS code is a London borough code (E09)."""
    assert all(
        code.startswith("E09") for code in Borough.objects.values_list("gss_code", flat=True)
    )

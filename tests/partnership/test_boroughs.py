"""The 33 London boroughs, loaded by a data migration from the project's own copy of the list.

A clean clone has no `../shared` beside it, so the facts are checked against known GSS codes
here; where `../shared` is present (CI), the project's copy must also equal it.
"""

import csv
from pathlib import Path

import pytest

from partnership.models import Borough

ROOT = Path(__file__).resolve().parents[2]
PROJECT_BOROUGHS = ROOT / "partnership" / "data" / "london-boroughs.csv"
SHARED_BOROUGHS = ROOT.parent / "shared" / "taxonomy" / "london-boroughs.csv"

# A sample of GSS codes from the ONS register: first, last and the demo boroughs.
KNOWN = {
    "E09000001": ("City of London", "city-of-london"),
    "E09000013": ("Hammersmith and Fulham", "hammersmith-and-fulham"),
    "E09000016": ("Havering", "havering"),
    "E09000020": ("Kensington and Chelsea", "kensington-and-chelsea"),
    "E09000033": ("Westminster", "westminster"),
}

pytestmark = pytest.mark.django_db


def _rows(path: Path) -> set[tuple[str, str, str]]:
    with path.open(encoding="utf-8") as handle:
        return {(r["gss_code"], r["name"], r["slug"]) for r in csv.DictReader(handle)}


def test_the_33_london_boroughs_are_loaded_with_their_gss_codes():
    """The data migration loads exactly the project's list: E09000001 to E09000033."""
    loaded = set(Borough.objects.values_list("gss_code", "name", "slug"))
    assert loaded == _rows(PROJECT_BOROUGHS)
    assert {code for code, _, _ in loaded} == {f"E09{n:06d}" for n in range(1, 34)}
    by_code = {code: (name, slug) for code, name, slug in loaded}
    for code, facts in KNOWN.items():
        assert by_code[code] == facts


@pytest.mark.skipif(not SHARED_BOROUGHS.exists(), reason="../shared is not beside this clone")
def test_the_project_copy_matches_the_shared_list():
    assert _rows(PROJECT_BOROUGHS) == _rows(SHARED_BOROUGHS)

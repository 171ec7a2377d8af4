"""SafeLives indicators (DESIGN §7) worked out by hand for a small imported cohort."""

from __future__ import annotations

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from marac.services.imports import COLUMNS
from partnership import indicators as registry
from partnership.models import Borough
from partnership.services import borough_population_update

pytestmark = pytest.mark.django_db

START, END = "2026-04-01", "2026-06-30"  # 91 days


def _row(ref, **overrides):
    row = {
        "case_ref": ref,
        "referral_date": "2026-04-02",
        "meeting_date": "2026-04-20",
        "referring_agencies": "police",
        "referral_criteria": "visible_high_risk",
        "dash_score": "15",
        "victim_first_name": f"Synth{ref}",
        "victim_last_name": "Example",
        "victim_dob": "1990-01-01",
        "victim_gender": "female",
        "victim_ethnicity": "white_british",
        "victim_lgbt": "no",
        "victim_disability": "no",
        "children_in_household": "0",
        "perpetrator_first_name": f"Perp{ref}",
        "perpetrator_last_name": "Invented",
        "idva_allocated": "yes",
        "pj_rationale": "",
    }
    return row | overrides


ROWS = [
    _row("C1", children_in_household="2", victim_ethnicity="black"),
    _row("C2", referring_agencies="police;housing", victim_lgbt="yes", victim_gender="male"),
    _row(
        "C3",
        referring_agencies="idva",
        victim_disability="yes",
        children_in_household="1",
        victim_dob="2009-06-01",
        victim_ethnicity="not_known",
    ),
    _row("C4", referring_agencies="mental_health", victim_ethnicity="asian"),
    # The same victim and perpetrator as C1, 50 days later: a repeat, heard in May.
    _row(
        "C5",
        referral_date="2026-05-22",
        meeting_date="2026-05-28",
        victim_first_name="SynthC1",
        perpetrator_first_name="PerpC1",
    ),
    # Heard after the period: not in the cohort.
    _row("C6", referral_date="2026-06-25", meeting_date="2026-07-10"),
]


@pytest.fixture
def cohort(marac, borough, actor, tmp_path):
    borough_population_update(
        acting_user=actor, borough=borough, population=100_000, source="Synthetic", year=2024
    )
    path = tmp_path / "cases.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(ROWS)
    call_command("import_marac_cases", "--marac", marac.slug, str(path), stdout=StringIO())
    return marac


def _json(*args) -> dict:
    out = StringIO()
    call_command("marac_indicators", *args, "--from", START, "--to", END, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_each_indicator_for_a_marac_matches_the_definitions(cohort):
    figures = _json("--marac", cohort.slug)
    assert figures["marac"] == cohort.slug
    assert (figures["from"], figures["to"]) == (START, END)
    assert figures["adult_female_population"] == 100_000
    assert figures["cases_discussed"] == 5
    assert figures["repeat_cases"] == 1
    assert figures["repeat_rate"] == pytest.approx(20.0)
    assert figures["children"] == 3
    # 5 × 10,000 / 100,000 × 365 / 91
    assert figures["cases_per_10k_women"] == pytest.approx(5 * 10000 / 100000 * 365 / 91, 1e-3)
    shares = figures["referrals_by_category"]
    assert shares["police"] == pytest.approx(2.5)  # C1, C5 whole, C2 half
    assert shares["housing"] == pytest.approx(0.5)
    assert shares["idva"] == pytest.approx(1)
    assert shares["mental_health"] == pytest.approx(1)
    assert figures["police_referral_pct"] == pytest.approx(50.0)
    assert figures["partner_referral_pct"] == pytest.approx(50.0)
    assert figures["bme_pct"] == pytest.approx(40.0)  # black and asian; not_known is not
    assert figures["lgbt_pct"] == pytest.approx(20.0)
    assert figures["disability_pct"] == pytest.approx(20.0)
    assert figures["male_pct"] == pytest.approx(20.0)
    assert figures["age_16_17_count"] == 1
    assert figures["age_16_17_pct"] == pytest.approx(20.0)
    assert all(
        isinstance(v, int | float)
        for k, v in figures.items()
        if k not in {"marac", "from", "to", "referrals_by_category"}
    )


def test_the_partnership_total_is_pooled_from_its_maracs(cohort, partnership, actor):
    from marac.services import marac_create

    havering = Borough.objects.get(slug="havering")
    partnership.boroughs.add(havering)
    borough_population_update(
        acting_user=actor, borough=havering, population=50_000, source="Synthetic", year=2024
    )
    marac_create(
        acting_user=actor,
        partnership=partnership,
        name="Empty Test MARAC",
        slug="empty-test-marac",
        boroughs=[havering],
    )
    result = _json("--partnership", partnership.slug)
    assert result["partnership"] == partnership.slug
    assert [m["marac"] for m in result["maracs"]] == ["empty-test-marac", cohort.slug]
    total = result["total"]
    assert total["adult_female_population"] == 150_000
    assert total["cases_discussed"] == 5
    assert total["cases_per_10k_women"] == pytest.approx(5 * 10000 / 150000 * 365 / 91, 1e-3)


def test_review_items_and_meetings_outside_the_period_are_not_counted(cohort):
    from marac.models import AgendaItem, AgendaItemKind

    AgendaItem.objects.filter(case__case_ref="C4").update(kind=AgendaItemKind.REVIEW)
    assert _json("--marac", cohort.slug)["cases_discussed"] == 4


def test_a_case_listed_but_not_heard_is_not_counted(cohort):
    """Only cases the meeting heard are discussed: a listed case withdrawn or not yet heard at a
    meeting in the period is not in the cohort."""
    from marac.models import AgendaItem

    AgendaItem.objects.filter(case__case_ref="C2").update(heard_at=None)
    figures = _json("--marac", cohort.slug)
    assert figures["cases_discussed"] == 4
    assert figures["referrals_by_category"]["housing"] == 0  # C2's half share went with it
    assert figures["male_pct"] == 0


def test_the_registry_answers_for_the_partnership_and_its_boroughs(cohort, partnership, borough):
    from datetime import date

    indicator = registry.get("marac.cases_discussed")
    kwargs = {"partnership": partnership, "start": date(2026, 4, 1), "end": date(2026, 6, 30)}
    assert indicator.value(**kwargs) == 5
    assert indicator.value(**kwargs, borough=borough) == 5
    rate = registry.get("marac.repeat_rate")
    assert rate.derived_from == ("marac.repeat_cases",)
    assert rate.national == 31


def test_bad_input_is_refused_with_a_clear_message(cohort):
    with pytest.raises(CommandError, match="no MARAC"):
        _json("--marac", "nowhere")
    with pytest.raises(CommandError, match="not a date"):
        call_command(
            "marac_indicators", "--marac", cohort.slug, "--from", "2026-02-30", "--to", END
        )


def test_plain_output_is_readable(cohort):
    out = StringIO()
    call_command(
        "marac_indicators", "--marac", cohort.slug, "--from", START, "--to", END, stdout=out
    )
    assert "Cases discussed" in out.getvalue()
    assert "Repeat rate" in out.getvalue()

"""MARAC figures in board reports come from the indicator registry and equal marac_indicators."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from reporting import services
from reporting.models import Variant
from reporting.periods import Quarter
from tests.marac.test_indicators import END, START
from tests.reporting.test_rendering import pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def q1_report(board, author, actor):
    return services.report_open(
        acting_user=actor, board=board, period=Quarter(2026, 1), author=author
    )


def _text(run) -> str:
    return " ".join(" ".join(pdf_pages(run)).split())


def test_marac_figures_in_the_report_equal_marac_indicators(
    cohort,
    q1_report,
    author,
    private_storage,
):
    out = StringIO()
    call_command(
        "marac_indicators",
        "--marac",
        cohort.slug,
        "--from",
        START,
        "--to",
        END,
        "--json",
        stdout=out,
    )
    figures = json.loads(out.getvalue())
    run = services.report_render_now(acting_user=author, report=q1_report, variant=Variant.BOARD)
    text = _text(run)
    assert "MARAC performance" in text
    assert f"MARAC cases discussed Test Shared Partnership: {figures['cases_discussed']}" in text
    assert f"MARAC repeat rate (%) Test Shared Partnership: {figures['repeat_rate']:.1f}%" in text
    rate = f"{figures['cases_per_10k_women']:.1f}"
    assert f"Test Shared Partnership: {rate}; recommended 40.0; national 47.0" in text


def test_the_public_report_hides_small_marac_counts_and_their_rates(
    cohort,
    q1_report,
    author,
    private_storage,
):
    run = services.report_render_now(acting_user=author, report=q1_report, variant=Variant.PUBLIC)
    text = _text(run)
    assert "MARAC repeat cases Test Shared Partnership: fewer than 5" in text
    assert "MARAC repeat rate (%) Test Shared Partnership: fewer than 5" in text
    assert "MARAC cases discussed Test Shared Partnership: 5" in text  # 5 is not small

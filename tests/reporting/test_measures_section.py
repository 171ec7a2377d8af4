"""Performance measures in board reports: the partnership's own, with targets and trends."""

from datetime import date
from decimal import Decimal

import pytest

from actions import services as actions_services
from reporting import services
from reporting.models import Variant
from tests.reporting.test_rendering import pdf_pages

pytestmark = pytest.mark.django_db


def test_the_report_shows_the_partnerships_own_measures_with_target_and_trend(
    draft, author, actor, borough, other_partnership, private_storage
):
    """Another partnership keeping a measure of the same code, and one of its own, changes
    nothing in this partnership's report."""
    actions_services.measure_create(
        acting_user=actor,
        partnership=other_partnership,
        code="da-incidents-per-1000",
        name="Other synthetic incident rate",
        unit="rate",
        better="higher",
        target=Decimal("99"),
    )
    actions_services.measure_create(
        acting_user=actor,
        partnership=other_partnership,
        code="other-only-measure",
        name="A measure only the other partnership keeps",
        unit="count",
        better="higher",
    )
    measure = actions_services.measure_create(
        acting_user=actor,
        partnership=draft.board.partnership,
        code="da-incidents-per-1000",
        name="Domestic abuse incidents per 1,000 population",
        unit="rate",
        better="lower",
        target=Decimal("12.5"),
    )
    # The report's quarter (Q2 2026/27) and the three before it.
    for quarter_end, value in (
        (date(2025, 12, 31), "14.0"),
        (date(2026, 3, 31), "13.5"),
        (date(2026, 6, 30), "13.2"),
        (date(2026, 9, 30), "13.0"),
    ):
        actions_services.measure_value_set(
            acting_user=actor,
            measure=measure,
            borough=borough,
            quarter_end=quarter_end,
            value=Decimal(value),
        )
    run = services.report_render_now(acting_user=author, report=draft, variant=Variant.BOARD)
    text = " ".join(" ".join(pdf_pages(run)).split())
    assert (
        "Domestic abuse incidents per 1,000 population Test Shared Partnership: 13.0; "
        "target 12.5 (lower is better)"
    ) in text
    assert "By quarter: 14.0, 13.5, 13.2, 13.0" in text
    assert "Other synthetic incident rate" not in text
    assert "A measure only the other partnership keeps" not in text

"""Performance measures: values by hand and by CSV (all or nothing), and the registry."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from actions import services
from actions.models import MeasureValue
from actions.spreadsheets import SpreadsheetErrors
from partnership import indicators
from partnership.models import Borough

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure(actor, partnership):
    return services.measure_create(
        acting_user=actor,
        partnership=partnership,
        code="da-incidents-per-1000",
        name="Domestic abuse incidents per 1,000 population",
        unit="rate",
        better="lower",
        target=Decimal("12.5"),
    )


@pytest.fixture
def idva_caseload(actor, partnership):
    return services.measure_create(
        acting_user=actor,
        partnership=partnership,
        code="idva-caseload",
        name="IDVA caseload",
        unit="count",
        better="higher",
    )


def _upload(actor, partnership, text):
    return services.measure_values_import(
        acting_user=actor, partnership=partnership, data=text.encode("utf-8-sig")
    )


def test_a_good_upload_loads_every_value(actor, partnership, measure, idva_caseload):
    count = _upload(
        actor,
        partnership,
        "measure,borough,quarter_end,value\n"
        "da-incidents-per-1000,westminster,2025-03-31,14.2\n"
        "da-incidents-per-1000,Westminster,2025-06-30,13.0\n"
        'idva-caseload,E09000033,2025-06-30,"1,204"\n',
    )
    assert count == 3
    assert MeasureValue.objects.get(measure=idva_caseload).value == 1204


def test_a_bad_upload_reports_every_line_and_loads_nothing(actor, partnership, measure):
    with pytest.raises(SpreadsheetErrors) as problems:
        _upload(
            actor,
            partnership,
            "measure,borough,quarter_end,value\n"
            "da-incidents-per-1000,westminster,2025-03-31,14.2\n"
            "no-such-measure,westminster,2025-03-31,1\n"
            "da-incidents-per-1000,havering,2025-03-31,1\n"
            "da-incidents-per-1000,westminster,2025-03-30,1\n"
            "da-incidents-per-1000,westminster,2025-06-30,lots\n"
            "da-incidents-per-1000,westminster,2025-03-31,15\n",
        )
    assert problems.value.lines == [
        "line 3, column measure: no measure has the code 'no-such-measure'",
        "line 4, column borough: not a borough of this partnership",
        "line 5, column quarter_end: give the last day of a quarter, like 2025-06-30",
        "line 6, column value: enter a number",
        "line 7, column quarter_end: this value is already on line 2",
    ]
    assert not MeasureValue.objects.exists()


def test_a_value_is_for_a_quarter_of_a_partnership_borough(actor, measure):
    with pytest.raises(ValidationError):
        services.measure_value_set(
            acting_user=actor,
            measure=measure,
            borough=Borough.objects.get(slug="havering"),
            quarter_end=date(2025, 3, 31),
            value=Decimal(1),
        )


def test_measures_and_plan_counts_are_in_the_indicator_registry(
    actor, partnership, measure, idva_caseload, police_action
):
    westminster = Borough.objects.get(slug="westminster")
    for quarter_end, rate, cases in ((date(2025, 3, 31), 14, 100), (date(2025, 6, 30), 12, 120)):
        services.measure_value_set(
            acting_user=actor,
            measure=measure,
            borough=westminster,
            quarter_end=quarter_end,
            value=rate,
        )
        services.measure_value_set(
            acting_user=actor,
            measure=idva_caseload,
            borough=westminster,
            quarter_end=quarter_end,
            value=cases,
        )
    period = {"partnership": partnership, "start": date(2025, 1, 1), "end": date(2025, 12, 31)}
    rate = indicators.get("actions.measure.da-incidents-per-1000")
    assert (rate.label, rate.unit, rate.better) == (measure.name, "rate", "lower")
    assert rate.value(**period) == 13  # rates average over the quarters
    assert indicators.get("actions.measure.idva-caseload").value(**period) == 220  # counts add up
    assert (
        indicators.get("actions.measure.idva-caseload").value(
            **period, borough=Borough.objects.get(slug="havering")
        )
        is None
    )
    names = [ind.name for ind in indicators.all_indicators("actions.")]
    assert "actions.measure.idva-caseload" in names
    assert "actions.plan_overdue" in names
    total = indicators.get("actions.plan_actions")
    from django.utils import timezone

    today = timezone.localdate()
    assert total.value(partnership=partnership, start=today, end=today) == 1
    assert (
        indicators.get("actions.plan_not_started").value(
            partnership=partnership, start=today, end=today
        )
        == 1
    )


def test_each_partnership_has_its_own_measures_in_the_registry(
    actor, partnership, other_partnership, measure
):
    """The same code in two partnerships: each answers with its own name and target, and
    neither lists a measure only the other has."""
    services.measure_create(
        acting_user=actor,
        partnership=other_partnership,
        code="da-incidents-per-1000",
        name="Other synthetic incident rate",
        unit="rate",
        better="lower",
        target=Decimal("30"),
    )
    services.measure_create(
        acting_user=actor,
        partnership=other_partnership,
        code="other-only-measure",
        name="A measure only the other partnership keeps",
        unit="count",
        better="higher",
    )
    name = "actions.measure.da-incidents-per-1000"
    ours = indicators.get(name, partnership=partnership)
    theirs = indicators.get(name, partnership=other_partnership)
    assert (ours.label, ours.target) == (measure.name, Decimal("12.5"))
    assert (theirs.label, theirs.target) == ("Other synthetic incident rate", Decimal("30"))
    listed = indicators.all_indicators("actions.measure.", partnership=partnership)
    assert [ind.name for ind in listed] == [name]
    with pytest.raises(indicators.UnknownIndicator):
        indicators.get("actions.measure.other-only-measure", partnership=partnership)

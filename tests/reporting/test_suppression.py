"""Publication suppression of report figures (DESIGN §5): small counts, what is worked out from
them, and totals that would give them away."""

from reporting.suppression import SUPPRESSED, suppress_indicators


def _figure(name, unit, partnership, boroughs, derived=(), about_people=True):
    return {
        "name": name,
        "unit": unit,
        "derived_from": list(derived),
        "about_people": about_people,
        "partnership": list(partnership),
        "boroughs": [{"name": n, "values": list(v)} for n, v in boroughs.items()],
    }


def test_small_counts_their_percentages_and_revealing_totals_read_fewer_than_5():
    cases = _figure("t.cases", "count", [13, 20, 0], {"A": [3, 10, 0], "B": [10, 10, 0]})
    rate = _figure(
        "t.rate",
        "percent",
        [50.0, 40.0, 0.0],
        {"A": [66.7, 30.0, 0.0], "B": [40.0, 50.0, 0.0]},
        derived=("t.cases",),
    )
    services = _figure(
        "t.services", "count", [2, 2, 2], {"A": [1, 1, 1], "B": [1, 1, 1]}, (), False
    )
    figures = [cases, rate, services]
    cases_out, rate_out, services_out = suppress_indicators(figures)
    assert cases_out["boroughs"][0]["values"] == [SUPPRESSED, 10, 0]  # zero is not small
    assert cases_out["boroughs"][1]["values"] == [10, 10, 0]
    assert cases_out["partnership"] == [SUPPRESSED, 20, 0]  # 13 − 10 would give A's 3
    assert rate_out["boroughs"][0]["values"] == [SUPPRESSED, 30.0, 0.0]
    # Worked out from a hidden total, the partnership's percentage is hidden with it.
    assert rate_out["partnership"] == [SUPPRESSED, 40.0, 0.0]
    assert services_out == services  # counts of services describe nobody
    assert cases["partnership"] == [13, 20, 0]  # the input is left as it was


def test_a_small_partnership_count_hides_itself_and_its_percentage():
    cases = _figure("t.cases", "count", [4], {"A": [4]})
    rate = _figure("t.rate", "percent", [25.0], {"A": [25.0]}, derived=("t.cases",))
    cases_out, rate_out = suppress_indicators([cases, rate])
    assert cases_out["partnership"] == [SUPPRESSED]
    assert rate_out["partnership"] == [SUPPRESSED]
    assert rate_out["boroughs"][0]["values"] == [SUPPRESSED]

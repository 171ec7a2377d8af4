"""The indicator pages and the SafeLives quarterly return, on the hand-worked cohort of
test_indicators: an April meeting hearing C1–C4 and a May meeting hearing C5 (a repeat)."""

from __future__ import annotations

import csv
from io import StringIO

import pytest
from django.urls import reverse

from partnership.suppression import SUPPRESSED, suppress_figures
from tests.marac.test_indicators import END, START, cohort  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

PERIOD = {"start": START, "end": END}


def _page(client, cohort):  # noqa: F811
    url = reverse("marac:indicators", kwargs={"slug": cohort.slug})
    return client.get(url, PERIOD)


def test_coordinators_see_every_figure_beside_the_recommendation_and_national_figure(
    client,
    sign_in,
    marac_coordinator,
    cohort,  # noqa: F811
):
    sign_in(client, marac_coordinator)
    response = _page(client, cohort)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Fewer than 5" not in body
    # repeat rate 1 of 5; 5 × 10,000 / 100,000 × 365 / 91 = 2.0 a year
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">20.0%</td>' in body
    assert ">2.0<" in body
    assert ">31.0%<" in body  # national repeat rate
    assert ">40<" in body  # SafeLives volume recommendation
    assert ">2.5<" in body  # police share: C1 and C5 whole, C2 half


@pytest.mark.parametrize("role", ["commissioner", "marac_representative", "idva", "board_member"])
def test_others_in_the_partnership_see_small_numbers_suppressed(
    client,
    sign_in,
    make_member,
    cohort,  # noqa: F811
    role,
):
    """Cases discussed (5) shows; 1 repeat, 3 children and the 2.5 police share do not, nor
    the percentages worked out from them."""
    sign_in(client, make_member(role))
    body = _page(client, cohort).content.decode()
    assert "Fewer than 5" in body
    assert ">20.0%<" not in body
    assert ">2.5<" not in body
    assert ">50.0%<" not in body
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">5</td>' in body


def test_the_data_protection_lead_sees_small_numbers(
    client,
    sign_in,
    data_protection_lead,
    cohort,  # noqa: F811
):
    sign_in(client, data_protection_lead)
    assert "Fewer than 5" not in _page(client, cohort).content.decode()


def test_people_outside_the_partnership_get_404(client, sign_in, outsider, cohort):  # noqa: F811
    sign_in(client, outsider)
    assert _page(client, cohort).status_code == 404
    url = reverse("marac:safelives_return", kwargs={"slug": cohort.slug})
    assert client.get(url, PERIOD).status_code == 404


def test_the_safelives_return_has_a_row_per_meeting_and_the_total(
    client,
    sign_in,
    marac_coordinator,
    cohort,  # noqa: F811
):
    sign_in(client, marac_coordinator)
    url = reverse("marac:safelives_return", kwargs={"slug": cohort.slug})
    response = client.get(url, PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(StringIO(response.content.decode())))
    assert [row["Meeting date"] for row in rows] == [
        "2026-04-20",
        "2026-05-28",
        f"Total {START} to {END}",
    ]
    april, may, total = rows
    assert april["Number of cases discussed"] == "4"
    assert april["Number of repeat cases"] == "0"
    assert april["Number of children in households"] == "3"
    assert april["Number of Black, Asian and racially minoritised victims"] == "2"
    assert april["Number of victims aged 16-17"] == "1"
    assert april["Referrals: Police"] == "1.5"
    assert april["Referrals: Housing"] == "0.5"
    assert april["% partner agency referrals"] == "62.5"
    assert (may["Number of cases discussed"], may["Number of repeat cases"]) == ("1", "1")
    assert may["Referrals: Police"] == "1.0"
    assert total["Number of cases discussed"] == "5"
    assert total["Referrals: Police"] == "2.5"
    assert total["% partner agency referrals"] == "50.0"


@pytest.mark.parametrize("role", ["commissioner", "marac_representative", "idva"])
def test_only_coordinators_chair_and_dpl_download_the_return(
    client,
    sign_in,
    make_member,
    cohort,  # noqa: F811
    role,
):
    sign_in(client, make_member(role))
    url = reverse("marac:safelives_return", kwargs={"slug": cohort.slug})
    assert client.get(url, PERIOD).status_code == 404


def test_the_partnership_page_pools_its_maracs(
    client,
    sign_in,
    commissioner,
    partnership,
    cohort,  # noqa: F811
    other_marac,
):
    """The other MARAC heard nothing; the pooled total equals the cohort, suppressed alike."""
    sign_in(client, commissioner)
    url = reverse("marac:partnership_indicators", kwargs={"slug": partnership.slug})
    body = client.get(url, PERIOD).content.decode()
    assert "All MARACs" in body
    assert "Other Test MARAC" in body
    assert "Fewer than 5" in body
    assert ">20.0%<" not in body


def test_suppression_hides_small_counts_what_derives_from_them_and_a_giveaway_part():
    figures = {
        "cases": 12,
        "repeats": 3,
        "repeat_rate": 25.0,
        "routes": {"police": 8, "housing": 2.5, "idva": 1.5, "other": 0},
    }
    shown = suppress_figures(figures, derived_from={"repeat_rate": ["repeats", "cases"]})
    assert shown["cases"] == 12
    assert shown["repeats"] == SUPPRESSED
    assert shown["repeat_rate"] == SUPPRESSED
    assert shown["routes"] == {
        "police": 8,
        "housing": SUPPRESSED,
        "idva": SUPPRESSED,
        "other": 0,
    }
    one_hidden = suppress_figures(
        {"routes": {"police": 8, "housing": 4, "idva": 6}}, derived_from={}
    )
    assert one_hidden["routes"] == {"police": 8, "housing": SUPPRESSED, "idva": SUPPRESSED}

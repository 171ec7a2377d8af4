"""The public service page: what the service is, how to reach it, when it is open, who it is
for and when it was last checked, from the data; a constant number of queries."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The page's visible text, tags removed and white space collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", unescape(body))


def test_the_service_page_shows_the_service_from_its_data(client, golden):
    service = golden["idva"]
    response = client.get(service.get_absolute_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = _text(response)
    assert service.name in text
    assert service.description in text
    assert f"Phone: {service.phones.get().number}" in text
    assert "Monday to Friday 9am to 5pm" in text
    assert "For people in Westminster" in text
    assert "Type of support Independent advocacy (IDVA/ISVA)" in text
    assert "Types of abuse Domestic abuse" in text
    assert "Languages English, Arabic" in text
    assert "Cost Free" in text
    assert "You can contact this service yourself." in text
    checked = dateformat.format(service.last_checked, "j F Y")
    assert f"Last checked {checked}" in text
    assert "W2 9ZZ" in text  # a public address is shown
    assert (
        service.name not in re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1]
    )


def test_a_paid_professional_referral_service_says_so(client, golden):
    text = _text(client.get(golden["counselling"].get_absolute_url()))
    assert "Cost A small charge on a sliding scale." in text
    assert "Last checked" in text


def test_a_helpline_open_all_day_every_day_says_so(client, golden):
    text = _text(client.get(golden["helpline"].get_absolute_url()))
    assert "Every day 24 hours" in text
    assert "By phone or online." in text


def test_the_service_page_query_count_does_not_grow(client, make_service):
    """A service with many phones, schedules, areas and terms costs the same queries as one."""

    def queries(service) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(service.get_absolute_url()).status_code == 200
        return len(captured)

    small = make_service("Small test service", taxonomy=["st-outreach"], areas=["westminster"])
    large = make_service(
        "Large test service",
        taxonomy=["st-outreach", "st-idva", "at-domestic-abuse", "at-stalking", "pop-women"],
        areas=["westminster", "hackney", "havering", "camden"],
        phones=[{"number": f"020 7946 01{n:02d}", "description": ""} for n in range(5)],
        schedules=[
            {"weekdays": [day], "opens_at": "09:00", "closes_at": "17:00"} for day in range(5)
        ],
        languages=["en", "ar", "ur", "pl"],
    )
    assert queries(large) == queries(small)

"""Directory fixtures: a small, known directory built through the services. All synthetic."""

from __future__ import annotations

import uuid
from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from directory.services import organisation_upsert, service_upsert

SECRET_ADDRESS = "17 Quillfeather Mews Secretcourt"
SECRET_POSTCODE = "RM1 4QZ"
SECRET_LATITUDE = 51.58201
SECRET_LONGITUDE = 0.18411

_numbers = count(1)


@pytest.fixture
def make_service(actor):
    """Make a published service (or a draft) with sensible defaults; keyword overrides."""

    def make(
        name: str,
        *,
        organisation: str = "Test Support Charity",
        publish: bool = True,
        checked_days_ago: int = 10,
        **data,
    ):
        org, _ = organisation_upsert(
            acting_user=actor, organisation_id=None, name=organisation, description="Synthetic."
        )
        data.setdefault("description", f"{name}: a synthetic test service.")
        data.setdefault("areas", ["westminster"])
        data.setdefault("taxonomy", [])
        data.setdefault(
            "phones", [{"number": f"020 7946 0{next(_numbers) % 1000:03d}", "description": ""}]
        )
        service, _ = service_upsert(
            acting_user=actor,
            service_id=str(uuid.uuid4()),
            organisation=org,
            data={"name": name, **data},
            last_checked=timezone.localdate() - timedelta(days=checked_days_ago),
            publish=publish,
        )
        return service

    return make


def location(outcode_lat_lon: tuple[float, float], **extra) -> dict:
    latitude, longitude = outcode_lat_lon
    return {
        "location_type": "physical",
        "name": extra.pop("name", "Test centre"),
        "address_1": extra.pop("address_1", "1 Synthetic Street"),
        "city": "London",
        "postal_code": extra.pop("postal_code", "W2 9ZZ"),
        "latitude": latitude,
        "longitude": longitude,
        **extra,
    }


@pytest.fixture
def golden(make_service):
    """A directory where each search has one right answer."""
    always = [{"weekdays": list(range(7)), "opens_at": "00:00", "closes_at": "24:00"}]
    office = [{"weekdays": [0, 1, 2, 3, 4], "opens_at": "09:00", "closes_at": "17:00"}]
    services = {
        "idva": make_service(
            "Westminster advocacy service",
            description="Independent advisers for people at high risk of harm from a partner.",
            taxonomy=["st-idva", "at-domestic-abuse", "pop-women"],
            areas=["westminster"],
            schedules=office,
            languages=["en", "ar"],
            locations=[location((51.51508, -0.17816), postal_code="W2 9ZZ")],
        ),
        "refuge": make_service(
            "Havering women's refuge",
            description="Safe accommodation for women and children.",
            taxonomy=["st-refuge", "at-domestic-abuse", "pop-women"],
            areas=["havering"],
            schedules=always,
            accepts_self_referral=False,
            locations=[
                location(
                    (SECRET_LATITUDE, SECRET_LONGITUDE),
                    name="Confidential",
                    address_1=SECRET_ADDRESS,
                    postal_code=SECRET_POSTCODE,
                    confidential=True,
                )
            ],
        ),
        "counselling": make_service(
            "Hackney therapy for survivors",
            description="Trauma-informed counselling after rape or sexual assault.",
            taxonomy=["st-counselling", "at-sexual-violence"],
            areas=["hackney"],
            schedules=office,
            is_free=False,
            fees="A small charge on a sliding scale.",
            locations=[location((51.54615, -0.05755), postal_code="E8 9ZZ")],
        ),
        "helpline": make_service(
            "National test helpline",
            description="A free telephone line for anyone affected by abuse.",
            taxonomy=["st-helpline", "at-domestic-abuse"],
            areas=["national"],
            schedules=always,
        ),
        "fm": make_service(
            "London forced marriage advice",
            description="Advice for people facing a marriage they did not agree to.",
            taxonomy=["st-legal", "at-forced-marriage", "pop-black-minoritised"],
            areas=["london"],
            languages=["en", "ur"],
            schedules=office,
            locations=[location((51.50975, -0.12505), postal_code="WC2N 9ZZ")],
        ),
        "havering-outreach": make_service(
            "Havering outreach",
            description="Support at home and in the community.",
            taxonomy=["st-outreach", "at-domestic-abuse", "pop-men"],
            areas=["havering"],
            schedules=office,
            locations=[location((51.58175, 0.18395), postal_code="RM1 9ZZ")],
        ),
    }
    return services

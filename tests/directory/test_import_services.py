"""`import_services PATH [--draft]` (DESIGN §6): ORUK 3.0 JSON in, all or nothing."""

from __future__ import annotations

import copy
import json
import uuid

import pytest
from django.core.management import CommandError, call_command

from directory.models import Organisation, Service
from partnership.models import Agency, AgencyCategory, ChangeRecord

pytestmark = pytest.mark.django_db

SERVICE_ID = "3b0e8d5a-8f43-4a4e-9f0c-0d1c2b3a4f01"
ORG_ID = "7c1f2e3d-4b5a-4c6d-8e9f-0a1b2c3d4e5f"


def oruk_service(**overrides) -> dict:
    service = {
        "id": SERVICE_ID,
        "name": "Imported outreach service",
        "description": "Outreach for survivors (synthetic import).",
        "status": "active",
        "url": "https://example.org/outreach",
        "email": "outreach@example.org",
        "assured_date": "2026-10-01",
        "minimum_age": 16,
        "organization": {
            "id": ORG_ID,
            "name": "Imported Women's Project (test)",
            "description": "Synthetic organisation.",
        },
        "attributes": [
            {"taxonomy_term": {"id": "st-outreach"}},
            {
                "taxonomy_term_id": str(
                    uuid.uuid5(uuid.NAMESPACE_URL, "https://vawg-portal.uk/taxonomy/at-stalking")
                )
            },
            {"taxonomy_term": {"term_uri": "https://vawg-portal.uk/taxonomy/pop-women"}},
        ],
        "service_areas": [
            {"name": "Havering"},
            {"uri": "http://statistics.data.gov.uk/id/statistical-geography/E09000012"},
            {"name": "London"},
        ],
        "languages": [{"code": "so"}, {"name": "Polish"}],
        "schedules": [{"byday": "MO,WE", "opens_at": "09:00:00", "closes_at": "17:00:00"}],
        "phones": [{"number": "020 7946 0999"}],
        "contacts": [{"name": "Duty worker", "phones": [{"number": "020 7946 0998"}]}],
        "service_at_locations": [
            {
                "id": "5d4c3b2a-1908-4f7e-8d6c-5b4a39281706",
                "location": {
                    "id": "6e5d4c3b-2a19-4807-9f6e-5d4c3b2a1908",
                    "location_type": "physical",
                    "confidential": True,
                    "latitude": 51.58,
                    "longitude": 0.18,
                    "addresses": [
                        {"address_1": "9 Hidden Close", "city": "London", "postal_code": "RM1 9ZZ"}
                    ],
                    "phones": [{"number": "020 7946 0997"}],
                },
            }
        ],
        "cost_options": [{"amount": 0}],
    }
    service.update(overrides)
    return service


def write(tmp_path, document) -> str:
    path = tmp_path / "services.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_import_publishes_and_maps_everything(tmp_path, client):
    call_command("import_services", write(tmp_path, [oruk_service()]))
    service = Service.objects.get(pk=SERVICE_ID)
    assert service.is_published
    assert service.last_checked.isoformat() == "2026-10-01"
    assert service.agency.name == "Imported Women's Project (test)"
    assert service.agency.category == AgencyCategory.VOLUNTARY_SECTOR
    assert sorted(t.code for t in service.taxonomy_terms.all()) == [
        "at-stalking",
        "pop-women",
        "st-outreach",
    ]
    assert sorted(str(a) for a in service.service_areas.all()) == ["Hackney", "Havering", "London"]
    assert service.languages == ["so", "pl"]
    assert sorted(p.number for p in service.phones.all()) == [
        "020 7946 0997",
        "020 7946 0998",
        "020 7946 0999",
    ]
    location = service.service_at_locations.get().location
    assert location.confidential
    assert location.address_1 == "9 Hidden Close"
    page = client.get(service.get_absolute_url()).content.decode()
    assert "9 Hidden Close" not in page
    assert "RM1 9ZZ" not in page
    assert ChangeRecord.objects.filter(action="service_import", object_id=SERVICE_ID).exists()


def test_import_upserts_by_id_and_matches_agencies_by_name(tmp_path, agency):
    document = {"contents": [oruk_service(organization={"id": ORG_ID, "name": agency.name})]}
    call_command("import_services", write(tmp_path, document))
    call_command(
        "import_services",
        write(
            tmp_path,
            {
                "contents": [
                    oruk_service(name="Renamed", organization={"id": ORG_ID, "name": agency.name})
                ]
            },
        ),
    )
    assert Service.objects.count() == 1
    service = Service.objects.get()
    assert service.name == "Renamed"
    assert service.agency == agency
    assert Organisation.objects.get(pk=ORG_ID).agency == agency


def test_draft_import_is_invisible_until_published(tmp_path, client):
    call_command("import_services", write(tmp_path, [oruk_service()]), draft=True)
    service = Service.objects.get()
    assert not service.is_published
    assert client.get(service.get_absolute_url()).status_code == 404
    # A draft import over a published service keeps the published text until publication.
    Service.objects.filter(pk=service.pk).update(is_published=True)
    call_command(
        "import_services", write(tmp_path, [oruk_service(name="Changed name")]), draft=True
    )
    service.refresh_from_db()
    assert service.name == "Imported outreach service"
    assert service.draft["name"] == "Changed name"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "not-a-uuid"}, "item 2, field id: must be a UUID"),
        ({"name": ""}, "item 2, field name: is required"),
        ({"organization": {}}, "item 2, field organization.name: is required"),
        ({"attributes": [{"taxonomy_term": {"id": "st-unknown"}}]}, "item 2, field attributes"),
        ({"service_areas": [{"name": "Atlantis"}]}, "item 2, field service_areas"),
        ({"minimum_age": "old"}, "item 2, field minimum_age: must be a number"),
        ({"schedules": [{"byday": "XX"}]}, "item 2, field schedules.byday"),
        ({"status": "gone fishing"}, "item 2, field (service): status"),
    ],
)
def test_bad_input_changes_nothing(tmp_path, change, message):
    good = oruk_service(id=str(uuid.uuid4()))
    bad = copy.deepcopy(oruk_service())
    bad.update(change)
    agencies = Agency.objects.count()
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("import_services", write(tmp_path, [good, bad]))
    assert Service.objects.count() == 0
    assert Agency.objects.count() == agencies


def test_invalid_json_names_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[\n{"id": }\n]')
    with pytest.raises(CommandError, match="line 2, column 8"):
        call_command("import_services", str(path))


def test_the_ORUK_example_needs_our_taxonomy(tmp_path):
    """The profile's own example uses another taxonomy: refused with a clear message."""
    from pathlib import Path

    example = Path(__file__).resolve().parent / "oruk" / "example_service_full.json"
    with pytest.raises(CommandError, match="not in our taxonomy"):
        call_command("import_services", str(example))

"""The Open Referral UK 3.0 API, checked the way the official validator checks a feed.

A port of OpenReferralUK/oruk-validator's checks (OpenApiValidationService): `GET /` first
(version, profile, openapi_url); then every list endpoint's first, middle and last page;
then every `{id}` endpoint with ids harvested from the lists; every body validated against
the vendored ORUK 3.0 JSON schemas (`tests/directory/oruk/schema/`, a copy of
`../shared/oruk/`; their remote `$ref`s resolved to the local files) and the page envelope
of the vendored OpenAPI document.
"""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from directory.models import TaxonomyTerm, taxonomy_uuid

pytestmark = pytest.mark.django_db

# A copy of ../shared/oruk kept with the tests, so a clone without ../shared runs them too.
ORUK = Path(__file__).resolve().parent / "oruk"
REMOTE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
OPENAPI_URI = "urn:oruk:openapi30"
BASE = "/api/oruk"
LISTS = ["/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms"]
DETAILS = {
    "/services": "/services/{id}",
    "/service_at_locations": "/service_at_locations/{id}",
    "/taxonomies": "/taxonomies/{id}",
    "/taxonomy_terms": "/taxonomy_terms/{id}",
}
# The vendored OpenAPI's `/service_at_locations/{id}` 200 response points at service.json,
# though it describes "fully nested service_at_location with all related data". We return
# a service_at_location and validate it against service_at_location.json.
DETAIL_SCHEMA_OVERRIDES = {
    "/service_at_locations/{id}": {"$ref": REMOTE + "service_at_location.json"}
}


@pytest.fixture(scope="module")
def openapi() -> dict:
    return json.loads((ORUK / "openapi30.json").read_text())


@pytest.fixture(scope="module")
def registry(openapi) -> Registry:
    resources = [(OPENAPI_URI, Resource.from_contents(openapi, default_specification=DRAFT202012))]
    for path in (ORUK / "schema").glob("*.json"):
        contents = json.loads(path.read_text())
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        resources.append((REMOTE + path.name, resource))
        resources.append((REMOTE + "compiled/" + path.name, resource))
    return Registry().with_resources(resources)


def _localise(schema):
    """Point the OpenAPI document's own `#/...` references at its registry entry."""
    if isinstance(schema, dict):
        return {
            key: (
                OPENAPI_URI + value
                if key == "$ref" and value.startswith("#/")
                else _localise(value)
            )
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_localise(item) for item in schema]
    return schema


def response_schema(openapi: dict, path: str) -> dict:
    if path in DETAIL_SCHEMA_OVERRIDES:
        return DETAIL_SCHEMA_OVERRIDES[path]
    schema = openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    return _localise(copy.deepcopy(schema["schema"]))


def validate(registry: Registry, schema: dict, body) -> None:
    validator = Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def get(client, url: str):
    response = client.get(url)
    assert response["Access-Control-Allow-Origin"] == "*", url
    assert "Set-Cookie" not in response.headers, url
    assert response["Content-Type"].startswith("application/json"), url
    return response


def _uuids(value, key: str = "") -> list[tuple[str, str]]:
    found = []
    if isinstance(value, dict):
        for k, v in value.items():
            if (k == "id" or k.endswith("_id")) and isinstance(v, str):
                found.append((k, v))
            found += _uuids(v, k)
    elif isinstance(value, list):
        for item in value:
            found += _uuids(item, key)
    return found


def assert_ids_are_uuids(body) -> None:
    for key, value in _uuids(body):
        uuid.UUID(value)  # raises if not a UUID
        assert len(value) == 36, key


@pytest.fixture
def feed(golden, make_service):
    """The golden directory plus enough services for several pages."""
    for n in range(7):
        make_service(
            f"Extra outreach {n}",
            taxonomy=["st-outreach", "at-stalking"],
            locations=[
                {
                    "location_type": "physical",
                    "name": f"Extra base {n}",
                    "address_1": f"{n} Synthetic Road",
                    "postal_code": "W9 9ZZ",
                    "latitude": 51.526,
                    "longitude": -0.19,
                }
            ],
        )
    return golden


def test_validator_port(client, feed, openapi, registry):
    """GET / first, then first, middle and last pages of every list, then every harvested id."""
    root = get(client, f"{BASE}/").json()
    validate(
        registry,
        _localise(
            openapi["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"][
                "schema"
            ]
        ),
        root,
    )
    assert root["version"] == "HSDS-UK-3.0"
    assert root["profile"].startswith("https://")
    assert root["openapi_url"].endswith("/api/oruk/openapi.json")
    assert client.get("/api/oruk/openapi.json").json()["info"]["version"] == "3.0"

    harvested: dict[str, set[str]] = {}
    for path in LISTS:
        first = get(client, f"{BASE}{path}?per_page=3").json()
        assert first["total_items"] > 0, f"EMPTY_FEED_WARNING on {path}"
        pages = sorted({1, max(1, (first["total_pages"] + 1) // 2), first["total_pages"]})
        schema = response_schema(openapi, path)
        for page in pages:
            response = get(client, f"{BASE}{path}?per_page=3&page={page}")
            assert response.status_code == 200
            body = response.json()
            validate(registry, schema, body)
            assert_ids_are_uuids(body)
            assert body["page_number"] == page
            assert body["first_page"] is (page == 1)
            assert body["last_page"] is (page == first["total_pages"])
            harvested.setdefault(path, set()).update(item["id"] for item in body["contents"])
        # Harvest every id, as the validator does across the pages it reads.
        everything = get(client, f"{BASE}{path}?per_page=1000").json()["contents"]
        harvested[path].update(item["id"] for item in everything)

    for path, ids in harvested.items():
        detail = DETAILS[path]
        schema = response_schema(openapi, detail)
        for item_id in ids:
            response = get(client, BASE + detail.replace("{id}", item_id))
            assert response.status_code == 200, (detail, item_id)
            body = response.json()
            validate(registry, schema, body)
            assert_ids_are_uuids(body)
            assert body["id"] == item_id
        missing = get(client, BASE + detail.replace("{id}", str(uuid.uuid4())))
        assert missing.status_code == 404
        assert "detail" in missing.json()


def test_both_url_forms_answer(client, feed):
    """`/services` and `/services/` (the v1 validator's form) give the same page."""
    assert get(client, f"{BASE}/services").json() == get(client, f"{BASE}/services/").json()


def test_pagination_with_one_per_page(client, feed):
    body = get(client, f"{BASE}/services?per_page=1").json()
    assert body["total_pages"] == body["total_items"] == 13
    assert body["size"] == 1
    assert body["first_page"]
    assert not body["last_page"]
    past = get(client, f"{BASE}/services?per_page=1&page=14").json()
    assert past["contents"] == []
    assert past["empty"]
    assert past["last_page"]


def test_full_service_shape(client, feed):
    service = feed["idva"]
    body = get(client, f"{BASE}/services/{service.pk}").json()
    assert body["name"] == service.name
    assert body["assured_date"] == service.last_checked.isoformat()
    assert {a["taxonomy_term"]["term"] for a in body["attributes"]} == {
        "st-idva",
        "at-domestic-abuse",
        "pop-women",
    }
    term = TaxonomyTerm.objects.get(code="st-idva")
    attribute = next(a for a in body["attributes"] if a["taxonomy_term"]["term"] == "st-idva")
    assert attribute["taxonomy_term"]["id"] == str(
        uuid.uuid5(uuid.NAMESPACE_URL, "https://vawg-portal.uk/taxonomy/st-idva")
    )
    assert attribute["taxonomy_term"]["term_uri"] == "https://vawg-portal.uk/taxonomy/st-idva"
    assert attribute["taxonomy_term"]["taxonomy_id"] == str(taxonomy_uuid("service-type"))
    assert term.uuid == uuid.UUID(attribute["taxonomy_term"]["id"])
    assert body["schedules"][0]["byday"] == "MO,TU,WE,TH,FR"
    assert body["service_areas"][0]["uri"].endswith("E09000033")
    assert [lang["code"] for lang in body["languages"]] == ["en", "ar"]
    address = body["service_at_locations"][0]["location"]["addresses"][0]
    assert address["postal_code"] == "W2 9ZZ"


def test_refuge_service_lists_no_location(client, feed):
    body = get(client, f"{BASE}/services/{feed['refuge'].pk}").json()
    assert body["service_at_locations"] == []
    assert "latitude" not in json.dumps(body)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("taxonomy_term_id=st-refuge", {"refuge"}),
        (
            f"taxonomy_term_id={uuid.uuid5(uuid.NAMESPACE_URL, 'https://vawg-portal.uk/taxonomy/st-legal')}",
            {"fm"},
        ),
        ("taxonomy_term_id=https://vawg-portal.uk/taxonomy/st-helpline", {"helpline"}),
        ("taxonomy_term_id=at-domestic-abuse&search=advocacy", {"idva"}),
        ("search=safe+house", {"refuge"}),
        ("search=councelling", {"counselling"}),
        ("taxonomy_id=population", {"idva", "refuge", "fm", "havering-outreach"}),
        ("day=SA&taxonomy_term_id=at-domestic-abuse", {"refuge", "helpline"}),
        (
            "start_time=08:00&end_time=18:00&taxonomy_id=abuse-type&day=MO",
            {"idva", "counselling", "fm", "havering-outreach"},
        ),
    ],
)
def test_service_filters_are_anded(client, golden, params, expected):
    body = get(client, f"{BASE}/services?{params}&per_page=100").json()
    assert {item["name"] for item in body["contents"]} == {golden[k].name for k in expected}
    assert body["total_items"] == len(expected)


def test_search_orders_by_relevance(client, golden, make_service):
    make_service("Refuge outreach and refuge advice", description="Refuge refuge refuge.")
    body = get(client, f"{BASE}/services?search=refuge").json()
    assert body["contents"][0]["name"] == "Refuge outreach and refuge advice"


@pytest.mark.parametrize(
    ("radius", "expected"),
    [(100, {"havering-outreach"}), (30_000, {"havering-outreach", "fm", "idva", "counselling"})],
)
def test_service_at_locations_by_proximity(client, golden, radius, expected):
    body = get(client, f"{BASE}/service_at_locations?postcode=RM1+3BB&proximity={radius}").json()
    assert {item["service"]["name"] for item in body["contents"]} == {
        golden[k].name for k in expected
    }
    assert body["contents"][0]["service"]["name"] == golden["havering-outreach"].name


@pytest.mark.parametrize(
    "params",
    [
        "page=0",
        "page=abc",
        "per_page=0",
        "per_page=100000",
        "taxonomy_term_id=st-nonsense",
        "taxonomy_id=colours",
        "minimum_age=old",
        "day=Funday",
        "start_time=25:99",
    ],
)
def test_bad_parameters_answer_400_with_json(client, golden, params):
    response = get(client, f"{BASE}/services?{params}")
    assert response.status_code == 400
    assert isinstance(response.json(), dict)


@pytest.mark.parametrize(
    "params", ["postcode=nowhere", "proximity=100", "postcode=M1&proximity=10"]
)
def test_bad_location_parameters_answer_400(client, golden, params):
    assert get(client, f"{BASE}/service_at_locations?{params}").status_code == 400


def test_taxonomies_and_terms(client):
    taxonomies = get(client, f"{BASE}/taxonomies").json()
    assert {t["name"] for t in taxonomies["contents"]} == {
        "service-type",
        "abuse-type",
        "population",
    }
    detail = get(client, f"{BASE}/taxonomies/{taxonomy_uuid('population')}").json()
    assert len(detail["taxonomy_terms"]) == 8
    terms = get(client, f"{BASE}/taxonomy_terms?per_page=100").json()
    assert terms["total_items"] == 37


def test_oruk_api_needs_no_credentials_while_the_staff_api_does(client):
    """Only the ORUK views allow anonymous use: the staff default stays deny-by-default."""
    from rest_framework.settings import api_settings

    assert [c.__name__ for c in api_settings.DEFAULT_PERMISSION_CLASSES] == [
        "IsVerifiedStaff",
        "ObjectInScope",
    ]
    assert get(client, f"{BASE}/services").status_code == 200

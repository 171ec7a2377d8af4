"""Open Referral UK 3.0 objects from directory rows, for the public API.

Confidential locations are never written: a service's `service_at_locations` lists only
public locations, and nothing here reads a confidential location's address or coordinates.
Every id is a UUID; ids of rows HSDS has but we derive (languages, attributes, funding-free
cost options) are uuid5 of their owner's id, so they are stable between requests.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Prefetch, QuerySet

from directory.languages import language_name
from directory.models import (
    MIDNIGHT,
    AreaExtent,
    Contact,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
    Vocabulary,
    taxonomy_uuid,
)

HSDS_VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://openreferraluk.org/specifications/3.0"
GSS_URI = "http://statistics.data.gov.uk/id/statistical-geography/"
VOCABULARY_DESCRIPTIONS = {
    Vocabulary.SERVICE_TYPE: "The kind of support a service gives.",
    Vocabulary.ABUSE_TYPE: "The forms of violence and abuse a service supports people with.",
    Vocabulary.POPULATION: "The groups of people a service is for or specialises in.",
}


def derived_id(owner: uuid.UUID | str, kind: str) -> str:
    return str(uuid.uuid5(uuid.UUID(str(owner)), kind))


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "")}


# -- taxonomies ---------------------------------------------------------------------------------


def taxonomy(vocabulary: str, terms: list[TaxonomyTerm] | None = None) -> dict[str, Any]:
    data = {
        "id": str(taxonomy_uuid(vocabulary)),
        "name": vocabulary,
        "description": VOCABULARY_DESCRIPTIONS[Vocabulary(vocabulary)],
        "uri": f"https://vawg-portal.uk/taxonomy/{vocabulary}",
        "version": "1",
    }
    if terms is not None:
        data["taxonomy_terms"] = [taxonomy_term(t) for t in terms]
    return data


def taxonomy_term(term: TaxonomyTerm) -> dict[str, Any]:
    return {
        "id": str(term.uuid),
        "name": term.name,
        "description": term.description,
        "taxonomy": term.vocabulary,
        "taxonomy_id": str(taxonomy_uuid(term.vocabulary)),
        "term_uri": term.term_uri,
        "term": term.code,
    }


# -- services -----------------------------------------------------------------------------------


def _organisation(service: Service) -> dict[str, Any]:
    organisation = service.organisation
    return _drop_empty(
        {
            "id": str(organisation.pk),
            "name": organisation.name,
            "description": organisation.description or organisation.name,
            "email": organisation.email,
            "website": organisation.website,
        }
    )


def service_list_item(service: Service) -> dict[str, Any]:
    """The one-to-one fields of a service, as `service_list.json`."""
    data = {
        "id": str(service.pk),
        "organization_id": str(service.organisation_id),
        "name": service.name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "fees": "" if service.is_free else service.fees,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "assured_date": service.last_checked.isoformat(),
        "alert": service.alert,
        "last_modified": service.updated_at.isoformat(),
    }
    data = _drop_empty(data)
    data["organization"] = _organisation(service)
    return data


def full_service(service: Service) -> dict[str, Any]:
    """A fully nested service, as `service.json` (from `with_oruk_relations`)."""
    data = service_list_item(service)
    data.update(
        {
            "schedules": [_schedule(s) for s in service.schedules.all()],
            "service_areas": [_service_area(a) for a in service.service_areas.all()],
            "service_at_locations": [
                service_at_location(link, with_service=False) for link in service.oruk_locations
            ],
            "languages": [
                {
                    "id": derived_id(service.pk, f"language:{code}"),
                    "service_id": str(service.pk),
                    "name": language_name(code),
                    "code": code,
                }
                for code in service.languages
            ],
            "funding": [],
            "cost_options": _cost_options(service),
            "contacts": [_contact(c) for c in service.contacts.all()],
            "phones": [_phone(p) for p in service.phones.all() if p.contact_id is None],
            "attributes": [_attribute(service, t) for t in service.taxonomy_terms.all()],
        }
    )
    return data


def _cost_options(service: Service) -> list[dict[str, Any]]:
    option = {
        "id": derived_id(service.pk, "cost"),
        "service_id": str(service.pk),
        "option": "Free" if service.is_free else "Charge",
    }
    if service.is_free:
        option["amount"] = 0
    elif service.fees:
        option["amount_description"] = service.fees
    return [option]


def _attribute(service: Service, term: TaxonomyTerm) -> dict[str, Any]:
    return {
        "id": derived_id(service.pk, f"attribute:{term.code}"),
        "link_id": str(service.pk),
        "link_type": "service",
        "taxonomy_term_id": str(term.uuid),
        "taxonomy_term": taxonomy_term(term),
    }


def _schedule(schedule: Schedule) -> dict[str, Any]:
    closes = "23:59:59" if schedule.closes_at == MIDNIGHT else f"{schedule.closes_at:%H:%M:%S}"
    data = {
        "id": str(schedule.pk),
        "service_id": str(schedule.service_id),
        "freq": "WEEKLY",
        "interval": 1,
        "byday": schedule.byday,
        "opens_at": f"{schedule.opens_at:%H:%M:%S}",
        "closes_at": closes,
        "description": "Open 24 hours" if schedule.all_day else "",
        "notes": schedule.notes,
    }
    return _drop_empty(data)


def _service_area(area: ServiceArea) -> dict[str, Any]:
    data = {
        "id": str(area.pk),
        "service_id": str(area.service_id),
        "name": str(area),
        "service_area": str(area),
    }
    if area.extent == AreaExtent.BOROUGH and area.borough is not None:
        data["uri"] = GSS_URI + area.borough.gss_code
        data["extent_type"] = "local_authority"
    elif area.extent == AreaExtent.NATIONAL:
        data["name"] = data["service_area"] = "England"
    return data


def _phone(phone: Phone) -> dict[str, Any]:
    data = {
        "id": str(phone.pk),
        "service_id": str(phone.service_id),
        "contact_id": str(phone.contact_id) if phone.contact_id else None,
        "number": phone.number,
        "description": phone.description,
    }
    return _drop_empty(data)


def _contact(contact: Contact) -> dict[str, Any]:
    data = _drop_empty(
        {
            "id": str(contact.pk),
            "service_id": str(contact.service_id),
            "name": contact.name,
            "title": contact.title,
            "email": contact.email,
        }
    )
    data["phones"] = [_phone(p) for p in contact.phones.all()]
    return data


def _location(location: Location) -> dict[str, Any]:
    if location.confidential:  # defence in depth: callers never pass one
        raise ValueError("A confidential location is never published.")
    data = _drop_empty(
        {
            "id": str(location.pk),
            "location_type": location.location_type,
            "name": location.name,
            "description": location.description,
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
    )
    if location.location_type != "virtual" and location.address_1 and location.postal_code:
        data["addresses"] = [
            {
                "id": derived_id(location.pk, "address"),
                "location_id": str(location.pk),
                "address_1": location.address_1,
                "city": location.city or "London",
                "state_province": "Greater London",
                "postal_code": location.postal_code,
                "country": "GB",
                "address_type": "physical",
            }
        ]
    else:
        data["addresses"] = []
    return data


def service_at_location(link: ServiceAtLocation, *, with_service: bool) -> dict[str, Any]:
    data = {
        "id": str(link.pk),
        "service_id": str(link.service_id),
        "location_id": str(link.location_id),
        "location": _location(link.location),
    }
    if with_service:
        data["service"] = service_list_item(link.service)
    return data


# -- querysets ----------------------------------------------------------------------------------


def public_links() -> QuerySet[ServiceAtLocation]:
    return ServiceAtLocation.objects.filter(location__confidential=False).select_related("location")


def with_oruk_relations(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.select_related("organisation").prefetch_related(
        "schedules",
        Prefetch("service_areas", queryset=ServiceArea.objects.select_related("borough")),
        Prefetch("service_at_locations", queryset=public_links(), to_attr="oruk_locations"),
        Prefetch("contacts", queryset=Contact.objects.prefetch_related("phones")),
        "phones",
        Prefetch(
            "taxonomy_terms", queryset=TaxonomyTerm.objects.order_by("vocabulary", "position")
        ),
    )


def api_root(openapi_url: str) -> dict[str, str]:
    return {"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": openapi_url}

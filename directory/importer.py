"""Read Open Referral UK 3.0 service objects into `ServiceData` (for `import_services`).

Errors name the item (its position in the file, counting from 1) and the field, never a value
from a confidential location.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from directory.languages import LANGUAGES
from directory.models import WEEKDAY_CODES, AreaExtent, TaxonomyTerm
from directory.services import LocationData, PhoneData, ServiceData
from partnership.models import Borough

NATIONAL_NAMES = {"england", "united kingdom", "uk", "great britain", "england and wales"}


class ServiceImportError(ValueError):
    """A problem with one field of one item."""

    def __init__(self, item: int, field_name: str, message: str) -> None:
        super().__init__(f"item {item}, field {field_name}: {message}")


@dataclass
class ParsedService:
    item: int
    service_id: str
    organisation: dict[str, str]
    last_checked: date
    data: ServiceData
    warnings: list[str] = field(default_factory=list)


def service_objects(document: Any) -> list[dict]:
    """The service objects of a file: a list, a page envelope (`contents`) or one object."""
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        document = document["contents"]
    elif isinstance(document, dict):
        document = [document]
    if not isinstance(document, list) or not all(isinstance(i, dict) for i in document):
        raise ServiceImportError(1, "(file)", "expected a list of services or a page with contents")
    return document


class Reader:
    """Parses service objects against the taxonomy and boroughs (loaded once)."""

    def __init__(self) -> None:
        self.terms = {}
        for term in TaxonomyTerm.objects.all():
            self.terms[term.code] = term.code
            self.terms[str(term.uuid)] = term.code
        self.boroughs = {}
        for borough in Borough.objects.all():
            self.boroughs[borough.name.lower()] = borough.slug
            self.boroughs[borough.gss_code.lower()] = borough.slug
            self.boroughs[borough.slug] = borough.slug

    def parse(self, item: int, raw: dict) -> ParsedService:
        service_id = _uuid(item, "id", raw.get("id"))
        name = _text(raw.get("name"))
        if not name:
            raise ServiceImportError(item, "name", "is required")
        organisation = raw.get("organization") or {}
        if not isinstance(organisation, dict) or not _text(organisation.get("name")):
            raise ServiceImportError(item, "organization.name", "is required")
        org_id = organisation.get("id")
        data = ServiceData(
            name=name,
            description=_text(raw.get("description")) or name,
            status=_text(raw.get("status")) or "active",
            alert=_text(raw.get("alert")),
            minimum_age=_age(item, "minimum_age", raw.get("minimum_age")),
            maximum_age=_age(item, "maximum_age", raw.get("maximum_age")),
            url=_text(raw.get("url")),
            email=_text(raw.get("email")),
            languages=self._languages(raw.get("languages") or []),
            taxonomy=self._terms(item, raw.get("attributes") or []),
            areas=self._areas(item, raw.get("service_areas") or []),
            schedules=_schedules(item, raw.get("schedules") or []),
            contacts=_contacts(raw.get("contacts") or []),
            locations=_locations(item, raw.get("service_at_locations") or []),
            phones=_phones(raw.get("phones") or [])
            + [
                p
                for link in raw.get("service_at_locations") or []
                for p in _phones(((link or {}).get("location") or {}).get("phones") or [])
            ],
            accepts_self_referral=bool(raw.get("accepts_self_referral", True)),
            referral_notes=_text(raw.get("referral_notes")),
            **_costs(raw),
        )
        return ParsedService(
            item=item,
            service_id=service_id,
            organisation={
                "id": _uuid(item, "organization.id", org_id) if org_id else "",
                "name": _text(organisation.get("name")),
                "description": _text(organisation.get("description")),
                "email": _text(organisation.get("email")),
                "website": _text(organisation.get("website")),
            },
            last_checked=_checked(item, raw.get("assured_date") or raw.get("last_modified")),
            data=data,
        )

    def _terms(self, item: int, attributes: list) -> list[str]:
        codes = []
        for attribute in attributes:
            attribute = attribute or {}
            term = attribute.get("taxonomy_term") or {}
            candidates = [
                term.get("id"),
                attribute.get("taxonomy_term_id"),
                term.get("term"),
                (term.get("term_uri") or "").rstrip("/").rsplit("/", 1)[-1],
            ]
            code = next((self.terms[c] for c in candidates if c and c in self.terms), None)
            if code is None:
                raise ServiceImportError(
                    item, "attributes", "a taxonomy term is not in our taxonomy"
                )
            codes.append(code)
        return list(dict.fromkeys(codes))

    def _areas(self, item: int, areas: list) -> list[str]:
        values = []
        for area in areas:
            area = area or {}
            name = _text(area.get("name")).lower()
            uri_tail = (_text(area.get("uri")).rstrip("/").rsplit("/", 1)[-1]).lower()
            if name == "london":
                values.append(AreaExtent.LONDON.value)
            elif name in NATIONAL_NAMES:
                values.append(AreaExtent.NATIONAL.value)
            elif uri_tail in self.boroughs or name in self.boroughs:
                values.append(self.boroughs.get(uri_tail) or self.boroughs[name])
            else:
                raise ServiceImportError(
                    item, "service_areas", "names no London borough, London or England"
                )
        return list(dict.fromkeys(values))

    @staticmethod
    def _languages(languages: list) -> list[str]:
        by_name = {name.lower(): code for code, name in LANGUAGES.items()}
        codes = []
        for language in languages:
            language = language or {}
            code = _text(language.get("code")).lower()
            if code not in LANGUAGES:
                code = by_name.get(_text(language.get("name")).lower(), "")
            if code:
                codes.append(code)
        return list(dict.fromkeys(codes))


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _uuid(item: int, name: str, value: Any) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except (ValueError, TypeError):
        raise ServiceImportError(item, name, "must be a UUID") from None


def _age(item: int, name: str, value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        age = int(float(value))
    except (TypeError, ValueError):
        raise ServiceImportError(item, name, "must be a number") from None
    if not 0 <= age <= 150:
        raise ServiceImportError(item, name, "must be between 0 and 150")
    return age


def _checked(item: int, value: Any) -> date:
    if not value:
        return timezone.localdate()
    text = str(value)
    parsed = parse_date(text[:10]) if len(text) >= 10 else None
    if parsed is None and parse_datetime(text):
        parsed = parse_datetime(text).date()
    if parsed is None:
        raise ServiceImportError(item, "assured_date", "must be a date like 2026-03-31")
    return parsed


def _costs(raw: dict) -> dict[str, Any]:
    fees = _text(raw.get("fees"))
    charges = [
        c
        for c in raw.get("cost_options") or []
        if isinstance(c, dict) and float(c.get("amount") or 0) > 0
    ]
    if charges and not fees:
        fees = _text(charges[0].get("amount_description")) or "There is a charge"
    return {"is_free": not (fees or charges), "fees": fees}


def _phones(phones: list) -> list[PhoneData]:
    return [
        PhoneData(
            id=_text(p.get("id")),
            number=_text(p.get("number")),
            description=_text(p.get("description")),
        )
        for p in phones
        if isinstance(p, dict) and _text(p.get("number"))
    ]


def _contacts(contacts: list) -> list:
    return [
        {
            "id": _text(c.get("id")),
            "name": _text(c.get("name")),
            "title": _text(c.get("title")),
            "email": _text(c.get("email")),
            "phones": _phones(c.get("phones") or []),
        }
        for c in contacts
        if isinstance(c, dict)
    ]


def _schedules(item: int, schedules: list) -> list:
    rows = []
    for schedule in schedules:
        schedule = schedule or {}
        days = [d.strip().upper() for d in _text(schedule.get("byday")).split(",") if d.strip()]
        if not days:
            continue
        if any(d[-2:] not in WEEKDAY_CODES for d in days):
            raise ServiceImportError(item, "schedules.byday", "use MO, TU, WE, TH, FR, SA and SU")
        rows.append(
            {
                "id": _text(schedule.get("id")),
                "weekdays": [WEEKDAY_CODES.index(d[-2:]) for d in days],
                "opens_at": _text(schedule.get("opens_at")) or "00:00",
                "closes_at": _text(schedule.get("closes_at")) or "24:00",
                "notes": _text(schedule.get("notes") or schedule.get("description"))[:300],
            }
        )
    return rows


def _locations(item: int, links: list) -> list[LocationData]:
    rows = []
    for link in links:
        link = link or {}
        location = link.get("location") or {}
        if not location:
            continue
        address = next(iter(location.get("addresses") or []), None) or {}
        rows.append(
            LocationData(
                id=_uuid(item, "service_at_locations.location.id", location.get("id")),
                service_at_location_id=_text(link.get("id")),
                location_type=_text(location.get("location_type")) or "physical",
                name=_text(location.get("name")),
                description=_text(location.get("description")),
                address_1=_text(address.get("address_1")),
                city=_text(address.get("city")),
                postal_code=_text(address.get("postal_code")),
                latitude=_coordinate(item, "latitude", location.get("latitude")),
                longitude=_coordinate(item, "longitude", location.get("longitude")),
                confidential=location.get("confidential") is True
                or link.get("confidential") is True,
            )
        )
    return rows


def _coordinate(item: int, name: str, value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ServiceImportError(item, f"location.{name}", "must be a number") from None


def validation_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
    return " ".join(error.messages)

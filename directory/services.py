"""Writes to the directory. Each is atomic, takes the acting user and records the change.

A service's content is one dictionary (`ServiceData`): the editor form, the ORUK importer and
the demo all produce it, and `_apply` is the one place that writes it. A published service's
edits are kept as a draft until a partnership administrator publishes them.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any, TypedDict

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Value
from django.utils import timezone
from django.utils.text import slugify

from directory.models import (
    AreaExtent,
    Contact,
    DirectoryChange,
    Location,
    Organisation,
    Phone,
    Schedule,
    SearchWord,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from directory.search import SEARCH_CONFIG, filter_codes_of, words_of
from partnership.models import Agency, AgencyCategory, Borough, User
from partnership.services import agency_create, record_change

SCALAR_FIELDS = [
    "name",
    "description",
    "status",
    "alert",
    "minimum_age",
    "maximum_age",
    "languages",
    "is_free",
    "fees",
    "accepts_self_referral",
    "referral_notes",
    "url",
    "email",
]
EDITABLE_FIELDS = [*SCALAR_FIELDS, "taxonomy", "areas", "phones"]


class PhoneData(TypedDict, total=False):
    id: str
    number: str
    description: str


class ScheduleData(TypedDict, total=False):
    id: str
    weekdays: list[int]
    opens_at: str
    closes_at: str
    notes: str


class LocationData(TypedDict, total=False):
    id: str
    service_at_location_id: str
    location_type: str
    name: str
    description: str
    address_1: str
    city: str
    postal_code: str
    latitude: float | None
    longitude: float | None
    confidential: bool


class ContactData(TypedDict, total=False):
    id: str
    name: str
    title: str
    email: str
    phones: list[PhoneData]


class ServiceData(TypedDict, total=False):
    """A service's content. Relations present in the dictionary replace the stored ones."""

    name: str
    description: str
    status: str
    alert: str
    minimum_age: int | None
    maximum_age: int | None
    languages: list[str]
    is_free: bool
    fees: str
    accepts_self_referral: bool
    referral_notes: str
    url: str
    email: str
    taxonomy: list[str]  # term codes
    areas: list[str]  # borough slugs, "london" or "national"
    phones: list[PhoneData]
    schedules: list[ScheduleData]
    locations: list[LocationData]
    contacts: list[ContactData]


# -- organisations ------------------------------------------------------------------------------


@transaction.atomic
def organisation_upsert(
    *,
    acting_user: User,
    organisation_id: str | None,
    name: str,
    description: str = "",
    email: str = "",
    website: str = "",
    agency: Agency | None = None,
) -> tuple[Organisation, bool]:
    """Upsert an organisation by id, matched to (or creating) its provider agency by name.

    Returns the organisation and whether its agency was created.
    """
    organisation = (
        Organisation.objects.filter(pk=organisation_id).first() if organisation_id else None
    )
    created_agency = False
    if agency is None:
        agency = organisation.agency if organisation else None
    if agency is None:
        agency = Agency.objects.filter(name__iexact=name).first()
    if agency is None:
        agency = agency_create(
            acting_user=acting_user,
            name=name,
            slug=_free_agency_slug(name),
            category=AgencyCategory.VOLUNTARY_SECTOR,
            boroughs=[],
        )
        created_agency = True
    if organisation is None:
        organisation = Organisation.objects.filter(agency=agency).first()
    new = organisation is None
    if new:
        organisation = Organisation(agency=agency, created_by=acting_user)
        if organisation_id:
            organisation.pk = uuid.UUID(str(organisation_id))
    organisation.name = name
    organisation.description = description
    organisation.email = email
    organisation.website = website
    organisation.updated_by = acting_user
    organisation.updated_at = timezone.now()
    organisation.full_clean(validate_unique=False)
    organisation.save()
    record_change(
        actor=acting_user,
        action="organisation_create" if new else "organisation_update",
        obj=organisation,
    )
    return organisation, created_agency


def _free_agency_slug(name: str) -> str:
    base = slugify(name)[:90] or "organisation"
    slug, n = base, 1
    while Agency.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# -- services -----------------------------------------------------------------------------------


@transaction.atomic
def service_upsert(
    *,
    acting_user: User,
    organisation: Organisation,
    data: ServiceData,
    last_checked: date,
    publish: bool,
    service_id: str | None = None,
) -> tuple[Service, bool]:
    """Create or replace a whole service (import, demo). Returns it and whether it was new."""
    service = Service.objects.filter(pk=service_id).first() if service_id else None
    new = service is None
    if not new and service.is_published and not publish:
        service.draft = dict(data)
        service.draft_updated_at = timezone.now()
        _stamp_and_save(service, acting_user, ["draft", "draft_updated_at"])
        record_change(actor=acting_user, action="service_reimport_draft", obj=service)
        return service, False
    if new:
        service = Service(created_by=acting_user, last_checked=last_checked)
        if service_id:
            service.pk = uuid.UUID(str(service_id))
    service.organisation = organisation
    service.agency = organisation.agency
    service.last_checked = last_checked
    if publish:
        service.is_published = True
        service.published_at = service.published_at or timezone.now()
        service.draft = None
        service.draft_updated_at = None
    _apply(service, data, acting_user)
    record_change(
        actor=acting_user,
        action="service_import" if new else "service_reimport",
        obj=service,
        detail={"published": service.is_published},
    )
    return service, new


@transaction.atomic
def service_create(*, acting_user: User, agency: Agency, data: ServiceData) -> Service:
    """An editor's new service: a draft, invisible to the public until published."""
    organisation = Organisation.objects.filter(agency=agency).first()
    if organisation is None:
        organisation, _ = organisation_upsert(
            acting_user=acting_user, organisation_id=None, name=agency.name, agency=agency
        )
    service = Service(
        organisation=organisation,
        agency=agency,
        created_by=acting_user,
        last_checked=timezone.localdate(),
    )
    _apply(service, data, acting_user)
    record_change(actor=acting_user, action="service_create", obj=service)
    return service


@transaction.atomic
def service_edit(*, acting_user: User, service: Service, data: ServiceData) -> Service:
    """An editor's changes: applied directly while the service was never published, otherwise
    kept as a draft beside the published text until an administrator publishes them."""
    _validate(service, data)
    if not service.is_published:
        service.last_checked = timezone.localdate()
        _apply(service, data, acting_user)
    else:
        service.draft = dict(data)
        service.draft_updated_at = timezone.now()
        service.updated_by = acting_user
        service.updated_at = timezone.now()
        service.save(update_fields=["draft", "draft_updated_at", "updated_by", "updated_at"])
    record_change(
        actor=acting_user,
        action="service_edit",
        obj=service,
        detail={"fields": sorted(data)},
    )
    return service


@transaction.atomic
def service_publish(*, acting_user: User, service: Service) -> Service:
    """Publish a service, applying its draft. The draft's date becomes its "last checked"."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    if service.draft:
        service.last_checked = timezone.localdate(service.draft_updated_at or timezone.now())
        data = service.draft
        service.draft = None
        service.draft_updated_at = None
        service.is_published = True
        service.published_at = timezone.now()
        _apply(service, data, acting_user)
    else:
        service.is_published = True
        service.published_at = timezone.now()
        _stamp_and_save(service, acting_user, ["is_published", "published_at"])
    record_change(actor=acting_user, action="service_publish", obj=service)
    return service


@transaction.atomic
def service_draft_discard(*, acting_user: User, service: Service) -> Service:
    service.draft = None
    service.draft_updated_at = None
    _stamp_and_save(service, acting_user, ["draft", "draft_updated_at"])
    record_change(actor=acting_user, action="service_draft_discard", obj=service)
    return service


@transaction.atomic
def service_withdraw(*, acting_user: User, service: Service) -> Service:
    """Take a service off the public directory (it stays for its editors)."""
    service.is_published = False
    _stamp_and_save(service, acting_user, ["is_published"])
    record_change(actor=acting_user, action="service_withdraw", obj=service)
    return service


@transaction.atomic
def service_confirm_checked(*, acting_user: User, service: Service) -> Service:
    """The provider confirms the published details are still right: "last checked" is today."""
    service.last_checked = timezone.localdate()
    _stamp_and_save(service, acting_user, ["last_checked"])
    record_change(actor=acting_user, action="service_confirm_checked", obj=service)
    return service


def _stamp_and_save(service: Service, acting_user: User, fields: list[str]) -> None:
    service.updated_by = acting_user
    service.updated_at = timezone.now()
    service.save(update_fields=[*fields, "updated_by", "updated_at"])


# -- writing a service's content ------------------------------------------------------------------


def _validate(service: Service, data: ServiceData) -> None:
    """Check the data without saving: the scalar fields on a copy, and every reference."""
    probe = Service(
        organisation_id=service.organisation_id,
        agency_id=service.agency_id,
        last_checked=service.last_checked,
        created_by_id=service.created_by_id,
        updated_by_id=service.updated_by_id,
    )
    for name in SCALAR_FIELDS:
        if name in data:
            setattr(probe, name, data[name])
    probe.full_clean(exclude=["id", "organisation", "agency", "created_by", "updated_by"])
    _terms(data.get("taxonomy", []))
    _areas(data.get("areas", []))


def _apply(service: Service, data: ServiceData, acting_user: User) -> None:
    for name in SCALAR_FIELDS:
        if name in data:
            setattr(service, name, data[name])
    service.updated_by = acting_user
    service.updated_at = timezone.now()
    service.full_clean(exclude=["id"])
    service.save()
    if "taxonomy" in data:
        service.taxonomy_terms.set(_terms(data["taxonomy"]))
    if "areas" in data:
        _set_areas(service, _areas(data["areas"]))
    if "phones" in data:
        _set_phones(service, data["phones"], contact=None)
    if "contacts" in data:
        _set_contacts(service, data["contacts"])
    if "schedules" in data:
        _set_schedules(service, data["schedules"])
    if "locations" in data:
        _set_locations(service, data["locations"])
    _refresh_derived(service)


def _terms(codes: list[str]) -> list[TaxonomyTerm]:
    terms = list(TaxonomyTerm.objects.filter(code__in=codes))
    missing = set(codes) - {t.code for t in terms}
    if missing:
        raise ValidationError({"taxonomy": f"Unknown taxonomy terms: {', '.join(sorted(missing))}"})
    return terms


def _areas(values: list[str]) -> list[tuple[str, Borough | None]]:
    boroughs = {b.slug: b for b in Borough.objects.filter(slug__in=values)}
    areas: list[tuple[str, Borough | None]] = []
    for value in dict.fromkeys(values):
        if value in (AreaExtent.LONDON, AreaExtent.NATIONAL):
            areas.append((value, None))
        elif value in boroughs:
            areas.append((AreaExtent.BOROUGH, boroughs[value]))
        else:
            raise ValidationError({"areas": f"Unknown service area: {value}"})
    return areas


def _set_areas(service: Service, areas: list[tuple[str, Borough | None]]) -> None:
    keep = []
    for extent, borough in areas:
        area, _ = ServiceArea.objects.get_or_create(service=service, extent=extent, borough=borough)
        keep.append(area.pk)
    service.service_areas.exclude(pk__in=keep).delete()


def _set_phones(service: Service, phones: list[PhoneData], contact: Contact | None) -> None:
    existing = Phone.objects.filter(service=service, contact=contact)
    existing.delete()
    for position, phone in enumerate(phones):
        number = (phone.get("number") or "").strip()
        if not number:
            continue
        item = Phone(
            service=service,
            contact=contact,
            number=number,
            description=phone.get("description", ""),
            position=position,
        )
        if phone.get("id") and not Phone.objects.filter(pk=phone["id"]).exists():
            item.pk = phone["id"]
        item.full_clean(exclude=["id"])
        item.save()


def _set_contacts(service: Service, contacts: list[ContactData]) -> None:
    service.contacts.all().delete()
    for data in contacts:
        contact = Contact(
            service=service,
            name=data.get("name", ""),
            title=data.get("title", ""),
            email=data.get("email", ""),
        )
        if data.get("id") and not Contact.objects.filter(pk=data["id"]).exists():
            contact.pk = data["id"]
        contact.full_clean(exclude=["id"])
        contact.save()
        _set_phones(service, data.get("phones", []), contact=contact)


_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_time(value: str) -> time:
    """`09:00`, `09:00:00`, `24:00` or `23:59:59` (both mean midnight at the end of the day)."""
    match = _TIME.match(value or "")
    if not match:
        raise ValidationError({"schedules": f"Enter a time like 09:00, not {value!r}"})
    hours, minutes, seconds = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if (hours, minutes) == (24, 0) or (hours, minutes, seconds) == (23, 59, 59):
        return time(0, 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise ValidationError({"schedules": f"Enter a time like 09:00, not {value!r}"})
    return time(hours, minutes)


def _set_schedules(service: Service, schedules: list[ScheduleData]) -> None:
    service.schedules.all().delete()
    for data in schedules:
        weekdays = sorted(set(data.get("weekdays", [])))
        if not weekdays or any(d not in range(7) for d in weekdays):
            raise ValidationError({"schedules": "Each opening time needs days of the week"})
        schedule = Schedule(
            service=service,
            weekdays=weekdays,
            opens_at=parse_time(data.get("opens_at", "")),
            closes_at=parse_time(data.get("closes_at", "")),
            notes=data.get("notes", ""),
        )
        if data.get("id") and not Schedule.objects.filter(pk=data["id"]).exists():
            schedule.pk = data["id"]
        schedule.full_clean(exclude=["id"])
        schedule.save()


def _set_locations(service: Service, locations: list[LocationData]) -> None:
    keep = []
    for data in locations:
        location = Location.objects.filter(pk=data["id"]).first() if data.get("id") else None
        if location is None:
            location = Location(pk=data["id"]) if data.get("id") else Location()
        for name in ("location_type", "name", "description", "address_1", "city", "postal_code"):
            if name in data:
                setattr(location, name, data[name] or "")
        location.latitude = data.get("latitude")
        location.longitude = data.get("longitude")
        location.confidential = bool(data.get("confidential", False))
        location.full_clean(exclude=["id"])
        location.save()
        link = ServiceAtLocation.objects.filter(service=service, location=location).first()
        if link is None:
            link = ServiceAtLocation(service=service, location=location)
            sal_id = data.get("service_at_location_id")
            if sal_id and not ServiceAtLocation.objects.filter(pk=sal_id).exists():
                link.pk = sal_id
            link.save()
        keep.append(link.pk)
    service.service_at_locations.exclude(pk__in=keep).delete()


def _refresh_derived(service: Service) -> None:
    """Recompute what is derived from a service's content: 24/7, search text and vector."""
    schedules = list(service.schedules.all())
    days_all_day = {d for s in schedules if s.all_day for d in s.weekdays}
    service.open_24_7 = days_all_day == set(range(7))
    terms = list(service.taxonomy_terms.all())
    areas = list(service.service_areas.select_related("borough"))
    search_text = " ".join(
        [service.organisation.name, *map(str, areas)]
        + [f"{t.name} {' '.join(t.synonyms)}" for t in terms]
    )
    Service.objects.filter(pk=service.pk).update(
        open_24_7=service.open_24_7,
        filter_codes=filter_codes_of(service, terms, areas),
        search_text=search_text,
        search_vector=SearchVector(Value(service.name), weight="A", config=SEARCH_CONFIG)
        + SearchVector(Value(service.description), weight="B", config=SEARCH_CONFIG)
        + SearchVector(Value(search_text), weight="C", config=SEARCH_CONFIG),
    )
    words = words_of(f"{service.name} {service.description} {search_text}")
    SearchWord.objects.bulk_create(
        [SearchWord(word=w) for w in words if len(w) >= 3], ignore_conflicts=True
    )


def data_from_service(service: Service) -> dict[str, Any]:
    """The editable content of a service (its draft, if it has one) as `ServiceData`."""
    if service.draft:
        return dict(service.draft)
    data: dict[str, Any] = {name: getattr(service, name) for name in SCALAR_FIELDS}
    data["taxonomy"] = [t.code for t in service.taxonomy_terms.all()]
    data["areas"] = [
        a.borough.slug if a.borough_id else a.extent
        for a in service.service_areas.select_related("borough")
    ]
    data["phones"] = [
        {"number": p.number, "description": p.description}
        for p in service.phones.filter(contact__isnull=True)
    ]
    return data


def unchecked_service_reminders_send() -> int:
    """Email each service editor the services of their agency unchecked for six months.

    Returns the number of editors emailed. The message names services only, never people.
    """
    from directory.selectors import stale_services_by_editor

    sent = 0
    for editor, stale in stale_services_by_editor().items():
        lines = "\n".join(f"- {s.name} (last checked {s.last_checked:%d %B %Y})" for s in stale)
        send_mail(
            subject="Directory services to check",
            message=(
                "These services in the public directory have not been checked for six months. "
                "Confirm they are still right, or edit them, at "
                f"{settings.DIRECTORY_STAFF_URL}:\n\n{lines}\n\n"
                "Services unchecked for twelve months are hidden from the public."
            ),
            from_email=None,
            recipient_list=[editor.email],
        )
        sent += 1
    return sent


DIRECTORY_CHANGES_KEPT = timedelta(days=1)


# What the triggers of migration 0005 do for a statement: this transaction's row gets a new id.
_RECORD_CHANGE = """
DELETE FROM directory_directorychange WHERE transaction = txid_current();
INSERT INTO directory_directorychange (transaction, changed_at) VALUES (txid_current(), now());
"""


@transaction.atomic
def directory_changes_prune(*, now: datetime | None = None) -> int:
    """Forget the change records older than a day. Only their count and newest id matter (they
    version the published directory, `directory.published`), so the version query stays small
    however long the portal runs. The prune is recorded as a change itself: the newest id then
    passes every earlier one, so no version can come round again (deleting rows alone could
    bring back a count and newest id a process last saw before later changes)."""
    before = (now or timezone.now()) - DIRECTORY_CHANGES_KEPT
    deleted, _ = DirectoryChange.objects.filter(changed_at__lt=before).delete()
    with connection.cursor() as cursor:
        cursor.execute(_RECORD_CHANGE)
    return deleted

"""Reads for the directory's pages: what a page shows, with its related rows fetched up front."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from directory.geography import miles
from directory.languages import language_name
from directory.models import (
    WEEKDAY_NAMES,
    AreaExtent,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
    Vocabulary,
)
from directory.querysets import flagged_before, hidden_before
from partnership.models import User

HELPLINE = "st-helpline"


def public_locations() -> QuerySet[ServiceAtLocation]:
    """Links to locations that may be shown: never a confidential one."""
    return ServiceAtLocation.objects.filter(location__confidential=False).select_related("location")


def with_display_relations(services: QuerySet[Service]) -> QuerySet[Service]:
    """Everything a service page (or a helpline listed with no results) shows, in a fixed
    number of queries."""
    return services.select_related("organisation").prefetch_related(
        Prefetch(
            "taxonomy_terms", queryset=TaxonomyTerm.objects.order_by("vocabulary", "position")
        ),
        Prefetch("service_areas", queryset=ServiceArea.objects.select_related("borough")),
        Prefetch("phones", queryset=Phone.objects.filter(contact__isnull=True)),
        Prefetch("schedules", queryset=Schedule.objects.order_by("id")),
        Prefetch("service_at_locations", queryset=public_locations(), to_attr="public_locations"),
    )


# What a search result shows, read by the statement that finds the page of results
# (`search._PAGE_SQL`, where `s` is the service and `o` its organisation): the first phone
# number, the areas named as `ServiceArea.__str__` names them and the opening hours. A test
# holds these to what the service page reads through the models.
RESULT_SQL = """jsonb_build_object(
    'id', s.id, 'name', s.name, 'organisation', o.name, 'description', s.description,
    'status', s.status, 'open_24_7', s.open_24_7, 'is_free', s.is_free,
    'accepts_self_referral', s.accepts_self_referral,
    'phone', (
        SELECT p.number FROM directory_phone p
        WHERE p.service_id = s.id AND p.contact_id IS NULL ORDER BY p.position, p.number LIMIT 1
    ),
    'areas', ARRAY(
        SELECT CASE
            WHEN a.extent = 'borough' AND b.name IS NOT NULL THEN b.name
            WHEN a.extent = 'london' THEN 'London'
            ELSE 'England' END
        FROM directory_servicearea a LEFT JOIN partnership_borough b ON b.id = a.borough_id
        WHERE a.service_id = s.id ORDER BY a.extent, b.name
    ),
    'schedules', ARRAY(
        SELECT jsonb_build_object(
            'weekdays', h.weekdays, 'opens_at', h.opens_at, 'closes_at', h.closes_at
        )
        FROM directory_schedule h WHERE h.service_id = s.id ORDER BY h.id
    )
)"""


@dataclass(frozen=True)
class Result:
    """One search result, as the results page lists it."""

    id: UUID
    name: str
    organisation: str
    description: str
    status: str
    open_24_7: bool
    is_free: bool
    accepts_self_referral: bool
    first_phone: str | None
    areas: list[str]
    opening: list[OpeningTimes]
    distance_miles: float | None

    @classmethod
    def read(cls, card: dict, distance_km: float | None) -> Result:
        """From a row of `RESULT_SQL` and the distance the search ordered by."""
        schedules = [
            Schedule(
                weekdays=row["weekdays"],
                opens_at=time.fromisoformat(row["opens_at"]),
                closes_at=time.fromisoformat(row["closes_at"]),
            )
            for row in card["schedules"]
        ]
        return cls(
            id=UUID(card["id"]),
            name=card["name"],
            organisation=card["organisation"],
            description=card["description"],
            status=card["status"],
            open_24_7=card["open_24_7"],
            is_free=card["is_free"],
            accepts_self_referral=card["accepts_self_referral"],
            first_phone=card["phone"],
            areas=card["areas"],
            opening=opening_times_of(schedules),
            distance_miles=None if distance_km is None else miles(distance_km),
        )


def national_helplines() -> list[Service]:
    """Published national helplines, shown on the home page and when nothing matches."""
    services = (
        Service.objects.public()
        .filter(taxonomy_terms__code=HELPLINE, service_areas__extent=AreaExtent.NATIONAL)
        .distinct()
        .order_by("name")
    )
    return list(with_display_relations(services))


@dataclass(frozen=True)
class OpeningTimes:
    days: str
    hours: str


def _day_range(weekdays: list[int]) -> str:
    days = sorted(weekdays)
    if days == list(range(7)):
        return "Every day"
    if days == list(range(5)):
        return "Monday to Friday"
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAY_NAMES[days[0]]} to {WEEKDAY_NAMES[days[-1]]}"
    return ", ".join(WEEKDAY_NAMES[d] for d in days)


def _clock(value) -> str:
    text = value.strftime("%-I:%M%p").lower().replace(":00", "")
    return {"12am": "midnight", "12pm": "midday"}.get(text, text)


def opening_times(service: Service) -> list[OpeningTimes]:
    return opening_times_of(service.schedules.all())


def opening_times_of(schedules: Iterable[Schedule]) -> list[OpeningTimes]:
    rows = []
    for schedule in schedules:
        if schedule.all_day:
            hours = "24 hours"
        else:
            hours = f"{_clock(schedule.opens_at)} to {_clock(schedule.closes_at)}"
        rows.append(OpeningTimes(_day_range(schedule.weekdays), hours))
    return rows


def terms_by_vocabulary(service: Service) -> dict[str, list[TaxonomyTerm]]:
    grouped: dict[str, list[TaxonomyTerm]] = {v.value: [] for v in Vocabulary}
    for term in service.taxonomy_terms.all():
        grouped[term.vocabulary].append(term)
    return grouped


def area_names(service: Service) -> list[str]:
    return [str(area) for area in service.service_areas.all()]


def languages_of(service: Service) -> list[str]:
    return [language_name(code) for code in service.languages]


def has_confidential_location(service: Service) -> bool:
    return Location.objects.filter(
        service_at_locations__service=service, confidential=True
    ).exists()


# -- editors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditorRow:
    service: Service
    needs_check: bool
    hidden_as_stale: bool


def editor_rows(services: QuerySet[Service], today: date | None = None) -> list[EditorRow]:
    flag, hide = flagged_before(today), hidden_before(today)
    rows = services.select_related("agency").order_by("agency__name", "name")
    return [EditorRow(s, s.last_checked < flag, s.last_checked < hide) for s in rows]


def stale_services_by_editor(today: date | None = None) -> dict[User, list[Service]]:
    """Published services unchecked for six months, grouped by the editors who should check them."""
    from partnership.models import Membership, Role

    stale = list(
        Service.objects.filter(is_published=True, last_checked__lt=flagged_before(today))
        .select_related("agency")
        .order_by("name")
    )
    by_agency: dict[int, list[Service]] = {}
    for service in stale:
        by_agency.setdefault(service.agency_id, []).append(service)
    editors: dict[User, list[Service]] = {}
    memberships = (
        Membership.objects.active()
        .filter(role=Role.SERVICE_EDITOR, agency_id__in=by_agency)
        .select_related("user")
    )
    for membership in memberships:
        editors.setdefault(membership.user, [])
        for service in by_agency[membership.agency_id]:
            if service not in editors[membership.user]:
                editors[membership.user].append(service)
    return editors

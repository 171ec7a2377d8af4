"""The service directory, following Open Referral UK 3.0 (HSDS 3.0 with the UK profile).

Organisations provide services; a service has locations (through `ServiceAtLocation`), service
areas, contacts and phone numbers, opening hours and taxonomy terms. Two things HSDS lacks are
added: a location can be **confidential** (every refuge): its address, postcode and
coordinates are stored but never published; and a published service can carry a **draft** of
pending changes that a partnership administrator publishes.
"""

from __future__ import annotations

import uuid
from datetime import time

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse

from directory.querysets import ServiceQuerySet
from directory.reference import TAXONOMY_BASE_URI
from partnership.models import Agency, Borough, Recorded

MIDNIGHT = time(0, 0)


def taxonomy_uuid(code: str) -> uuid.UUID:
    """DESIGN §6: a term's (or a vocabulary's) id is uuid5 of its URI."""
    return uuid.uuid5(uuid.NAMESPACE_URL, TAXONOMY_BASE_URI + code)


class Vocabulary(models.TextChoices):
    SERVICE_TYPE = "service-type", "Type of support"
    ABUSE_TYPE = "abuse-type", "Type of abuse"
    POPULATION = "population", "Who it is for"


class TaxonomyTerm(models.Model):
    """A term of `directory/data/vawg-taxonomy.csv`, loaded by a data migration."""

    code = models.SlugField(max_length=64, unique=True)
    uuid = models.UUIDField(unique=True, editable=False)
    vocabulary = models.CharField(max_length=32, choices=Vocabulary.choices)
    name = models.CharField(max_length=200)
    description = models.TextField()
    synonyms = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["vocabulary", "position"]

    def __str__(self) -> str:
        return self.name

    @property
    def term_uri(self) -> str:
        return TAXONOMY_BASE_URI + self.code


class Organisation(Recorded):
    """An ORUK organisation; each is (or is matched to) a provider agency of the partnership."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    agency = models.OneToOneField(
        Agency, on_delete=models.PROTECT, related_name="directory_organisation"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Open"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"
    INACTIVE = "inactive", "Not taking new referrals"
    DEFUNCT = "defunct", "Closed"


class Service(Recorded):
    """A support service. Public when published, active and checked in the last twelve months."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="directory_services",
        help_text="The provider agency whose service editors keep this entry correct.",
    )
    name = models.CharField(max_length=200)
    description = models.TextField()
    status = models.CharField(
        max_length=32, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    alert = models.CharField(max_length=500, blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    languages = ArrayField(models.CharField(max_length=16), default=list, blank=True)
    is_free = models.BooleanField("free", default=True)
    fees = models.CharField(max_length=500, blank=True)
    accepts_self_referral = models.BooleanField(
        default=True, help_text="People can contact the service themselves."
    )
    referral_notes = models.CharField(max_length=500, blank=True)
    url = models.URLField("website", blank=True)
    email = models.EmailField(blank=True)
    last_checked = models.DateField(help_text="When the provider last confirmed the details.")
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    draft = models.JSONField(
        null=True,
        blank=True,
        help_text="Changes to a published service waiting for a partnership administrator.",
    )
    draft_updated_at = models.DateTimeField(null=True, blank=True)
    open_24_7 = models.BooleanField(default=False, editable=False)
    taxonomy_terms = models.ManyToManyField(TaxonomyTerm, related_name="services", blank=True)
    search_text = models.TextField(
        blank=True, editable=False, help_text="Taxonomy, synonyms and areas, for search."
    )
    search_vector = SearchVectorField(null=True, editable=False)
    filter_codes = ArrayField(
        models.IntegerField(),
        default=list,
        blank=True,
        editable=False,
        help_text="What the public search's filters match, as codes (search.filter_codes_of).",
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # One index for the words and the filters: PostgreSQL intersects them inside the
            # index, so a search never depends on the planner guessing how many match. Written
            # straight into the index (no pending list): services change rarely, searches often.
            GinIndex(
                fields=["search_vector", "filter_codes"], name="service_search", fastupdate=False
            ),
            models.Index(fields=["is_published", "last_checked"], name="service_public"),
            # Results with nothing typed are in name order: read the first page from an index.
            models.Index(fields=["name", "id"], name="service_name_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:service", kwargs={"service_id": self.id})


class AreaExtent(models.TextChoices):
    BOROUGH = "borough", "Borough"
    LONDON = "london", "London-wide"
    NATIONAL = "national", "National"


class ServiceArea(models.Model):
    """Where a service is available: a borough, the whole of London or the whole country."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    extent = models.CharField(max_length=16, choices=AreaExtent.choices)
    borough = models.ForeignKey(
        Borough, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["extent", "borough__name"]
        indexes = [models.Index(fields=["extent", "service"], name="service_area_extent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(extent=AreaExtent.BOROUGH, borough__isnull=False)
                | (~Q(extent=AreaExtent.BOROUGH) & Q(borough__isnull=True)),
                name="service_area_borough_iff_borough_extent",
            ),
            models.UniqueConstraint(
                fields=["service", "extent", "borough"],
                nulls_distinct=False,
                name="service_area_unique",
            ),
        ]

    def __str__(self) -> str:
        if self.extent == AreaExtent.BOROUGH and self.borough is not None:
            return self.borough.name
        return "London" if self.extent == AreaExtent.LONDON else "England"


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "Physical"
    POSTAL = "postal", "Postal"
    VIRTUAL = "virtual", "Virtual"


class Location(models.Model):
    """A place. A confidential location's address never leaves the system (DESIGN §5)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location_type = models.CharField(
        max_length=16, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    address_1 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    confidential = models.BooleanField(
        default=False,
        help_text="Refuges and safe houses: stored, never published, never used for distance.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90, latitude__lte=90)
                    & Q(longitude__gte=-180, longitude__lte=180)
                ),
                name="location_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return "Confidential location" if self.confidential else (self.name or self.address_1)


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="service_location_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.title


class Phone(models.Model):
    """A phone number of a service (optionally of one of its contacts)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="phones")
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    number = models.CharField(max_length=40)
    description = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "number"]

    def __str__(self) -> str:
        return self.number


WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class Schedule(models.Model):
    """Opening hours on some days of the week. `closes_at` 00:00 means midnight at the end."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    weekdays = ArrayField(models.PositiveSmallIntegerField(), help_text="0 is Monday, 6 is Sunday.")
    opens_at = models.TimeField()
    closes_at = models.TimeField()
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["service", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at=MIDNIGHT) | Q(closes_at__gt=models.F("opens_at")),
                name="schedule_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    @property
    def byday(self) -> str:
        return ",".join(WEEKDAY_CODES[d] for d in sorted(self.weekdays))

    @property
    def all_day(self) -> bool:
        return self.opens_at == MIDNIGHT and self.closes_at == MIDNIGHT


class DirectoryChange(models.Model):
    """A transaction that changed services, taxonomy terms or boroughs, written by database
    triggers (migration 0005): one row per transaction, replaced by a new id at each of its
    statements. The row count and the newest id version the directory (`directory.published`).
    """

    id = models.BigAutoField(primary_key=True)
    transaction = models.BigIntegerField(db_index=True)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Directory change in transaction {self.transaction}"


class SearchWord(models.Model):
    """Every word of published text, so a misspelt query word can be corrected (pg_trgm)."""

    word = models.CharField(max_length=60, primary_key=True)

    class Meta:
        indexes = [
            GinIndex(fields=["word"], name="search_word_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.word

"""Chainable filters over services, shared by the public pages, the ORUK API and editors."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

HIDE_AFTER_DAYS = 365
FLAG_AFTER_DAYS = 183
PUBLIC_STATUSES = ["active", "temporarily closed"]


def hidden_before(today: date | None = None) -> date:
    """Services last checked before this date are hidden from the public."""
    return (today or timezone.localdate()) - timedelta(days=HIDE_AFTER_DAYS)


def flagged_before(today: date | None = None) -> date:
    """Services last checked before this date are flagged to their editors."""
    return (today or timezone.localdate()) - timedelta(days=FLAG_AFTER_DAYS)


class ServiceQuerySet(models.QuerySet):
    def public(self) -> ServiceQuerySet:
        """Published, open or temporarily closed, and checked within twelve months."""
        return self.filter(
            is_published=True, status__in=PUBLIC_STATUSES, last_checked__gte=hidden_before()
        )

    def with_term(self, term_id: int) -> ServiceQuerySet:
        through = self.model.taxonomy_terms.through
        return self.filter(
            Exists(through.objects.filter(service_id=OuterRef("pk"), taxonomyterm_id=term_id))
        )

    def covering_borough(self, borough_id: int) -> ServiceQuerySet:
        """Services available in a borough: named for it, London-wide or national."""
        from directory.models import AreaExtent, ServiceArea

        areas = ServiceArea.objects.filter(service_id=OuterRef("pk"))
        return self.filter(
            Exists(areas.filter(borough_id=borough_id))
            | Exists(areas.filter(extent__in=[AreaExtent.LONDON, AreaExtent.NATIONAL]))
        )

    def open_at(self, moment: datetime) -> ServiceQuerySet:
        return self.filter(sql_filter(open_at_sql(moment)))

    def open_between(self, *, day: int | None, start: time | None, end: time | None):
        """ORUK `day`, `start_time`, `end_time`: a schedule on that day inside those times."""
        from directory.models import MIDNIGHT, Schedule

        schedules = Schedule.objects.filter(service_id=OuterRef("pk"))
        if day is not None:
            schedules = schedules.filter(weekdays__contains=[day])
        if start is not None:
            schedules = schedules.filter(opens_at__gte=start)
        if end is not None:
            schedules = schedules.filter(~Q(closes_at=MIDNIGHT), closes_at__lte=end)
        return self.filter(Exists(schedules))


def _london_minute(moment: datetime) -> tuple[int, time]:
    local = timezone.localtime(moment)
    return local.weekday(), local.time().replace(microsecond=0)


# Rules of the public search as SQL conditions over `directory_service`: the search writes its
# facet statement by hand (Django took as long to build it as PostgreSQL took to run it), and
# its querysets filter by the same conditions (`sql_filter`), so each rule is written once.


def public_sql() -> tuple[str, list]:
    """`ServiceQuerySet.public` as a condition (a test holds the two to the same services)."""
    sql = (
        "directory_service.is_published AND directory_service.status = ANY(%s) "
        "AND directory_service.last_checked >= %s"
    )
    return sql, [PUBLIC_STATUSES, hidden_before()]


def open_at_sql(moment: datetime) -> tuple[str, list]:
    """A schedule covers this minute of this day in London. An uncorrelated `IN`, so PostgreSQL
    finds the services open now once, however many services it is asked about."""
    from directory.models import MIDNIGHT

    weekday, now = _london_minute(moment)
    sql = (
        "directory_service.id IN (SELECT service_id FROM directory_schedule "
        "WHERE weekdays @> %s::smallint[] AND opens_at <= %s "
        "AND (closes_at > %s OR closes_at = %s))"
    )
    return sql, [[weekday], now, now, MIDNIGHT]


def sql_filter(condition: tuple[str, list]) -> RawSQL:
    """One of these conditions as a queryset filter."""
    sql, params = condition
    return RawSQL(sql, params, output_field=models.BooleanField())  # noqa: S611  # nosec B611

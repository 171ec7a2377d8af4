"""The directory's health in the indicator registry: how many local services are published,
and how many are past their check date. Counts of services, not of people."""

from __future__ import annotations

from datetime import date
from functools import partial

from partnership.indicators import Indicator, register


def _local_services(partnership, borough=None):
    from directory.models import AreaExtent, Service

    boroughs = [borough] if borough is not None else list(partnership.boroughs.all())
    return Service.objects.filter(
        is_published=True,
        service_areas__extent=AreaExtent.BOROUGH,
        service_areas__borough__in=boroughs,
    ).distinct()


def _published(*, partnership, start: date, end: date, borough=None) -> int:
    from directory.querysets import PUBLIC_STATUSES, hidden_before

    return (
        _local_services(partnership, borough)
        .filter(status__in=PUBLIC_STATUSES, last_checked__gte=hidden_before(end))
        .count()
    )


def _unchecked(threshold, *, partnership, start: date, end: date, borough=None) -> int:
    return _local_services(partnership, borough).filter(last_checked__lt=threshold(end)).count()


def register_all() -> None:
    from directory.querysets import flagged_before, hidden_before

    for name, label, compute in [
        ("directory.services_published", "Local services shown to the public", _published),
        (
            "directory.services_past_check",
            "Published local services not checked for six months",
            partial(_unchecked, flagged_before),
        ),
        (
            "directory.services_hidden_unchecked",
            "Published local services hidden after twelve months unchecked",
            partial(_unchecked, hidden_before),
        ),
    ]:
        register(
            Indicator(name=name, label=label, unit="count", compute=compute, about_people=False)
        )

"""Reads of MARAC data that other apps (and partnership pages) may use."""

from django.db.models import QuerySet

from marac.models import Marac
from partnership.models import Partnership


def maracs_of(partnership: Partnership) -> QuerySet[Marac]:
    return Marac.objects.filter(partnership=partnership).prefetch_related("boroughs")

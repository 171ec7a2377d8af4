"""Postcodes to approximate places, in memory only: a searcher's postcode is never stored or
logged (DESIGN §5). Distances come from postcode-district centroids, so they are approximate.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from directory.reference import outcode_centroids

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})?$")
KM_PER_DEGREE_LATITUDE = 110.57
KM_PER_MILE = 1.609344


POSTCODE_ERROR = "Enter a real postcode, like RM1 3BB, or a postcode district, like E8"


class PostcodeError(ValueError):
    """The text is not a postcode, or not one we can place (outside London)."""


@dataclass(frozen=True)
class Origin:
    latitude: float
    longitude: float

    @property
    def km_per_degree_longitude(self) -> float:
        return 111.32 * math.cos(math.radians(self.latitude))


def origin_for(raw: str) -> Origin:
    """The centre of the district of a postcode (`RM1 3BB`, `rm13bb`) or a district (`E8`)."""
    compact = re.sub(r"\s+", "", raw or "").upper()
    match = _POSTCODE.match(compact)
    if not match:
        raise PostcodeError(POSTCODE_ERROR)
    centroid = outcode_centroids().get(match.group(1))
    if centroid is None:
        raise PostcodeError(
            "Enter a London postcode or postcode district: we can only show distances in London"
        )
    return Origin(*centroid)


def miles(km: float) -> float:
    return km / KM_PER_MILE

"""Calendar quarters (January to March is Q1), the reporting cycle of the action plans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER_KEY = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTHS = ["January", "April", "July", "October"]
_END_MONTHS = ["March", "June", "September", "December"]


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, key: str) -> Quarter | None:
        """`2025-Q2` or None."""
        match = _QUARTER_KEY.match(key or "")
        return cls(int(match.group(1)), int(match.group(2))) if match else None

    @classmethod
    def ending_on(cls, day: date) -> Quarter | None:
        """The quarter whose last day is `day`, or None if `day` ends no quarter."""
        quarter = cls.containing(day)
        return quarter if quarter.end == day else None

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        first, last = _MONTHS[self.number - 1], _END_MONTHS[self.number - 1]
        return f"Q{self.number} {self.year} ({first} to {last})"

    @property
    def short_label(self) -> str:
        return f"Q{self.number} {self.year}"

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def last(self, count: int) -> list[Quarter]:
        """`count` quarters ending with this one, oldest first."""
        quarters = [self]
        while len(quarters) < count:
            quarters.append(quarters[-1].previous())
        return list(reversed(quarters))


def quarters_between(start: date, end: date) -> list[Quarter]:
    """Quarters overlapping the period, oldest first."""
    quarter, last = Quarter.containing(start), Quarter.containing(end)
    quarters = []
    while quarter <= last:
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters

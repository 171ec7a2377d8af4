"""UK financial quarters: April to June is Q1 of the year that starts in April."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, order=True)
class Quarter:
    year: int  # the calendar year in which the financial year starts (2026 means 2026/27)
    number: int  # 1 to 4

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise ValueError("A quarter is numbered 1 to 4.")

    @classmethod
    def containing(cls, day: date) -> Quarter:
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @property
    def start(self) -> date:
        month = 4 + 3 * (self.number - 1)
        return date(self.year + 1, 1, 1) if month > 12 else date(self.year, month, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def trailing(self, count: int) -> list[Quarter]:
        """This quarter and the ones before it, oldest first."""
        quarters = [self]
        while len(quarters) < count:
            quarters.insert(0, quarters[0].previous())
        return quarters

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.year}/{str(self.year + 1)[-2:]}"

    @property
    def long_label(self) -> str:
        return f"{self.label} ({self.start:%-d %B %Y} to {self.end:%-d %B %Y})"

    def __str__(self) -> str:
        return self.label

"""The indicator registry: how figures cross app lines without the apps importing each other.

An app registers named indicator functions in its `AppConfig.ready()` (marac its SafeLives
indicators, actions its performance measures). A report or an action then asks for a figure
by name. Every indicator answers for a partnership over a period, and for one of its boroughs
when one is given, so every figure is available per borough and for the partnership.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from partnership.models import Borough, Partnership

Number = int | float | Decimal


class IndicatorFunction(Protocol):
    def __call__(
        self,
        *,
        partnership: Partnership,
        start: date,
        end: date,
        borough: Borough | None = None,
    ) -> Number | None: ...


@dataclass(frozen=True)
class Indicator:
    name: str
    label: str
    unit: str  # "count", "percent" or "rate"
    compute: IndicatorFunction
    better: str | None = None  # "higher", "lower" or None
    recommended: Number | None = None
    national: Number | None = None
    # Counts a percentage or rate is worked out from: publication suppresses it with them.
    derived_from: tuple[str, ...] = ()

    def value(
        self,
        *,
        partnership: Partnership,
        start: date,
        end: date,
        borough: Borough | None = None,
    ) -> Number | None:
        return self.compute(partnership=partnership, start=start, end=end, borough=borough)


class UnknownIndicator(LookupError):
    pass


_registry: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    """Add an indicator; registering the same name twice is a programming error."""
    existing = _registry.get(indicator.name)
    if existing is not None and existing != indicator:
        raise ValueError(f"Indicator {indicator.name!r} is already registered.")
    _registry[indicator.name] = indicator
    return indicator


def unregister(name: str) -> None:
    _registry.pop(name, None)


def get(name: str) -> Indicator:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownIndicator(name) from None


def all_indicators(prefix: str = "") -> list[Indicator]:
    return sorted(
        (ind for name, ind in _registry.items() if name.startswith(prefix)),
        key=lambda ind: ind.name,
    )


def choices() -> list[tuple[str, str]]:
    return [(ind.name, ind.label) for ind in all_indicators()]


IndicatorCallable = Callable[..., Number | None]

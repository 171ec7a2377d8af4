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
    target: Number | None = None  # the partnership's own target, for its measures
    # Counts a percentage or rate is worked out from: publication suppresses it with them.
    derived_from: tuple[str, ...] = ()
    # Whether its counts describe people (victims, referrals): only those are suppressed when
    # small in anything published. Counts of services or actions are not.
    about_people: bool = True

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


@dataclass(frozen=True)
class IndicatorSource:
    """Indicators whose names are data (e.g. a partnership's own measures), found by prefix.

    Both callables take `partnership` (keyword, may be None): given one, a source answers with
    that partnership's own indicators only (its label, target and direction), so one
    partnership's report or action never shows another's measure.
    """

    lookup: Callable[..., Indicator | None]  # (name, *, partnership=None)
    listing: Callable[..., list[Indicator]]  # (*, partnership=None)


_sources: dict[str, IndicatorSource] = {}


def register_source(prefix: str, source: IndicatorSource) -> None:
    """Answer every name under `prefix` from `source` (registered in `AppConfig.ready()`)."""
    _sources[prefix] = source


def register(indicator: Indicator) -> Indicator:
    """Add an indicator; registering the same name twice is a programming error."""
    existing = _registry.get(indicator.name)
    if existing is not None and existing != indicator:
        raise ValueError(f"Indicator {indicator.name!r} is already registered.")
    _registry[indicator.name] = indicator
    return indicator


def unregister(name: str) -> None:
    _registry.pop(name, None)


def get(name: str, *, partnership: Partnership | None = None) -> Indicator:
    """The indicator called `name`; with `partnership`, as that partnership defines it."""
    if name in _registry:
        return _registry[name]
    for source_prefix, source in _sources.items():
        if name.startswith(source_prefix):
            found = source.lookup(name, partnership=partnership)
            if found is not None:
                return found
    raise UnknownIndicator(name)


def all_indicators(prefix: str = "", *, partnership: Partnership | None = None) -> list[Indicator]:
    """Every indicator under `prefix`; with `partnership`, only the data-named ones it owns."""
    found = {name: ind for name, ind in _registry.items() if name.startswith(prefix)}
    for source in _sources.values():
        found.update(
            (ind.name, ind)
            for ind in source.listing(partnership=partnership)
            if ind.name.startswith(prefix)
        )
    return sorted(found.values(), key=lambda ind: ind.name)


def choices(*, partnership: Partnership | None = None) -> list[tuple[str, str]]:
    return [(ind.name, ind.label) for ind in all_indicators(partnership=partnership)]

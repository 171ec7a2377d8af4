"""Small-number suppression (DESIGN §5), shared by every app that shows figures to people who
may not see small numbers: reports marked for publication, and the MARAC indicator pages for
anyone outside the MARAC's coordinators, chair and data protection lead.

Any non-zero count below 5 (fractional shares included), and any percentage or rate worked
out from it, reads "fewer than 5"; a total is suppressed where a suppressed figure could be
worked out from it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

SUPPRESSED = "fewer than 5"
THRESHOLD = 5


def is_small(value: Any) -> bool:
    """A non-zero count under five, or one already hidden."""
    if value == SUPPRESSED:
        return True
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < THRESHOLD


def hide_complement(shares: dict[str, Any]) -> None:
    """Parts of a shown whole: when exactly one part is hidden, the whole minus the others would
    give it away, so the smallest other non-zero part is hidden too."""
    hidden = [key for key, value in shares.items() if value == SUPPRESSED]
    if len(hidden) != 1:
        return
    shown = [(value, key) for key, value in shares.items() if value != SUPPRESSED and value]
    if shown:
        shares[min(shown)[1]] = SUPPRESSED


def suppress_figures(
    figures: Mapping[str, Any], *, derived_from: Mapping[str, Iterable[str]]
) -> dict[str, Any]:
    """A copy of one set of figures with small counts, and what derives from them, hidden.

    Every number not named in `derived_from` is a count; a nested mapping is a set of parts of
    a shown whole (its entries are named `outer.inner` in `derived_from`). A derived figure is
    hidden when any of its sources is.
    """
    result = copy.deepcopy(dict(figures))
    hidden: set[str] = set()
    for name, value in result.items():
        if name in derived_from:
            continue
        if isinstance(value, dict):
            for key, part in value.items():
                if is_small(part):
                    value[key] = SUPPRESSED
            hide_complement(value)
            hidden |= {f"{name}.{key}" for key, part in value.items() if part == SUPPRESSED}
        elif is_small(value):
            result[name] = SUPPRESSED
            hidden.add(name)
    for name, sources in derived_from.items():
        if name in result and hidden.intersection(sources):
            result[name] = SUPPRESSED
    return result

"""Small-number suppression for anything marked for publication (DESIGN §5).

Any non-zero count below 5 (fractional shares included), and any percentage or rate worked
out from it, reads "fewer than 5"; a total is suppressed where a suppressed figure could be
worked out from it.
"""

from __future__ import annotations

import copy
from typing import Any

from partnership.suppression import SUPPRESSED, THRESHOLD, is_small

__all__ = ["SUPPRESSED", "THRESHOLD", "is_small", "suppress_indicators"]


def suppress_indicators(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A copy of the indicator figures with small counts and what derives from them hidden."""
    result = copy.deepcopy(figures)
    counts = {f["name"]: f for f in result if f["unit"] == "count"}

    def hidden_positions(series_of) -> set[int]:
        positions = set()
        for figure in result:
            values = series_of(figure)
            if values is not None and figure["unit"] == "count":
                positions |= {i for i, v in enumerate(values) if is_small(v)}
        return positions

    for figure in result:
        if not figure.get("about_people", True):
            continue
        scopes = [("partnership", None)] + [("borough", b["name"]) for b in figure["boroughs"]]
        for kind, name in scopes:
            values = _values(figure, kind, name)
            if figure["unit"] == "count":
                hidden = {i for i, v in enumerate(values) if is_small(v)}
            else:
                hidden = set()
                for source in figure.get("derived_from", []):
                    if source in counts:
                        source_values = _values(counts[source], kind, name)
                        hidden |= {i for i, v in enumerate(source_values) if is_small(v)}
            _apply(figure, kind, name, hidden)
        _suppress_partnership_totals(figure)
    return result


def _values(figure: dict, kind: str, name: str | None) -> list:
    if kind == "partnership":
        return figure["partnership"]
    return next(b["values"] for b in figure["boroughs"] if b["name"] == name)


def _apply(figure: dict, kind: str, name: str | None, hidden: set[int]) -> None:
    values = _values(figure, kind, name)
    for i in hidden:
        values[i] = SUPPRESSED


def _suppress_partnership_totals(figure: dict) -> None:
    """If exactly one borough's count is hidden in a quarter, the total would reveal it."""
    if figure["unit"] != "count" or len(figure["boroughs"]) < 2:
        return
    for i in range(len(figure["partnership"])):
        hidden = [b for b in figure["boroughs"] if b["values"][i] == SUPPRESSED]
        if len(hidden) == 1:
            # Hide a second borough's figure too, or the total: hiding the total is simplest.
            figure["partnership"][i] = SUPPRESSED

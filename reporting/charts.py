"""Inline SVG charts for the PDF: drawn from numbers only, so nothing user-typed reaches SVG."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def sparkline(
    values: list[float | None], *, label: str, width: int = 90, height: int = 22
) -> SafeString:
    """A small line of the trend, oldest to newest; gaps where a value is missing."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return SafeString("")
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (width - 4) / max(len(values) - 1, 1)
    points = [
        f"{2 + i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}"
        for i, v in enumerate(values)
        if v is not None
    ]
    return format_html(
        '<svg role="img" aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg"><polyline fill="none" stroke="#1d70b8" '
        'stroke-width="1.5" points="{}"/></svg>',
        label,
        width,
        height,
        width,
        height,
        " ".join(points),
    )


def status_bar(
    counts: dict[str, int],
    *,
    colours: dict[str, str],
    label: str,
    width: int = 160,
    height: int = 10,
) -> SafeString:
    """A stacked bar of action statuses."""
    total = sum(counts.values())
    if not total:
        return SafeString("")
    x = 0.0
    rects = []
    for key, count in counts.items():
        if not count:
            continue
        w = width * count / total
        rects.append((f"{x:.1f}", f"{w:.1f}", height, colours.get(key, "#b1b4b6")))
        x += w
    return format_html(
        '<svg role="img" aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        label,
        width,
        height,
        width,
        height,
        format_html_join("", '<rect x="{}" y="0" width="{}" height="{}" fill="{}"/>', rects),
    )

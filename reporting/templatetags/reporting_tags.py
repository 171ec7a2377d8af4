from django import template

from reporting.charts import sparkline, status_bar
from reporting.suppression import SUPPRESSED

register = template.Library()


@register.filter
def figure(value, unit: str = "count") -> str:
    """A figure as people read it: counts with commas, percentages with %, gaps said plainly."""
    if value is None:
        return "no data"
    if value == SUPPRESSED:
        return SUPPRESSED
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "rate":
        return f"{value:,.1f}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


@register.filter
def last(values):
    return values[-1] if values else None


@register.simple_tag
def trend(values, label: str):
    numbers = [v if isinstance(v, int | float) else None for v in values]
    return sparkline(numbers, label=f"Trend over four quarters: {label}")


@register.simple_tag
def status_chart(counts: dict, colours: dict, label: str):
    return status_bar(counts, colours=colours, label=label)

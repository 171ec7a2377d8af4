from django import template

from directory import selectors

register = template.Library()


@register.filter
def opening_times(service) -> list[selectors.OpeningTimes]:
    """A service's opening hours in words, from its prefetched schedules."""
    return selectors.opening_times(service)


@register.filter
def tel(number: str) -> str:
    """A phone number for a `tel:` link."""
    return "".join(c for c in number if c.isdigit() or c == "+")


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, [])

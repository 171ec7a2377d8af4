from uuid import UUID

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from directory import selectors
from directory.models import ServiceStatus

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


@register.simple_tag
def search_results(services: list[selectors.Result]) -> SafeString:
    """The search page's list of results. Written in Python, like `portal.forms.QuickSelect`:
    a page of twenty results through the template language cost more than the search itself.
    Every value is escaped here."""
    # One `reverse` for the page: Django's costs more than writing the rest of a result.
    link = reverse("directory:service", kwargs={"service_id": _ANY_ID})
    markup = "\n".join(
        _result(service, link.replace(str(_ANY_ID), str(service.id))) for service in services
    )
    return mark_safe(markup)  # noqa: S308  # nosec B308 B703


_ANY_ID = UUID(int=0)


_LINES = "\n"
_TAGS = [
    ("open_24_7", "blue", "Open 24 hours"),
    ("is_free", "green", "Free"),
    ("accepts_self_referral", "grey", "Contact them yourself"),
]


def _result(service: selectors.Result, link: str) -> str:
    facts = []
    if service.first_phone:
        number = escape(service.first_phone)
        facts.append(
            f'<li>Phone: <a class="govuk-link" href="tel:{escape(tel(service.first_phone))}">'
            f"{number}</a></li>"
        )
    if service.opening:
        hours = "; ".join(f"{row.days}, {row.hours}" for row in service.opening)
        facts.append(f"<li>Open: {escape(hours)}</li>")
    if service.areas:
        facts.append(f"<li>For people in: {escape(', '.join(service.areas))}</li>")
    if service.distance_miles is not None:
        miles = floatformat(service.distance_miles, 1)
        facts.append(f"<li>About {escape(miles)} miles away (approximate)</li>")
    tags = [
        f'<strong class="govuk-tag govuk-tag--{colour}">{label}</strong>'
        for attribute, colour, label in _TAGS
        if getattr(service, attribute)
    ]
    if service.status == ServiceStatus.TEMPORARILY_CLOSED:
        tags.append('<strong class="govuk-tag govuk-tag--yellow">Temporarily closed</strong>')
    description = Truncator(service.description).words(40, truncate=" …")
    return (
        '<li class="govuk-!-margin-bottom-6">\n'
        '<h3 class="govuk-heading-m govuk-!-margin-bottom-1">'
        f'<a class="govuk-link" href="{escape(link)}">'
        f"{escape(service.name)}</a></h3>\n"
        f'<p class="govuk-body-s govuk-!-margin-bottom-2">{escape(service.organisation)}</p>\n'
        f'<p class="govuk-body">{escape(description)}</p>\n'
        f'<ul class="govuk-list govuk-body-s">{_LINES.join(facts)}</ul>\n'
        f'<p class="govuk-body-s">{_LINES.join(tags)}</p>\n'
        "</li>"
    )

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
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
def search_results(services) -> SafeString:
    """The search page's list of results. Written in Python, like `portal.forms.QuickSelect`:
    a page of twenty results through the template language cost more than the search itself.
    Every value is escaped by `format_html`."""
    return format_html_join("\n", "{}", ((_result(service),) for service in services))


def _result(service) -> SafeString:
    facts = []
    if service.first_phone:
        facts.append(
            format_html(
                '<li>Phone: <a class="govuk-link" href="tel:{}">{}</a></li>',
                tel(service.first_phone),
                service.first_phone,
            )
        )
    if service.opening:
        hours = "; ".join(f"{row.days}, {row.hours}" for row in service.opening)
        facts.append(format_html("<li>Open: {}</li>", hours))
    if service.areas:
        facts.append(format_html("<li>For people in: {}</li>", ", ".join(service.areas)))
    if service.distance_miles is not None:
        facts.append(
            format_html(
                "<li>About {} miles away (approximate)</li>",
                floatformat(service.distance_miles, 1),
            )
        )
    tags = [
        format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, label)
        for shown, colour, label in [
            (service.open_24_7, "blue", "Open 24 hours"),
            (service.is_free, "green", "Free"),
            (service.accepts_self_referral, "grey", "Contact them yourself"),
            (service.status == ServiceStatus.TEMPORARILY_CLOSED, "yellow", "Temporarily closed"),
        ]
        if shown
    ]
    return format_html(
        '<li class="govuk-!-margin-bottom-6">\n'
        '<h3 class="govuk-heading-m govuk-!-margin-bottom-1">'
        '<a class="govuk-link" href="{}">{}</a></h3>\n'
        '<p class="govuk-body-s govuk-!-margin-bottom-2">{}</p>\n'
        '<p class="govuk-body">{}</p>\n'
        '<ul class="govuk-list govuk-body-s">{}</ul>\n'
        '<p class="govuk-body-s">{}</p>\n'
        "</li>",
        service.get_absolute_url(),
        service.name,
        service.organisation.name,
        Truncator(service.description).words(40, truncate=" …"),
        _joined(facts),
        _joined(tags),
    )


def _joined(parts: list[SafeString]) -> SafeString:
    return format_html_join("\n", "{}", ((part,) for part in parts))

"""The data protection lead's oversight of access across the partnership: the access log with
filters, alerts for unusual patterns, and marking an alert as handled."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from marac import permissions, selectors, services
from marac.forms import AlertHandleForm, OversightFilterForm
from marac.models import AlertKind, Marac
from marac.oversight import Alert


def _page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


def _filters(form: OversightFilterForm) -> selectors.OversightFilters:
    default = selectors.OversightFilters(
        start=timezone.localdate() - timedelta(days=selectors.OVERSIGHT_DEFAULT_DAYS)
    )
    if not form.is_bound or not form.is_valid():
        return default
    data = form.cleaned_data
    return selectors.OversightFilters(
        person=data["person"],
        agency=data["agency"],
        marac=data["marac"],
        lens=data["lens"],
        start=data["start"],
        end=data["end"],
    )


def oversight(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = permissions.access_oversight(request.user, slug)
    choices = selectors.oversight_choices(partnership)
    params = request.GET.copy()
    params.pop("page", None)
    form = OversightFilterForm(
        params or None,
        initial={"start": timezone.localdate() - timedelta(days=selectors.OVERSIGHT_DEFAULT_DAYS)},
        **choices,
    )
    filters = _filters(form)
    page, events = selectors.oversight_events(
        request.user, partnership, filters, page=_page_number(request)
    )
    context = {
        "partnership": partnership,
        "form": form,
        "page": page,
        "events": events,
        "alerts": selectors.oversight_alerts(request.user, partnership, filters),
        "handle_form": AlertHandleForm(),
        "marac_links": Marac.objects.filter(partnership=partnership).order_by("name"),
        "holds": permissions.legal_holds_visible_to(request.user)
        .filter(case__marac__partnership=partnership)
        .select_related("case__marac", "created_by"),
        "querystring": params.urlencode(),
    }
    return render(request, "marac/oversight.html", context)


def _alert_from_key(request: HttpRequest, partnership, key: str) -> Alert:
    """The alert a key names, recomputed from the events now (so only a real alert is
    handled); Http404 if there is none."""
    try:
        kind, user_id, day = key.split(":")
        filters = selectors.OversightFilters(
            person=int(user_id), start=date.fromisoformat(day), end=date.fromisoformat(day)
        )
    except ValueError:
        raise Http404 from None
    if kind not in AlertKind.values:
        raise Http404
    for alert, _name, _review in selectors.oversight_alerts(request.user, partnership, filters):
        if alert.key == key:
            return alert
    raise Http404


@require_POST
def oversight_alert_handle(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = permissions.access_oversight(request.user, slug)
    form = AlertHandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The note is too long.")
        return redirect("marac:oversight", slug=slug)
    alert = _alert_from_key(request, partnership, form.cleaned_data["key"])
    try:
        services.access_alert_handle(
            acting_user=request.user,
            partnership=partnership,
            alert=alert,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Alert marked as handled.")
    return redirect("marac:oversight", slug=slug)

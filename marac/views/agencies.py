"""A MARAC representative's pages: the listed cases to research for their agency, their
agency's actions (and updating them), and their agency's extract of approved minutes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from marac import meeting_selectors, permissions, services
from marac.forms import ActionUpdateForm, ResearchForm
from marac.views import client_ip
from portal.forms import add_validation_error


def _require_representative(request: HttpRequest) -> None:
    if not permissions.representative_maracs(request.user).exists():
        raise Http404


@require_GET
def research_list(request: HttpRequest) -> HttpResponse:
    _require_representative(request)
    rows = meeting_selectors.research_list(request.user, ip_address=client_ip(request))
    return render(request, "marac/research_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def research_item(request: HttpRequest, item_pk: int) -> HttpResponse:
    """Add or change the agency's research on one listed case, until the meeting hears it."""
    item, agency_id = permissions.access_research_item(
        request.user, item_pk, ip_address=client_ip(request)
    )
    own = meeting_selectors.own_research(item, agency_id)
    initial = (
        {"findings": own.findings, "withheld": own.withheld, "withheld_reason": own.withheld_reason}
        if own
        else None
    )
    form = ResearchForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.research_save(
                    acting_user=request.user, item=item, agency=agency_id, **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, f"Research on case {item.case.case_ref} saved.")
                return redirect("marac:research_list")
    context = {
        "item": item,
        "form": form,
        "due_on": services.research_due_on(item.meeting),
        "saved": own,
    }
    return render(request, "marac/research_item.html", context, status=status)


@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    _require_representative(request)
    actions = meeting_selectors.my_actions(request.user, ip_address=client_ip(request))
    context = {"actions": actions, "extracts": meeting_selectors.extract_meetings(request.user)}
    return render(request, "marac/my_actions.html", context)


@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner agency's update of its own action; anyone else gets 404."""
    action = permissions.access_owned_action(request.user, pk, ip_address=client_ip(request))
    form = ActionUpdateForm(request.POST or None, initial={"status": action.status})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.case_action_update(
                    acting_user=request.user, action=action, **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, "Action updated.")
                return redirect("marac:my_actions")
    return render(
        request, "marac/action_update.html", {"action": action, "form": form}, status=status
    )


@require_GET
def extract(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency's extract of approved minutes: decisions and its own actions."""
    meeting, agencies = permissions.access_extract_meeting(request.user, pk)
    items = meeting_selectors.extract(
        request.user, meeting, agencies, ip_address=client_ip(request)
    )
    return render(request, "marac/extract.html", {"meeting": meeting, "items": items})


@require_GET
def reminders(request: HttpRequest) -> HttpResponse:
    """What the person will be reminded of by email, and what was sent."""
    _require_representative(request)
    due = meeting_selectors.reminders_page(request.user, ip_address=client_ip(request))
    context = {"reminders": due, "today": timezone.localdate()}
    return render(request, "marac/reminders.html", context)

"""Adding a meeting and circulating its agenda (the agenda builder is in `meeting_day`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from marac import permissions, services
from marac.forms import MeetingForm
from marac.models import Meeting
from portal.forms import add_validation_error


def _meeting(request: HttpRequest, slug: str, pk: int) -> Meeting:
    marac = permissions.access_marac(request.user, slug, *permissions.FULL_LENS_ROLES)
    return get_object_or_404(Meeting.objects.select_related("marac"), marac=marac, pk=pk)


@require_POST
def meeting_circulate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = _meeting(request, slug, pk)
    try:
        services.agenda_circulate(acting_user=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Agenda circulated to the member agencies' representatives.")
    return redirect("marac:meeting", slug=slug, pk=pk)


@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, slug: str) -> HttpResponse:
    marac = permissions.access_marac(request.user, slug, *permissions.FULL_LENS_ROLES)
    form = MeetingForm(request.POST or None)
    if form.is_valid():
        try:
            created = services.meeting_create(
                acting_user=request.user, marac=marac, date=form.cleaned_data["date"]
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Meeting added.")
            return redirect("marac:meeting", slug=slug, pk=created.pk)
    return render(request, "marac/meeting_form.html", {"marac": marac, "form": form})

"""The coordinator's and chair's meeting pages: the agenda builder, the meeting day
(attendance, each item's minute and actions, the review of open actions), the chair's approval,
and the tracker of overdue actions by agency."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from marac import meeting_selectors, permissions, services
from marac.forms import (
    ActionReviewForm,
    AgendaAddForm,
    AttendanceForm,
    CaseActionForm,
    MinuteForm,
)
from marac.models import MINUTE_FIELDS, Case, CaseStatus, Lens, Meeting
from marac.views import client_ip
from partnership.models import Agency
from portal.forms import add_validation_error


def _member_agencies(meeting: Meeting):
    return Agency.objects.filter(
        marac_memberships__marac_id=meeting.marac_id, marac_memberships__left_on__isnull=True
    ).order_by("name")


def _addable(meeting: Meeting):
    return Case.objects.filter(
        marac_id=meeting.marac_id, status__in=[CaseStatus.ACCEPTED, CaseStatus.HEARD]
    )


@require_GET
def meeting(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The agenda builder: the agenda, what may join it, and circulation."""
    meeting = permissions.access_managed_meeting(request.user, slug, pk)
    builder = meeting_selectors.agenda_builder(request.user, meeting, ip_address=client_ip(request))
    context = {
        "meeting": meeting,
        "builder": builder,
        "items": builder.items,
        "today": timezone.localdate(),
    }
    return render(request, "marac/meeting.html", context)


@require_POST
def agenda_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = permissions.access_managed_meeting(request.user, slug, pk)
    form = AgendaAddForm(request.POST, cases=_addable(meeting))
    if not form.is_valid():
        messages.error(request, "Choose at least one case to list.")
        return redirect("marac:meeting", slug=slug, pk=pk)
    kind = form.cleaned_data["kind"]
    try:
        added = services.agenda_items_add(
            acting_user=request.user,
            meeting=meeting,
            cases=list(form.cleaned_data["cases"]),
            kind=None if kind == "auto" else kind,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        late = sum(item.late for item in added)
        messages.success(
            request,
            f"{len(added)} case{'s' if len(added) != 1 else ''} listed"
            + (f", {late} as a late addition." if late else "."),
        )
    return redirect("marac:meeting", slug=slug, pk=pk)


def _day_context(request: HttpRequest, meeting: Meeting, attendance_form=None) -> dict:
    day = meeting_selectors.meeting_day(request.user, meeting, ip_address=client_ip(request))
    return {
        "meeting": meeting,
        "day": day,
        "attendance_form": attendance_form or AttendanceForm(agencies=_member_agencies(meeting)),
        "review_forms": [
            (action, ActionReviewForm(prefix=f"review-{action.pk}")) for action in day.reviews
        ],
        "can_approve": permissions.can_chair(request.user, meeting.marac),
        "today": timezone.localdate(),
    }


@require_GET
def meeting_day(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = permissions.access_managed_meeting(request.user, slug, pk)
    return render(request, "marac/meeting_day.html", _day_context(request, meeting))


@require_POST
def attendance_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    meeting = permissions.access_managed_meeting(request.user, slug, pk)
    form = AttendanceForm(request.POST, agencies=_member_agencies(meeting))
    if form.is_valid():
        try:
            services.attendance_record(
                acting_user=request.user, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Attendance recorded.")
            return redirect("marac:meeting_day", slug=slug, pk=pk)
    context = _day_context(request, meeting, attendance_form=form)
    return render(request, "marac/meeting_day.html", context, status=400)


def _item_context(request: HttpRequest, meeting: Meeting, item_pk: int, **forms) -> dict:
    view = meeting_selectors.meeting_item(
        request.user, meeting, item_pk, ip_address=client_ip(request)
    )
    agencies = _member_agencies(meeting)
    return {
        "meeting": meeting,
        "view": view,
        "minute_form": forms.get("minute_form") or MinuteForm(initial=view.text),
        "action_form": forms.get("action_form") or CaseActionForm(agencies=agencies),
        "approved": meeting.minutes_approved_at is not None,
    }


def meeting_item(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    """One case on the meeting day: research from every agency, the minute and its actions."""
    item = permissions.access_managed_item(request.user, slug, pk, item_pk)
    meeting = item.meeting
    if request.method != "POST":
        return render(request, "marac/meeting_item.html", _item_context(request, meeting, item_pk))
    form = MinuteForm(request.POST)
    if form.is_valid():
        try:
            services.minute_save(acting_user=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"Minute of item {item.position} saved.")
            return redirect("marac:meeting_item", slug=slug, pk=pk, item_pk=item_pk)
    context = _item_context(request, meeting, item_pk, minute_form=form)
    return render(request, "marac/meeting_item.html", context, status=400)


@require_POST
def meeting_item_draft(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    """Save what is being typed into a minute (the page's script posts here as one types)."""
    item = permissions.access_managed_item(request.user, slug, pk, item_pk)
    text = {name: request.POST.get(name, "") for name in MINUTE_FIELDS}
    try:
        draft = services.minute_draft_save(acting_user=request.user, item=item, text=text)
    except ValidationError as error:
        return JsonResponse({"errors": error.messages}, status=400)
    saved = timezone.localtime(draft.saved_at)
    return JsonResponse({"saved_at": saved.isoformat(), "saved_at_display": f"{saved:%H:%M:%S}"})


@require_POST
def meeting_item_action(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    item = permissions.access_managed_item(request.user, slug, pk, item_pk)
    form = CaseActionForm(request.POST, agencies=_member_agencies(item.meeting))
    if form.is_valid():
        try:
            services.case_action_create(
                acting_user=request.user, case=item.case, meeting=item.meeting, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Action added.")
            return redirect("marac:meeting_item", slug=slug, pk=pk, item_pk=item_pk)
    context = _item_context(request, item.meeting, item_pk, action_form=form)
    return render(request, "marac/meeting_item.html", context, status=400)


@require_POST
def action_review(request: HttpRequest, slug: str, pk: int, action_pk: int) -> HttpResponse:
    meeting = permissions.access_managed_meeting(request.user, slug, pk)
    visible = permissions.cases_visible_to(request.user, Lens.FULL)
    action = services.actions_for_review(meeting).filter(pk=action_pk, case__in=visible).first()
    if action is None:
        raise Http404
    form = ActionReviewForm(request.POST, prefix=f"review-{action.pk}")
    if not form.is_valid():
        messages.error(request, "Choose done, not possible or not done.")
        return redirect("marac:meeting_day", slug=slug, pk=pk)
    try:
        services.case_action_review(
            acting_user=request.user, meeting=meeting, action=action, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Action reviewed and closed.")
    return redirect("marac:meeting_day", slug=slug, pk=pk)


@require_POST
def minutes_approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The chair approves the minutes, which circulates each agency's extract."""
    meeting = permissions.access_managed_meeting(request.user, slug, pk)
    if not permissions.can_chair(request.user, meeting.marac):
        raise Http404
    try:
        services.minutes_approve(acting_user=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Minutes approved and circulated to the member agencies.")
    return redirect("marac:meeting_day", slug=slug, pk=pk)


@require_GET
def tracker(request: HttpRequest, slug: str) -> HttpResponse:
    """Overdue actions by agency, for the MARAC's coordinators and chair."""
    marac = permissions.access_marac(request.user, slug, *permissions.FULL_LENS_ROLES)
    groups, open_count = meeting_selectors.overdue_by_agency(
        request.user, marac, ip_address=client_ip(request)
    )
    context = {"marac": marac, "groups": groups, "open_count": open_count}
    return render(request, "marac/tracker.html", context)

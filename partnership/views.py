"""Staff pages for the partnership model. Thin: access, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from partnership import permissions, selectors, services
from partnership.forms import (
    AttendanceForm,
    BoardMeetingForm,
    BoroughPopulationForm,
    GrantMembershipForm,
    InviteForm,
)
from partnership.models import Attendance, Role
from portal.forms import add_validation_error


def home(request: HttpRequest) -> HttpResponse:
    partnership = selectors.current_partnership(request)
    if partnership is None:
        return render(request, "partnership/no_partnership.html")
    return redirect(partnership)


@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    partnership = permissions.access_partnership(request.user, request.POST.get("partnership", ""))
    request.session[selectors.CURRENT_PARTNERSHIP_KEY] = partnership.slug
    return redirect(partnership)


def overview(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = permissions.access_partnership(request.user, slug)
    request.session[selectors.CURRENT_PARTNERSHIP_KEY] = partnership.slug
    context = {
        "partnership": partnership,
        "can_administer": permissions.has_role(request.user, partnership, Role.PARTNERSHIP_ADMIN),
        **selectors.partnership_overview(partnership),
    }
    return render(request, "partnership/overview.html", context)


def agency(request: HttpRequest, slug: str) -> HttpResponse:
    agency = permissions.access_agency(request.user, slug)
    partnerships = permissions.partnerships_visible_to(request.user)
    context = {"agency": agency, **selectors.agency_detail(agency, partnerships)}
    return render(request, "partnership/agency.html", context)


def board(request: HttpRequest, slug: str) -> HttpResponse:
    board = permissions.access_board(request.user, slug)
    context = {
        "board": board,
        "can_manage": permissions.can_manage_board(request.user, board),
        **selectors.board_detail(board),
    }
    return render(request, "partnership/board.html", context)


@require_http_methods(["GET", "POST"])
def board_meeting_new(request: HttpRequest, slug: str) -> HttpResponse:
    board = permissions.access_board(request.user, slug)
    if not permissions.can_manage_board(request.user, board):
        raise Http404
    form = BoardMeetingForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.board_meeting_create(
                acting_user=request.user, board=board, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Meeting added. Everyone on the board is invited.")
            return redirect(board)
    return render(request, "partnership/board_meeting_form.html", {"board": board, "form": form})


@require_http_methods(["GET", "POST"])
def attendance_edit(request: HttpRequest, slug: str, meeting_id: int, attendance_id: int):
    board = permissions.access_board(request.user, slug)
    if not permissions.can_manage_board(request.user, board):
        raise Http404
    try:
        attendance = Attendance.objects.select_related("user", "meeting").get(
            pk=attendance_id, meeting_id=meeting_id, meeting__board=board
        )
    except Attendance.DoesNotExist:
        raise Http404 from None
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        partnership=board.partnership,
        initial={"status": attendance.status, "substitute": attendance.substitute},
    )
    if form.is_valid():
        try:
            services.attendance_record(
                acting_user=request.user, attendance=attendance, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"Attendance recorded for {attendance.user}.")
            return redirect(board)
    context = {"board": board, "attendance": attendance, "form": form}
    return render(request, "partnership/attendance_form.html", context)


def people(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = permissions.access_partnership_admin(request.user, slug)
    context = {"partnership": partnership, "people": selectors.people_list(partnership)}
    return render(request, "partnership/people.html", context)


@require_http_methods(["GET", "POST"])
def person_invite(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = permissions.access_partnership_admin(request.user, slug)
    form = InviteForm(request.POST or None, partnership=partnership, acting_user=request.user)
    if form.is_valid():
        try:
            membership = services.person_invite(
                acting_user=request.user,
                partnership=partnership,
                request_host=request.get_host(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{membership.user} has been invited.")
            return redirect("partnership:people", slug=partnership.slug)
    return render(request, "partnership/invite.html", {"partnership": partnership, "form": form})


@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    partnership = permissions.access_partnership_admin(request.user, slug)
    person = permissions.access_person(request.user, partnership, person_id)
    form = GrantMembershipForm(
        request.POST or None, partnership=partnership, acting_user=request.user
    )
    if form.is_valid():
        try:
            services.membership_grant(
                acting_user=request.user, user=person, partnership=partnership, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"Role given to {person}.")
            return redirect("partnership:person", slug=slug, person_id=person.pk)
    context = {
        "partnership": partnership,
        "person": person,
        "memberships": selectors.person_memberships(person, partnership),
        "form": form,
    }
    return render(request, "partnership/person.html", context)


@require_POST
def membership_end(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    partnership = permissions.access_partnership_admin(request.user, slug)
    membership = permissions.access_membership(request.user, partnership, membership_id)
    try:
        services.membership_end(acting_user=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{membership.get_role_display()} role ended.")
    return redirect("partnership:person", slug=slug, person_id=membership.user_id)


@require_http_methods(["GET", "POST"])
def person_deactivate(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    partnership = permissions.access_partnership_admin(request.user, slug)
    person = permissions.access_person(request.user, partnership, person_id)
    error_message = None
    if request.method == "POST":
        try:
            services.person_deactivate(
                acting_user=request.user, user=person, partnership=partnership
            )
        except ValidationError as error:
            error_message = " ".join(error.messages)
        else:
            messages.success(request, f"{person}'s account has been deactivated.")
            return redirect("partnership:people", slug=slug)
    context = {"partnership": partnership, "person": person, "error_message": error_message}
    return render(request, "partnership/deactivate.html", context)


@require_http_methods(["GET", "POST"])
def borough_population(request: HttpRequest, slug: str, borough_slug: str) -> HttpResponse:
    partnership, borough = permissions.access_partnership_borough(request.user, slug, borough_slug)
    initial = {
        "population": borough.adult_female_population,
        "source": borough.population_source,
        "year": borough.population_year,
    }
    form = BoroughPopulationForm(request.POST or None, initial=initial)
    if form.is_valid():
        services.borough_population_update(
            acting_user=request.user, borough=borough, **form.cleaned_data
        )
        messages.success(request, f"Population updated for {borough}.")
        return redirect(partnership)
    context = {"partnership": partnership, "borough": borough, "form": form}
    return render(request, "partnership/borough_population.html", context)


@require_http_methods(["GET", "POST"])
def second_factor_reset(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    """A partnership administrator resets the second factor of someone who lost it."""
    partnership = permissions.access_partnership_admin(request.user, slug)
    person = permissions.access_person(request.user, partnership, person_id)
    error_message = None
    if request.method == "POST":
        try:
            services.second_factor_reset(
                acting_user=request.user, user=person, partnership=partnership
            )
        except ValidationError as error:
            error_message = " ".join(error.messages)
        else:
            messages.success(
                request,
                f"{person}'s second factor has been reset. They will set up a new one "
                "next time they sign in.",
            )
            return redirect("partnership:person", slug=slug, person_id=person.pk)
    context = {"partnership": partnership, "person": person, "error_message": error_message}
    return render(request, "partnership/second_factor_reset.html", context)


@require_POST
def person_unlock(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    partnership = permissions.access_partnership_admin(request.user, slug)
    person = permissions.access_person(request.user, partnership, person_id)
    try:
        services.account_unlock(acting_user=request.user, user=person, partnership=partnership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{person}'s account is unlocked. They can sign in again.")
    return redirect("partnership:person", slug=slug, person_id=person.pk)

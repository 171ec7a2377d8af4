"""The coordinator's dashboard, case list, exact lookup and case page; the representative's
agenda list; the IDVA's caseload."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from marac import meeting_selectors, permissions, selectors, services
from marac.forms import CaseRefLookupForm, MeetingChoiceForm, PersonLookupForm
from marac.models import Case, CaseStatus, Lens
from marac.views import client_ip
from partnership.models import Role


def _page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


def home(request: HttpRequest) -> HttpResponse:
    """Where each MARAC role starts: the MARACs the person works in and their own lists."""
    maracs = permissions.maracs_where(request.user).select_related("partnership")
    managed = set(
        permissions.maracs_where(request.user, *permissions.FULL_LENS_ROLES).values_list(
            "pk", flat=True
        )
    )
    roles = set(permissions.marac_memberships(request.user).values_list("role", flat=True))
    context = {
        "maracs": [(marac, marac.pk in managed) for marac in maracs],
        "is_representative": Role.MARAC_REPRESENTATIVE in roles,
        "is_idva": Role.IDVA in roles,
        "partnerships": sorted({m.partnership for m in maracs}, key=lambda p: p.name),
        "overseen": list(permissions.partnerships_overseen(request.user)),
    }
    return render(request, "marac/home.html", context)


def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    marac = permissions.access_marac(request.user, slug, *permissions.FULL_LENS_ROLES)
    context = {
        "marac": marac,
        "waiting": selectors.referrals_waiting(request.user, marac, ip_address=client_ip(request)),
        "next_meetings": list(selectors.next_meetings(marac)[:3]),
        "recent_meetings": selectors.recent_meetings(marac),
        "by_status": selectors.cases_by_status(marac),
        "overdue_actions": selectors.overdue_actions_count(marac),
        "minutes_awaiting": meeting_selectors.minutes_awaiting_approval(marac),
        "can_look_up": permissions.can_look_up(request.user, marac),
    }
    return render(request, "marac/dashboard.html", context)


def case_list(request: HttpRequest, slug: str) -> HttpResponse:
    marac = permissions.access_marac(request.user, slug, *permissions.FULL_LENS_ROLES)
    page = selectors.case_page(
        request.user,
        Lens.FULL,
        marac=marac,
        page=_page_number(request),
        ip_address=client_ip(request),
    )
    return render(request, "marac/case_list.html", {"marac": marac, "page": page})


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest, slug: str) -> HttpResponse:
    """Exact lookup by case reference, or by full name and date of birth (always a POST)."""
    marac = permissions.access_marac(request.user, slug, Role.MARAC_COORDINATOR)
    by_ref = CaseRefLookupForm(request.POST if "case_ref" in request.POST else None, prefix="ref")
    by_person = PersonLookupForm(
        request.POST if "person" in request.POST else None, prefix="person"
    )
    results = None
    status = 200
    try:
        if "case_ref" in request.POST and by_ref.is_valid():
            results = selectors.case_find_by_ref(
                request.user, marac, by_ref.cleaned_data["case_ref"], ip_address=client_ip(request)
            )
        elif "person" in request.POST and by_person.is_valid():
            results = selectors.cases_find_exact(
                request.user, marac, **by_person.cleaned_data, ip_address=client_ip(request)
            )
    except permissions.LookupLimitReached:
        status = 429
        messages.error(
            request,
            f"You have made {permissions.LOOKUPS_PER_HOUR} lookups in the last hour. "
            "Try again later.",
        )
    context = {"marac": marac, "by_ref": by_ref, "by_person": by_person, "results": results}
    return render(request, "marac/lookup.html", context, status=status)


def case(request: HttpRequest, pk: int) -> HttpResponse:
    """A case through the widest lens the person holds; 404 when they hold none."""
    lens = permissions.access_case_lens(request.user, pk)
    view = selectors.case_detail(request.user, pk, lens, ip_address=client_ip(request))
    record = Case.objects.select_related("marac").get(pk=pk)
    manages = lens == Lens.FULL and permissions.can_manage(request.user, record.marac)
    context = {
        "view": view,
        "case": record,
        "manages": manages,
        "viewers": list(selectors.case_viewers(request.user, pk)[:100]) if manages else None,
        "agenda_form": _agenda_form(record) if manages else None,
        "can_transfer": manages and permissions.can_transfer(request.user, record),
        "case_meetings": meeting_selectors.case_meetings(request.user, record, lens),
    }
    return render(request, "marac/case.html", context)


def _agenda_form(case: Case) -> MeetingChoiceForm | None:
    if case.status not in (CaseStatus.ACCEPTED, CaseStatus.HEARD):
        return None
    meetings = selectors.next_meetings(case.marac)
    return MeetingChoiceForm(meetings=meetings) if meetings.exists() else None


def _managed_case(request: HttpRequest, pk: int) -> Case:
    """A case whose MARAC the person coordinates or chairs (the read is recorded); else 404."""
    return permissions.access_managed_case(request.user, pk, ip_address=client_ip(request))


@require_POST
def case_list_on_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    case = _managed_case(request, pk)
    form = MeetingChoiceForm(request.POST, meetings=selectors.next_meetings(case.marac))
    if not form.is_valid():
        messages.error(request, "Choose a meeting.")
        return redirect("marac:case", pk=pk)
    try:
        services.agenda_item_add(
            acting_user=request.user, meeting=form.cleaned_data["meeting"], case=case
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Case listed on the agenda.")
    return redirect("marac:case", pk=pk)


def agenda_cases(request: HttpRequest) -> HttpResponse:
    """A representative's cases on their MARACs' circulated agendas, through the agenda lens."""
    if not permissions.maracs_where(request.user, Role.MARAC_REPRESENTATIVE).exists():
        raise Http404
    cases = selectors.agenda_cases(request.user, ip_address=client_ip(request))
    return render(request, "marac/agenda_cases.html", {"cases": cases})


def caseload(request: HttpRequest) -> HttpResponse:
    """The open cases allocated to an IDVA."""
    if not permissions.maracs_where(request.user, Role.IDVA).exists():
        raise Http404
    cases = selectors.idva_caseload(request.user, ip_address=client_ip(request))
    return render(request, "marac/caseload.html", {"cases": cases})

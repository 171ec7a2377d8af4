"""The referral form with the DASH checklist, and the repeat check before acceptance."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from marac import permissions, selectors, services
from marac.forms import ReferralForm
from marac.models import CaseStatus, Lens, MaracMemberAgency
from marac.views import client_ip
from partnership.models import Agency
from portal.forms import add_validation_error


def _member_agencies(marac) -> object:
    active = MaracMemberAgency.objects.filter(marac=marac, left_on__isnull=True)
    return Agency.objects.filter(pk__in=active.values("agency_id")).order_by("name")


def _submit(request: HttpRequest, marac, form: ReferralForm):
    data = form.cleaned_data
    perpetrator = services.PerpetratorDetails(
        first_name=data["perpetrator_first_name"], last_name=data["perpetrator_last_name"]
    )
    return services.referral_submit(
        acting_user=request.user,
        marac=marac,
        case_ref=data["case_ref"].strip(),
        referral_date=data["referral_date"],
        referring_agencies=[data["referring_agency"]],
        victim=services.VictimDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            gender=data["gender"],
            ethnicity=data["ethnicity"],
            lgbt=data["lgbt"],
            disability=data["disability"],
            address=data["address"],
            safe_contact=data["safe_contact"],
        ),
        dash=services.DashAnswers(answers=form.dash_answers(), assessed_on=data["referral_date"]),
        consent=data["consent"],
        lawful_basis=data["lawful_basis"],
        professional_judgement=data["professional_judgement"],
        pj_rationale=data["pj_rationale"],
        potential_escalation=data["potential_escalation"],
        incidents_12m=data["incidents_12m"],
        not_safe_to_talk=data["not_safe_to_talk"],
        perpetrators=[perpetrator],
        children_in_household=data["children_in_household"],
    )


@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, slug: str) -> HttpResponse:
    """A coordinator or chair enters a referral; it waits for acceptance."""
    marac = permissions.access_marac(request.user, slug, *permissions.FULL_LENS_ROLES)
    form = ReferralForm(request.POST or None, agencies=_member_agencies(marac))
    if form.is_valid():
        try:
            case = _submit(request, marac, form)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Referral saved. Check its repeat status and accept it.")
            return redirect("marac:referral_check", pk=case.pk)
    return render(request, "marac/referral_form.html", {"marac": marac, "form": form})


@require_http_methods(["GET", "POST"])
def referral_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The DASH score, criteria and repeat status a referral would get, before acceptance."""
    case = permissions.access_case(request.user, pk, Lens.FULL, ip_address=client_ip(request))
    if not permissions.can_manage(request.user, case.marac):
        raise Http404
    if case.status != CaseStatus.REFERRED:
        return redirect("marac:case", pk=pk)
    if request.method == "POST":
        try:
            services.case_accept(acting_user=request.user, case=case)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Referral accepted.")
            return redirect("marac:case", pk=pk)
    context = {"case": case, "check": selectors.repeat_check(case)}
    return render(request, "marac/referral_check.html", context)

"""The referral form with the DASH checklist, and the repeat check before acceptance."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from marac import permissions, selectors, services
from marac.forms import ReferralForm
from marac.models import CaseStatus, MaracMemberAgency
from marac.views import client_ip
from partnership.models import Agency
from portal.forms import add_validation_error


def _member_agencies(marac) -> object:
    active = MaracMemberAgency.objects.filter(marac=marac, left_on__isnull=True)
    return Agency.objects.filter(pk__in=active.values("agency_id")).order_by("name")


def submit_referral(*, acting_user, marac, agency, values: Mapping[str, Any], answers: list[str]):
    """Submit a referral from a page's or the API's cleaned values (the service holds the rules;
    equality categories and contact details the API does not take default to not known)."""
    victim = {
        name: values[name]
        for name in (
            "gender",
            "ethnicity",
            "lgbt",
            "disability",
            "address",
            "safe_contact",
        )
        if values.get(name)
    }
    return services.referral_submit(
        acting_user=acting_user,
        marac=marac,
        case_ref=values["case_ref"].strip(),
        referral_date=values["referral_date"],
        referring_agencies=[agency],
        victim=services.VictimDetails(
            first_name=values["first_name"],
            last_name=values["last_name"],
            date_of_birth=values["date_of_birth"],
            **victim,
        ),
        dash=services.DashAnswers(answers=answers, assessed_on=values["referral_date"]),
        consent=values["consent"],
        lawful_basis=values.get("lawful_basis") or "",
        professional_judgement=bool(values.get("professional_judgement")),
        pj_rationale=values.get("pj_rationale") or "",
        potential_escalation=bool(values.get("potential_escalation")),
        incidents_12m=values.get("incidents_12m"),
        not_safe_to_talk=values.get("not_safe_to_talk") or "",
        perpetrators=[
            services.PerpetratorDetails(
                first_name=values.get("perpetrator_first_name") or "",
                last_name=values.get("perpetrator_last_name") or "",
            )
        ],
        children_in_household=values.get("children_in_household") or 0,
    )


@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, slug: str) -> HttpResponse:
    """A coordinator or chair enters a referral; it waits for acceptance."""
    marac = permissions.access_marac(request.user, slug, *permissions.FULL_LENS_ROLES)
    form = ReferralForm(request.POST or None, agencies=_member_agencies(marac))
    if form.is_valid():
        try:
            case = submit_referral(
                acting_user=request.user,
                marac=marac,
                agency=form.cleaned_data["referring_agency"],
                values=form.cleaned_data,
                answers=form.dash_answers(),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Referral saved. Check its repeat status and accept it.")
            return redirect("marac:referral_check", pk=case.pk)
    return render(request, "marac/referral_form.html", {"marac": marac, "form": form})


@require_http_methods(["GET", "POST"])
def referral_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The DASH score, criteria and repeat status a referral would get, before acceptance."""
    case = permissions.access_managed_case(request.user, pk, ip_address=client_ip(request))
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

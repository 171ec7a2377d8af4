"""MARAC-to-MARAC transfers: the sending coordinator's request, the receiving coordinators'
answer, and each MARAC's list of transfers in and out."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from marac import permissions, selectors, services
from marac.forms import TransferDecisionForm, TransferRequestForm
from partnership.models import Role
from portal.forms import add_validation_error


@require_http_methods(["GET", "POST"])
def transfer_new(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.access_transferable_case(request.user, pk)
    form = TransferRequestForm(
        request.POST or None, destinations=selectors.transfer_destinations(case)
    )
    if form.is_valid():
        try:
            transfer = services.case_transfer_request(
                acting_user=request.user,
                case=case,
                to_marac=form.to_marac,
                outside_marac_name=form.outside_name,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if transfer.to_marac_id is None:
                messages.success(
                    request,
                    f"Case {case.case_ref} recorded as sent to {transfer.outside_marac_name}. "
                    "Your MARAC no longer has access to it.",
                )
            else:
                messages.success(request, f"Transfer requested from {transfer.to_marac}.")
            return redirect("marac:transfer", pk=transfer.pk)
    return render(request, "marac/transfer_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = permissions.access_transfer(request.user, pk)
    answers = permissions.can_answer_transfer(request.user, transfer)
    form = TransferDecisionForm(request.POST or None) if answers else None
    if request.method == "POST" and form is None:
        return redirect("marac:transfer", pk=pk)
    if form is not None and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                services.case_transfer_accept(acting_user=request.user, transfer=transfer)
            else:
                services.case_transfer_decline(
                    acting_user=request.user, transfer=transfer, reason=form.cleaned_data["reason"]
                )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if form.cleaned_data["decision"] == "accept":
                messages.success(request, f"Case {transfer.case.case_ref} transferred to you.")
                return redirect("marac:case", pk=transfer.case_id)
            messages.success(request, "Transfer declined.")
            return redirect("marac:transfer", pk=pk)
    return render(request, "marac/transfer.html", {"transfer": transfer, "form": form})


def transfers(request: HttpRequest, slug: str) -> HttpResponse:
    marac = permissions.access_marac(request.user, slug, Role.MARAC_COORDINATOR)
    context = {"marac": marac, **selectors.marac_transfers(request.user, marac)}
    return render(request, "marac/transfers.html", context)

"""Legal holds on a case: set and lifted, with a reason, by the coordinators of the MARAC
holding it and the partnership's data protection lead."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from marac import permissions, services
from marac.forms import LegalHoldForm
from portal.forms import add_validation_error


@require_http_methods(["GET", "POST"])
def legal_hold(request: HttpRequest, pk: int) -> HttpResponse:
    case = permissions.access_holdable_case(request.user, pk)
    holds = list(case.legal_holds.select_related("created_by", "lifted_by"))
    active = next((hold for hold in holds if hold.lifted_at is None), None)
    form = LegalHoldForm(request.POST or None)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if active is None:
                services.legal_hold_set(acting_user=request.user, case=case, reason=reason)
            else:
                services.legal_hold_lift(acting_user=request.user, hold=active, reason=reason)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request, "Legal hold lifted." if active else "Legal hold set: the case is kept."
            )
            return redirect("marac:legal_hold", pk=pk)
    context = {"case": case, "holds": holds, "active": active, "form": form}
    return render(request, "marac/legal_hold.html", context)

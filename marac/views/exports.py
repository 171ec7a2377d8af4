"""Exports of a MARAC's cases and actions: coordinators and the data protection lead, with a
second factor proved in the last few minutes (step-up through allauth's re-authentication)."""

from __future__ import annotations

from allauth.account.internal.flows.reauthentication import suspend_request
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_GET, require_http_methods

from marac import permissions, services
from marac.forms import ExportForm
from marac.views import client_ip
from portal.verification import second_factor_within


def _needs_step_up(request: HttpRequest) -> bool:
    return not second_factor_within(request, settings.MARAC_EXPORT_STEP_UP_SECONDS)


def _step_up(request: HttpRequest) -> HttpResponse:
    """Ask for a code from the authenticator; the request resumes once it is given."""
    return suspend_request(request, reverse("mfa_reauthenticate"))


@require_http_methods(["GET", "POST"])
def exports(request: HttpRequest, slug: str) -> HttpResponse:
    marac = permissions.access_export_marac(request.user, slug)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _needs_step_up(request):
            return _step_up(request)
        export = services.case_export_create(
            acting_user=request.user,
            marac=marac,
            kind=form.cleaned_data["kind"],
            ip_address=client_ip(request),
        )
        messages.success(
            request, f"Export ready: {export.row_count} row{'s' if export.row_count != 1 else ''}."
        )
        return redirect("marac:exports", slug=slug)
    context = {
        "marac": marac,
        "form": form,
        "exports": permissions.exports_visible_to(request.user).filter(marac=marac),
        "ttl_minutes": settings.MARAC_EXPORT_TTL_MINUTES,
        "step_up_minutes": settings.MARAC_EXPORT_STEP_UP_SECONDS // 60,
        "now": timezone.now(),
    }
    return render(request, "marac/exports.html", context)


@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = permissions.access_export(request.user, pk)
    if _needs_step_up(request):
        return _step_up(request)
    content = services.case_export_download(
        acting_user=request.user, export=export, ip_address=client_ip(request)
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    name = f"{export.marac.slug}-{export.kind}-{export.created_at:%Y%m%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response

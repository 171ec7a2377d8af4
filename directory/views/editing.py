"""Staff pages for keeping the directory current. Thin: access, call a service, render.

Service editors edit their agency's services (a published service's edits wait as a draft);
partnership administrators also publish, discard drafts and withdraw services.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from directory import permissions, selectors, services
from directory.forms import NewServiceForm, ServiceForm
from directory.models import Service
from portal.forms import add_validation_error


def _require_editing(request: HttpRequest) -> None:
    if not permissions.can_use_directory_editing(request.user):
        raise Http404


def manage(request: HttpRequest) -> HttpResponse:
    _require_editing(request)
    rows = selectors.editor_rows(permissions.services_editable_by(request.user))
    context = {
        "rows": rows,
        "needs_check": sum(1 for row in rows if row.needs_check),
        "waiting": sum(1 for row in rows if row.service.draft or not row.service.is_published),
        "can_add": permissions.creatable_agencies(request.user).exists(),
    }
    return render(request, "directory/editing/manage.html", context)


@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest) -> HttpResponse:
    _require_editing(request)
    agencies = list(permissions.creatable_agencies(request.user).values_list("slug", "name"))
    if not agencies:
        raise Http404
    form = NewServiceForm(
        request.POST or None,
        agencies=agencies,
        initial={"is_free": True, "accepts_self_referral": True, "languages": ["en"]},
    )
    if request.method == "POST" and form.is_valid():
        agency = permissions.creatable_agencies(request.user).get(slug=form.cleaned_data["agency"])
        try:
            service = services.service_create(
                acting_user=request.user, agency=agency, data=form.service_data()
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Service added as a draft. It is not public until published.")
            return redirect("directory:manage_service", service_id=service.pk)
    return render(request, "directory/editing/service_form.html", {"form": form, "new": True})


def service_detail(request: HttpRequest, service_id: str) -> HttpResponse:
    service = permissions.access_service_for_editing(request.user, service_id)
    context = {
        "service": service,
        "data": services.data_from_service(service),
        "can_publish": permissions.can_publish(request.user, service),
        "row": selectors.editor_rows(Service.objects.filter(pk=service.pk))[0],
        "public": permissions.public_services().filter(pk=service.pk).exists(),
    }
    return render(request, "directory/editing/service.html", context)


@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: str) -> HttpResponse:
    service = permissions.access_service_for_editing(request.user, service_id)
    initial = ServiceForm.initial_from(services.data_from_service(service))
    form = ServiceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_edit(
                acting_user=request.user, service=service, data=form.service_data()
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            text = (
                "Changes saved. A partnership administrator needs to publish them."
                if service.is_published
                else "Changes saved."
            )
            messages.success(request, text)
            return redirect("directory:manage_service", service_id=service.pk)
    return render(
        request, "directory/editing/service_form.html", {"form": form, "service": service}
    )


@require_POST
def service_confirm(request: HttpRequest, service_id: str) -> HttpResponse:
    service = permissions.access_service_for_editing(request.user, service_id)
    services.service_confirm_checked(acting_user=request.user, service=service)
    messages.success(request, "Thank you. The service shows today as the date it was checked.")
    return redirect("directory:manage_service", service_id=service.pk)


@require_POST
def service_publish(request: HttpRequest, service_id: str) -> HttpResponse:
    service = permissions.access_service_for_publishing(request.user, service_id)
    try:
        services.service_publish(acting_user=request.user, service=service)
    except ValidationError as error:
        messages.error(request, f"The changes could not be published: {' '.join(error.messages)}")
    else:
        messages.success(request, "Published. The public directory now shows this service.")
    return redirect("directory:manage_service", service_id=service.pk)


@require_POST
def service_discard(request: HttpRequest, service_id: str) -> HttpResponse:
    service = permissions.access_service_for_publishing(request.user, service_id)
    services.service_draft_discard(acting_user=request.user, service=service)
    messages.success(request, "The waiting changes were discarded.")
    return redirect("directory:manage_service", service_id=service.pk)


@require_POST
def service_withdraw(request: HttpRequest, service_id: str) -> HttpResponse:
    service = permissions.access_service_for_publishing(request.user, service_id)
    services.service_withdraw(acting_user=request.user, service=service)
    messages.success(request, "Withdrawn. The service is no longer in the public directory.")
    return redirect("directory:manage_service", service_id=service.pk)

"""Action-plan pages. Thin: access (permissions), a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from actions import permissions, selectors, services
from actions.forms import (
    ActionForm,
    MeasureDetailsForm,
    MeasureForm,
    MeasureUploadForm,
    MeasureValueForm,
    NewStrategyForm,
    NewVersionForm,
    PlanFilterForm,
    PriorityForm,
    ProgressForm,
    SpreadsheetUploadForm,
    StatusForm,
    StrategyForm,
)
from actions.quarters import Quarter
from actions.spreadsheets import SpreadsheetErrors, export_rows, read_plan, write_csv, write_xlsx
from partnership.permissions import access_partnership, people_of
from portal.forms import add_validation_error

MEASURE_QUARTERS = 8


def strategies(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = access_partnership(request.user, slug)
    context = {
        "partnership": partnership,
        "strategies": selectors.strategies_of(
            partnership, permissions.strategies_visible_to(request.user)
        ),
        "can_change": permissions.is_commissioner(request.user, partnership),
    }
    return render(request, "actions/strategies.html", context)


@require_http_methods(["GET", "POST"])
def strategy_new(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = access_partnership(request.user, slug)
    permissions.require_commissioner(request.user, partnership)
    form = NewStrategyForm(request.POST or None)
    if form.is_valid():
        try:
            strategy = services.strategy_create(
                acting_user=request.user, partnership=partnership, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Draft strategy created.")
            return redirect(strategy)
    return render(request, "actions/strategy_new.html", {"partnership": partnership, "form": form})


def strategy(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = permissions.access_strategy(request.user, slug)
    can_change = permissions.can_change_structure(request.user, strategy)
    context = {
        "strategy": strategy,
        "partnership": strategy.partnership,
        "can_change": can_change,
        "versions": selectors.strategy_versions(strategy),
        "status_form": StatusForm(boards=strategy.partnership.boards.order_by("name"))
        if can_change
        else None,
        "version_form": NewVersionForm(initial={"slug": f"{strategy.slug}-next", "version": ""})
        if can_change
        else None,
    }
    return render(request, "actions/strategy.html", context)


@require_http_methods(["GET", "POST"])
def strategy_edit(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = permissions.access_strategy_for_change(request.user, slug)
    people = people_of(strategy.partnership).order_by("full_name")
    initial = {name: getattr(strategy, name) for name in services.DOCUMENT_FIELDS}
    initial["lock_version"] = strategy.lock_version
    form = StrategyForm(request.POST or None, initial=initial, people=people)
    if form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("lock_version") or strategy.lock_version
        try:
            services.strategy_update(
                acting_user=request.user, strategy=strategy, expected_version=expected, **data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Document control saved.")
            return redirect(strategy)
    return render(request, "actions/strategy_form.html", {"strategy": strategy, "form": form})


@require_http_methods(["POST"])
def strategy_status(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = permissions.access_strategy_for_change(request.user, slug)
    form = StatusForm(request.POST, boards=strategy.partnership.boards.order_by("name"))
    if form.is_valid():
        try:
            services.strategy_set_status(
                acting_user=request.user, strategy=strategy, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Status changed.")
    else:
        messages.error(request, "Choose a status.")
    return redirect(strategy)


@require_http_methods(["POST"])
def strategy_new_version(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = permissions.access_strategy_for_change(request.user, slug)
    form = NewVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the new version a short name and a version number.")
        return redirect(strategy)
    try:
        copy = services.strategy_new_version(
            acting_user=request.user, source=strategy, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(strategy)
    messages.success(request, "New draft version created as a copy.")
    return redirect(copy)


def _filters(form: PlanFilterForm) -> selectors.PlanFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.PlanFilters(
        agency=data.get("agency", ""),
        borough=data.get("borough", ""),
        status=data.get("status", ""),
        overdue=data.get("overdue", False),
        no_update=data.get("no_update", False),
        text=data.get("q", ""),
    )


def plan(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = permissions.access_strategy(request.user, slug)
    form = PlanFilterForm(request.GET)
    filters = _filters(form)
    quarter = Quarter.parse(request.GET.get("quarter", ""))
    if quarter is not None and quarter >= Quarter.containing(timezone.localdate()):
        quarter = None
    context = {
        "strategy": strategy,
        "partnership": strategy.partnership,
        "filters": filters,
        "quarter": quarter,
        "past_quarters": selectors.past_quarters(strategy),
        "can_change": permissions.can_change_structure(request.user, strategy),
        **selectors.plan_filter_choices(strategy),
        **selectors.action_plan(strategy, filters=filters, quarter=quarter),
    }
    template = "actions/_plan_results.html" if request.headers.get("HX-Request") else None
    return render(request, template or "actions/plan.html", context)


def plan_export(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = permissions.access_strategy(request.user, slug)
    rows = export_rows(selectors.export_actions(strategy))
    if request.GET.get("format") == "xlsx":
        data = write_xlsx(rows)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        extension = "xlsx"
    else:
        data, content_type, extension = write_csv(rows), "text/csv; charset=utf-8", "csv"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{strategy.slug}.{extension}"'
    return response


@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, slug: str) -> HttpResponse:
    strategy = permissions.access_strategy_for_change(request.user, slug)
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        table = read_plan(upload.read(), filename=upload.name)
        try:
            result = services.action_plan_import(
                acting_user=request.user,
                strategy=strategy,
                table=table,
                create_agencies=form.cleaned_data["create_agencies"],
            )
        except SpreadsheetErrors as errors:
            problems = errors.lines
        else:
            messages.success(
                request,
                f"Imported {len(table.rows)} actions: {len(result.created)} new, "
                f"{len(result.updated)} changed, {len(result.unchanged)} unchanged.",
            )
            return redirect("actions:plan", slug=strategy.slug)
    context = {"strategy": strategy, "form": form, "problems": problems}
    return render(request, "actions/plan_import.html", context)


@require_http_methods(["GET", "POST"])
def priority_edit(request: HttpRequest, slug: str, code: str | None = None) -> HttpResponse:
    strategy = permissions.access_strategy_for_change(request.user, slug)
    priority = permissions.access_priority(strategy, code) if code else None
    initial = (
        {n: getattr(priority, n) for n in ("code", "title", "description", "position")}
        if priority
        else {}
    )
    form = PriorityForm(request.POST or None, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if priority is None:
                services.priority_create(acting_user=request.user, strategy=strategy, **data)
            else:
                data["position"] = data["position"] if data["position"] is not None else 0
                services.priority_update(acting_user=request.user, priority=priority, **data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Priority saved.")
            return redirect("actions:plan", slug=strategy.slug)
    context = {"strategy": strategy, "priority": priority, "form": form}
    return render(request, "actions/priority_form.html", context)


def action(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    action = permissions.access_action(request.user, slug, ref)
    context = {
        "action": action,
        "strategy": action.strategy,
        "can_update": permissions.can_post_progress(request.user, action),
        "can_change": permissions.can_change_structure(request.user, action.strategy),
        **selectors.action_detail(action),
    }
    return render(request, "actions/action.html", context)


@require_http_methods(["GET", "POST"])
def action_progress(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    action = permissions.access_action_for_progress(request.user, slug, ref)
    form = ProgressForm(request.POST or None, action=action, initial={"status": action.status})
    if form.is_valid():
        try:
            services.action_progress_record(
                acting_user=request.user,
                action=action,
                agency=permissions.posting_agency(request.user, action),
                status=form.cleaned_data["status"],
                narrative=form.cleaned_data["narrative"],
                next_steps=form.cleaned_data["next_steps"],
                milestones_done=form.cleaned_data.get("milestones_done", []),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"Progress on {action.ref} posted.")
            return redirect(action)
    return render(request, "actions/progress_form.html", {"action": action, "form": form})


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, slug: str, ref: str | None = None) -> HttpResponse:
    if ref is None:
        strategy = permissions.access_strategy_for_change(request.user, slug)
        action, initial = None, {"timescale_kind": "ongoing"}
        initial["boroughs"] = list(strategy.partnership.boroughs.all())
    else:
        action = permissions.access_action_for_change(request.user, slug, ref)
        strategy, initial = action.strategy, ActionForm.initial_for(action)
    form = ActionForm(
        request.POST or None,
        initial=initial,
        strategy=strategy,
        agencies=permissions.agencies_for_plan(strategy.partnership),
    )
    stale_changes = []
    if form.is_valid():
        arguments = form.service_arguments()
        try:
            if action is None:
                action = services.action_create(acting_user=request.user, **arguments)
            else:
                expected = form.cleaned_data["lock_version"] or action.lock_version
                action = services.action_update(
                    acting_user=request.user,
                    action=action,
                    expected_version=expected,
                    **arguments,
                )
        except services.StaleEdit as stale:
            stale_changes = stale.changes
            form.add_error(None, stale)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"Action {action.ref} saved.")
            return redirect(action)
    context = {
        "strategy": strategy,
        "action": action,
        "form": form,
        "stale_changes": stale_changes,
        "current_version": action.lock_version if action else None,
    }
    return render(request, "actions/action_form.html", context)


def my_actions(request: HttpRequest) -> HttpResponse:
    rows = selectors.my_actions(
        request.user, permissions.actions_updatable_by_lead_officer(request.user)
    )
    return render(request, "actions/my_actions.html", {"rows": rows})


def measures(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = access_partnership(request.user, slug)
    quarters = Quarter.containing(timezone.localdate()).last(MEASURE_QUARTERS)
    context = {
        "partnership": partnership,
        "quarters": quarters,
        "rows": selectors.measures_table(partnership, quarters),
        "can_change": permissions.can_manage_measures(request.user, partnership),
    }
    return render(request, "actions/measures.html", context)


@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = access_partnership(request.user, slug)
    permissions.require_measure_manager(request.user, partnership)
    form = MeasureForm(request.POST or None)
    if form.is_valid():
        try:
            services.measure_create(
                acting_user=request.user, partnership=partnership, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Measure added.")
            return redirect("actions:measures", slug=partnership.slug)
    return render(request, "actions/measure_form.html", {"partnership": partnership, "form": form})


@require_http_methods(["GET", "POST"])
def measure(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    partnership = access_partnership(request.user, slug)
    measure = permissions.access_measure(request.user, partnership, code)
    can_change = permissions.can_manage_measures(request.user, partnership)
    quarters = Quarter.containing(timezone.localdate()).last(MEASURE_QUARTERS)
    form = None
    if can_change:
        form = MeasureValueForm(request.POST or None, measure=measure, quarters=quarters)
        if form.is_valid():
            try:
                services.measure_value_set(
                    acting_user=request.user,
                    measure=measure,
                    borough=form.cleaned_data["borough"],
                    quarter_end=form.cleaned_data["quarter"],
                    value=form.cleaned_data["value"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, "Value saved.")
                return redirect("actions:measure", slug=partnership.slug, code=measure.code)
    elif request.method == "POST":
        permissions.require_measure_manager(request.user, partnership)
    rows = [r for r in selectors.measures_table(partnership, quarters) if r.measure == measure]
    context = {"partnership": partnership, "measure": measure, "row": rows[0], "form": form}
    return render(request, "actions/measure.html", context)


@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    partnership = access_partnership(request.user, slug)
    measure = permissions.access_measure(request.user, partnership, code)
    permissions.require_measure_manager(request.user, partnership)
    initial = {name: getattr(measure, name) for name in MeasureDetailsForm.base_fields}
    form = MeasureDetailsForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.measure_update(acting_user=request.user, measure=measure, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Measure saved.")
            return redirect("actions:measure", slug=partnership.slug, code=measure.code)
    context = {"partnership": partnership, "measure": measure, "form": form}
    return render(request, "actions/measure_edit.html", context)


@require_http_methods(["GET", "POST"])
def measure_upload(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = access_partnership(request.user, slug)
    permissions.require_measure_manager(request.user, partnership)
    form = MeasureUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if form.is_valid():
        try:
            count = services.measure_values_import(
                acting_user=request.user,
                partnership=partnership,
                data=form.cleaned_data["file"].read(),
            )
        except SpreadsheetErrors as errors:
            problems = errors.lines
        else:
            messages.success(request, f"{count} values loaded.")
            return redirect("actions:measures", slug=partnership.slug)
    context = {"partnership": partnership, "form": form, "problems": problems}
    return render(request, "actions/measure_upload.html", context)

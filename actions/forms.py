"""Forms for the action-plan pages. They parse input; the services hold the rules."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from actions import permissions
from actions.models import ActionStatus, Better, Measure, MeasureUnit, StrategyStatus, TimescaleKind
from actions.quarters import Quarter
from actions.services import MilestoneSpec
from actions.services.plan import ACTION_TEXT_FIELDS
from portal.forms import GovukForm

_MILESTONE_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*[:\-–]?\s*(.+)$")


class DateInput(forms.DateInput):
    input_type = "date"


def _date_field(label: str, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DateInput, **kwargs)


class ProgressForm(GovukForm):
    status = forms.ChoiceField(
        label="Status now", choices=ActionStatus.choices, widget=forms.RadioSelect
    )
    narrative = forms.CharField(
        label="What progress has been made?",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    next_steps = forms.CharField(
        label="What will be done to bring it back on track?",
        help_text="Needed when the action turns red or amber.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    milestones_done = forms.ModelMultipleChoiceField(
        label="Milestones now done",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, action, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        open_milestones = action.milestones.filter(done=False)
        self.fields["milestones_done"].queryset = open_milestones
        if not open_milestones.exists():
            del self.fields["milestones_done"]


class ActionForm(GovukForm):
    priority = forms.ModelChoiceField(label="Priority", queryset=None, empty_label=None)
    ref = forms.CharField(label="Reference", help_text="For example B.2 or 3.1.", max_length=20)
    title = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    milestones = forms.CharField(
        label="Sub-actions and milestones",
        required=False,
        help_text="One per line. Start a line with a due date (2026-06-30) to give it one.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    outcomes = forms.CharField(
        label="Outcomes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    resources = forms.CharField(label="Resources", required=False)
    resource_amount = forms.DecimalField(
        label="Amount in pounds", required=False, max_digits=12, decimal_places=2, min_value=0
    )
    timescale_kind = forms.ChoiceField(
        label="Timescale", choices=TimescaleKind.choices, widget=forms.RadioSelect
    )
    timescale_date = _date_field(
        "Due date", help_text="For a month, give its last day. Leave empty if ongoing."
    )
    primary_lead = forms.ModelChoiceField(
        label="Primary lead agency", queryset=None, required=False
    )
    supporting_leads = forms.ModelMultipleChoiceField(
        label="Supporting agencies",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    boroughs = forms.ModelMultipleChoiceField(
        label="Boroughs it applies to", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    performance_measures = forms.CharField(
        label="Performance measures", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    indicator_name = forms.ChoiceField(label="Show a live figure beside it", required=False)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, strategy, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = strategy.priorities.order_by("position")
        self.fields["primary_lead"].queryset = agencies
        self.fields["supporting_leads"].queryset = agencies
        self.fields["boroughs"].queryset = strategy.partnership.boroughs.order_by("name")
        self.fields["indicator_name"].choices = [
            ("", "None"),
            *permissions.live_figure_choices(strategy.partnership),
        ]

    def clean_milestones(self) -> list[MilestoneSpec]:
        specs = []
        for number, line in enumerate(self.cleaned_data["milestones"].splitlines(), start=1):
            if not line.strip():
                continue
            match = _MILESTONE_LINE.match(line)
            if match is None:
                specs.append(MilestoneSpec(line.strip()))
                continue
            try:
                due = date.fromisoformat(match.group(1))
            except ValueError:
                raise ValidationError(
                    f"Line {number} starts with a date that does not exist."
                ) from None
            specs.append(MilestoneSpec(match.group(2).strip(), due))
        return specs

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        primary, supporting = data.pop("primary_lead"), list(data.pop("supporting_leads"))
        data["lead_agencies"] = ([primary] if primary else []) + [
            a for a in supporting if a != primary
        ]
        data.pop("lock_version", None)
        return data

    @staticmethod
    def initial_for(action) -> dict:
        leads = list(action.leads.select_related("agency"))
        milestones = [
            f"{m.due_date.isoformat()} {m.title}" if m.due_date else m.title
            for m in action.milestones.all()
        ]
        return {
            **{name: getattr(action, name) for name in [*ACTION_TEXT_FIELDS, "lock_version"]},
            "milestones": "\n".join(milestones),
            "primary_lead": next((lead.agency for lead in leads if lead.is_primary), None),
            "supporting_leads": [lead.agency for lead in leads if not lead.is_primary],
            "boroughs": list(action.boroughs.all()),
        }


class StrategyForm(GovukForm):
    title = forms.CharField(label="Title", max_length=300)
    version = forms.CharField(label="Version", max_length=20)
    period_start = _date_field("Period starts")
    period_end = _date_field("Period ends")
    owner = forms.CharField(label="Owner", required=False, help_text="The team or post.")
    lead_officer = forms.ModelChoiceField(label="Lead officer", queryset=None, required=False)
    review_date = _date_field("Review date")
    target_audience = forms.CharField(label="Target audience", required=False)
    related_documents = forms.CharField(
        label="Related documents", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = people


class NewStrategyForm(GovukForm):
    title = forms.CharField(label="Title", max_length=300)
    slug = forms.SlugField(
        label="Short name for web addresses", help_text="Lower case letters, numbers and hyphens."
    )
    version = forms.CharField(label="Version", max_length=20, initial="0.1")


class StatusForm(GovukForm):
    status = forms.ChoiceField(label="New status", choices=StrategyStatus.choices)
    approved_by = forms.ModelChoiceField(
        label="Approved by (when approving)", queryset=None, required=False
    )
    approved_on = _date_field("Approved on (when approving)")

    def __init__(self, *args, boards, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approved_by"].queryset = boards


class NewVersionForm(GovukForm):
    slug = forms.SlugField(label="Short name for web addresses of the new version")
    version = forms.CharField(label="Version number", max_length=20)


class PriorityForm(GovukForm):
    code = forms.CharField(label="Code", max_length=10, help_text="For example A or 3.")
    title = forms.CharField(label="Title", max_length=500)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    position = forms.IntegerField(label="Position in the plan", min_value=0, required=False)


class SpreadsheetUploadForm(GovukForm):
    file = forms.FileField(label="Spreadsheet (CSV or .xlsx)")
    create_agencies = forms.BooleanField(
        label="Create lead agencies the portal does not know yet", required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError("The file must be smaller than 5 MB.")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError("The file must be a CSV or an .xlsx workbook.")
        return upload


class MeasureUploadForm(GovukForm):
    file = forms.FileField(
        label="Values (CSV)",
        help_text="Columns: measure (its code), borough, quarter_end (like 2025-06-30), value.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError("The file must be smaller than 5 MB.")
        return upload


class MeasureForm(GovukForm):
    code = forms.SlugField(label="Code", help_text="Used in uploads, like idva-caseload.")
    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    unit = forms.ChoiceField(label="Unit", choices=MeasureUnit.choices)
    target = forms.DecimalField(label="Target", required=False, max_digits=14, decimal_places=4)
    better = forms.ChoiceField(label="Which direction is better", choices=Better.choices)


class MeasureValueForm(GovukForm):
    borough = forms.ModelChoiceField(label="Borough", queryset=None, empty_label=None)
    quarter = forms.ChoiceField(label="Quarter")
    value = forms.DecimalField(label="Value", max_digits=14, decimal_places=4)

    def __init__(self, *args, measure: Measure, quarters: list[Quarter], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["borough"].queryset = measure.partnership.boroughs.order_by("name")
        self.fields["quarter"].choices = [(q.key, q.label) for q in reversed(quarters)]

    def clean_quarter(self) -> date:
        quarter = Quarter.parse(self.cleaned_data["quarter"])
        if quarter is None:
            raise ValidationError("Choose a quarter.")
        return quarter.end


class PlanFilterForm(forms.Form):
    """The plan's filters (GET). Rendered by hand in the plan template."""

    agency = forms.CharField(required=False)
    borough = forms.CharField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "Any"), *ActionStatus.choices])
    overdue = forms.BooleanField(required=False)
    no_update = forms.BooleanField(required=False)
    q = forms.CharField(required=False, max_length=200)
    quarter = forms.CharField(required=False)

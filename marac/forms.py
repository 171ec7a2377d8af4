"""Forms for the MARAC pages. They parse input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from marac.models import DASH_QUESTIONS, Consent, Ethnicity, Gender, YesNo
from portal.forms import GovukForm


class DateInput(forms.DateInput):
    """A browser date picker: its value is always ISO, whatever the locale."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class CaseRefLookupForm(GovukForm):
    case_ref = forms.CharField(label="Case reference", max_length=40)


class PersonLookupForm(GovukForm):
    """Exact name and date of birth: there is no partial-name search."""

    first_name = forms.CharField(label="Victim's first name", max_length=100)
    last_name = forms.CharField(label="Victim's last name", max_length=100)
    date_of_birth = forms.DateField(label="Victim's date of birth", widget=DateInput)


class MeetingChoiceForm(GovukForm):
    meeting = forms.ModelChoiceField(label="Meeting", queryset=None, empty_label=None)

    def __init__(self, *args, meetings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.date:%-d %B %Y}"


class MeetingForm(GovukForm):
    date = forms.DateField(label="Meeting date", widget=DateInput)


class PeriodForm(forms.Form):
    """A reporting period; defaults to the last 12 whole months."""

    start = forms.DateField(label="From", widget=DateInput, required=False)
    end = forms.DateField(label="To", widget=DateInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("The start of the period is after its end.")
        return data


DASH_CHOICES = [(YesNo.YES, "Yes"), (YesNo.NO, "No"), (YesNo.NOT_KNOWN, "Don't know")]


class ReferralForm(GovukForm):
    """A referral with its DASH risk checklist. The score is counted by the service; the page's
    script only shows it as the answers are chosen."""

    case_ref = forms.CharField(label="Case reference", max_length=40)
    referral_date = forms.DateField(label="Date of referral", widget=DateInput)
    referring_agency = forms.ModelChoiceField(label="Referring agency", queryset=None)
    first_name = forms.CharField(label="Victim's first name", max_length=100)
    last_name = forms.CharField(label="Victim's last name", max_length=100)
    date_of_birth = forms.DateField(label="Victim's date of birth", widget=DateInput)
    gender = forms.ChoiceField(label="Victim's gender", choices=Gender.choices)
    ethnicity = forms.ChoiceField(label="Victim's ethnic group", choices=Ethnicity.choices)
    lgbt = forms.ChoiceField(label="Is the victim LGBT+?", choices=YesNo.choices)
    disability = forms.ChoiceField(
        label="Does the victim have a disability?", choices=YesNo.choices
    )
    address = forms.CharField(
        label="Victim's address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    safe_contact = forms.CharField(
        label="Safe contact details",
        required=False,
        help_text="How and when it is safe to contact the victim.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    not_safe_to_talk = forms.CharField(
        label="Who does the victim believe it is not safe to talk to?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    perpetrator_first_name = forms.CharField(
        label="Perpetrator's first name", max_length=100, required=False
    )
    perpetrator_last_name = forms.CharField(
        label="Perpetrator's last name", max_length=100, required=False
    )
    children_in_household = forms.IntegerField(
        label="Children in the household", min_value=0, max_value=30, initial=0
    )
    consent = forms.ChoiceField(
        label="Consent", choices=Consent.choices[:2], widget=forms.RadioSelect
    )
    lawful_basis = forms.CharField(
        label="Lawful basis for sharing without consent", max_length=300, required=False
    )
    professional_judgement = forms.BooleanField(
        label="Referred on professional judgement", required=False
    )
    pj_rationale = forms.CharField(
        label="Reason for professional judgement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    potential_escalation = forms.BooleanField(label="Potential escalation", required=False)
    incidents_12m = forms.IntegerField(
        label="Incidents in the past 12 months", min_value=0, max_value=999, required=False
    )

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referring_agency"].queryset = agencies
        self.fields["referral_date"].initial = timezone.localdate()
        for number, question in enumerate(DASH_QUESTIONS, start=1):
            self.fields[f"dash_{number}"] = forms.ChoiceField(
                label=f"{number}. {question}",
                choices=DASH_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "dash-answer"}),
            )

    def dash_fields(self) -> list:
        return [self[f"dash_{n}"] for n in range(1, len(DASH_QUESTIONS) + 1)]

    def detail_fields(self) -> list:
        return [self[name] for name in self.fields if not name.startswith("dash_")]

    def dash_answers(self) -> list[str]:
        return [self.cleaned_data[f"dash_{n}"] for n in range(1, len(DASH_QUESTIONS) + 1)]


# Meetings (issue 7): the agenda builder, the meeting day, research and agencies' actions.


class AgendaAddForm(GovukForm):
    """Cases to list, all of one kind: as new or repeat by their status, emergency or review."""

    KINDS = [("auto", "New or repeat"), ("emergency", "Emergency"), ("review", "Review")]

    cases = forms.ModelMultipleChoiceField(
        label="Cases", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    kind = forms.ChoiceField(choices=KINDS, widget=forms.HiddenInput)

    def __init__(self, *args, cases, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["cases"].label_from_instance = lambda c: c.case_ref


class AttendanceForm(GovukForm):
    agency = forms.ModelChoiceField(label="Agency", queryset=None)
    name = forms.CharField(label="Name", max_length=150)
    kind = forms.ChoiceField(
        label="Attended as",
        choices=[
            ("representative", "Representative"),
            ("observer", "Observer"),
            ("apologies", "Sent apologies"),
        ],
        widget=forms.RadioSelect,
    )
    confidentiality_signed = forms.BooleanField(
        label="Signed the confidentiality statement", required=False
    )
    information_sent = forms.BooleanField(
        label="Sent their agency's information instead", required=False
    )

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, prefix="attendance", **kwargs)
        self.fields["agency"].queryset = agencies


class MinuteForm(GovukForm):
    risks = forms.CharField(
        label="Risks",
        required=False,
        max_length=20_000,
        help_text="The risks to the victim, the children and others, as the meeting saw them.",
        widget=forms.Textarea(attrs={"rows": 5, "data-draft": "risks"}),
    )
    victim_voice = forms.CharField(
        label="The victim's voice",
        required=False,
        max_length=20_000,
        help_text="What the victim wants and fears, as the IDVA tells the meeting.",
        widget=forms.Textarea(attrs={"rows": 4, "data-draft": "victim_voice"}),
    )
    decisions = forms.CharField(
        label="Decisions",
        max_length=20_000,
        help_text="What the meeting decided. Each agency sees this in its extract.",
        widget=forms.Textarea(attrs={"rows": 5, "data-draft": "decisions"}),
        error_messages={"required": "Record what the meeting decided."},
    )


class CaseActionForm(GovukForm):
    owner_agency = forms.ModelChoiceField(label="Agency", queryset=None)
    text = forms.CharField(
        label="Action",
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the agency is to do."},
    )
    focus = forms.ChoiceField(
        label="Focus",
        choices=[
            ("victim", "Victim"),
            ("children", "Children"),
            ("perpetrator", "Perpetrator"),
            ("other", "Other"),
        ],
        widget=forms.RadioSelect,
    )
    due_on = forms.DateField(label="Due by", widget=DateInput)

    def __init__(self, *args, agencies, **kwargs) -> None:
        super().__init__(*args, prefix="action", **kwargs)
        self.fields["owner_agency"].queryset = agencies


REVIEW_CHOICES = [
    ("done", "Done"),
    ("not_possible", "Not possible: circumstances changed"),
    ("not_done", "Not done by the agency"),
]


class ActionReviewForm(GovukForm):
    status = forms.ChoiceField(label="Outcome", choices=REVIEW_CHOICES, widget=forms.RadioSelect)


class ResearchForm(GovukForm):
    findings = forms.CharField(
        label="What your agency holds",
        required=False,
        max_length=20_000,
        help_text="Relevant, proportionate and risk-focused. Say so if your agency holds nothing.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    withheld = forms.BooleanField(label="Some information is withheld", required=False)
    withheld_reason = forms.CharField(
        label="Why it is withheld",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActionUpdateForm(GovukForm):
    status = forms.ChoiceField(
        label="Where the action stands",
        choices=[
            ("open", "Still open"),
            ("done", "Done"),
            ("not_possible", "Not possible: circumstances changed"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Progress note",
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


OUTSIDE_PARTNERSHIP = "outside"


class TransferRequestForm(GovukForm):
    """Where a case is going and why: a MARAC of the partnership, or one outside it."""

    destination = forms.ChoiceField(
        label="Which MARAC is the case going to?", widget=forms.RadioSelect
    )
    outside_marac_name = forms.CharField(
        label="Name of the MARAC outside the partnership",
        help_text="Only if the case is going outside the partnership, for example Leeds MARAC.",
        max_length=200,
        required=False,
    )
    reason = forms.CharField(
        label="Why is the case transferring?",
        help_text="For example, the victim has moved to another borough.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def __init__(self, *args, destinations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.destinations = {str(marac.pk): marac for marac in destinations}
        self.fields["destination"].choices = [
            *((pk, marac.name) for pk, marac in self.destinations.items()),
            (OUTSIDE_PARTNERSHIP, "A MARAC outside the partnership"),
        ]

    def clean(self):
        data = super().clean()
        if (
            data.get("destination") == OUTSIDE_PARTNERSHIP
            and not data.get("outside_marac_name", "").strip()
        ):
            self.add_error("outside_marac_name", "Enter the name of the receiving MARAC.")
        return data

    @property
    def to_marac(self):
        return self.destinations.get(self.cleaned_data["destination"])

    @property
    def outside_name(self) -> str:
        if self.cleaned_data["destination"] != OUTSIDE_PARTNERSHIP:
            return ""
        return self.cleaned_data["outside_marac_name"]


class TransferDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Will your MARAC take this case?",
        choices=[("accept", "Yes, accept the transfer"), ("decline", "No, decline it")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Why are you declining it?",
        help_text="Only if you decline. The sending MARAC's coordinators will see this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", "Say why you are declining the transfer.")
        return data


class ExportForm(GovukForm):
    kind = forms.ChoiceField(
        label="What do you want to export?",
        choices=[
            ("cases", "Cases: referral, victim and perpetrator details"),
            ("actions", "Agency actions on the cases"),
        ],
        widget=forms.RadioSelect,
    )


class LegalHoldForm(GovukForm):
    reason = forms.CharField(
        label="Why?",
        help_text="For example, a domestic homicide review or a court case. Do not name anyone.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class OversightFilterForm(GovukForm):
    """Filters of the data protection lead's access log (a GET form)."""

    person = forms.TypedChoiceField(label="Person", coerce=int, required=False, empty_value=None)
    agency = forms.TypedChoiceField(label="Agency", coerce=int, required=False, empty_value=None)
    marac = forms.TypedChoiceField(label="MARAC", coerce=int, required=False, empty_value=None)
    lens = forms.ChoiceField(
        label="Lens",
        required=False,
        choices=[("", "Any"), ("full", "Full lens"), ("agenda", "Agenda lens")],
    )
    start = forms.DateField(label="From", widget=DateInput, required=False)
    end = forms.DateField(label="To", widget=DateInput, required=False)

    def __init__(self, *args, people, agencies, maracs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Anyone"), *people]
        self.fields["agency"].choices = [("", "Any agency"), *agencies]
        self.fields["marac"].choices = [("", "Any MARAC"), *maracs]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date must be on or after the start date.")
        return data


class AlertHandleForm(GovukForm):
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    note = forms.CharField(
        label="What did you find?",
        help_text="For example, the coordinator was preparing the agenda. Do not name victims.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )

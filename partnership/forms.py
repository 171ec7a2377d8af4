from __future__ import annotations

from django import forms

from partnership.models import AttendanceStatus, Board, Partnership, Role, User
from partnership.permissions import agencies_visible_to
from partnership.services import marac_model
from portal.forms import GovukForm


class MembershipFieldsMixin(forms.Form):
    """The agency, role and scope of a membership, limited to one partnership."""

    agency = forms.ModelChoiceField(
        queryset=None,
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency", "invalid_choice": "Choose a known agency"},
    )
    role = forms.ChoiceField(
        choices=[("", "Choose a role"), *Role.choices],
        error_messages={
            "required": "Choose a role",
            "invalid_choice": "Choose a role from the list",
        },
    )
    board = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Not a board role",
        help_text="Only for board members",
    )
    marac = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Not a MARAC role",
        label="MARAC",
        help_text="Only for MARAC roles and IDVAs",
    )

    def setup_scope(self, *, partnership: Partnership, acting_user: User) -> None:
        self.fields["agency"].queryset = agencies_visible_to(acting_user).order_by("name")
        self.fields["board"].queryset = Board.objects.filter(partnership=partnership)
        model = marac_model()
        self.fields["marac"].queryset = (
            model.objects.filter(partnership=partnership) if model else Board.objects.none()
        )


class InviteForm(GovukForm, MembershipFieldsMixin):
    full_name = forms.CharField(max_length=150, error_messages={"required": "Enter a full name"})
    email = forms.EmailField(
        label="Work email address",
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    field_order = ["full_name", "email", "agency", "role", "board", "marac"]

    def __init__(self, *args, partnership: Partnership, acting_user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setup_scope(partnership=partnership, acting_user=acting_user)


class GrantMembershipForm(GovukForm, MembershipFieldsMixin):
    def __init__(self, *args, partnership: Partnership, acting_user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setup_scope(partnership=partnership, acting_user=acting_user)


class BoardMeetingForm(GovukForm):
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "Enter a real date",
        },
    )
    title = forms.CharField(max_length=200, required=False)


class AttendanceForm(GovukForm):
    status = forms.ChoiceField(
        choices=AttendanceStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether they attended, sent apologies or sent a substitute",
            "invalid_choice": "Choose whether they attended, sent apologies or sent a substitute",
        },
    )
    substitute = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody",
        help_text="Who came instead, when a substitute was sent",
        error_messages={"invalid_choice": "Choose a person from the list"},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = User.objects.filter(
            memberships__partnership=partnership, is_active=True
        ).distinct()


class BoroughPopulationForm(GovukForm):
    population = forms.IntegerField(
        label="Adult female population",
        min_value=1,
        help_text="Women aged 16 and over: the base for MARAC cases per 10,000 women",
        error_messages={
            "required": "Enter the adult female population",
            "invalid": "Enter the population as a whole number, like 98400",
            "min_value": "The population must be more than 0",
        },
    )
    source = forms.CharField(
        max_length=200,
        help_text="For example, ONS mid-year estimates",
        error_messages={"required": "Say where the figure comes from"},
    )
    year = forms.IntegerField(
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Enter the year the figure is for",
            "invalid": "Enter a year, like 2024",
            "min_value": "Enter a year from 2000",
            "max_value": "Enter a year before 2100",
        },
    )

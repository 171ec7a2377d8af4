"""`GovukBoundField` writes a labelled field's GOV.UK form group in Python: its markup must be
exactly what `forms/govuk_field.html` writes."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe

from portal.forms import GovukBoundField, GovukForm, QuickSelect


class Everything(GovukForm):
    name = forms.CharField(label="Name & <role>", max_length=10)
    hinted = forms.CharField(label="Hinted", help_text='Say "why" & <how>', required=False)
    safe_hint = forms.CharField(
        label="Safe hint",
        help_text=mark_safe("<strong>Bold</strong>"),  # noqa: S308  # nosec B308 B703
        required=False,
    )
    when = forms.DateField(label="When", required=False, widget=forms.DateInput)
    email = forms.EmailField(label="Email")
    number = forms.IntegerField(label="Number", min_value=1, required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    choice = forms.ChoiceField(label="Choice", choices=[("", "Any"), ("a", "A & B")])
    quick = forms.ChoiceField(
        label="Quick", choices=[("", "Any"), ("b", "<B>")], widget=QuickSelect, required=False
    )
    tick = forms.BooleanField(label="Tick", required=False)
    ticks = forms.MultipleChoiceField(
        label="Ticks", choices=[("x", "X")], widget=forms.CheckboxSelectMultiple, required=False
    )


DATA = {"name": "far too long a name", "email": "not <an> email", "number": "0", "choice": "z"}


@pytest.mark.parametrize("data", [None, {}, DATA], ids=["unbound", "empty", "invalid"])
@pytest.mark.parametrize("name", list(Everything.base_fields))
def test_a_field_group_is_what_the_template_writes(data, name):
    form = Everything(data)
    form.is_valid() if data is not None else None
    field = form[name]
    assert isinstance(field, GovukBoundField)
    assert field.as_field_group() == forms.BoundField.as_field_group(field)


def test_the_form_renders_every_field_group():
    form = Everything(DATA)
    form.is_valid()
    html = str(form)
    for name in Everything.base_fields:
        assert form[name].as_field_group() in html
    assert "Error:</span> Enter a valid email address." in html


def test_an_error_message_is_the_one_its_field_points_to():
    form = Everything(DATA)
    form.is_valid()
    html = form["email"].as_field_group()
    assert 'aria-describedby="id_email_error"' in html
    assert '<p id="id_email_error" class="govuk-error-message">' in html

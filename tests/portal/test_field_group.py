"""A field's GOV.UK form group (`forms/govuk_field.html`): its error message carries the id
that Django's `aria-describedby` on the field points to, so the error is announced."""

from __future__ import annotations

from django import forms

from portal.forms import GovukForm


class Contact(GovukForm):
    email = forms.EmailField(label="Email", help_text="We reply within a week")
    topics = forms.MultipleChoiceField(
        label="Topics", choices=[("a", "A")], widget=forms.CheckboxSelectMultiple
    )


def test_an_error_message_is_the_one_its_field_points_to():
    form = Contact({"email": "not an email"})
    form.is_valid()
    html = form["email"].as_field_group()
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert '<p id="id_email_error" class="govuk-error-message">' in html
    assert '<div id="id_email_helptext" class="govuk-hint">' in html


def test_a_group_of_checkboxes_points_to_its_error_too():
    form = Contact({"email": "a@example.org"})
    form.is_valid()
    html = form["topics"].as_field_group()
    assert 'aria-describedby="id_topics_error"' in html
    assert '<p id="id_topics_error" class="govuk-error-message">' in html

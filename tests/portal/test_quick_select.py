"""`QuickSelect` writes a select in Python: its markup must be exactly Django's."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.translation import gettext_lazy

from portal.forms import QuickSelect

CHOICES = [
    ("", "Any"),
    ("hackney", "Hackney (12)"),
    ("b&q", 'Quotes " and <tags> & ampersands'),
    (3, gettext_lazy("A lazy label")),
]


@pytest.mark.parametrize("value", [None, "", "hackney", "b&q", "3", "not-a-choice"])
@pytest.mark.parametrize(
    "attrs",
    [{}, {"class": "govuk-select", "aria-describedby": "x y"}, {"required": True, "x": False}],
)
def test_quick_select_renders_what_select_renders(value, attrs):
    def rendered(widget_class) -> str:
        widget = widget_class(attrs=dict(attrs), choices=CHOICES)
        return widget.render("borough", value, attrs={"id": "id_borough"})

    assert rendered(QuickSelect) == rendered(forms.Select)


def test_quick_select_with_option_groups_falls_back_to_the_template():
    choices = [("Inner", [("hackney", "Hackney")]), ("Outer", [("havering", "Havering")])]
    quick = QuickSelect(choices=choices).render("borough", "havering")
    assert quick == forms.Select(choices=choices).render("borough", "havering")
    assert "<optgroup" in quick


def test_quick_select_selects_only_the_first_of_equal_values():
    choices = [("a", "First"), ("a", "Second"), (None, "None")]
    for value in ["a", None]:
        quick = QuickSelect(choices=choices).render("x", value)
        assert quick == forms.Select(choices=choices).render("x", value)

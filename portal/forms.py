"""GOV.UK Design System rendering for Django forms: `{{ form }}` gives GOV.UK markup."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    """A select whose options are written in Python: Django's template includes two more
    templates for every option, which made a page of long filter lists slow. The markup is
    exactly that of `forms.Select` (tested); option groups fall back to the template."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        if any(isinstance(options, (list, tuple)) for _value, options in self.choices):
            return super().render(name, value, attrs, renderer)
        chosen, options, has_selected = self.format_value(value), [], False
        for option_value, label in self.choices:
            option = "" if option_value is None else str(option_value)
            selected = not has_selected and option in chosen  # as Select: the first only
            has_selected |= selected
            options.append(_option(option, label, selected))
        attributes = _attributes(self.build_attrs(self.attrs, attrs))
        # Every value and label is escaped by `_option`, the attributes by `_attributes`.
        markup = f'<select name="{escape(name)}"{attributes}>{"".join(options)}\n</select>'
        return mark_safe(markup)  # noqa: S308  # nosec B308 B703


def _option(value: str, label, selected: bool) -> str:
    """As `django/forms/widgets/select_option.html`."""
    selected_attribute = " selected" if selected else ""
    label = conditional_escape(label)
    return f'\n  <option value="{escape(value)}"{selected_attribute}>{label}</option>\n'


def _attributes(attrs: dict) -> SafeString:
    """As `django/forms/widgets/attrs.html`."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(" {}", name)
                if value is True
                else format_html(' {}="{}"', name, str(value)),
            )
            for name, value in attrs.items()
            if value is not False
        ),
    )


_WIDGET_CLASSES = {
    forms.Select: "govuk-select",
    QuickSelect: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.FileInput: "govuk-file-upload",
}


_ERROR_MODIFIERS = {
    "govuk-input": "govuk-input--error",
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


class GovukFormMixin:
    """Adds GOV.UK classes to widgets and error classes to fields that failed validation."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for _name, field in self.fields.items():
            widget = field.widget
            css = next(
                (c for kind, c in _WIDGET_CLASSES.items() if type(widget) is kind), "govuk-input"
            )
            if css == "govuk-input" and isinstance(widget, forms.DateInput):
                css = "govuk-input govuk-input--width-10"
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{css} {existing}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is None:
                continue
            base = widget.attrs.get("class", "").split(" ")[0]
            modifier = _ERROR_MODIFIERS.get(base)
            if modifier and modifier not in widget.attrs["class"]:
                widget.attrs["class"] += f" {modifier}"


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


def add_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)

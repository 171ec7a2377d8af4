"""Forms: the public search (GET, no CSRF token, no cookie) and the editors' service form."""

from __future__ import annotations

from typing import Any

from django import forms

from directory.geography import POSTCODE_ERROR, Origin, PostcodeError, origin_for
from directory.languages import LANGUAGES, language_name
from directory.models import ServiceStatus, TaxonomyTerm, Vocabulary
from directory.published import Published
from directory.search import MAX_QUERY_LENGTH, Filters
from directory.services import ServiceData
from partnership.models import Borough
from portal.forms import GovukForm, QuickSelect

ANY = ("", "Any")


class SearchForm(GovukForm):
    """The public search. Unknown values are errors on their field, never a server error."""

    q = forms.CharField(
        label="What are you looking for?",
        help_text="For example, refuge, counselling or forced marriage",
        max_length=MAX_QUERY_LENGTH,
        required=False,
    )
    postcode = forms.CharField(
        label="Postcode or area (optional)",
        help_text="To show the nearest services first, for example RM1 3BB or E8. "
        "We do not store it.",
        max_length=16,
        required=False,
        error_messages={"max_length": POSTCODE_ERROR},
    )
    borough = forms.ChoiceField(label="Borough", required=False, widget=QuickSelect)
    type = forms.ChoiceField(label="Type of support", required=False, widget=QuickSelect)
    abuse = forms.ChoiceField(label="Type of abuse", required=False, widget=QuickSelect)
    population = forms.ChoiceField(label="Who it is for", required=False, widget=QuickSelect)
    language = forms.ChoiceField(label="Language", required=False, widget=QuickSelect)
    open_now = forms.BooleanField(label="Open now", required=False)
    open_24h = forms.BooleanField(label="Open 24 hours", required=False)
    free = forms.BooleanField(label="Free", required=False)
    self_referral = forms.BooleanField(label="You can contact them yourself", required=False)

    FILTER_FIELDS = ["borough", "type", "abuse", "population", "language"]
    FLAG_FIELDS = ["open_now", "open_24h", "free", "self_referral"]
    FACET_NAMES = {"type": "service_type"}

    def __init__(self, *args: Any, directory: Published, languages: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.directory = directory
        self.terms = directory.terms
        self.boroughs = directory.boroughs
        self.fields["borough"].choices = [ANY, *((s, b.name) for s, b in self.boroughs.items())]
        for name, vocabulary in (
            ("type", Vocabulary.SERVICE_TYPE),
            ("abuse", Vocabulary.ABUSE_TYPE),
            ("population", Vocabulary.POPULATION),
        ):
            self.fields[name].choices = [
                ANY,
                *((t.code, t.name) for t in directory.terms_of(vocabulary)),
            ]
        codes = directory.languages if languages else []
        self.fields["language"].choices = [ANY, *((c, language_name(c)) for c in codes)]
        self.origin: Origin | None = None
        for name in self.FILTER_FIELDS:
            self.fields[name].error_messages["invalid_choice"] = (
                f"Choose a {self.fields[name].label.lower()} in the list"
            )

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if value:
            try:
                self.origin = origin_for(value)
            except PostcodeError as error:
                raise forms.ValidationError(str(error)) from None
        return value

    def filters(self) -> Filters:
        """The valid part of the search: a field with an error is left out."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return Filters(
            text=data.get("q", ""),
            borough=self.boroughs.get(data.get("borough") or ""),
            service_type=self.terms.get(data.get("type") or ""),
            abuse=self.terms.get(data.get("abuse") or ""),
            population=self.terms.get(data.get("population") or ""),
            language=data.get("language") or "",
            free=bool(data.get("free")),
            self_referral=bool(data.get("self_referral")),
            open_24h=bool(data.get("open_24h")),
            open_now=bool(data.get("open_now")),
            origin=self.origin if "postcode" in data else None,
            directory=self.directory,
        )

    def add_counts(self, counts: dict[str, Any]) -> None:
        """Show how many results each filter value would give."""
        for name in self.FILTER_FIELDS:
            facet = counts.get(self.FACET_NAMES.get(name, name), {})
            self.fields[name].choices = [
                (value, label if not value else f"{label} ({facet.get(value, 0)})")
                for value, label in self.fields[name].choices
            ]
        for name in self.FLAG_FIELDS:
            self.fields[name].label = f"{self.fields[name].label} ({counts.get(name, 0)})"

    @property
    def has_filters(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in [*self.FILTER_FIELDS, *self.FLAG_FIELDS])


AREA_CHOICES = [("london", "The whole of London"), ("national", "The whole country")]


class ServiceForm(GovukForm):
    """What a service editor can change. Opening hours and addresses come by import for now."""

    name = forms.CharField(label="Name of the service", max_length=200)
    description = forms.CharField(
        label="What the service does",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain words: who it helps and how. Never a refuge's address.",
    )
    status = forms.ChoiceField(label="Status", choices=ServiceStatus.choices)
    alert = forms.CharField(
        label="Notice (optional)",
        max_length=500,
        required=False,
        help_text="For example, a temporary change to opening hours",
    )
    service_type = forms.MultipleChoiceField(
        label="Type of support", widget=forms.CheckboxSelectMultiple, required=False
    )
    abuse = forms.MultipleChoiceField(
        label="Types of abuse", widget=forms.CheckboxSelectMultiple, required=False
    )
    population = forms.MultipleChoiceField(
        label="Who it is for", widget=forms.CheckboxSelectMultiple, required=False
    )
    wide_areas = forms.MultipleChoiceField(
        label="Available across",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=AREA_CHOICES,
    )
    boroughs = forms.MultipleChoiceField(
        label="Or in these boroughs", widget=forms.CheckboxSelectMultiple, required=False
    )
    phone = forms.CharField(label="Phone number (optional)", max_length=40, required=False)
    phone_description = forms.CharField(
        label="About the phone line (optional)",
        max_length=200,
        required=False,
        help_text="For example, free from landlines and mobiles",
    )
    url = forms.URLField(label="Website (optional)", required=False, assume_scheme="https")
    email = forms.EmailField(label="Email address (optional)", required=False)
    minimum_age = forms.IntegerField(
        label="Minimum age (optional)", min_value=0, max_value=120, required=False
    )
    maximum_age = forms.IntegerField(
        label="Maximum age (optional)", min_value=0, max_value=120, required=False
    )
    languages = forms.MultipleChoiceField(
        label="Languages",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=sorted(LANGUAGES.items(), key=lambda item: item[1]),
    )
    is_free = forms.BooleanField(label="The service is free", required=False)
    fees = forms.CharField(label="Costs, if any (optional)", max_length=500, required=False)
    accepts_self_referral = forms.BooleanField(
        label="People can contact the service themselves", required=False
    )
    referral_notes = forms.CharField(
        label="How to be referred (optional)", max_length=500, required=False
    )

    VOCABULARY_FIELDS = {
        "service_type": Vocabulary.SERVICE_TYPE,
        "abuse": Vocabulary.ABUSE_TYPE,
        "population": Vocabulary.POPULATION,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        terms = list(TaxonomyTerm.objects.all())
        for name, vocabulary in self.VOCABULARY_FIELDS.items():
            self.fields[name].choices = [
                (t.code, t.name) for t in terms if t.vocabulary == vocabulary
            ]
        self.fields["boroughs"].choices = list(Borough.objects.values_list("slug", "name"))

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        """Form values from `ServiceData`."""
        vocabulary_of = dict(TaxonomyTerm.objects.values_list("code", "vocabulary"))
        initial = {k: v for k, v in data.items() if k not in ("taxonomy", "areas", "phones")}
        for name, vocabulary in cls.VOCABULARY_FIELDS.items():
            initial[name] = [
                c for c in data.get("taxonomy", []) if vocabulary_of.get(c) == vocabulary
            ]
        areas = data.get("areas", [])
        initial["wide_areas"] = [a for a in areas if a in ("london", "national")]
        initial["boroughs"] = [a for a in areas if a not in ("london", "national")]
        phones = data.get("phones", [])
        if phones:
            initial["phone"] = phones[0].get("number", "")
            initial["phone_description"] = phones[0].get("description", "")
        return initial

    def service_data(self) -> ServiceData:
        d = self.cleaned_data
        phones = (
            [{"number": d["phone"], "description": d["phone_description"]}] if d["phone"] else []
        )
        return ServiceData(
            name=d["name"],
            description=d["description"],
            status=d["status"],
            alert=d["alert"],
            minimum_age=d["minimum_age"],
            maximum_age=d["maximum_age"],
            languages=list(d["languages"]),
            is_free=d["is_free"],
            fees=d["fees"],
            accepts_self_referral=d["accepts_self_referral"],
            referral_notes=d["referral_notes"],
            url=d["url"],
            email=d["email"],
            taxonomy=[*d["service_type"], *d["abuse"], *d["population"]],
            areas=[*d["wide_areas"], *d["boroughs"]],
            phones=phones,
        )


class NewServiceForm(ServiceForm):
    agency = forms.ChoiceField(label="Provider agency")

    field_order = ["agency"]

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agencies

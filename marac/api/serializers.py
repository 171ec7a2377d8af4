"""Shapes of the MARAC staff API. Reads come from marac.selectors (which record each read);
writes take their own input serializers and call one service."""

from __future__ import annotations

from rest_framework import serializers

from marac.models import DASH_QUESTIONS, CaseStatus, DashAssessment, Lens, YesNo


class CaseSummaryOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case_ref = serializers.CharField()
    marac = serializers.CharField(source="marac.slug")
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    referral_date = serializers.DateField(source="referral.referral_date")
    dash_score = serializers.IntegerField(source="referral.dash_score", allow_null=True)
    victim_first_name = serializers.CharField(source="victim.first_name")
    victim_last_name = serializers.CharField(source="victim.last_name")


class CasePageOutput(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = CaseSummaryOutput(many=True)


class PersonOutput(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    address = serializers.CharField()


class CaseActionOutput(serializers.Serializer):
    agency = serializers.CharField()
    text = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()


class CaseDetailOutput(serializers.Serializer):
    """A case as the lens shows it; full-lens fields are null under the agenda lens."""

    lens = serializers.ChoiceField(choices=Lens.choices)
    id = serializers.IntegerField(source="case_id")
    case_ref = serializers.CharField()
    marac_name = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    dash_score = serializers.IntegerField(allow_null=True)
    criteria = serializers.ListField(child=serializers.CharField())
    victim = PersonOutput()
    perpetrators = PersonOutput(many=True)
    children = serializers.ListField(child=serializers.DictField())
    actions = CaseActionOutput(many=True)
    safe_contact = serializers.CharField(allow_null=True)
    not_safe_to_talk = serializers.CharField(allow_null=True)
    pj_rationale = serializers.CharField(allow_null=True)
    is_repeat = serializers.BooleanField(allow_null=True)


class DashOutput(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.slug")

    class Meta:
        model = DashAssessment
        fields = ["version", "assessed_on", "agency", "answers", "score"]


class LookupInput(serializers.Serializer):
    """Either `case_ref`, or all of first name, last name and date of birth (exact)."""

    marac = serializers.SlugField()
    case_ref = serializers.CharField(required=False, max_length=40)
    first_name = serializers.CharField(required=False, max_length=100)
    last_name = serializers.CharField(required=False, max_length=100)
    date_of_birth = serializers.DateField(required=False)

    def validate(self, data):
        person = [data.get(k) for k in ("first_name", "last_name", "date_of_birth")]
        if bool(data.get("case_ref")) == any(person):
            raise serializers.ValidationError(
                "Give a case reference, or a full name and date of birth."
            )
        if any(person) and not all(person):
            raise serializers.ValidationError("Give the first name, last name and date of birth.")
        return data


class ReferralInput(serializers.Serializer):
    marac = serializers.SlugField()
    case_ref = serializers.CharField(max_length=40)
    referral_date = serializers.DateField()
    referring_agency = serializers.SlugField()
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField()
    dash_answers = serializers.ListField(
        child=serializers.ChoiceField(choices=YesNo.choices),
        min_length=len(DASH_QUESTIONS),
        max_length=len(DASH_QUESTIONS),
    )
    consent = serializers.ChoiceField(choices=["given", "not_given"])
    lawful_basis = serializers.CharField(required=False, allow_blank=True, default="")
    professional_judgement = serializers.BooleanField(required=False, default=False)
    pj_rationale = serializers.CharField(required=False, allow_blank=True, default="")
    potential_escalation = serializers.BooleanField(required=False, default=False)
    incidents_12m = serializers.IntegerField(required=False, allow_null=True, default=None)
    perpetrator_first_name = serializers.CharField(required=False, allow_blank=True, default="")
    perpetrator_last_name = serializers.CharField(required=False, allow_blank=True, default="")
    children_in_household = serializers.IntegerField(required=False, default=0, min_value=0)


class ReferralOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    case_ref = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    dash_score = serializers.IntegerField(source="referral.dash_score", allow_null=True)
    visible_high_risk = serializers.BooleanField(source="referral.visible_high_risk")
    is_repeat = serializers.BooleanField(source="referral.is_repeat", allow_null=True)


class IndicatorsOutput(serializers.Serializer):
    """The figures of `marac_indicators --json` (DESIGN §6); small numbers read "fewer than 5"
    for viewers outside the MARAC's coordinators, chair and data protection lead."""

    figures = serializers.DictField()
    suppressed = serializers.BooleanField()

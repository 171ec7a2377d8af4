"""Referrals: DASH scoring, the SafeLives criteria, consent, DASH versions and case status."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from marac.models import CaseStatus, Consent, DashAssessment, YesNo
from marac.services import case_accept, case_close, dash_assess, dash_score, referral_submit
from partnership.models import ChangeRecord
from tests.marac.factories import dash_answers, perpetrator, victim

pytestmark = pytest.mark.django_db


def _submit(actor, marac, agency, *, score=16, **overrides):
    day = timezone.localdate() - timedelta(days=3)
    arguments = {
        "acting_user": actor,
        "marac": marac,
        "case_ref": "REF-1",
        "referral_date": day,
        "referring_agencies": [agency],
        "victim": victim(),
        "dash": dash_answers(score, day),
        "consent": Consent.GIVEN,
        "perpetrators": [perpetrator()],
    }
    return referral_submit(**(arguments | overrides))


def test_dash_score_counts_yes_answers_only():
    """The score is the number of yes answers; not known and no count nothing."""
    answers = [YesNo.YES] * 10 + [YesNo.NOT_KNOWN] * 7 + [YesNo.NO] * 7
    assert dash_score(answers) == 10
    assert dash_score([YesNo.NO] * 24) == 0
    assert dash_score([YesNo.YES] * 24) == 24


@pytest.mark.parametrize(
    "answers", [[YesNo.YES] * 23, [YesNo.YES] * 25, [YesNo.YES] * 23 + ["maybe"]]
)
def test_dash_refuses_anything_but_24_valid_answers(answers):
    """A checklist with the wrong number of answers, or an unknown answer, is refused."""
    with pytest.raises(ValidationError):
        dash_score(answers)


def test_score_of_14_is_visible_high_risk(actor, marac, agency):
    """A score of 14 or more makes the referral visible high risk without being asked."""
    case = _submit(actor, marac, agency, score=14)
    assert case.referral.visible_high_risk
    assert case.referral.dash_score == 14
    assert case.status == CaseStatus.REFERRED
    assert case.dash_assessments.get().score == 14


def test_score_of_13_alone_meets_no_criterion(actor, marac, agency):
    """Below 14, without professional judgement or escalation, the referral is refused."""
    with pytest.raises(ValidationError) as error:
        _submit(actor, marac, agency, score=13)
    assert "criteria" in error.value.message_dict


def test_professional_judgement_needs_a_written_rationale(actor, marac, agency):
    """Professional judgement without a reason is refused; with one, a low score is referred."""
    with pytest.raises(ValidationError) as error:
        _submit(actor, marac, agency, score=8, professional_judgement=True, pj_rationale="  ")
    assert "pj_rationale" in error.value.message_dict
    case = _submit(
        actor, marac, agency, score=8, professional_judgement=True, pj_rationale="Synthetic reason"
    )
    assert case.referral.professional_judgement
    assert not case.referral.visible_high_risk
    assert case.referral.pj_rationale == "Synthetic reason"


def test_professional_judgement_never_lowers_a_score(actor, marac, agency):
    """A score of 16 referred on professional judgement stays 16 and visible high risk."""
    case = _submit(
        actor, marac, agency, score=16, professional_judgement=True, pj_rationale="Synthetic"
    )
    assert case.referral.dash_score == 16
    assert case.referral.visible_high_risk


def test_potential_escalation_needs_three_incidents(actor, marac, agency):
    """Escalation needs 3 or more incidents in the past 12 months."""
    with pytest.raises(ValidationError) as error:
        _submit(actor, marac, agency, score=5, potential_escalation=True, incidents_12m=2)
    assert "incidents_12m" in error.value.message_dict
    case = _submit(actor, marac, agency, score=5, potential_escalation=True, incidents_12m=3)
    assert case.referral.potential_escalation


def test_sharing_without_consent_needs_a_lawful_basis(actor, marac, agency):
    """Without consent a lawful basis is required; consent not recorded is refused live."""
    with pytest.raises(ValidationError) as error:
        _submit(actor, marac, agency, consent=Consent.NOT_GIVEN)
    assert "lawful_basis" in error.value.message_dict
    with pytest.raises(ValidationError):
        _submit(actor, marac, agency, consent=Consent.NOT_RECORDED)
    case = _submit(
        actor, marac, agency, consent=Consent.NOT_GIVEN, lawful_basis="Risk to life (synthetic)"
    )
    assert case.referral.lawful_basis == "Risk to life (synthetic)"


def test_a_new_dash_is_a_new_version_and_the_old_one_is_kept(actor, marac, agency):
    """A second DASH makes version 2; version 1 stays exactly as submitted."""
    case = _submit(actor, marac, agency, score=15)
    second = dash_assess(
        acting_user=actor, case=case, agency=agency, dash=dash_answers(18, timezone.localdate())
    )
    assert second.version == 2
    assert list(case.dash_assessments.values_list("version", "score")) == [(2, 18), (1, 15)]
    assert ChangeRecord.objects.filter(action="dash_assess", object_id=str(second.pk)).exists()


def test_the_database_refuses_to_edit_a_submitted_dash(actor, marac, agency):
    """An UPDATE of a DASH's answers or score is refused by the trigger."""
    case = _submit(actor, marac, agency, score=15)
    assessment = case.dash_assessments.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE marac_dashassessment SET score = 3 WHERE id = %s", [assessment.pk])
    assessment.refresh_from_db()
    assert assessment.score == 15
    assert DashAssessment.objects.filter(pk=assessment.pk, score=15).exists()


def test_case_moves_referred_accepted_closed_and_refuses_going_back(actor, marac, agency):
    """A case goes referred → accepted → closed; a closed case cannot be accepted again."""
    case = _submit(actor, marac, agency)
    case = case_accept(acting_user=actor, case=case)
    assert case.status == CaseStatus.ACCEPTED
    assert case.referral.decided_at is not None
    case_close(acting_user=actor, case=case)
    assert case.status == CaseStatus.CLOSED
    with pytest.raises(ValidationError):
        case_accept(acting_user=actor, case=case)

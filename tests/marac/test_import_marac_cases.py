"""`import_marac_cases` (DESIGN §6): a good file, and each kind of bad line."""

import csv
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from marac.models import (
    HISTORICAL_NOT_RECORDED,
    AgendaItem,
    Case,
    CaseStatus,
    Consent,
    Ethnicity,
    Gender,
    Meeting,
    Victim,
)
from marac.services.imports import COLUMNS
from partnership.models import ChangeRecord
from partnership.services import system_actor

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _row(**overrides) -> dict[str, str]:
    row = {
        "case_ref": "IMP-001",
        "referral_date": str(TODAY - timedelta(days=200)),
        "meeting_date": str(TODAY - timedelta(days=190)),
        "referring_agencies": "Test Police BCU",
        "referral_criteria": "visible_high_risk",
        "dash_score": "16",
        "victim_first_name": "Importfirst",
        "victim_last_name": "Importlast",
        "victim_dob": "1992-03-04",
        "victim_gender": "female",
        "victim_ethnicity": "black",
        "victim_lgbt": "no",
        "victim_disability": "yes",
        "children_in_household": "2",
        "perpetrator_first_name": "Importperp",
        "perpetrator_last_name": "Inventedsurname",
        "idva_allocated": "yes",
        "pj_rationale": "",
    }
    return row | overrides


def _write(tmp_path, rows, *, columns=COLUMNS, bom=False):
    path = tmp_path / "cases.csv"
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _import(marac, path):
    out = StringIO()
    call_command("import_marac_cases", "--marac", marac.slug, str(path), stdout=out)
    return out.getvalue()


def test_a_good_file_imports_cases_meetings_and_repeats(tmp_path, marac, agency):
    """Rows become referrals heard at their meetings (created as needed), by the system actor,
    with repeat status computed, consent recorded as historical, and categories plain."""
    rows = [
        _row(),
        _row(
            case_ref="IMP-002",
            referral_date=str(TODAY - timedelta(days=20)),
            meeting_date=str(TODAY - timedelta(days=10)),
            referring_agencies="test-police-bcu; housing",
            referral_criteria="professional_judgement;potential_escalation",
            dash_score="",
            pj_rationale="Synthetic rationale",
            victim_first_name=" IMPORTFIRST",
            perpetrator_first_name="",
            perpetrator_last_name="",
        ),
        _row(
            case_ref="IMP-003",
            referral_date=str(TODAY - timedelta(days=20)),
            meeting_date=str(TODAY - timedelta(days=10)),
            victim_first_name="Otherimport",
            referring_agencies="mash",
        ),
    ]
    output = _import(marac, _write(tmp_path, rows, bom=True))
    assert "Imported 3 referrals" in output
    assert "(1 repeats)" in output
    assert "Importfirst" not in output
    first, second, third = (Case.objects.get(case_ref=f"IMP-00{n}") for n in (1, 2, 3))
    assert second.referral.is_repeat is True
    assert second.referral.repeat_of == first.referral
    assert first.referral.is_repeat is False
    assert third.referral.is_repeat is False
    assert Meeting.objects.filter(marac=marac).count() == 2
    assert {c.status for c in (first, second, third)} == {CaseStatus.HEARD}
    assert AgendaItem.objects.get(case=second).kind == "repeat"
    assert AgendaItem.objects.get(case=first).heard_at is not None
    assert first.created_by == system_actor()
    assert first.referral.consent == Consent.NOT_RECORDED
    assert first.referral.lawful_basis == HISTORICAL_NOT_RECORDED
    assert first.referral.is_historical
    assert first.children_in_household == 2
    assert first.idva_allocated == "yes"
    victim = Victim.objects.get(case=first)
    assert (victim.ethnicity, victim.disability, victim.first_name) == (
        "black",
        "yes",
        "Importfirst",
    )
    assert sorted(second.referral.sources.values_list("category", flat=True)) == [
        "housing",
        "police",
    ]
    assert second.referral.dash_score is None
    assert second.referral.incidents_12m is None
    assert ChangeRecord.objects.filter(action="marac_cases_import").count() == 1


def _refused(marac, path) -> str:
    with pytest.raises(CommandError) as error:
        _import(marac, path)
    return str(error.value)


VOCABULARY = " ".join(
    [*Gender.values, *Ethnicity.values, "visible_high_risk professional_judgement", "Police"]
)

BAD_LINES = [
    ({"case_ref": ""}, "line 2, column case_ref: enter the case reference"),
    ({"referral_date": "04/03/2024"}, "line 2, column referral_date: enter a real date"),
    ({"meeting_date": "2024-02-30"}, "line 2, column meeting_date: enter a real date"),
    (
        {"meeting_date": str(TODAY - timedelta(days=300))},
        "line 2, column meeting_date: the meeting is before the referral",
    ),
    ({"referring_agencies": ""}, "line 2, column referring_agencies: name at least one"),
    (
        {"referring_agencies": "Test Police BCU;Nonexistent Agency"},
        "line 2, column referring_agencies: item 2 is not a known agency",
    ),
    ({"referral_criteria": ""}, "line 2, column referral_criteria: list at least one"),
    (
        {"referral_criteria": "visible_high_risk", "dash_score": ""},
        "line 2, column dash_score: enter a whole number",
    ),
    ({"referral_criteria": "gut_feeling"}, "line 2, column referral_criteria: use visible_high"),
    ({"dash_score": "12"}, "line 2, column dash_score: visible high risk needs a DASH score of 14"),
    ({"dash_score": "31"}, "line 2, column dash_score: a DASH score is a whole number from 0"),
    ({"dash_score": "high"}, "line 2, column dash_score: enter a whole number"),
    (
        {"referral_criteria": "professional_judgement", "dash_score": "9"},
        "line 2, column pj_rationale: give the reason",
    ),
    ({"victim_first_name": ""}, "line 2, column victim_first_name: enter the victim"),
    ({"victim_last_name": ""}, "line 2, column victim_last_name: enter the victim"),
    ({"victim_dob": ""}, "line 2, column victim_dob: enter a date"),
    ({"victim_dob": "2999-01-01"}, "line 2, column victim_dob: the date of birth is after"),
    ({"victim_gender": "woman"}, "line 2, column victim_gender: use one of female, male"),
    ({"victim_ethnicity": "british"}, "line 2, column victim_ethnicity: use one of white_british"),
    ({"victim_lgbt": "y"}, "line 2, column victim_lgbt: use one of yes, no, not_known"),
    ({"victim_disability": "maybe"}, "line 2, column victim_disability: use one of yes"),
    ({"children_in_household": "-1"}, "line 2, column children_in_household: enter a whole"),
    ({"idva_allocated": "true"}, "line 2, column idva_allocated: use one of yes"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_LINES)
def test_each_kind_of_bad_line_is_refused_and_nothing_changes(
    tmp_path, marac, agency, overrides, message
):
    """A bad line fails the whole file with `line N, column NAME: message`, quoting no value,
    and nothing is written: not even the good line before it."""
    good = _row(case_ref="GOOD-1", victim_first_name="Goodfirst")
    bad = _row(**overrides)
    error = _refused(marac, _write(tmp_path, [good, bad]))
    assert message.replace("line 2", "line 3") in error
    for value in overrides.values():
        if len(value) >= 4 and not value.isdigit() and value not in VOCABULARY:
            assert value not in error
    assert "Importfirst" not in error
    assert not Case.objects.exists()
    assert not Meeting.objects.exists()
    assert not ChangeRecord.objects.filter(action="marac_cases_import").exists()


def test_personal_values_are_never_echoed_in_errors(tmp_path, marac, agency):
    """Even a malformed personal value is not repeated back."""
    error = _refused(marac, _write(tmp_path, [_row(victim_dob="Secretsurname-1990")]))
    assert "line 2, column victim_dob" in error
    assert "Secretsurname" not in error


def test_a_repeated_case_ref_is_an_error_in_the_file_and_against_the_marac(tmp_path, marac, agency):
    error = _refused(marac, _write(tmp_path, [_row(), _row(victim_first_name="Another")]))
    assert "line 3, column case_ref: the same reference is on line 2" in error
    _import(marac, _write(tmp_path, [_row()]))
    error = _refused(marac, _write(tmp_path, [_row(case_ref="NEW-1"), _row()]))
    assert "line 3, column case_ref: already used at this MARAC" in error
    assert Case.objects.count() == 1


def test_errors_are_reported_for_every_bad_line(tmp_path, marac, agency):
    rows = [_row(victim_gender="x"), _row(case_ref="B", dash_score="x"), _row(case_ref="C")]
    error = _refused(marac, _write(tmp_path, rows))
    assert "line 2, column victim_gender" in error
    assert "line 3, column dash_score" in error
    assert "line 4" not in error


def test_header_problems_are_line_1(tmp_path, marac, agency):
    columns = [c for c in COLUMNS if c != "victim_dob"] + ["notes"]
    error = _refused(marac, _write(tmp_path, [_row()], columns=columns))
    assert "line 1, column victim_dob: the column is missing" in error
    assert "line 1, column notes: not a column of this import" in error


def test_historical_rules_accept_what_live_referrals_refuse(tmp_path, marac, agency):
    """A DASH score without answers, escalation without an incident count, and a referral
    after the agenda cut-off are all accepted on import."""
    row = _row(
        referral_criteria="potential_escalation",
        dash_score="7",
        referral_date=str(TODAY - timedelta(days=12)),
        meeting_date=str(TODAY - timedelta(days=10)),
    )
    _import(marac, _write(tmp_path, [row]))
    case = Case.objects.get()
    assert case.referral.potential_escalation
    assert not case.dash_assessments.exists()
    assert case.referral.dash_score == 7


def test_unknown_marac_and_unreadable_file(tmp_path, marac):
    path = _write(tmp_path, [_row()])
    with pytest.raises(CommandError, match="no MARAC with that slug"):
        call_command("import_marac_cases", "--marac", "nowhere", str(path))
    latin = tmp_path / "latin.csv"
    latin.write_bytes(",".join(COLUMNS).encode() + b"\nX,\xe9\xe9\n")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_marac_cases", "--marac", marac.slug, str(latin))
    assert not Case.objects.exists()


def test_a_future_meeting_lists_the_case_without_hearing_it(tmp_path, marac, agency):
    row = _row(
        referral_date=str(TODAY - timedelta(days=3)), meeting_date=str(TODAY + timedelta(days=7))
    )
    _import(marac, _write(tmp_path, [row]))
    case = Case.objects.get()
    assert case.status == CaseStatus.LISTED
    assert Meeting.objects.get().agenda_circulated_at is None

"""Identifiers are encrypted at rest, found only by blind index, and survive key rotation."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import CommandError, call_command
from django.db import connection

from marac import crypto
from marac.models import Victim
from partnership.models import ChangeRecord
from tests.marac.factories import victim

pytestmark = pytest.mark.django_db


def _raw(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


def _raw_text_of_case(case_id: int) -> str:
    """Every column of every row belonging to a case, as the database stores them."""
    rows = []
    for table in ("marac_victim", "marac_perpetrator", "marac_child", "marac_case"):
        column = "id" if table == "marac_case" else "case_id"
        # Table and column names are this test's constants; the id is a parameter.
        rows += _raw(f"SELECT * FROM {table} WHERE {column} = %s", [case_id])  # noqa: S608  # nosec B608
    rows += _raw("SELECT * FROM marac_referral WHERE case_id = %s", [case_id])
    rows += _raw("SELECT * FROM marac_dashassessment WHERE case_id = %s", [case_id])
    return repr(rows)


def test_identifiers_are_stored_encrypted_and_read_back(make_case):
    """Names, date of birth, address, phone and safe contact are ciphertext in the database."""
    case = make_case(
        victim_details=victim("Canaryfirstname", "Canarysurname"),
        professional_judgement=True,
        pj_rationale="Canaryrationale text",
    )
    raw = _raw_text_of_case(case.pk)
    for secret in (
        "Canaryfirstname",
        "Canarysurname",
        "1990-05-17",
        "Synthetic Row",
        "07700 900001",
        "synthetic mobile",
        "Testperp",
        "Madeupname",
        "Testchild",
        "Canaryrationale",
    ):
        assert secret not in raw
    stored = Victim.objects.get(case=case)
    assert stored.first_name == "Canaryfirstname"
    assert stored.address == "1 Synthetic Row, Testtown"
    assert str(stored.date_of_birth) == "1990-05-17"
    assert stored.gender == "female"  # categories stay plain for the indicators


def test_encrypted_fields_cannot_be_searched(make_case):
    """Only the blind index finds a person: filtering on an encrypted column is refused."""
    make_case()
    with pytest.raises(FieldError):
        list(Victim.objects.filter(first_name="Testvictim"))
    index = crypto.victim_index("Testvictim", "Fictionalsurname", victim().date_of_birth)
    assert Victim.objects.filter(blind_index=index).count() == 1


def test_tampered_ciphertext_is_refused(make_case):
    """Authenticated encryption: a changed token does not decrypt to anything."""
    case = make_case()
    token = _raw("SELECT first_name FROM marac_victim WHERE case_id = %s", [case.pk])[0][0]
    with pytest.raises(crypto.UnreadableField):
        crypto.decrypt(token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"))


def test_blind_index_depends_on_its_own_key(settings):
    """The index is a keyed HMAC: another key gives another index for the same person."""
    born = victim().date_of_birth
    first = crypto.victim_index("Testvictim", "Fictionalsurname", born)
    settings.BLIND_INDEX_KEY = "c2Vjb25kLWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGVzISE="
    assert crypto.victim_index("Testvictim", "Fictionalsurname", born) != first
    assert len(first) == 64
    assert "testvictim" not in first


def test_rotate_field_keys_reencrypts_everything_under_the_newest_key(make_case, settings):
    """After rotation with a new key in front, every record reads with the new key alone."""
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    case = make_case(professional_judgement=True, pj_rationale="Synthetic rationale")
    before = _raw("SELECT first_name FROM marac_victim WHERE case_id = %s", [case.pk])[0][0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "marac.victim: 1 rows re-encrypted" in out.getvalue()
    after = _raw("SELECT first_name FROM marac_victim WHERE case_id = %s", [case.pk])[0][0]
    assert after != before
    assert Fernet(new_key.encode()).decrypt(after.encode()) == b"Testvictim"

    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    stored = Victim.objects.get(case=case)
    assert (stored.first_name, stored.safe_contact) == (
        "Testvictim",
        "Call the synthetic mobile after 6pm",
    )
    case.refresh_from_db()
    assert case.referral.pj_rationale == "Synthetic rationale"
    assert case.dash_assessments.get().score == 16
    assert ChangeRecord.objects.filter(action="field_keys_rotate").count() == 1


def test_rotation_without_the_old_key_changes_nothing(make_case, settings):
    """If a value opens with no configured key, the command fails and leaves every row as it was."""
    case = make_case()
    before = _raw("SELECT first_name FROM marac_victim WHERE case_id = %s", [case.pk])[0][0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("rotate_field_keys", stdout=StringIO())
    assert _raw("SELECT first_name FROM marac_victim WHERE case_id = %s", [case.pk])[0][0] == before
    assert not ChangeRecord.objects.filter(action="field_keys_rotate").exists()

"""The benchmark's COPY-seeded MARAC cases are records the portal reads like any other."""

from datetime import date

import pytest
from django.db import connection

from bench import marac_data
from bench.prepare import unruled_agenda
from marac import permissions, selectors
from marac.models import AccessEvent, Case, Lens, Marac, Victim
from partnership.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    return marac_data.seed(1000, agencies=34)


def test_seed_writes_the_cases_asked_for_with_encrypted_identifiers(seeded):
    """Every MARAC gets its share, each case with its referral, victim and DASH; names are
    Fernet ciphertext in the table and decrypt through the model fields."""
    maracs = Marac.objects.filter(partnership__slug=marac_data.SLUG)
    assert maracs.count() == 33
    assert Case.objects.count() == 1000
    assert {m.cases.count() for m in maracs} == {30, 31}
    assert not Case.objects.filter(referral__isnull=True).exists()
    assert not Case.objects.filter(dash_assessments__isnull=True).exists()
    case = Case.objects.get(case_ref=seeded.lookup_case_ref)
    assert case.victim.first_name == seeded.lookup_first_name
    assert case.victim.date_of_birth == date.fromisoformat(seeded.lookup_date_of_birth)
    with connection.cursor() as cursor:
        cursor.execute("SELECT first_name FROM marac_victim WHERE id = %s", [case.victim.pk])
        (stored,) = cursor.fetchone()
    assert seeded.lookup_first_name not in stored
    assert stored.startswith("gAAAA")
    assert Victim.objects.values("blind_index").distinct().count() == 1000


def test_lookup_and_agenda_lens_read_the_seeded_cases(seeded):
    """A coordinator's exact lookup finds the case through the blind index (recorded), and
    the representative's agenda list holds the same cases as the unruled benchmark query."""
    (coordinator,) = marac_data.lookup_coordinators(1, "test")
    marac = Marac.objects.get(slug=seeded.marac_slug)
    found = selectors.cases_find_exact(
        coordinator,
        marac,
        first_name=seeded.lookup_first_name,
        last_name=seeded.lookup_last_name,
        date_of_birth=date.fromisoformat(seeded.lookup_date_of_birth),
    )
    assert [c.case_ref for c in found] == [seeded.lookup_case_ref]
    assert AccessEvent.objects.filter(user=coordinator, case_id=found[0].pk).count() == 1
    rep = User.objects.get(email=seeded.representative_email)
    agency_id = permissions.marac_memberships(rep, Role.MARAC_REPRESENTATIVE).get().agency_id
    shown = selectors.agenda_cases(rep)
    assert len(shown) == 21  # 31 cases: 10 wait, 21 are on next week's circulated agenda
    assert sorted(c.pk for c in shown) == sorted(c.pk for c in unruled_agenda(marac, agency_id))
    lenses = {permissions.lens_of(rep, c) for c in shown}
    assert Lens.AGENDA in lenses  # the full lens where the rep's own agency referred the case
    assert None not in lenses


def test_seed_is_kept_when_asked_again_and_replaced_at_another_scale(seeded):
    first = Case.objects.order_by("pk").values_list("pk", flat=True).first()
    marac_data.seed(1000, agencies=34)
    assert Case.objects.order_by("pk").values_list("pk", flat=True).first() == first
    marac_data.seed(100, agencies=34)
    assert Case.objects.count() == 100

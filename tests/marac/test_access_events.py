"""Access events (DESIGN §5): one per lens read, written in the read's transaction, append-only."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from marac.models import AccessEvent, AccessKind, Case, Lens
from marac.permissions import LOOKUPS_PER_HOUR, LookupLimitReached, access_case, look_up
from marac.selectors import case_find_by_ref, case_list, case_viewers, cases_find_exact
from partnership.models import Role
from tests.marac.factories import victim

pytestmark = pytest.mark.django_db


def test_the_database_refuses_to_change_or_delete_access_events(make_case, make_member):
    """UPDATE and DELETE on access events fail in the database itself, even through the ORM."""
    case = make_case()
    coordinator = make_member(Role.MARAC_COORDINATOR)
    access_case(coordinator, case.pk, Lens.FULL)
    event = AccessEvent.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).update(lens=Lens.AGENDA)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM marac_accessevent")
    assert AccessEvent.objects.get().lens == Lens.FULL


def test_a_read_fails_when_its_access_event_cannot_be_written(make_case, make_member):
    """If the event insert fails, the read raises and returns no data."""
    case = make_case()
    coordinator = make_member(Role.MARAC_COORDINATOR)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_refuse_insert() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'audit store unavailable'; END; $$ LANGUAGE plpgsql;"
            "CREATE TRIGGER test_refuse_insert BEFORE INSERT ON marac_accessevent "
            "FOR EACH ROW EXECUTE FUNCTION test_refuse_insert();"
        )
    result = None
    with pytest.raises(DatabaseError), transaction.atomic():
        result = access_case(coordinator, case.pk, Lens.FULL, ip_address="192.0.2.10")
    assert result is None
    with pytest.raises(DatabaseError), transaction.atomic():
        result = case_list(coordinator, Lens.FULL)
    assert result is None


def test_events_record_who_which_agency_lens_what_and_where(make_case, make_member, agency):
    case = make_case()
    coordinator = make_member(Role.MARAC_COORDINATOR)
    access_case(coordinator, case.pk, Lens.AGENDA, what=AccessKind.API, ip_address="192.0.2.7")
    event = AccessEvent.objects.get()
    assert (event.user_id, event.agency_id, event.marac_id, event.case_id) == (
        coordinator.pk,
        agency.pk,
        case.marac_id,
        case.pk,
    )
    assert (event.lens, event.what, event.ip_address) == (Lens.AGENDA, "api", "192.0.2.7")
    assert timezone.now() - event.at < timedelta(minutes=1)


def test_a_list_writes_one_event_per_case_shown(make_case, make_member, other_marac):
    """Appearing in a list is a read: one event for each case shown, none for the others."""
    shown = [make_case(), make_case()]
    make_case(marac=other_marac)
    coordinator = make_member(Role.MARAC_COORDINATOR)
    cases = case_list(coordinator, Lens.FULL)
    assert {c.pk for c in cases} == {c.pk for c in shown}
    assert sorted(AccessEvent.objects.values_list("case_id", flat=True)) == sorted(
        c.pk for c in shown
    )
    assert set(AccessEvent.objects.values_list("what", flat=True)) == {AccessKind.LIST}


def test_events_outlive_the_case(make_case, make_member):
    """Events hold the case id, not a foreign key: purging a case leaves its events."""
    case = make_case()
    coordinator = make_member(Role.MARAC_COORDINATOR)
    access_case(coordinator, case.pk, Lens.FULL)
    case_id = case.pk
    Case.objects.filter(pk=case_id).delete()
    assert AccessEvent.objects.filter(case_id=case_id).count() == 1


def test_case_viewers_lists_who_viewed_when_and_through_which_lens(
    make_case, make_member, grant_role, other_marac
):
    """Coordinators, chair and the data protection lead see a case's viewers; others see none."""
    case = make_case()
    coordinator = make_member(Role.MARAC_COORDINATOR)
    chair = make_member(Role.MARAC_CHAIR)
    access_case(coordinator, case.pk, Lens.FULL)
    access_case(chair, case.pk, Lens.AGENDA)
    rows = [(e.user, e.lens) for e in case_viewers(coordinator, case.pk)]
    assert rows == [(chair, Lens.AGENDA), (coordinator, Lens.FULL)]
    assert case_viewers(make_member(Role.DATA_PROTECTION_LEAD), case.pk).count() == 2
    for nobody in (
        make_member(Role.MARAC_REPRESENTATIVE),
        make_member(Role.COMMISSIONER),
        grant_role(Role.MARAC_COORDINATOR, other_marac),
    ):
        assert not case_viewers(nobody, case.pk).exists()


def test_exact_lookup_is_for_coordinators_recorded_and_rate_limited(make_case, make_member, marac):
    """Exact name-and-birth-date or case-reference lookups: coordinators only, each one
    recorded, refused past the hourly limit; a partial name finds nothing."""
    case = make_case()
    details = victim()
    coordinator = make_member(Role.MARAC_COORDINATOR)
    found = cases_find_exact(
        coordinator,
        marac,
        first_name=details.first_name.upper(),
        last_name=details.last_name,
        date_of_birth=details.date_of_birth,
    )
    assert found == [case]
    assert (
        cases_find_exact(
            coordinator,
            marac,
            first_name=details.first_name[:4],
            last_name=details.last_name,
            date_of_birth=details.date_of_birth,
        )
        == []
    )
    assert case_find_by_ref(coordinator, marac, case.case_ref) == [case]
    lookups = AccessEvent.objects.filter(what=AccessKind.LOOKUP)
    assert lookups.filter(case_id__isnull=True).count() == 3
    assert lookups.filter(case_id=case.pk).count() == 2
    with pytest.raises(PermissionDenied):
        case_find_by_ref(make_member(Role.MARAC_REPRESENTATIVE), marac, case.case_ref)
    for _ in range(LOOKUPS_PER_HOUR - 3):
        case_find_by_ref(coordinator, marac, "NO-SUCH-REF")
    with pytest.raises(LookupLimitReached):
        case_find_by_ref(coordinator, marac, case.case_ref)


@pytest.mark.django_db(transaction=True)
def test_concurrent_lookups_cannot_pass_the_hourly_limit(make_member, marac):
    """Two lookups at once with one left under the limit: the second waits for the first and
    is refused, rather than both counting the same 19 earlier lookups."""
    coordinator = make_member(Role.MARAC_COORDINATOR)

    def record_lookup(person, at):
        """A lookup that finds nothing: only the lookup itself is counted and recorded."""
        look_up(person, at, Case.objects.none())

    for _ in range(LOOKUPS_PER_HOUR - 1):
        record_lookup(coordinator, marac)
    inside, release = threading.Event(), threading.Event()
    results: list[str] = []

    def first() -> None:
        try:
            with transaction.atomic():
                record_lookup(coordinator, marac)
                inside.set()
                release.wait(10)
            results.append("first recorded")
        finally:
            connection.close()

    def second() -> None:
        inside.wait(10)
        try:
            record_lookup(coordinator, marac)
            results.append("second recorded")
        except LookupLimitReached:
            results.append("second refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inside.wait(10)
    time.sleep(0.5)  # the second lookup is now waiting for the first to finish
    assert results == []
    release.set()
    for thread in threads:
        thread.join(20)
    assert sorted(results) == ["first recorded", "second refused"]
    lookups = AccessEvent.objects.filter(user=coordinator, what=AccessKind.LOOKUP)
    assert lookups.count() == LOOKUPS_PER_HOUR

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from partnership.models import ChangeRecord, Membership, Role, User
from partnership.services import (
    membership_end,
    membership_grant,
    person_deactivate,
    person_invite,
)
from portal.models import StaffSession as Session
from tests.factories import AgencyFactory, BoardFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_grant_records_who_and_when(actor, partnership, agency):
    """A membership grant is stamped with the acting user and leaves a change record."""
    person = UserFactory()
    membership = membership_grant(
        acting_user=actor,
        user=person,
        agency=agency,
        role=Role.COMMISSIONER,
        partnership=partnership,
    )
    assert membership.created_by == actor
    assert membership.is_active
    record = ChangeRecord.objects.get(action="membership_grant", object_id=str(membership.pk))
    assert record.actor == actor
    assert record.partnership == partnership


def test_a_duplicate_active_membership_is_refused_and_changes_nothing(actor, partnership, agency):
    """Granting the same role twice is refused with a clear message."""
    person = UserFactory()
    membership_grant(
        acting_user=actor,
        user=person,
        agency=agency,
        role=Role.LEAD_OFFICER,
        partnership=partnership,
    )
    before = (Membership.objects.count(), ChangeRecord.objects.count())
    with pytest.raises(ValidationError, match="already holds this role"):
        membership_grant(
            acting_user=actor,
            user=person,
            agency=agency,
            role=Role.LEAD_OFFICER,
            partnership=partnership,
        )
    assert (Membership.objects.count(), ChangeRecord.objects.count()) == before


def test_an_ended_role_can_be_given_again(actor, partnership, agency):
    person = UserFactory()
    first = membership_grant(
        acting_user=actor,
        user=person,
        agency=agency,
        role=Role.COMMISSIONER,
        partnership=partnership,
    )
    membership_end(acting_user=actor, membership=first)
    again = membership_grant(
        acting_user=actor,
        user=person,
        agency=agency,
        role=Role.COMMISSIONER,
        partnership=partnership,
    )
    assert again.pk != first.pk
    assert Membership.objects.filter(user=person, ended_at__isnull=True).count() == 1


def test_an_invalid_role_is_refused(actor, partnership, agency):
    with pytest.raises(ValidationError, match="is not a role"):
        membership_grant(
            acting_user=actor,
            user=UserFactory(),
            agency=agency,
            role="superhero",
            partnership=partnership,
        )
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    ("role", "scope", "message"),
    [
        (Role.BOARD_MEMBER, None, "Choose the board"),
        (Role.MARAC_COORDINATOR, None, "Choose the MARAC"),
        (Role.COMMISSIONER, "board", "not held on a board"),
        (Role.IDVA, "board", "Choose the MARAC"),
        (Role.COMMISSIONER, "marac", "not held at a MARAC"),
    ],
)
def test_roles_are_scoped_to_their_kind_of_body(
    actor, partnership, agency, board, marac, role, scope, message
):
    """Partnership roles take no board or MARAC; board and MARAC roles need theirs."""
    with pytest.raises(ValidationError, match=message):
        membership_grant(
            acting_user=actor,
            user=UserFactory(),
            agency=agency,
            role=role,
            partnership=partnership,
            board=board if scope == "board" else None,
            marac=marac if scope == "marac" else None,
        )
    assert not Membership.objects.exists()


def test_a_board_or_marac_of_another_partnership_is_refused(
    actor, partnership, other_partnership, agency, marac
):
    other_board = BoardFactory(partnership=other_partnership)
    with pytest.raises(ValidationError, match="another partnership"):
        membership_grant(
            acting_user=actor,
            user=UserFactory(),
            agency=agency,
            role=Role.BOARD_MEMBER,
            partnership=partnership,
            board=other_board,
        )
    with pytest.raises(ValidationError, match="another partnership"):
        membership_grant(
            acting_user=actor,
            user=UserFactory(),
            agency=agency,
            role=Role.IDVA,
            partnership=other_partnership,
            marac=marac,
        )


def test_marac_scoped_membership_points_at_the_marac(actor, partnership, agency, marac):
    membership = membership_grant(
        acting_user=actor,
        user=UserFactory(),
        agency=agency,
        role=Role.MARAC_COORDINATOR,
        partnership=partnership,
        marac=marac,
    )
    membership.refresh_from_db()
    assert membership.marac == marac
    assert membership.scope_label == "MARAC: Test MARAC"


def test_an_inactive_agency_is_refused(actor, partnership):
    closed = AgencyFactory(is_active=False)
    with pytest.raises(ValidationError, match="no longer active"):
        membership_grant(
            acting_user=actor,
            user=UserFactory(),
            agency=closed,
            role=Role.COMMISSIONER,
            partnership=partnership,
        )


def test_invite_creates_an_account_without_a_password_and_emails_a_link(
    actor, partnership, agency, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership = person_invite(
            acting_user=actor,
            partnership=partnership,
            email="New.Person@Example.org",
            full_name="New Person",
            agency=agency,
            role=Role.LEAD_OFFICER,
        )
    user = membership.user
    assert user.email == "new.person@example.org"
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_invite_of_a_deactivated_account_is_refused(actor, partnership, agency):
    UserFactory(email="gone@example.org", is_active=False)
    with pytest.raises(ValidationError, match="deactivated"):
        person_invite(
            acting_user=actor,
            partnership=partnership,
            email="gone@example.org",
            full_name="Gone",
            agency=agency,
            role=Role.LEAD_OFFICER,
        )
    assert not Membership.objects.exists()


def test_deactivation_ends_sessions_and_roles(actor, partnership, agency, sign_in):
    """A deactivated person is signed out everywhere and holds no role."""
    person = UserFactory()
    membership_grant(
        acting_user=actor,
        user=person,
        agency=agency,
        role=Role.COMMISSIONER,
        partnership=partnership,
    )
    other = UserFactory()
    client, other_client = sign_in(Client(), person), sign_in(Client(), other)
    person_deactivate(acting_user=actor, user=person, partnership=partnership)
    person.refresh_from_db()
    assert not person.is_active
    assert not Membership.objects.filter(user=person, ended_at__isnull=True).exists()
    assert not Session.objects.filter(session_key=client.session.session_key).exists()
    assert Session.objects.filter(session_key=other_client.session.session_key).exists()


def test_nobody_deactivates_themselves(actor, partnership):
    admin = UserFactory()
    with pytest.raises(ValidationError):
        person_deactivate(acting_user=admin, user=admin, partnership=partnership)
    assert User.objects.get(pk=admin.pk).is_active

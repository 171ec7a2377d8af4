"""MARAC-to-MARAC transfers (issue 7, item 6): request, accept or decline, and sent outside the
partnership; the receiving coordinators gain the full lens and the sending side loses every
lens it held."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marac.models import CaseStatus, CaseTransfer, Lens, TransferStatus
from marac.permissions import cases_visible_to
from marac.services import (
    agenda_circulate,
    agenda_item_add,
    case_agency_grant,
    case_allocate_idva,
    case_full_lens_grant,
    case_transfer_accept,
    case_transfer_decline,
    case_transfer_request,
    marac_create,
    meeting_create,
)
from partnership.models import ChangeRecord, Role
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _sees(user, case, lens=Lens.AGENDA) -> bool:
    return cases_visible_to(user, lens).filter(pk=case.pk).exists()


@pytest.fixture
def sending_side(actor, marac, make_case, make_member, member_agency, other_agency, borough):
    """A case at `marac` and everyone at that MARAC who can see it, each by a different route."""
    case = make_case()
    meeting = meeting_create(acting_user=actor, marac=marac, date=timezone.localdate())
    agenda_item_add(acting_user=actor, meeting=meeting, case=case)
    agenda_circulate(acting_user=actor, meeting=meeting)
    idva = make_member(Role.IDVA)
    case_allocate_idva(acting_user=actor, case=case, idva=idva)
    extra_agency = AgencyFactory(name="Test Extra Agency", category="other", boroughs=[borough])
    case_agency_grant(acting_user=actor, case=case, agency=extra_agency, reason="extra_agency")
    people = {
        "coordinator": make_member(Role.MARAC_COORDINATOR),
        "chair": make_member(Role.MARAC_CHAIR),
        "idva": idva,
        "referring representative": make_member(Role.MARAC_REPRESENTATIVE),
        "agenda representative": make_member(Role.MARAC_REPRESENTATIVE, agency_=other_agency),
        "extra agency representative": make_member(Role.MARAC_REPRESENTATIVE, agency_=extra_agency),
        "explicit grantee": UserFactory(full_name="Test Extra Professional"),
    }
    case_full_lens_grant(
        acting_user=actor,
        case=case,
        user=people["explicit grantee"],
        reason="Synthetic extra professional",
    )
    return case, people


@pytest.fixture
def receiving(other_marac, grant_role):
    return grant_role(Role.MARAC_COORDINATOR, other_marac)


def test_accepting_moves_the_full_lens_to_the_receiving_coordinators(
    sending_side, receiving, other_marac
):
    """Before: the sending side sees the case and the receiving coordinator does not, even
    while the request waits. After acceptance: the receiving coordinator holds the full lens
    and nobody on the sending side holds any lens."""
    case, people = sending_side
    sender = people["coordinator"]
    for name, person in people.items():
        assert _sees(person, case), name
    assert not _sees(receiving, case)

    transfer = case_transfer_request(
        acting_user=sender, case=case, to_marac=other_marac, reason="Synthetic: victim moved"
    )
    assert transfer.status == TransferStatus.REQUESTED
    assert not _sees(receiving, case)
    assert _sees(sender, case, Lens.FULL)

    case_transfer_accept(acting_user=receiving, transfer=transfer)
    transfer.refresh_from_db()
    case.refresh_from_db()
    assert (transfer.status, transfer.decided_by) == (TransferStatus.ACCEPTED, receiving)
    assert (case.status, case.transferred_to) == (CaseStatus.TRANSFERRED, other_marac)
    assert case.closed_at is not None
    assert _sees(receiving, case, Lens.FULL)
    for name, person in people.items():
        assert not _sees(person, case), name
    actions = set(ChangeRecord.objects.values_list("action", flat=True))
    assert {"case_transfer_request", "case_transfer_accept", "case_transfer"} <= actions


def test_declining_changes_nobodys_access(sending_side, receiving, other_marac):
    """A declined transfer leaves the case where it was: the sending side keeps its lenses,
    the receiving coordinator gets none, and the case can be offered again."""
    case, people = sending_side
    transfer = case_transfer_request(
        acting_user=people["coordinator"],
        case=case,
        to_marac=other_marac,
        reason="Synthetic: victim moved",
    )
    with pytest.raises(ValidationError):
        case_transfer_decline(acting_user=receiving, transfer=transfer, reason=" ")
    case_transfer_decline(
        acting_user=receiving, transfer=transfer, reason="Synthetic: not our borough"
    )
    transfer.refresh_from_db()
    case.refresh_from_db()
    assert transfer.status == TransferStatus.DECLINED
    assert transfer.decline_reason == "Synthetic: not our borough"
    assert case.status == CaseStatus.LISTED
    assert not _sees(receiving, case)
    for name, person in people.items():
        assert _sees(person, case), name
    with pytest.raises(ValidationError):
        case_transfer_accept(acting_user=receiving, transfer=transfer)
    again = case_transfer_request(
        acting_user=people["coordinator"], case=case, to_marac=other_marac, reason="Again"
    )
    assert again.status == TransferStatus.REQUESTED


def test_a_transfer_outside_the_partnership_is_recorded_as_sent(sending_side, receiving):
    """Sent outside: recorded at once, nobody in the system gains the case and the sending
    side's access ends."""
    case, people = sending_side
    transfer = case_transfer_request(
        acting_user=people["coordinator"],
        case=case,
        outside_marac_name="Leeds Test MARAC",
        reason="Synthetic: victim moved north",
    )
    case.refresh_from_db()
    assert transfer.status == TransferStatus.SENT
    assert transfer.destination == "Leeds Test MARAC"
    assert (case.status, case.transferred_to) == (CaseStatus.TRANSFERRED, None)
    for name, person in [*people.items(), ("receiving", receiving)]:
        assert not _sees(person, case), name


def test_requests_that_cannot_be_made(
    actor, make_case, marac, other_marac, other_partnership, marac_coordinator
):
    """A referral not yet accepted, the same MARAC, a MARAC of another partnership, no reason,
    no destination, or a second open request are each refused."""
    foreign = marac_create(
        acting_user=actor,
        partnership=other_partnership,
        name="Foreign Test MARAC",
        slug="foreign-test-marac",
        boroughs=list(other_partnership.boroughs.all()),
    )
    case = make_case()
    me = marac_coordinator
    refused = [
        {"case": make_case(accept=False), "to_marac": other_marac, "reason": "x"},
        {"case": case, "to_marac": marac, "reason": "x"},
        {"case": case, "to_marac": foreign, "reason": "x"},
        {"case": case, "to_marac": other_marac, "reason": "  "},
        {"case": case, "reason": "x"},
        {"case": case, "to_marac": other_marac, "outside_marac_name": "Both", "reason": "x"},
    ]
    for kwargs in refused:
        with pytest.raises(ValidationError):
            case_transfer_request(acting_user=me, **kwargs)
    case_transfer_request(acting_user=me, case=case, to_marac=other_marac, reason="x")
    with pytest.raises(ValidationError):
        case_transfer_request(acting_user=me, case=case, to_marac=other_marac, reason="x")
    assert CaseTransfer.objects.count() == 1


def _client(sign_in, user) -> Client:
    return sign_in(Client(), user)


def test_transfer_form_is_for_the_cases_coordinators_only(
    sign_in, make_case, make_member, other_marac, grant_role, outsider
):
    """The case's coordinator gets the form and can request a transfer; its chair, a
    representative, another MARAC's coordinator and an outsider get 404."""
    case = make_case()
    url = reverse("marac:transfer_new", args=[case.pk])
    coordinator = make_member(Role.MARAC_COORDINATOR)
    page = _client(sign_in, coordinator).get(url)
    assert page.status_code == 200
    assert "Other Test MARAC" in page.content.decode()
    for person in (
        make_member(Role.MARAC_CHAIR),
        make_member(Role.MARAC_REPRESENTATIVE),
        grant_role(Role.MARAC_COORDINATOR, other_marac),
        outsider,
    ):
        assert _client(sign_in, person).get(url).status_code == 404
        assert _client(sign_in, person).post(url, {}).status_code == 404
    bad = _client(sign_in, coordinator).post(url, {"destination": "outside", "reason": "x"})
    assert bad.status_code == 200
    assert "Enter the name of the receiving MARAC" in bad.content.decode()
    assert "govuk-error-summary" in bad.content.decode()
    response = _client(sign_in, coordinator).post(
        url, {"destination": str(other_marac.pk), "reason": "Synthetic: victim moved"}
    )
    transfer = CaseTransfer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("marac:transfer", args=[transfer.pk])


def test_only_the_receiving_coordinators_answer(
    sign_in, make_case, make_member, other_marac, grant_role, marac_coordinator
):
    """The receiving coordinator sees the answer form and accepting opens the case page for
    them; the sending coordinator sees the request without a form and cannot answer it; the
    receiving MARAC's chair and others get 404."""
    case = make_case()
    transfer = case_transfer_request(
        acting_user=marac_coordinator, case=case, to_marac=other_marac, reason="Synthetic"
    )
    url = reverse("marac:transfer", args=[transfer.pk])
    receiving = grant_role(Role.MARAC_COORDINATOR, other_marac)
    sender_page = _client(sign_in, marac_coordinator).get(url)
    assert sender_page.status_code == 200
    assert "Send your answer" not in sender_page.content.decode()
    _client(sign_in, marac_coordinator).post(url, {"decision": "accept"})
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REQUESTED
    for person in (grant_role(Role.MARAC_CHAIR, other_marac), make_member(Role.MARAC_CHAIR)):
        assert _client(sign_in, person).get(url).status_code == 404
    receiver = _client(sign_in, receiving)
    assert "Send your answer" in receiver.get(url).content.decode()
    declined_blank = receiver.post(url, {"decision": "decline", "reason": ""})
    assert "Say why you are declining" in declined_blank.content.decode()
    response = receiver.post(url, {"decision": "accept"})
    assert response["Location"] == reverse("marac:case", args=[case.pk])
    assert receiver.get(response["Location"]).status_code == 200
    assert _client(sign_in, marac_coordinator).get(response["Location"]).status_code == 404


def test_transfer_lists_by_marac(sign_in, make_case, make_member, other_marac, grant_role):
    """A MARAC's coordinator lists its transfers in and out; a chair and another MARAC's
    coordinator get 404 on it."""
    coordinator = make_member(Role.MARAC_COORDINATOR)
    case = make_case(case_ref="TEST-TRANSFER-LIST")
    case_transfer_request(
        acting_user=coordinator, case=case, to_marac=other_marac, reason="Synthetic"
    )
    url = reverse("marac:transfers", args=["test-marac"])
    page = _client(sign_in, coordinator).get(url)
    assert page.status_code == 200
    assert "TEST-TRANSFER-LIST" in page.content.decode()
    receiving = grant_role(Role.MARAC_COORDINATOR, other_marac)
    incoming = _client(sign_in, receiving).get(reverse("marac:transfers", args=[other_marac.slug]))
    assert "TEST-TRANSFER-LIST" in incoming.content.decode()
    assert _client(sign_in, receiving).get(url).status_code == 404
    assert _client(sign_in, make_member(Role.MARAC_CHAIR)).get(url).status_code == 404

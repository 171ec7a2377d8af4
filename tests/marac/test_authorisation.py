"""Every MARAC page and API endpoint over HTTP × every role × own and other agency and MARAC.

The world: case A at the test MARAC, referred by the police (`agency`), allocated to an IDVA and
listed on a circulated agenda; housing (`other_agency`) also takes part in the MARAC. People
hold each MARAC role at the test MARAC or at another MARAC, through the police or through
housing; every partnership role is held too, and an outsider holds a role elsewhere.

Nothing leaks (status, body, counts); out of scope answers exactly as missing; every allowed
read writes exactly one access event, and a refused one none.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from marac.models import AccessEvent, Case, Lens, Meeting
from marac.services import agenda_circulate, agenda_item_add, case_allocate_idva, meeting_create
from partnership.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MARAC_ROLES = [Role.MARAC_COORDINATOR, Role.MARAC_CHAIR, Role.MARAC_REPRESENTATIVE, Role.IDVA]
OTHER_ROLES = [
    Role.PARTNERSHIP_ADMIN,
    Role.COMMISSIONER,
    Role.LEAD_OFFICER,
    Role.DATA_PROTECTION_LEAD,
    Role.BOARD_MEMBER,
    Role.SERVICE_EDITOR,
]
MISSING = 987654321
VICTIM = "Testvictim Fictionalsurname"


def expected_lens(role: str, at: str, through: str) -> str | None:
    """DESIGN §4: the lens a person holds on case A."""
    if at != "own":
        return None
    if role in (Role.MARAC_COORDINATOR, Role.MARAC_CHAIR):
        return Lens.FULL
    if role == Role.MARAC_REPRESENTATIVE:
        return Lens.FULL if through == "own" else Lens.AGENDA
    if role == Role.IDVA:
        return Lens.FULL if through == "own" else None  # only the allocated IDVA
    return None


PEOPLE = (
    [
        (role, at, through)
        for role in MARAC_ROLES
        for at in ("own", "other")
        for through in ("own", "other")
    ]
    + [(role, "partnership", "own") for role in OTHER_ROLES]
    + [("outsider", "elsewhere", "own")]
)


@pytest.fixture
def world(actor, marac, other_marac, agency, other_agency, member_agency, make_case):
    case = make_case()
    meeting = meeting_create(
        acting_user=actor, marac=marac, date=timezone.localdate() + timedelta(days=20)
    )
    agenda_item_add(acting_user=actor, meeting=meeting, case=case)
    agenda_circulate(acting_user=actor, meeting=meeting)
    return {
        "case": case,
        "meeting": meeting,
        "marac": marac,
        "other_marac": other_marac,
        "other_agency": other_agency,
    }


@pytest.fixture
def person(request, world, actor, grant_role, make_member, outsider, agency):
    role, at, through = request.param
    if role == "outsider":
        return outsider, None
    if at == "partnership":
        return make_member(role), None
    user = UserFactory(full_name=f"Test {role} {at} {through}")
    grant_role(
        role,
        world["marac"] if at == "own" else world["other_marac"],
        through=agency if through == "own" else world["other_agency"],
        user=user,
    )
    if role == Role.IDVA and at == "own" and through == "own":
        case_allocate_idva(acting_user=actor, case=world["case"], idva=user)
    return user, expected_lens(role, at, through)


def _normalised(response) -> str:
    return re.sub(r'nonce="[^"]*"|value="[^"]*"', "", response.content.decode())


def _events(user) -> int:
    return AccessEvent.objects.filter(user=user).count()


@pytest.mark.parametrize("person", PEOPLE, indirect=True, ids=lambda p: "-".join(p))
def test_case_reads_obey_the_lenses_and_record_exactly_one_event(client, sign_in, world, person):
    user, lens = person
    case = world["case"]
    sign_in(client, user)
    reads = [
        ("marac:case", "page"),
        ("marac_api:case", "api"),
        ("marac_api:dash", "dash"),
    ]
    for name, kind in reads:
        allowed = lens is not None and (kind != "dash" or lens == Lens.FULL)
        before = _events(user)
        response = client.get(reverse(name, kwargs={"pk": case.pk}))
        missing = client.get(reverse(name, kwargs={"pk": MISSING}))
        if allowed:
            assert response.status_code == 200, name
            assert _events(user) == before + 1, name
        else:
            assert response.status_code == 404, name
            assert response.status_code == missing.status_code
            assert _normalised(response) == _normalised(missing), name
            assert _events(user) == before, name
            assert "Testvictim" not in response.content.decode()
    if lens is not None:
        page = client.get(reverse("marac:case", kwargs={"pk": case.pk})).content.decode()
        assert ("Call the synthetic mobile" in page) == (lens == Lens.FULL)
        detail = client.get(reverse("marac_api:case", kwargs={"pk": case.pk})).json()
        assert detail["lens"] == lens
        assert (detail["safe_contact"] is not None) == (lens == Lens.FULL)


@pytest.mark.parametrize("person", PEOPLE, indirect=True, ids=lambda p: "-".join(p))
def test_lists_show_only_cases_in_scope_and_record_each_shown(client, sign_in, world, person):
    user, lens = person
    sign_in(client, user)
    for wanted in (Lens.AGENDA, Lens.FULL):
        before = _events(user)
        body = client.get(reverse("marac_api:cases"), {"lens": wanted}).json()
        visible = lens is not None and (wanted == Lens.AGENDA or lens == Lens.FULL)
        assert body["count"] == int(visible)
        assert len(body["results"]) == int(visible)
        assert _events(user) == before + int(visible)
        assert (VICTIM.split()[0] in str(body)) == visible
    # Filtering by a MARAC: out of scope answers exactly as a MARAC that does not exist.
    for marac, visible in ((world["marac"], lens is not None), (world["other_marac"], False)):
        body = client.get(reverse("marac_api:cases"), {"lens": "agenda", "marac": marac.slug})
        missing = client.get(reverse("marac_api:cases"), {"lens": "agenda", "marac": "no-such"})
        assert body.status_code == missing.status_code == 200
        assert body.json()["count"] == int(visible)
        if not visible:
            assert body.json() == missing.json()


@pytest.mark.parametrize("person", PEOPLE, indirect=True, ids=lambda p: "-".join(p))
def test_marac_pages_answer_only_the_right_roles(client, sign_in, world, person, request):
    user, lens = person
    role, at, through = request.node.callspec.params["person"]
    marac = world["marac"]
    manages = at == "own" and role in (Role.MARAC_COORDINATOR, Role.MARAC_CHAIR)
    sign_in(client, user)
    pages = {
        "marac:dashboard": manages,
        "marac:case_list": manages,
        "marac:lookup": at == "own" and role == Role.MARAC_COORDINATOR,
        "marac:referral_new": manages,
        "marac:meeting_new": manages,
    }
    for name, allowed in pages.items():
        before = _events(user)
        response = client.get(reverse(name, kwargs={"slug": marac.slug}))
        missing = client.get(reverse(name, kwargs={"slug": "no-such-marac"}))
        assert response.status_code == (200 if allowed else 404), name
        assert missing.status_code == 404
        if not allowed:
            assert _normalised(response) == _normalised(missing)
            assert _events(user) == before
    home = client.get(reverse("marac:home"))
    assert home.status_code == 200
    body = home.content.decode()
    assert bool(re.search(r"(?<!Other )Test MARAC", body)) == (at == "own")
    assert ("Other Test MARAC" in body) == (at == "other")
    assert VICTIM.split()[0] not in body
    agenda = client.get(reverse("marac:agenda_cases"))
    representative = role == Role.MARAC_REPRESENTATIVE and at in ("own", "other")
    assert agenda.status_code == (200 if representative else 404)
    assert (VICTIM in agenda.content.decode()) == (representative and at == "own")
    caseload = client.get(reverse("marac:caseload"))
    is_idva = role == Role.IDVA and at in ("own", "other")
    assert caseload.status_code == (200 if is_idva else 404)
    assert (VICTIM in caseload.content.decode()) == (lens == Lens.FULL and role == Role.IDVA)


@pytest.mark.parametrize("person", PEOPLE, indirect=True, ids=lambda p: "-".join(p))
def test_lookups_are_for_the_marac_coordinators_only(client, sign_in, world, person, request):
    user, _lens = person
    role, at, _through = request.node.callspec.params["person"]
    coordinator = role == Role.MARAC_COORDINATOR and at == "own"
    sign_in(client, user)
    before = _events(user)
    response = client.post(
        reverse("marac_api:case_lookup"),
        {"marac": world["marac"].slug, "case_ref": world["case"].case_ref},
        content_type="application/json",
    )
    assert response.status_code == (200 if coordinator else 404)
    # a coordinator's lookup is recorded, and so is the case it shows
    assert _events(user) == before + (2 if coordinator else 0)


@pytest.mark.parametrize("person", PEOPLE, indirect=True, ids=lambda p: "-".join(p))
def test_indicators_are_for_the_partnership_and_counts_only(
    client, sign_in, world, person, request
):
    user, _lens = person
    role, at, _through = request.node.callspec.params["person"]
    sign_in(client, user)
    in_partnership = role != "outsider"
    response = client.get(reverse("marac_api:indicators"), {"marac": world["marac"].slug})
    assert response.status_code == (200 if in_partnership else 404)
    page = client.get(reverse("marac:indicators", kwargs={"slug": world["marac"].slug}))
    assert page.status_code == (200 if in_partnership else 404)
    assert _events(user) == 0


def test_anonymous_people_get_nothing_from_the_api(client, world):
    case = world["case"]
    for url in (
        reverse("marac_api:cases"),
        reverse("marac_api:case", kwargs={"pk": case.pk}),
        reverse("marac_api:dash", kwargs={"pk": case.pk}),
        reverse("marac_api:indicators"),
    ):
        assert client.get(url).status_code in {401, 403}
    assert not AccessEvent.objects.exists()


@pytest.fixture
def waiting(world, actor, make_case, agency):
    """A referral waiting for acceptance, and a meeting with nothing listed yet."""
    later = meeting_create(
        acting_user=actor, marac=world["marac"], date=timezone.localdate() + timedelta(days=40)
    )
    return {"case": make_case(accept=False), "later": later, "agency": agency}


def _referral_values(agency, case_ref: str) -> dict:
    """A complete referral (DASH score 15) as the form and the API take it."""
    return {
        "case_ref": case_ref,
        "referral_date": timezone.localdate().isoformat(),
        "first_name": "Authvictim",
        "last_name": "Fictionalsurname",
        "date_of_birth": "1991-02-03",
        "consent": "given",
        "perpetrator_first_name": "Authperp",
        "perpetrator_last_name": "Madeupname",
        "children_in_household": 0,
    }


def _referral_form(agency) -> dict:
    data = _referral_values(agency, "AUTH-FORM-1") | {
        "referring_agency": agency.pk,
        "gender": "female",
        "ethnicity": "white_british",
        "lgbt": "no",
        "disability": "no",
    }
    return data | {f"dash_{n}": "yes" if n <= 15 else "no" for n in range(1, 25)}


def _referral_json(marac, agency) -> str:
    data = _referral_values(agency, "AUTH-API-1") | {
        "marac": marac.slug,
        "referring_agency": agency.slug,
        "dash_answers": ["yes"] * 15 + ["no"] * 9,
    }
    return json.dumps(data)


def _managing_routes(world, extra) -> list[tuple[str, str, dict, object]]:
    marac, meeting, waiting = world["marac"], world["meeting"], extra["case"]
    agency = extra["agency"]
    return [
        ("get", "marac:meeting", {"slug": marac.slug, "pk": meeting.pk}, {}),
        ("get", "marac:referral_check", {"pk": waiting.pk}, {}),
        ("post", "marac:referral_check", {"pk": waiting.pk}, {}),
        ("post", "marac:case_list_on_agenda", {"pk": waiting.pk}, {"meeting": meeting.pk}),
        ("post", "marac:meeting_circulate", {"slug": marac.slug, "pk": extra["later"].pk}, {}),
        ("post", "marac:referral_new", {"slug": marac.slug}, _referral_form(agency)),
        (
            "post",
            "marac:meeting_new",
            {"slug": marac.slug},
            {"date": _new_meeting_day().isoformat()},
        ),
        ("get", "marac_api:referrals", {}, {"marac": marac.slug}),
        ("post", "marac_api:referrals", {}, _referral_json(marac, agency)),
        ("post", "marac_api:referral_accept", {"pk": waiting.pk}, {}),
    ]


def _new_meeting_day():
    return timezone.localdate() + timedelta(days=60)


def _missing_kwargs(kwargs: dict) -> dict:
    """The same route for a missing object (or MARAC, where the route names only a MARAC)."""
    if "pk" in kwargs:
        return {**kwargs, "pk": MISSING}
    return {**kwargs, "slug": "no-such-marac"}


def _send(client, method: str, url: str, data):
    if isinstance(data, str):
        return client.post(url, data, content_type="application/json")
    return getattr(client, method)(url, data)


@pytest.mark.parametrize("person", PEOPLE, indirect=True, ids=lambda p: "-".join(p))
def test_managing_routes_refuse_all_but_the_coordinators_and_chair(
    client, sign_in, world, waiting, person, request
):
    """Meetings, the repeat check, acceptance, listing, circulating and the waiting list: 404
    and nothing recorded or changed for anyone but the MARAC's coordinators and chair."""
    user, _lens = person
    role, at, _through = request.node.callspec.params["person"]
    manages = at == "own" and role in (Role.MARAC_COORDINATOR, Role.MARAC_CHAIR)
    sign_in(client, user)
    for method, name, kwargs, data in _managing_routes(world, waiting):
        before = _events(user)
        url = reverse(name, kwargs=kwargs)
        response = _send(client, method, url, data)
        if manages:
            assert response.status_code in {200, 201, 302, 400}, name
        else:
            assert response.status_code == 404, (name, response.status_code)
            assert _events(user) == before, name
            if kwargs:
                missing = _send(client, method, reverse(name, kwargs=_missing_kwargs(kwargs)), data)
                assert missing.status_code == 404, name
                assert _normalised(response) == _normalised(missing), name
    waiting["case"].refresh_from_db()
    waiting["later"].refresh_from_db()
    created = Case.objects.filter(case_ref__startswith="AUTH-").count()
    if manages:
        assert created == 2  # one through the form, one through the API
        assert Meeting.objects.filter(date=_new_meeting_day()).exists()
    else:
        assert waiting["case"].status == "referred"
        assert waiting["later"].agenda_circulated_at is None
        assert created == 0
        assert not Meeting.objects.filter(date=_new_meeting_day()).exists()


@pytest.mark.parametrize("person", PEOPLE, indirect=True, ids=lambda p: "-".join(p))
def test_the_safelives_return_and_partnership_figures(client, sign_in, world, person, request):
    """The return: the MARAC's coordinators and chair and the partnership's data protection
    lead. The partnership's figures: any member. Neither reads a case."""
    user, _lens = person
    role, at, _through = request.node.callspec.params["person"]
    manages = at == "own" and role in (Role.MARAC_COORDINATOR, Role.MARAC_CHAIR)
    sign_in(client, user)
    csv_response = client.get(
        reverse("marac:safelives_return", kwargs={"slug": world["marac"].slug})
    )
    assert csv_response.status_code == (
        200 if manages or role == Role.DATA_PROTECTION_LEAD else 404
    )
    partnership = world["marac"].partnership
    page = client.get(reverse("marac:partnership_indicators", kwargs={"slug": partnership.slug}))
    assert page.status_code == (404 if role == "outsider" else 200)
    assert _events(user) == 0

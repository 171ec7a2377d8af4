"""The authorisation matrix's world: two partnerships built alike, each with two agencies.

Partnership "a" (Westminster) and "b" (Havering) each have a board, a MARAC, a strategy with an
action led by their first agency, a measure, a case referred by the first agency (on a circulated
agenda, its IDVA allocated), a board meeting, an approved and published board report with its
PDFs, and a draft directory service of the first agency. Every record of a partnership carries
that partnership's marker (MARKERS), so a denied answer can be searched for a leak.

People: every role of DESIGN §3 in each partnership through each of its two agencies
(`Actor.key` such as "commissioner@a1"), plus three who must get nothing: `anonymous`, a person
deactivated after signing in, and a person signed in without a second factor. All synthetic.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from partnership.models import ROLE_SCOPES, Borough, Role, Scope
from partnership.services import membership_grant, system_actor
from tests.factories import AgencyFactory, BoardFactory, PartnershipFactory, UserFactory

ROLES: tuple[str, ...] = tuple(role.value for role in Role)
PARTNERSHIPS = ("a", "b")
AGENCIES = (1, 2)
# Unique strings planted in each partnership's records: never in an answer that was denied.
MARKERS = {"a": "Qmarkeraqz", "b": "Qmarkerbqz"}
BOROUGHS = {"a": "westminster", "b": "havering"}
NOBODY = ("anonymous", "deactivated", "unverified")
MISSING_INT = 987654321
MISSING_UUID = str(uuid.UUID(int=1))


@dataclass
class Actor:
    key: str  # "commissioner@a1", or one of NOBODY
    role: str | None = None
    partnership: str | None = None  # "a" or "b": whose records are its own
    agency: int | None = None
    user: Any = None
    client: Client | None = None

    @property
    def signed_in(self) -> bool:
        return self.key not in NOBODY


@dataclass
class Side:
    """One partnership's records, by the name the matrix's targets use."""

    name: str
    marker: str
    objects: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.objects[key]


def _verify(client: Client) -> None:
    from conftest import verify_session

    verify_session(client)


def _grant(user, *, role: str, agency, partnership, board, marac) -> None:
    scope = ROLE_SCOPES[role]
    membership_grant(
        acting_user=system_actor(),
        user=user,
        agency=agency,
        role=role,
        partnership=partnership,
        board=board if scope == Scope.BOARD else None,
        marac=marac if scope == Scope.MARAC else None,
    )


def _structure(side: Side) -> None:
    from marac.services import marac_create, marac_member_agency_add

    actor, mark, name = system_actor(), side.marker, side.name
    borough = Borough.objects.get(slug=BOROUGHS[name])
    partnership = PartnershipFactory(
        name=f"Matrix partnership {name.upper()} {mark}",
        slug=f"matrix-{name}",
        description=f"Synthetic partnership {mark}",
        boroughs=[borough],
    )
    agencies = {
        1: AgencyFactory(
            name=f"Matrix police {name.upper()} {mark}",
            slug=f"matrix-police-{name}",
            category="police",
            boroughs=[borough],
        ),
        2: AgencyFactory(
            name=f"Matrix housing {name.upper()} {mark}",
            slug=f"matrix-housing-{name}",
            category="housing",
            boroughs=[borough],
        ),
    }
    board = BoardFactory(
        partnership=partnership, name=f"Matrix board {name.upper()} {mark}", slug=f"matrix-{name}"
    )
    marac = marac_create(
        acting_user=actor,
        partnership=partnership,
        name=f"Matrix MARAC {name.upper()} {mark}",
        slug=f"matrix-marac-{name}",
        boroughs=[borough],
    )
    for agency in agencies.values():
        marac_member_agency_add(acting_user=actor, marac=marac, agency=agency, isa_signed_on=None)
    side.objects.update(
        partnership=partnership, borough=borough, agencies=agencies, board=board, marac=marac
    )


def _people(side: Side) -> dict[str, Actor]:
    actors = {}
    for role in ROLES:
        for number in AGENCIES:
            key = f"{role}@{side.name}{number}"
            user = UserFactory(
                email=f"matrix-{role}-{side.name}{number}@test.vawg-portal.invalid",
                full_name=f"Matrix {role} {side.name}{number}",
            )
            _grant(
                user,
                role=role,
                agency=side["agencies"][number],
                partnership=side["partnership"],
                board=side["board"],
                marac=side["marac"],
            )
            actors[key] = Actor(key, role, side.name, number, user)
    return actors


def _targets(side: Side, actors: dict[str, Actor]) -> None:
    """A person of the partnership (to manage), their membership, and public taxonomy ids."""
    from directory.models import TaxonomyTerm
    from directory.reference import TAXONOMY_BASE_URI

    person = UserFactory(
        email=f"matrix-managed-{side.name}@test.vawg-portal.invalid",
        full_name=f"Matrix managed person {side.marker}",
    )
    _grant(
        person,
        role=Role.LEAD_OFFICER,
        agency=side["agencies"][2],
        partnership=side["partnership"],
        board=side["board"],
        marac=side["marac"],
    )
    term = TaxonomyTerm.objects.order_by("pk").first()
    side.objects.update(
        person=person,
        membership=person.memberships.get(),
        term=term.uuid,
        taxonomy=uuid.uuid5(uuid.NAMESPACE_URL, TAXONOMY_BASE_URI + term.vocabulary),
        missing_uuid=MISSING_UUID,
    )


def _action_plan(side: Side) -> None:
    from actions import services
    from actions.models import StrategyStatus

    actor, mark, name = system_actor(), side.marker, side.name
    strategy = services.strategy_create(
        acting_user=actor,
        partnership=side["partnership"],
        slug=f"matrix-strategy-{name}",
        title=f"Matrix strategy {mark}",
        period_start=date(2024, 4, 1),
        period_end=date(2027, 3, 31),
        version="1.0",
    )
    strategy = services.strategy_set_status(
        acting_user=actor,
        strategy=strategy,
        status=StrategyStatus.APPROVED,
        approved_by=side["board"],
    )
    priority = services.priority_create(
        acting_user=actor, strategy=strategy, code="A", title=f"Matrix priority {mark}"
    )
    action = services.action_create(
        acting_user=actor,
        priority=priority,
        ref="A.1",
        title=f"Matrix action {mark}",
        lead_agencies=[side["agencies"][1]],
    )
    measure = services.measure_create(
        acting_user=actor,
        partnership=side["partnership"],
        code=f"matrix-measure-{name}",
        name=f"Matrix measure {mark}",
        unit="rate",
        better="lower",
    )
    side.objects.update(strategy=strategy, priority=priority, action=action, measure=measure)


def _marac_records(side: Side, actors: dict[str, Actor]) -> None:
    from marac.services import agenda_circulate, agenda_item_add, case_allocate_idva, meeting_create
    from tests.marac.factories import submit_case, victim

    actor, mark, name = system_actor(), side.marker, side.name
    case = submit_case(
        actor=actor,
        marac=side["marac"],
        agency=side["agencies"][1],
        case_ref=f"MATRIX-{name.upper()}-1",
        victim_details=victim(last=f"Victim{mark}"),
    )
    meeting = meeting_create(
        acting_user=actor, marac=side["marac"], date=timezone.localdate() + timedelta(days=20)
    )
    agenda_item_add(acting_user=actor, meeting=meeting, case=case)
    agenda_circulate(acting_user=actor, meeting=meeting)
    case_allocate_idva(acting_user=actor, case=case, idva=actors[f"idva@{name}1"].user)
    waiting = submit_case(
        actor=actor,
        marac=side["marac"],
        agency=side["agencies"][1],
        case_ref=f"MATRIX-{name.upper()}-2",
        victim_details=victim(first="Waiting", last=f"Victim{mark}"),
        accept=False,
    )
    side.objects.update(
        case=case, meeting=meeting, item=meeting.items.get(case=case), waiting=waiting
    )


def _marac_workflow(side: Side, actors: dict[str, Actor]) -> None:
    """Issue 7's records: the first agency's research on the listed case; an earlier meeting
    whose approved minutes gave the first agency an action (its extract, up for review at the
    coming meeting); a third case sent to a MARAC outside London; the first coordinator's
    export; and a legal hold on the listed case."""
    from marac.models import ExportKind
    from marac.services import (
        case_action_create,
        case_export_create,
        case_transfer_request,
        legal_hold_set,
        meeting_create,
        meeting_history_record,
        research_save,
    )
    from marac.services.minutes import PastMeeting
    from tests.marac.factories import submit_case, victim

    actor, mark, name = system_actor(), side.marker, side.name
    case, agency = side["case"], side["agencies"][1]
    research_save(
        acting_user=actor, item=side["item"], agency=agency, findings=f"Matrix research {mark}"
    )
    past = meeting_create(
        acting_user=actor, marac=side["marac"], date=timezone.localdate() - timedelta(days=30)
    )
    action = case_action_create(
        acting_user=actor,
        case=case,
        owner_agency=agency,
        meeting=past,
        text=f"Matrix case action {mark}",
        due_on=timezone.localdate() + timedelta(days=10),
    )
    meeting_history_record(
        acting_user=actor,
        meeting=past,
        past=PastMeeting(
            attendance=[], research=[], minutes=[], approved_by=actor, approved_at=timezone.now()
        ),
    )
    leaving = submit_case(
        actor=actor,
        marac=side["marac"],
        agency=agency,
        case_ref=f"MATRIX-{name.upper()}-3",
        victim_details=victim(first="Leaving", last=f"Victim{mark}"),
    )
    transfer = case_transfer_request(
        acting_user=actor,
        case=leaving,
        outside_marac_name=f"Matrix outside MARAC {mark}",
        reason="A synthetic move out of London.",
    )
    export = case_export_create(
        acting_user=actors[f"marac_coordinator@{name}1"].user,
        marac=side["marac"],
        kind=ExportKind.CASES,
    )
    legal_hold_set(acting_user=actor, case=case, reason=f"Synthetic claim {mark}")
    side.objects.update(case_action=action, extract_meeting=past, transfer=transfer, export=export)


def _board_meeting(side: Side) -> None:
    from partnership.services import board_meeting_create

    meeting = board_meeting_create(
        acting_user=system_actor(),
        board=side["board"],
        date=date(2026, 9, 3),
        title=f"Matrix meeting {side.marker}",
    )
    side.objects.update(board_meeting=meeting, attendance=meeting.attendance.order_by("pk").first())


def _report(side: Side, actors: dict[str, Actor]) -> None:
    from reporting import services
    from reporting.models import Variant
    from reporting.periods import Quarter

    author = actors[f"commissioner@{side.name}1"].user
    report = services.report_open(
        acting_user=author, board=side["board"], period=Quarter(2026, 2), author=author
    )
    report = services.report_narrative_update(
        acting_user=author,
        report=report,
        title=f"Matrix report {side.marker}",
        contact="A synthetic contact",
        brief_update="A synthetic update.",
        key_challenges="Synthetic challenges.",
        support_required="Synthetic support.",
    )
    report = services.report_approve(acting_user=author, report=report)
    board_run = services.report_render_now(acting_user=author, report=report, variant=Variant.BOARD)
    side.objects.update(report=report, run=board_run)


def _publish_report(side: Side) -> None:
    """Only partnership "a" publishes: the public list then names a report, legitimately."""
    from reporting import services
    from reporting.models import Variant

    report = side["report"]
    services.report_publish(acting_user=report.author, report=report)
    public_run = services.report_render_now(
        acting_user=report.author, report=report, variant=Variant.PUBLIC
    )
    side.objects.update(public_run=public_run)


def _directory(side: Side) -> None:
    from directory.services import organisation_upsert, service_upsert

    actor = system_actor()
    organisation, _ = organisation_upsert(
        acting_user=actor,
        organisation_id=None,
        name=f"Matrix provider {side.name}",
        agency=side["agencies"][1],
    )
    draft, _ = service_upsert(
        acting_user=actor,
        organisation=organisation,
        data={
            "name": f"Matrix draft service {side.marker}",
            "description": "A synthetic draft.",
            "areas": [BOROUGHS[side.name]],
            "taxonomy": [],
            "phones": [],
        },
        last_checked=timezone.localdate(),
        publish=False,
    )
    published, _ = service_upsert(
        acting_user=actor,
        organisation=organisation,
        data={
            "name": f"Matrix published service {side.name}",
            "description": "A synthetic published service.",
            "areas": [BOROUGHS[side.name]],
            "taxonomy": [],
            "phones": [],
            "locations": [
                {
                    "location_type": "physical",
                    "name": "Matrix centre",
                    "address_1": "1 Synthetic Street",
                    "city": "London",
                    "postal_code": "W2 9ZZ",
                    "latitude": 51.51508,
                    "longitude": -0.17816,
                }
            ],
        },
        last_checked=timezone.localdate(),
        publish=True,
    )
    side.objects.update(
        service=draft,
        published_service=published,
        link=published.service_at_locations.get().pk,
    )


def _nobody(a: Side) -> dict[str, Actor]:
    from partnership.services import person_deactivate

    people = {"anonymous": Actor("anonymous")}
    for key in ("deactivated", "unverified"):
        user = UserFactory(
            email=f"matrix-{key}@test.vawg-portal.invalid", full_name=f"Matrix {key} person"
        )
        _grant(
            user,
            role=Role.COMMISSIONER,
            agency=a["agencies"][1],
            partnership=a["partnership"],
            board=a["board"],
            marac=a["marac"],
        )
        people[key] = Actor(key, Role.COMMISSIONER, "a", 1, user)
    client = Client()
    client.force_login(people["deactivated"].user)
    _verify(client)
    people["deactivated"].client = client
    person_deactivate(
        acting_user=system_actor(), user=people["deactivated"].user, partnership=a["partnership"]
    )
    client = Client()
    client.force_login(people["unverified"].user)  # password only: no second factor at all
    people["unverified"].client = client
    people["anonymous"].client = Client()
    return people


def build_world(*, reports: bool = True) -> tuple[dict[str, Side], dict[str, Actor]]:
    """Both partnerships and every actor, each actor with its own signed-in client.
    `reports=False` skips the board reports and their PDFs (the API has no report routes)."""
    sides = {name: Side(name, MARKERS[name]) for name in PARTNERSHIPS}
    actors: dict[str, Actor] = {}
    for side in sides.values():
        _structure(side)
        actors.update(_people(side))
        _targets(side, actors)
        _action_plan(side)
        _marac_records(side, actors)
        _marac_workflow(side, actors)
        _board_meeting(side)
        if reports:
            _report(side, actors)
        _directory(side)
    if reports:
        _publish_report(sides["a"])
        # Public routes answer everyone alike: the one published report is every side's to ask for.
        sides["b"].objects.update(public_run=sides["a"]["public_run"])
    for actor in actors.values():
        actor.client = Client()
        actor.client.force_login(actor.user)
        _verify(actor.client)
    actors.update(_nobody(sides["a"]))
    return sides, actors


def session_cookie(client: Client) -> str | None:
    morsel = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return morsel.value if morsel is not None else None


def module_world(*, reports: bool = True):
    """A module-scoped `world` fixture: built once, rolled back when the module ends."""

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker, tmp_path_factory):
        from directory.models import TaxonomyTerm
        from directory.reference import load_taxonomy
        from partnership.reference import load_london_boroughs

        storage = tmp_path_factory.mktemp("matrix-private")
        with django_db_blocker.unblock(), override_settings(PRIVATE_STORAGE_ROOT=storage):
            outer = transaction.atomic()
            outer.__enter__()
            try:
                if Borough.objects.count() != 33:
                    load_london_boroughs(Borough)
                if TaxonomyTerm.objects.count() != 37:
                    load_taxonomy(TaxonomyTerm)
                yield build_world(reports=reports)
            finally:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)

    return world

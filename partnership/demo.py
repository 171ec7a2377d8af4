"""Synthetic demo data for the partnership model. Every person here is invented and named so.

`seed_demo` runs each installed app's `demo.seed(context)` in INSTALLED_APPS order; this one
runs first and puts the partnerships, boards, agencies and people into the shared context.
"""

from __future__ import annotations

import base64
import hashlib
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from partnership.models import (
    Agency,
    AgencyCategory,
    Attendance,
    AttendanceStatus,
    Board,
    BoardKind,
    BoardMeeting,
    Borough,
    Membership,
    Partnership,
    Role,
    User,
)
from partnership.services import (
    agency_create,
    attendance_record,
    board_create,
    board_meeting_create,
    borough_population_update,
    membership_grant,
    partnership_create,
)

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - synthetic demo accounts only

# Plausible, synthetic adult female populations for the demo boroughs.
DEMO_POPULATIONS = {
    "westminster": 98_400,
    "hammersmith-and-fulham": 76_900,
    "kensington-and-chelsea": 63_200,
    "havering": 106_300,
}

PARTNERSHIPS = [
    {
        "slug": "shared-services",
        "name": "Shared Services VAWG Partnership",
        "description": (
            "Hammersmith and Fulham, Kensington and Chelsea and Westminster working as one "
            "shared service against violence against women and girls."
        ),
        "boroughs": ["hammersmith-and-fulham", "kensington-and-chelsea", "westminster"],
        "boards": [
            (
                "shared-services-strategic-board",
                "Shared Services VAWG Strategic Board",
                BoardKind.BOARD,
                None,
            ),
            (
                "shared-services-executive-group",
                "VAWG Executive Group",
                BoardKind.SUBGROUP,
                "shared-services-strategic-board",
            ),
            (
                "shared-services-domestic-abuse-group",
                "Domestic Abuse Operational Group",
                BoardKind.OPERATIONAL_GROUP,
                "shared-services-executive-group",
            ),
            (
                "shared-services-sexual-violence-group",
                "Sexual Violence Operational Group",
                BoardKind.OPERATIONAL_GROUP,
                "shared-services-executive-group",
            ),
            (
                "shared-services-harmful-practices-group",
                "Harmful Practices Operational Group",
                BoardKind.OPERATIONAL_GROUP,
                "shared-services-executive-group",
            ),
        ],
    },
    {
        "slug": "havering",
        "name": "Havering Community Safety Partnership",
        "description": "The Community Safety Partnership of the London Borough of Havering.",
        "boroughs": ["havering"],
        "boards": [
            ("havering-csp", "Havering Community Safety Partnership Board", BoardKind.BOARD, None),
            (
                "havering-vawg-subgroup",
                "Havering VAWG Subgroup",
                BoardKind.SUBGROUP,
                "havering-csp",
            ),
            (
                "havering-marac-steering-group",
                "Havering MARAC Steering Group",
                BoardKind.OPERATIONAL_GROUP,
                "havering-vawg-subgroup",
            ),
        ],
    },
]

SHARED = ["hammersmith-and-fulham", "kensington-and-chelsea", "westminster"]

# Agencies named in the source documents (slug, name, category, boroughs served).
AGENCIES = [
    (
        "met-police-central-west",
        "Metropolitan Police Central West BCU",
        AgencyCategory.POLICE,
        SHARED,
    ),
    (
        "met-police-east-area",
        "Metropolitan Police East Area BCU",
        AgencyCategory.POLICE,
        ["havering", "barking-and-dagenham", "redbridge"],
    ),
    (
        "standing-together",
        "Standing Together Against Domestic Violence",
        AgencyCategory.IDVA,
        SHARED,
    ),
    ("advance", "Advance", AgencyCategory.VOLUNTARY_SECTOR, SHARED),
    ("victim-support", "Victim Support", AgencyCategory.IDVA, [*SHARED, "havering"]),
    ("havering-womens-aid", "Havering Women's Aid", AgencyCategory.VOLUNTARY_SECTOR, ["havering"]),
    ("refuge", "Refuge", AgencyCategory.VOLUNTARY_SECTOR, [*SHARED, "havering"]),
    ("galop", "Galop", AgencyCategory.VOLUNTARY_SECTOR, [*SHARED, "havering"]),
    ("rape-crisis", "Rape Crisis", AgencyCategory.VOLUNTARY_SECTOR, [*SHARED, "havering"]),
    (
        "national-probation-service",
        "National Probation Service",
        AgencyCategory.PROBATION,
        [*SHARED, "havering"],
    ),
    (
        "london-crc",
        "London Community Rehabilitation Company",
        AgencyCategory.PROBATION,
        [*SHARED, "havering"],
    ),
    ("london-fire-brigade", "London Fire Brigade", AgencyCategory.OTHER, [*SHARED, "havering"]),
    (
        "iris",
        "IRIS (Identification and Referral to Improve Safety)",
        AgencyCategory.PRIMARY_CARE,
        SHARED,
    ),
    (
        "westminster-community-safety",
        "Westminster City Council Community Safety",
        AgencyCategory.OTHER,
        ["westminster"],
    ),
    (
        "hf-childrens-services",
        "Hammersmith and Fulham Children's Services",
        AgencyCategory.CHILDRENS_SOCIAL_CARE,
        ["hammersmith-and-fulham"],
    ),
    (
        "rbkc-housing",
        "Kensington and Chelsea Housing Options",
        AgencyCategory.HOUSING,
        ["kensington-and-chelsea"],
    ),
    (
        "havering-community-safety",
        "London Borough of Havering Community Safety",
        AgencyCategory.OTHER,
        ["havering"],
    ),
    (
        "havering-childrens-services",
        "Havering Children's Services",
        AgencyCategory.CHILDRENS_SOCIAL_CARE,
        ["havering"],
    ),
    (
        "havering-adult-social-care",
        "Havering Adult Social Care",
        AgencyCategory.ADULT_SOCIAL_CARE,
        ["havering"],
    ),
    ("havering-housing-options", "Havering Housing Options", AgencyCategory.HOUSING, ["havering"]),
    (
        "bhrut",
        "Barking, Havering and Redbridge University Hospitals NHS Trust",
        AgencyCategory.ACUTE_HEALTH,
        ["havering", "barking-and-dagenham", "redbridge"],
    ),
    (
        "nelft",
        "NELFT NHS Foundation Trust",
        AgencyCategory.MENTAL_HEALTH,
        ["havering", "barking-and-dagenham", "redbridge"],
    ),
    (
        "havering-ccg",
        "Havering Clinical Commissioning Group",
        AgencyCategory.PRIMARY_CARE,
        ["havering"],
    ),
]

# Demo people: (partnership slug, email local part, full name, agency slug, [(role, scope)]).
# A scope is None (the partnership), "board:<slug>" or "marac:<slug>" (MARACs come from marac).
PEOPLE = [
    (
        "shared-services",
        "admin",
        "Demo Administrator (Shared Services)",
        "westminster-community-safety",
        [(Role.PARTNERSHIP_ADMIN, None)],
    ),
    (
        "shared-services",
        "commissioner",
        "Demo Commissioner (Shared Services)",
        "westminster-community-safety",
        [(Role.COMMISSIONER, None), (Role.BOARD_MEMBER, "board:shared-services-strategic-board")],
    ),
    (
        "shared-services",
        "lead-officer",
        "Demo Lead Officer (Police, Central West)",
        "met-police-central-west",
        [(Role.LEAD_OFFICER, None)],
    ),
    (
        "shared-services",
        "dpo",
        "Demo Data Protection Lead (Shared Services)",
        "westminster-community-safety",
        [(Role.DATA_PROTECTION_LEAD, None)],
    ),
    (
        "shared-services",
        "editor",
        "Demo Service Editor (Advance)",
        "advance",
        [(Role.SERVICE_EDITOR, None)],
    ),
    (
        "shared-services",
        "board",
        "Demo Board Member (Shared Services)",
        "hf-childrens-services",
        [(Role.BOARD_MEMBER, "board:shared-services-strategic-board")],
    ),
    (
        "shared-services",
        "coordinator",
        "Demo MARAC Coordinator (Westminster)",
        "westminster-community-safety",
        [(Role.MARAC_COORDINATOR, "marac:westminster")],
    ),
    (
        "shared-services",
        "chair",
        "Demo MARAC Chair (Central West Police)",
        "met-police-central-west",
        [(Role.MARAC_CHAIR, "marac:westminster")],
    ),
    (
        "shared-services",
        "rep-police",
        "Demo MARAC Representative (Police)",
        "met-police-central-west",
        [(Role.MARAC_REPRESENTATIVE, "marac:westminster")],
    ),
    (
        "shared-services",
        "rep-housing",
        "Demo MARAC Representative (Housing)",
        "rbkc-housing",
        [(Role.MARAC_REPRESENTATIVE, "marac:kensington-and-chelsea")],
    ),
    (
        "shared-services",
        "idva",
        "Demo IDVA (Standing Together)",
        "standing-together",
        [(Role.IDVA, "marac:westminster"), (Role.IDVA, "marac:hammersmith-and-fulham")],
    ),
    (
        "havering",
        "admin",
        "Demo Administrator (Havering)",
        "havering-community-safety",
        [(Role.PARTNERSHIP_ADMIN, None)],
    ),
    (
        "havering",
        "commissioner",
        "Demo Commissioner (Havering)",
        "havering-community-safety",
        [(Role.COMMISSIONER, None), (Role.BOARD_MEMBER, "board:havering-csp")],
    ),
    (
        "havering",
        "lead-officer",
        "Demo Lead Officer (Havering Women's Aid)",
        "havering-womens-aid",
        [(Role.LEAD_OFFICER, None)],
    ),
    (
        "havering",
        "dpo",
        "Demo Data Protection Lead (Havering)",
        "havering-community-safety",
        [(Role.DATA_PROTECTION_LEAD, None)],
    ),
    (
        "havering",
        "editor",
        "Demo Service Editor (Havering Women's Aid)",
        "havering-womens-aid",
        [(Role.SERVICE_EDITOR, None)],
    ),
    (
        "havering",
        "board",
        "Demo Board Member (Havering)",
        "havering-childrens-services",
        [(Role.BOARD_MEMBER, "board:havering-csp")],
    ),
    (
        "havering",
        "coordinator",
        "Demo MARAC Coordinator (Havering)",
        "havering-community-safety",
        [(Role.MARAC_COORDINATOR, "marac:havering")],
    ),
    (
        "havering",
        "chair",
        "Demo MARAC Chair (East Area Police)",
        "met-police-east-area",
        [(Role.MARAC_CHAIR, "marac:havering")],
    ),
    (
        "havering",
        "rep-police",
        "Demo MARAC Representative (East Area Police)",
        "met-police-east-area",
        [(Role.MARAC_REPRESENTATIVE, "marac:havering")],
    ),
    (
        "havering",
        "rep-health",
        "Demo MARAC Representative (BHRUT)",
        "bhrut",
        [(Role.MARAC_REPRESENTATIVE, "marac:havering")],
    ),
    (
        "havering",
        "idva",
        "Demo IDVA (Victim Support)",
        "victim-support",
        [(Role.IDVA, "marac:havering")],
    ),
]


@dataclass
class DemoContext:
    """What each app's demo seeding shares with the next, and the logins to print."""

    actor: User
    partnerships: dict[str, Partnership] = field(default_factory=dict)
    boards: dict[str, Board] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)
    maracs: dict[str, object] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)


def demo_email(partnership_slug: str, local: str) -> str:
    return f"{local}@{partnership_slug}.demo.vawg-portal.uk"


def seed(context: DemoContext) -> None:
    _seed_populations(context)
    _seed_agencies(context)
    _seed_partnerships(context)
    _seed_people(context, with_marac_roles=False)
    _seed_second_factors(context)
    seed_board_meetings(context)


def demo_totp_secret(email: str) -> str:
    """A fixed authenticator secret per demo person, so an app set up once keeps working."""
    digest = hashlib.sha256(f"vawg-demo-totp:{email}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


def _seed_second_factors(context: DemoContext) -> None:
    """Every demo person has an authenticator app (sign-in needs one); the login list shows
    its secret and the code it gives right now."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    counter = int(time.time()) // 30
    for email, user in context.people.items():
        existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if existing is None:
            secret = demo_totp_secret(email)
            TOTP.activate(user, secret)
        else:
            secret = decrypt(existing.data["secret"])
        code = format_hotp_value(hotp_value(secret, counter))
        context.extra[f"login-note:{email}"] = f"\n      TOTP secret {secret} (code now {code})"


def seed_marac_roles(context: DemoContext) -> None:
    """Called by the marac app's demo seeding once the MARACs exist."""
    _seed_people(context, with_marac_roles=True)


def _seed_populations(context: DemoContext) -> None:
    for slug, population in DEMO_POPULATIONS.items():
        borough = Borough.objects.get(slug=slug)
        if borough.adult_female_population != population:
            borough_population_update(
                acting_user=context.actor,
                borough=borough,
                population=population,
                source="Synthetic demo figure",
                year=2024,
            )


def _seed_agencies(context: DemoContext) -> None:
    boroughs = {b.slug: b for b in Borough.objects.all()}
    for slug, name, category, served in AGENCIES:
        agency = Agency.objects.filter(slug=slug).first() or agency_create(
            acting_user=context.actor,
            name=name,
            slug=slug,
            category=category,
            boroughs=[boroughs[s] for s in served],
        )
        context.agencies[slug] = agency


def _seed_partnerships(context: DemoContext) -> None:
    for spec in PARTNERSHIPS:
        partnership = Partnership.objects.filter(slug=spec["slug"]).first() or partnership_create(
            acting_user=context.actor,
            name=spec["name"],
            slug=spec["slug"],
            description=spec["description"],
            boroughs=Borough.objects.filter(slug__in=spec["boroughs"]),
        )
        context.partnerships[spec["slug"]] = partnership
        for slug, name, kind, parent in spec["boards"]:
            board = Board.objects.filter(slug=slug).first() or board_create(
                acting_user=context.actor,
                partnership=partnership,
                name=name,
                slug=slug,
                kind=kind,
                parent=context.boards.get(parent) if parent else None,
            )
            context.boards[slug] = board


def _seed_people(context: DemoContext, *, with_marac_roles: bool) -> None:
    for partnership_slug, local, full_name, agency_slug, roles in PEOPLE:
        email = demo_email(partnership_slug, local)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
        context.people[email] = user
        if not with_marac_roles:
            context.logins.append((email, DEMO_PASSWORD, full_name))
        for role, scope in roles:
            is_marac = bool(scope and scope.startswith("marac:"))
            if is_marac != with_marac_roles:
                continue
            _grant(context, user, partnership_slug, agency_slug, role, scope)


def _grant(
    context: DemoContext,
    user: User,
    partnership_slug: str,
    agency_slug: str,
    role: str,
    scope: str | None,
) -> None:
    partnership = context.partnerships[partnership_slug]
    board = marac = None
    if scope and scope.startswith("board:"):
        board = context.boards[scope.removeprefix("board:")]
    if scope and scope.startswith("marac:"):
        marac = context.maracs[scope.removeprefix("marac:")]
    existing = Membership.objects.filter(
        user=user, role=role, partnership=partnership, board=board, ended_at__isnull=True
    )
    if marac is not None:
        existing = existing.filter(scope_id=marac.pk)
    if not existing.exists():
        membership_grant(
            acting_user=context.actor,
            user=user,
            agency=context.agencies[agency_slug],
            role=role,
            partnership=partnership,
            board=board,
            marac=marac,
        )


def seed_board_meetings(context: DemoContext) -> None:
    """Four quarterly meetings of each main board over the last year, with attendance."""
    today = timezone.localdate()
    statuses = [
        AttendanceStatus.ATTENDED,
        AttendanceStatus.ATTENDED,
        AttendanceStatus.APOLOGIES,
        AttendanceStatus.ATTENDED,
    ]
    for slug in ("shared-services-strategic-board", "havering-csp"):
        board = context.boards[slug]
        for quarter in range(4, 0, -1):
            when = _first_thursday(today - timedelta(days=91 * quarter))
            if BoardMeeting.objects.filter(board=board, date=when).exists():
                continue
            meeting = board_meeting_create(
                acting_user=context.actor,
                board=board,
                date=when,
                title=f"{board.name} quarterly meeting",
            )
            records = Attendance.objects.filter(meeting=meeting).order_by("user__email")
            for index, record in enumerate(records):
                attendance_record(
                    acting_user=context.actor,
                    attendance=record,
                    status=statuses[(index + quarter) % len(statuses)],
                )


def _first_thursday(day: date) -> date:
    first = day.replace(day=1)
    return first + timedelta(days=(3 - first.weekday()) % 7)

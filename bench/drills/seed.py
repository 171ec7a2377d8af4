"""Synthetic data for the fault drills and the load test, and fresh signed-in sessions.

Run inside Django with the drill's environment:

    python bench/drills/seed.py seed    # once per golden database: partnerships, plans, cases
    python bench/drills/seed.py facts   # JSON on stdout: ids, markers and a verified session
                                        # cookie for every drill person (new on every call)

Two partnerships, `alpha` and `bravo`, are mirror images. Every name in a partnership carries
its marker (`Drillalpha`, `Drillbravo`) and every case its case marker (`Casemarkalpha`...), so a
response body that holds another partnership's marker, or a case marker for someone with no
MARAC role there, is a leak the load test can see without asking the portal who may see what.
All people and records are synthetic and visibly so.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date, timedelta
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

CODES = ("alpha", "bravo")
BOROUGHS = {"alpha": "camden", "bravo": "hackney"}
ACTIONS = 20
CASES = 30
QUARTERS = [(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1)]
PASSWORD = "Synthetic-drill-password-1"  # noqa: S105 - synthetic, for the throttling check
PEOPLE = {"coordinator": 8, "police_officer": 6, "housing_officer": 6, "commissioner": 5}


def marker(code: str) -> str:
    return f"Drill{code}"


def case_marker(code: str) -> str:
    return f"Casemark{code}"


def email(kind: str, number: int, code: str) -> str:
    return f"{kind}{number}@drill-{code}.invalid"


def _people(actor, code, partnership, agencies, marac, board):
    from partnership.models import Role, User
    from partnership.services import membership_grant

    roles = {
        "coordinator": ("police", Role.MARAC_COORDINATOR),
        "police_officer": ("police", Role.LEAD_OFFICER),
        "housing_officer": ("housing", Role.LEAD_OFFICER),
        "commissioner": ("council", Role.COMMISSIONER),
    }
    made = {}
    for kind, count in PEOPLE.items():
        agency_key, role = roles[kind]
        for number in range(count):
            user = User.objects.create_user(
                email(kind, number, code),
                PASSWORD,
                full_name=f"{marker(code)} synthetic {kind.replace('_', ' ')} {number}",
            )
            membership_grant(
                acting_user=actor,
                user=user,
                agency=agencies[agency_key],
                role=role,
                partnership=partnership,
                marac=marac if role == Role.MARAC_COORDINATOR else None,
            )
            made.setdefault(kind, []).append(user)
    return made


def _plan(actor, code, partnership, agencies, board):
    from actions import services
    from actions.models import StrategyStatus

    strategy = services.strategy_create(
        acting_user=actor,
        partnership=partnership,
        slug=f"drill-{code}-plan",
        title=f"{marker(code)} synthetic strategy",
        period_start=date(2025, 4, 1),
        period_end=date(2028, 3, 31),
    )
    services.strategy_set_status(
        acting_user=actor, strategy=strategy, status=StrategyStatus.APPROVED, approved_by=board
    )
    priority = services.priority_create(
        acting_user=actor, strategy=strategy, code="1", title=f"{marker(code)} priority"
    )
    for number in range(ACTIONS):
        lead = agencies["police" if number % 2 == 0 else "housing"]
        services.action_create(
            acting_user=actor,
            priority=priority,
            ref=f"1.{number + 1}",
            title=f"{marker(code)} synthetic action {number + 1}",
            lead_agencies=[lead],
            milestones=[],
            timescale_kind="date",
            timescale_date=date(2027, 3, 31),
            outcomes="Synthetic outcomes for the drills.",
        )


def _cases(actor, code, marac, police):
    from django.utils import timezone

    from marac.models import Consent, YesNo
    from marac.services import (
        DashAnswers,
        PerpetratorDetails,
        VictimDetails,
        case_accept,
        referral_submit,
    )

    today = timezone.localdate()
    for number in range(CASES):
        letters = chr(97 + number % 26) + chr(97 + number // 26)
        day = today - timedelta(days=10 + number)
        case = referral_submit(
            acting_user=actor,
            marac=marac,
            case_ref=f"DRILL-{code.upper()}-{number:03d}",
            referral_date=day,
            referring_agencies=[police],
            victim=VictimDetails(
                first_name=f"Testvictim{letters}",
                last_name=case_marker(code),
                date_of_birth=date(1980, 1, 1) + timedelta(days=37 * number),
                gender="female",
                ethnicity="white_british",
                lgbt=YesNo.NO,
                disability=YesNo.NO,
                address=f"{number + 1} Synthetic Row, {case_marker(code)} Town",
                phone="07700 900123",
                safe_contact="Call the synthetic mobile after 6pm",
            ),
            dash=DashAnswers(
                answers=[YesNo.YES] * 16 + [YesNo.NO] * 7 + [YesNo.NOT_KNOWN], assessed_on=day
            ),
            consent=Consent.GIVEN,
            perpetrators=[PerpetratorDetails(first_name="Testperp", last_name=f"Madeup{letters}")],
        )
        case_accept(acting_user=actor, case=case)


def seed() -> None:
    from marac.services import marac_create, marac_member_agency_add
    from partnership.models import Borough
    from partnership.services import (
        agency_create,
        board_create,
        partnership_create,
        system_actor,
    )
    from reporting.periods import Quarter
    from reporting.services import report_open

    actor = system_actor()
    for code in CODES:
        boroughs = Borough.objects.filter(slug=BOROUGHS[code])
        partnership = partnership_create(
            acting_user=actor,
            name=f"{marker(code)} partnership",
            slug=f"drill-{code}",
            boroughs=boroughs,
        )
        board = board_create(
            acting_user=actor,
            partnership=partnership,
            name=f"{marker(code)} board",
            slug=f"drill-{code}-board",
        )
        agencies = {
            key: agency_create(
                acting_user=actor,
                name=f"{marker(code)} {label}",
                slug=f"drill-{code}-{key}",
                category=category,
                boroughs=boroughs,
            )
            for key, label, category in [
                ("police", "Police BCU", "police"),
                ("housing", "Housing Options", "housing"),
                ("council", "Council Community Safety", "other"),
            ]
        }
        marac = marac_create(
            acting_user=actor,
            partnership=partnership,
            name=f"{marker(code)} MARAC",
            slug=f"drill-{code}",
            boroughs=boroughs,
        )
        for key in ("police", "housing"):
            marac_member_agency_add(
                acting_user=actor, marac=marac, agency=agencies[key], isa_signed_on=None
            )
        people = _people(actor, code, partnership, agencies, marac, board)
        _plan(actor, code, partnership, agencies, board)
        _cases(actor, code, marac, agencies["police"])
        for year, number in QUARTERS:
            report_open(
                acting_user=actor,
                board=board,
                period=Quarter(year, number),
                author=people["commissioner"][0],
            )


def _session_cookie(user) -> str:
    """A new session that has passed the second factor, as allauth records it at sign-in."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from portal.sessions import session_started

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = time.time()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["account_authentication_methods"] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    store["account_authentication_methods_user"] = str(user.pk)
    session_started(session=store, now=now)
    store.create()
    return store.session_key


def facts() -> dict:
    from django.conf import settings

    from actions.models import Action
    from marac.models import Case
    from partnership.models import User
    from reporting.models import BoardReport

    result = {
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        "password": PASSWORD,
        "partnerships": {},
    }
    for code in CODES:
        actions = Action.objects.filter(strategy__slug=f"drill-{code}-plan").order_by("pk")
        people = {}
        for kind, count in PEOPLE.items():
            for number in range(count):
                user = User.objects.get(email=email(kind, number, code))
                people.setdefault(kind, []).append(
                    {"email": user.email, "id": user.pk, "session": _session_cookie(user)}
                )
        result["partnerships"][code] = {
            "marker": marker(code),
            "case_marker": case_marker(code),
            "strategy": f"drill-{code}-plan",
            "board": f"drill-{code}-board",
            "actions": [
                {
                    "id": action.pk,
                    "ref": action.ref,
                    "lead": action.leads.get(is_primary=True).agency.slug.rsplit("-", 1)[1],
                }
                for action in actions
            ],
            "cases": list(
                Case.objects.filter(marac__slug=f"drill-{code}")
                .order_by("pk")
                .values_list("pk", flat=True)
            ),
            "reports": list(
                BoardReport.objects.filter(board__slug=f"drill-{code}-board")
                .order_by("year", "quarter")
                .values_list("pk", flat=True)
            ),
            "people": people,
        }
    return result


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1:] == ["seed"]:
        seed()
    elif sys.argv[1:] == ["facts"]:
        print(json.dumps(facts()))
    else:
        raise SystemExit("usage: seed.py seed | facts")

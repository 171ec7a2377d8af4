"""Synthetic MARAC cases for the benchmarks (issue 6), written with SQL `COPY`, not the ORM.

33 MARACs (one per London borough) of one partnership, 500 agencies (each a member of two
MARACs), weekly meetings of 30 cases, and `cases` cases spread evenly over the MARACs: each
with its referral and referring agency, victim, perpetrator, children, DASH assessment, agenda
item and (once heard) one agency action. The newest meeting of each MARAC is next week's, its
agenda circulated; ten referrals per MARAC wait to be accepted. Dates count back from today,
so the agenda lens (30 days after a meeting, or while an action is open) always holds the same
few meetings at any scale.

Identifiers are real Fernet ciphertext of visibly fake names ("Fakeanne Testley"), made once
per pool entry and reused; blind indexes are computed per case with the portal's own functions,
so the exact lookup finds a case through `marac.crypto` exactly as the app does. The MARACs,
agencies and the people who use them are made once through the services; cases and meetings
are replaced (TRUNCATE, then COPY) whenever the requested scale or the day differs from what
the database holds. Run inside Django with the portal's keys (bench/run.py does).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from marac import crypto
from marac.models import Marac
from marac.services import marac_create, marac_member_agency_add
from partnership.models import Agency, AgencyCategory, Borough, Membership, Partnership, Role, User
from partnership.services import agency_create, membership_grant, partnership_create, system_actor

SLUG = "bench-marac"
AGENCIES = 500
CASES_PER_MEETING = 30
WAITING_PER_MARAC = 10
ACTION_OPEN_DAYS = 90
CLOSED_AFTER_DAYS = 365
ACTION_FOCUSES = ("victim", "children", "perpetrator", "other")
FLUSH_ROWS = 500_000  # rows held in memory before they are streamed (each COPY has a cost)
COORDINATOR_EMAIL = f"coordinator@{SLUG}.bench.invalid"
REPRESENTATIVE_EMAIL = f"representative@{SLUG}.bench.invalid"
LOOKUP_EMAIL = "lookup-{run}-{n}@" + SLUG + ".bench.invalid"

_PREFIXES = ["Fake", "Test", "Mock", "Synth", "Dummy", "Bench", "Sample", "Proxy", "Stub", "Demo"]
_FIRST = ["anne", "ina", "elle", "ara", "ea", "ette", "ola", "ia", "ine", "ora"]
_FIRST += ["ella", "ita", "ana", "ice", "ie", "yn", "ly", "ora-May", "isha", "enne"]
_LAST = ["son", "ley", "worth", "field", "ton", "wood", "ham", "ford", "by", "well"]
_LAST += ["more", "gate", "ridge", "stone", "brook", "hurst", "combe", "dale", "shaw", "croft"]
_MALE = ["bert", "rick", "don", "gus", "ian", "ross", "kyle", "dean", "neil", "carl"]
FIRST_NAMES = [p + s for p in _PREFIXES for s in _FIRST]  # 200
LAST_NAMES = [p + s for p in _PREFIXES for s in _LAST]  # 200
MALE_NAMES = [p + s for p in _PREFIXES for s in _MALE]  # 100
DOB_POOL = 2000
CATEGORIES = [c for c, _ in AgencyCategory.choices]
ETHNICITIES = ["white_british"] * 6 + ["white_other", "black", "asian", "mixed", "arab", "other"]


@dataclass(frozen=True)
class MaracBench:
    """What the harness needs to measure the MARAC pages; no personal value but synthetic."""

    cases: int
    marac_slug: str
    coordinator_email: str
    representative_email: str
    lookup_first_name: str
    lookup_last_name: str
    lookup_date_of_birth: str
    lookup_case_ref: str


# -- the fixed part: partnership, MARACs, agencies, people ------------------------------------


@transaction.atomic
def _setup(agencies_count: int = AGENCIES) -> Partnership:
    actor = system_actor()
    existing = Partnership.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    boroughs = list(Borough.objects.order_by("name"))
    partnership = partnership_create(
        acting_user=actor, name="Bench MARAC partnership", slug=SLUG, boroughs=boroughs
    )
    maracs = [
        marac_create(
            acting_user=actor,
            partnership=partnership,
            name=f"Bench MARAC {borough.name}",
            slug=f"{SLUG}-{borough.slug}",
            boroughs=[borough],
        )
        for borough in boroughs
    ]
    agencies = [
        agency_create(
            acting_user=actor,
            name=f"Bench MARAC agency {n}",
            slug=f"{SLUG}-agency-{n}",
            category=CATEGORIES[n % len(CATEGORIES)],
            boroughs=[boroughs[n % len(boroughs)]],
        )
        for n in range(agencies_count)
    ]
    joined = date(2000, 1, 1)
    for n, agency in enumerate(agencies):
        for m in (n % len(maracs), (n + 1) % len(maracs)):
            marac_member_agency_add(
                acting_user=actor,
                marac=maracs[m],
                agency=agency,
                isa_signed_on=joined,
                joined_on=joined,
            )
    _person(partnership, maracs[0], agencies[0], COORDINATOR_EMAIL, Role.MARAC_COORDINATOR)
    _person(partnership, maracs[0], agencies[0], REPRESENTATIVE_EMAIL, Role.MARAC_REPRESENTATIVE)
    for m, marac in enumerate(maracs):
        _person(partnership, marac, agencies[m], f"idva-{m}@{SLUG}.bench.invalid", Role.IDVA)
    return partnership


def _person(partnership: Partnership, marac: Marac, agency: Agency, email: str, role: str) -> None:
    user = User.objects.create_user(email, None, full_name=f"Bench {role.replace('_', ' ')}")
    membership_grant(
        acting_user=system_actor(),
        user=user,
        agency=agency,
        role=role,
        partnership=partnership,
        marac=marac,
    )


def _maracs(partnership: Partnership) -> list[Marac]:
    return list(Marac.objects.filter(partnership=partnership).order_by("slug"))


def _member_agencies(maracs: list[Marac]) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {m.pk: [] for m in maracs}
    rows = (
        Marac.objects.filter(pk__in=members)
        .values_list("pk", "member_agencies__agency_id")
        .order_by("pk", "member_agencies__agency_id")
    )
    for marac_id, agency_id in rows:
        members[marac_id].append(agency_id)
    return members


def lookup_coordinators(count: int, run: str) -> list[User]:
    """`count` new coordinators of the first MARAC, for exact lookups: the portal allows each
    person 20 lookups an hour, so a load test needs many people, not a weaker limit."""
    partnership = Partnership.objects.get(slug=SLUG)
    marac = _maracs(partnership)[0]
    agency = Agency.objects.get(slug=f"{SLUG}-agency-0")
    actor = system_actor()
    users = User.objects.bulk_create(
        User(email=LOOKUP_EMAIL.format(run=run, n=n), full_name=f"Bench lookup coordinator {n}")
        for n in range(count)
    )
    marac_type = ContentType.objects.get_for_model(Marac)
    Membership.objects.bulk_create(
        Membership(
            user=user,
            agency=agency,
            role=Role.MARAC_COORDINATOR,
            partnership=partnership,
            scope_type=marac_type,
            scope_id=marac.pk,
            created_by=actor,
            updated_by=actor,
        )
        for user in users
    )
    return users


# -- the cases: COPY ----------------------------------------------------------------------


class _Pools:
    """Fernet ciphertexts made once per synthetic value and reused for every case."""

    def __init__(self) -> None:
        self.first = {name: crypto.encrypt(name) for name in FIRST_NAMES}
        self.last = {name: crypto.encrypt(name) for name in LAST_NAMES}
        self.male = {name: crypto.encrypt(name) for name in MALE_NAMES}
        self.dob_text = [crypto.encrypt(d.isoformat()) for d in _dob_pool()]
        self.addresses = [
            crypto.encrypt(f"{n} Example Street, Demo Town, ZZ99 {n % 9}ZZ") for n in range(200)
        ]
        self.action_texts = [
            crypto.encrypt(f"Synthetic action {n}: share records and review safety plan.")
            for n in range(50)
        ]


def victim_of(n: int) -> tuple[str, str, date]:
    """The synthetic victim of the n-th case (0-based), fixed for every run."""
    first = FIRST_NAMES[n % len(FIRST_NAMES)]
    last = LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)]
    return first, last, _dob(n)


@lru_cache(maxsize=1)
def _dob_pool() -> list[date]:
    rng = random.Random(6)  # noqa: S311 - synthetic data
    return [date(1955, 1, 1) + timedelta(days=rng.randrange(18000)) for _ in range(DOB_POOL)]


def _dob_slot(n: int) -> int:
    # Names repeat every 40,000 cases; the shift keeps the repeats' dates of birth apart.
    return (n * 7919 + n // (len(FIRST_NAMES) * len(LAST_NAMES))) % DOB_POOL


def _dob(n: int) -> date:
    return _dob_pool()[_dob_slot(n)]


@lru_cache(maxsize=100_000)
def _normalised(first: str, last: str) -> str:
    return crypto.normalise_name(first, last)


def _victim_index(first: str, last: str, dob: date) -> str:
    """`crypto.victim_index` with the normalised name cached (names repeat; dates do not)."""
    return crypto._blind_index("victim", f"{_normalised(first, last)}|{dob:%Y-%m-%d}")


@lru_cache(maxsize=100_000)
def _perpetrator_index(first: str, last: str) -> str:
    return crypto.perpetrator_index(first, last)


def _marker(cases: int) -> str:
    return json.dumps({"cases": cases, "day": timezone.localdate().isoformat()})


def seed(cases: int, *, agencies: int = AGENCIES) -> MaracBench:
    """Make sure the database holds exactly `cases` bench cases laid out for today."""
    partnership = _setup(agencies)
    if partnership.description != _marker(cases):
        _reseed(partnership, cases)
    return _describe(partnership, cases)


def _describe(partnership: Partnership, cases: int) -> MaracBench:
    first, last, dob = victim_of(0)
    marac = _maracs(partnership)[0]
    return MaracBench(
        cases=cases,
        marac_slug=marac.slug,
        coordinator_email=COORDINATOR_EMAIL,
        representative_email=REPRESENTATIVE_EMAIL,
        lookup_first_name=first,
        lookup_last_name=last,
        lookup_date_of_birth=dob.isoformat(),
        lookup_case_ref=_case_ref(0, 0),
    )


def _case_ref(m: int, n: int) -> str:
    return f"BM{m:02d}-{n:07d}"


_TABLES: dict[str, list[str]] = {
    "marac_meeting": [
        "id",
        "created_at",
        "updated_at",
        "date",
        "agenda_circulated_at",
        "minutes_approved_at",
        "agenda_circulated_by_id",
        "created_by_id",
        "marac_id",
        "updated_by_id",
    ],
    "marac_case": [
        "id",
        "created_at",
        "updated_at",
        "case_ref",
        "status",
        "idva_allocated",
        "children_in_household",
        "closed_at",
        "created_by_id",
        "idva_id",
        "marac_id",
        "transferred_to_id",
        "updated_by_id",
    ],
    "marac_referral": [
        "id",
        "created_at",
        "updated_at",
        "referral_date",
        "visible_high_risk",
        "professional_judgement",
        "potential_escalation",
        "pj_rationale",
        "incidents_12m",
        "dash_score",
        "consent",
        "lawful_basis",
        "not_safe_to_talk",
        "is_historical",
        "decided_at",
        "is_repeat",
        "case_id",
        "created_by_id",
        "heard_elsewhere_id",
        "referrer_id",
        "repeat_of_id",
        "updated_by_id",
    ],
    "marac_referralsource": ["id", "category", "agency_id", "referral_id"],
    "marac_victim": [
        "id",
        "first_name",
        "last_name",
        "aliases",
        "date_of_birth",
        "address",
        "phone",
        "safe_contact",
        "blind_index",
        "gender",
        "ethnicity",
        "lgbt",
        "disability",
        "age_at_referral",
        "case_id",
    ],
    "marac_perpetrator": [
        "id",
        "first_name",
        "last_name",
        "aliases",
        "date_of_birth",
        "address",
        "notes",
        "blind_index",
        "case_id",
    ],
    "marac_child": ["id", "first_name", "last_name", "date_of_birth", "case_id"],
    "marac_dashassessment": [
        "id",
        "version",
        "assessed_on",
        "answers",
        "sources",
        "afraid_of",
        "notes",
        "score",
        "created_at",
        "agency_id",
        "assessor_id",
        "case_id",
    ],
    "marac_agendaitem": [
        "id",
        "created_at",
        "updated_at",
        "kind",
        "position",
        "heard_at",
        "late",
        "created_by_id",
        "updated_by_id",
        "case_id",
        "meeting_id",
    ],
    "marac_caseaction": [
        "id",
        "created_at",
        "updated_at",
        "text",
        "due_on",
        "status",
        "focus",
        "progress_note",
        "closed_at",
        "case_id",
        "created_by_id",
        "owner_agency_id",
        "updated_by_id",
        "meeting_id",
    ],
}


class _Copier:
    """Rows for every table, streamed to PostgreSQL with one COPY per table."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple]] = {table: [] for table in _TABLES}
        self.ids: dict[str, int] = dict.fromkeys(_TABLES, 0)

    def add(self, table: str, *values: Any) -> int:
        self.ids[table] += 1
        self.rows[table].append((self.ids[table], *values))
        return self.ids[table]

    def pending(self) -> int:
        return sum(len(rows) for rows in self.rows.values())

    def flush(self, cursor) -> None:
        for table, columns in _TABLES.items():
            rows = self.rows[table]
            if not rows:
                continue
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            rows.clear()


def _reseed(partnership: Partnership, cases: int) -> None:
    maracs = _maracs(partnership)
    members = _member_agencies(maracs)
    idvas = dict(
        Membership.objects.filter(role=Role.IDVA, scope_id__in=[m.pk for m in maracs]).values_list(
            "scope_id", "user_id"
        )
    )
    category = dict(Agency.objects.filter(slug__startswith=SLUG).values_list("pk", "category"))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE marac_meeting, marac_case RESTART IDENTITY CASCADE")
        _skip_foreign_key_checks(cursor)
        copier = _Copier()
        layout = _Layout(copier, _Pools(), system_actor().pk, category)
        per_marac = [cases // len(maracs) + (m < cases % len(maracs)) for m in range(len(maracs))]
        for m, marac in enumerate(maracs):
            layout.marac(m, marac.pk, per_marac[m], members[marac.pk], idvas.get(marac.pk))
            if copier.pending() > FLUSH_ROWS:
                copier.flush(cursor)
        copier.flush(cursor)
        for table in _TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"GREATEST((SELECT MAX(id) FROM {table}), 1))"
            )
        Partnership.objects.filter(pk=partnership.pk).update(description=_marker(cases))
        for table in _TABLES:
            cursor.execute(f"ANALYZE {table}")


def _skip_foreign_key_checks(cursor) -> None:
    """Foreign keys are checked at commit, one trigger per row: for a bulk load whose rows are
    consistent by construction, skip them when the role may (a superuser, as on our machines)."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cursor.fetchone()[0]:
        cursor.execute("SET LOCAL session_replication_role = replica")


class _Layout:
    """Where each case of one MARAC goes: waiting, on next week's agenda, or heard."""

    def __init__(self, copier: _Copier, pools: _Pools, actor_id: int, category: dict) -> None:
        self.copier = copier
        self.pools = pools
        self.actor = actor_id
        self.category = category
        self.today = timezone.localdate()
        self.serial = 0  # across MARACs: every victim is a different synthetic person

    @lru_cache(maxsize=1024)  # noqa: B019 - one layout per seed, a few hundred patterns
    def _answers(self, score: int, n: int) -> str:
        answers = ["yes"] * score + ["no"] * (24 - score)
        random.Random(score * 100 + n).shuffle(answers)  # noqa: S311 - synthetic data
        return json.dumps(answers)

    def _at(self, day: date) -> datetime:
        return datetime.combine(day, time(10, 0), tzinfo=UTC)

    def marac(self, m: int, marac_id: int, count: int, agencies: list[int], idva: int | None):
        next_meeting = self.today + timedelta(days=3)
        waiting = min(WAITING_PER_MARAC, count)
        listed = count - waiting
        meetings = -(-listed // CASES_PER_MEETING)
        for k in range(meetings):  # k = 0 is next week's meeting
            day = next_meeting - timedelta(days=7 * k)
            circulated = self._at(day - timedelta(days=5))
            approved = (
                self._at(day + timedelta(days=7)) if day + timedelta(days=7) < self.today else None
            )
            meeting = self.copier.add(
                "marac_meeting",
                circulated,
                circulated,
                day,
                circulated,
                approved,
                self.actor,
                self.actor,
                marac_id,
                self.actor,
            )
            size = min(CASES_PER_MEETING, listed - k * CASES_PER_MEETING)
            for position in range(1, size + 1):
                self._case(m, marac_id, day, meeting, position, agencies, idva)
        for _ in range(waiting):
            self._case(m, marac_id, self.today - timedelta(days=1), None, 0, agencies, idva)

    def _case(self, m, marac_id, day, meeting, position, agencies, idva) -> None:
        pools, actor, n = self.pools, self.actor, self.serial
        self.serial += 1
        heard = meeting is not None and day < self.today
        closed = heard and (self.today - day).days > CLOSED_AFTER_DAYS
        status = "closed" if closed else "heard" if heard else "listed" if meeting else "referred"
        referral_date = day - timedelta(days=10)
        created = self._at(referral_date)
        children = n % 3
        allocated = n % 2 == 0 and idva is not None
        case = self.copier.add(
            "marac_case",
            created,
            created,
            _case_ref(m, n),
            status,
            "yes" if allocated else "no",
            children,
            self._at(day) if closed else None,
            actor,
            idva if allocated else None,
            marac_id,
            None,
            actor,
        )
        score = 14 + n % 11
        decided = created if meeting else None
        referral = self.copier.add(
            "marac_referral",
            created,
            created,
            referral_date,
            True,
            False,
            n % 5 == 0,
            "",
            n % 4,
            score,
            "given",
            "",
            "",
            False,
            decided,
            (n % 10 < 3) if meeting else None,
            case,
            actor,
            None,
            None,
            None,
            actor,
        )
        agency = agencies[n % len(agencies)]
        self.copier.add("marac_referralsource", self.category[agency], agency, referral)
        first, last, dob = victim_of(n)
        self.copier.add(
            "marac_victim",
            pools.first[first],
            pools.last[last],
            "",
            pools.dob_text[_dob_slot(n)],
            pools.addresses[n % 200],
            "",
            "",
            _victim_index(first, last, dob),
            "male" if n % 16 == 0 else "female",
            ETHNICITIES[n % len(ETHNICITIES)],
            "yes" if n % 60 == 0 else "no",
            "yes" if n % 10 == 0 else "no",
            16 + n % 55,
            case,
        )
        p_first = MALE_NAMES[n % len(MALE_NAMES)]
        p_last = LAST_NAMES[(n * 31) % len(LAST_NAMES)]
        self.copier.add(
            "marac_perpetrator",
            pools.male[p_first],
            pools.last[p_last],
            "",
            None,
            "",
            "",
            _perpetrator_index(p_first, p_last),
            case,
        )
        for c in range(children):
            self.copier.add(
                "marac_child",
                pools.first[FIRST_NAMES[(n + c + 7) % 200]],
                pools.last[last],
                None,
                case,
            )
        self.copier.add(
            "marac_dashassessment",
            1,
            referral_date,
            self._answers(score, n % 40),
            "",
            "",
            "",
            score,
            created,
            agency,
            actor,
            case,
        )
        if meeting is None:
            return
        self.copier.add(
            "marac_agendaitem",
            created,
            created,
            "repeat" if n % 10 < 3 else "new",
            position,
            self._at(day) if heard else None,
            False,
            actor,
            actor,
            case,
            meeting,
        )
        if heard:
            is_open = (self.today - day).days <= ACTION_OPEN_DAYS
            owner = agencies[(n * 7) % len(agencies)]
            self.copier.add(
                "marac_caseaction",
                self._at(day),
                self._at(day),
                pools.action_texts[n % 50],
                day + timedelta(days=28),
                "open" if is_open else "done",
                ACTION_FOCUSES[n % len(ACTION_FOCUSES)],
                "",
                None if is_open else self._at(day + timedelta(days=21)),
                case,
                actor,
                owner,
                actor,
                meeting,
            )

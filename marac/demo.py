"""Demo MARACs (DESIGN §6): one per demo borough, each covering its own borough, with member
agencies and twelve months of synthetic meetings ending last month, about fifteen cases each,
each meeting with attendance, agencies' research (some withheld, with a reason), approved
minutes and actions in every status, each closed one reviewed at the following meeting.

Every person is visibly invented (surnames such as "Notreal" and "Madeup", addresses on
"Example Street, Demo Town", phone numbers in Ofcom's drama range). Records are made through
the services, so repeat status is computed, never set. Idempotent: a meeting that exists is
left as it is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from marac.models import (
    ActionFocus,
    AgendaItem,
    Attendance,
    AttendanceKind,
    Case,
    CaseAction,
    CaseActionStatus,
    CaseStatus,
    Consent,
    DashAssessment,
    Marac,
    MaracMemberAgency,
    Meeting,
    Minute,
    Research,
    YesNo,
)
from marac.permissions import marac_memberships_at
from marac.services import (
    AgreedAction,
    ChildDetails,
    Criteria,
    DashAnswers,
    PastMeeting,
    PerpetratorDetails,
    VictimDetails,
    cases_accept,
    cases_allocate_idva,
    dash_score,
    marac_create,
    marac_member_agency_add,
    meeting_actions_record,
    meeting_create,
    meeting_history_record,
    meeting_record_heard,
    working_days_after,
)
from marac.services.referrals import ReferralRecord, dash_record, store_referrals
from partnership.demo import DemoContext, seed_marac_roles
from partnership.models import Agency, AgencyCategory, Borough, Role

DEMO_MARACS = [
    ("shared-services", "westminster", "WM", 1),  # (partnership, borough, prefix, weekday)
    ("shared-services", "hammersmith-and-fulham", "HF", 2),
    ("shared-services", "kensington-and-chelsea", "KC", 3),
    ("havering", "havering", "HV", 1),
]
MONTHS = 12
CASES_PER_MEETING = (13, 17)
REPEAT_SHARE = 0.4
FIRST_NAMES = [
    "Ada", "Bea", "Cleo", "Dora", "Esme", "Fay", "Gwen", "Hana", "Iris", "Jude", "Kit", "Lia",
    "Mae", "Nell", "Opal", "Pia", "Rae", "Sian", "Tess", "Una", "Vera", "Wren", "Yara", "Zoe",
]  # fmt: skip
MALE_FIRST_NAMES = ["Abe", "Cal", "Dev", "Eli", "Finn", "Gus", "Hal", "Ivo", "Jem", "Kai"]
SURNAMES = [
    "Notreal", "Madeup", "Fictional", "Invented", "Synthetic", "Placeholder", "Specimen",
    "Example", "Mockford", "Dummyworth", "Sampleton", "Testwell", "Pretendby", "Imaginary",
]  # fmt: skip
# SafeLives referral routes, weighted roughly like the national picture (police about 64%).
ROUTES = [
    (AgencyCategory.POLICE, 64),
    (AgencyCategory.IDVA, 8),
    (AgencyCategory.VOLUNTARY_SECTOR, 7),
    (AgencyCategory.CHILDRENS_SOCIAL_CARE, 5),
    (AgencyCategory.ACUTE_HEALTH, 4),
    (AgencyCategory.HOUSING, 4),
    (AgencyCategory.MENTAL_HEALTH, 3),
    (AgencyCategory.PRIMARY_CARE, 2),
    (AgencyCategory.PROBATION, 2),
    (AgencyCategory.OTHER, 1),
]
ETHNICITIES = {
    "inner": [
        ("white_british", 45),
        ("white_other", 14),
        ("black", 14),
        ("asian", 10),
        ("mixed", 6),
        ("arab", 5),
        ("other", 3),
        ("not_known", 3),
    ],
    "outer": [
        ("white_british", 74),
        ("white_other", 8),
        ("black", 8),
        ("asian", 5),
        ("mixed", 3),
        ("not_known", 2),
    ],
}


def seed(context: DemoContext) -> None:
    for partnership_slug, borough_slug, _, _ in DEMO_MARACS:
        borough = Borough.objects.get(slug=borough_slug)
        marac = Marac.objects.filter(slug=borough_slug).first() or marac_create(
            acting_user=context.actor,
            partnership=context.partnerships[partnership_slug],
            name=f"{borough.name} MARAC",
            slug=borough_slug,
            boroughs=[borough],
        )
        context.maracs[borough_slug] = marac
    seed_marac_roles(context)
    for _, borough_slug, prefix, weekday in DEMO_MARACS:
        marac = context.maracs[borough_slug]
        _seed_member_agencies(context, marac)
        _MaracHistory(context, marac, prefix, weekday).seed()


def _seed_member_agencies(context: DemoContext, marac: Marac) -> None:
    serving = Agency.objects.filter(boroughs__in=marac.boroughs.all()).distinct()
    taking_part = set(
        MaracMemberAgency.objects.filter(marac=marac, left_on__isnull=True).values_list(
            "agency_id", flat=True
        )
    )
    for agency in serving.exclude(pk__in=taking_part):
        marac_member_agency_add(
            acting_user=context.actor,
            marac=marac,
            agency=agency,
            isa_signed_on=date(2024, 4, 1),
            joined_on=date(2024, 4, 1),
        )


def meeting_dates(weekday: int, today: date) -> list[date]:
    """The second `weekday` (0 = Monday) of each of the twelve months ending last month."""
    first_of_this_month = today.replace(day=1)
    dates = []
    for back in range(MONTHS, 0, -1):
        month_index = first_of_this_month.year * 12 + first_of_this_month.month - 1 - back
        first = date(month_index // 12, month_index % 12 + 1, 1)
        first_weekday = first + timedelta(days=(weekday - first.weekday()) % 7)
        dates.append(first_weekday + timedelta(days=7))
    return dates


@dataclass
class _Person:
    victim: VictimDetails
    perpetrator: PerpetratorDetails
    last_referred: date


@dataclass
class _MaracHistory:
    context: DemoContext
    marac: Marac
    prefix: str
    weekday: int
    pool: list[_Person] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(f"demo-{self.marac.slug}")  # noqa: S311  (synthetic data only)
        self.agencies = list(
            Agency.objects.filter(marac_memberships__marac=self.marac).distinct().order_by("slug")
        )
        self.idvas = [m.user for m in marac_memberships_at(self.marac, Role.IDVA)]
        self.area = "outer" if self.marac.slug == "havering" else "inner"
        self.counter = 0

    def seed(self) -> None:
        today = timezone.localdate()
        seeded = False
        for day in meeting_dates(self.weekday, today):
            if Meeting.objects.filter(marac=self.marac, date=day).exists():
                continue
            self._seed_meeting(day, today)
            seeded = True
        if seeded:
            self._review_closed_actions()

    def _review_closed_actions(self) -> None:
        """Each action closed in the demo was closed at the review of the following meeting."""
        meetings = list(Meeting.objects.filter(marac=self.marac).order_by("date"))
        for earlier, following in zip(meetings, meetings[1:], strict=False):
            CaseAction.objects.filter(meeting=earlier, review_meeting__isnull=True).exclude(
                status=CaseActionStatus.OPEN
            ).update(review_meeting=following, closed_at=_at(following.date, 13))

    def _seed_meeting(self, day: date, today: date) -> None:
        actor = self.context.actor
        meeting = meeting_create(acting_user=actor, marac=self.marac, date=day)
        count = self.rng.randint(*CASES_PER_MEETING)
        drafts = [self._referral(day, number) for number in range(1, count + 1)]
        drafts.sort(key=lambda draft: draft[0].referral_date)
        cases = store_referrals(acting_user=actor, records=[d[0] for d in drafts])
        DashAssessment.objects.bulk_create(
            dash_record(case, dash, dash_score(dash.answers), actor, record.sources[0][0])
            for case, (record, dash) in zip(cases, drafts, strict=True)
        )
        cases_accept(acting_user=actor, cases=cases)
        self._allocate_idvas(cases)
        reviews = self._reviews(meeting)
        items = meeting_record_heard(
            acting_user=actor,
            meeting=meeting,
            cases=cases,
            reviews=reviews,
            circulated_at=_at(day - timedelta(days=5), 9),
            heard_at=_at(day, 12),
        )
        meeting_actions_record(
            acting_user=actor,
            meeting=meeting,
            actions=[a for case in cases for a in self._actions(case, day, today)],
        )
        meeting_history_record(acting_user=actor, meeting=meeting, past=self._past(meeting, items))

    def _past(self, meeting: Meeting, items: list[AgendaItem]) -> PastMeeting:
        chairs = [m.user for m in marac_memberships_at(self.marac, Role.MARAC_CHAIR)]
        return PastMeeting(
            attendance=self._attendance(meeting),
            research=[r for item in items for r in self._research(item)],
            minutes=[
                Minute(
                    item=item,
                    risks="Synthetic: escalating threats; children present at incidents",
                    victim_voice="Synthetic: through the IDVA, wants to stay at home and be safe",
                    decisions="Synthetic: share a safety plan; police flag the address; "
                    "children's social care to visit",
                )
                for item in items
            ],
            approved_by=chairs[0] if chairs else self.context.actor,
            approved_at=_at(working_days_after(meeting.date, self.rng.randint(1, 4)), 16),
        )

    def _attendance(self, meeting: Meeting) -> list[Attendance]:
        rows = []
        for number, agency in enumerate(self.agencies, start=1):
            apologies = self.rng.random() < 0.15
            rows.append(
                Attendance(
                    meeting=meeting,
                    agency=agency,
                    name=f"Demo Representative{number} Notreal",
                    kind=AttendanceKind.APOLOGIES if apologies else AttendanceKind.REPRESENTATIVE,
                    confidentiality_signed=not apologies,
                    information_sent=apologies and self.rng.random() < 0.7,
                )
            )
        if self.agencies and self.rng.random() < 0.3:
            rows.append(
                Attendance(
                    meeting=meeting,
                    agency=self.agencies[0],
                    name="Demo Student Observer",
                    kind=AttendanceKind.OBSERVER,
                    confidentiality_signed=True,
                )
            )
        return rows

    def _research(self, item: AgendaItem) -> list[Research]:
        rows = []
        for agency in self.agencies:
            if self.rng.random() > 0.6:
                continue
            withheld = self.rng.random() < 0.05
            rows.append(
                Research(
                    item=item,
                    agency=agency,
                    findings="Synthetic: two contacts in the last year, shared verbally",
                    withheld=withheld,
                    withheld_reason="Synthetic: an active investigation" if withheld else "",
                )
            )
        return rows

    def _allocate_idvas(self, cases: list[Case]) -> None:
        if not self.idvas:
            return
        allocated = [case for case in cases if self.rng.random() < 0.8]
        for index, idva in enumerate(self.idvas):
            mine = allocated[index :: len(self.idvas)]
            if mine:
                cases_allocate_idva(acting_user=self.context.actor, cases=mine, idva=idva)

    def _reviews(self, meeting: Meeting) -> list[Case]:
        heard = list(
            Case.objects.filter(marac=self.marac, status=CaseStatus.HEARD)
            .exclude(agenda_items__meeting=meeting)
            .select_related("referral")
            .order_by("pk")[:40]
        )
        return self.rng.sample(heard, k=min(len(heard), self.rng.randint(0, 2)))

    def _referral(self, meeting_day: date, number: int) -> tuple[ReferralRecord, DashAnswers]:
        referral_date = meeting_day - timedelta(days=self.rng.randint(9, 32))
        person = self._person(referral_date)
        referrers = self._referrers()
        dash, criteria = self._criteria(referral_date)
        record = ReferralRecord(
            marac=self.marac,
            case_ref=f"{self.prefix}-{meeting_day:%y%m}-{number:02d}",
            referral_date=referral_date,
            sources=[(agency, agency.category) for agency in referrers],
            victim=person.victim,
            criteria=criteria,
            consent=Consent.GIVEN if self.rng.random() < 0.7 else Consent.NOT_GIVEN,
            lawful_basis="Synthetic: risk of serious harm outweighs the lack of consent",
            not_safe_to_talk="Synthetic: the demo perpetrator's family",
            perpetrators=[person.perpetrator] if self.rng.random() < 0.95 else [],
            children=self._children(),
        )
        return record, dash

    def _person(self, referral_date: date) -> _Person:
        recent = [p for p in self.pool if (referral_date - p.last_referred).days <= 330]
        if recent and self.rng.random() < REPEAT_SHARE:
            person = self.rng.choice(recent)
        else:
            person = _Person(self._victim(referral_date), self._perpetrator(), referral_date)
            self.pool.append(person)
        person.last_referred = referral_date
        return person

    def _victim(self, referral_date: date) -> VictimDetails:
        self.counter += 1
        male = self.rng.random() < 0.06
        young = self.rng.random() < 0.015
        age = self.rng.randint(16, 17) if young else self.rng.randint(18, 70)
        born = referral_date - timedelta(days=age * 365 + self.rng.randint(30, 330))
        return VictimDetails(
            first_name=self.rng.choice(MALE_FIRST_NAMES if male else FIRST_NAMES),
            last_name=f"{self.rng.choice(SURNAMES)}-{self.prefix}{self.counter}",
            date_of_birth=born,
            gender="male" if male else ("non_binary" if self.rng.random() < 0.005 else "female"),
            ethnicity=_weighted(self.rng, ETHNICITIES[self.area]),
            lgbt=YesNo.YES if self.rng.random() < 0.02 else YesNo.NO,
            disability=YesNo.YES if self.rng.random() < 0.1 else YesNo.NO,
            address=f"{self.counter} Example Street, Demo Town",
            phone=f"07700 900{self.counter % 1000:03d}",
            safe_contact="Synthetic: text the demo mobile first",
        )

    def _perpetrator(self) -> PerpetratorDetails:
        return PerpetratorDetails(
            first_name=self.rng.choice(MALE_FIRST_NAMES + FIRST_NAMES[:4]),
            last_name=f"{self.rng.choice(SURNAMES)}-P{self.prefix}{self.counter}",
            address=f"{self.counter + 100} Invented Road, Demo Town",
        )

    def _children(self) -> list[ChildDetails]:
        count = _weighted(self.rng, [(0, 40), (1, 25), (2, 20), (3, 10), (4, 5)])
        return [
            ChildDetails(first_name=f"Demochild{n}", last_name=f"Example-{self.counter}")
            for n in range(1, count + 1)
        ]

    def _referrers(self) -> list[Agency]:
        count = 2 if self.rng.random() < 0.1 else 1
        chosen = []
        for _ in range(count):
            category = _weighted(self.rng, ROUTES)
            fitting = [a for a in self.agencies if a.category == category] or self.agencies[:1]
            chosen.append(self.rng.choice(fitting))
        return list(dict.fromkeys(chosen))

    def _criteria(self, day: date) -> tuple[DashAnswers, Criteria]:
        roll = self.rng.random()
        if roll < 0.7:
            dash = self._dash(self.rng.randint(14, 21), day)
            return dash, Criteria(dash_score=dash_score(dash.answers))
        if roll < 0.9:
            dash = self._dash(self.rng.randint(7, 13), day)
            return dash, Criteria(
                dash_score=dash_score(dash.answers),
                professional_judgement=True,
                pj_rationale="Synthetic: the referrer judged the risk to be high",
            )
        dash = self._dash(self.rng.randint(4, 13), day)
        return dash, Criteria(
            dash_score=dash_score(dash.answers),
            potential_escalation=True,
            incidents_12m=self.rng.randint(3, 6),
        )

    def _dash(self, score: int, day: date) -> DashAnswers:
        answers = [YesNo.YES] * score + [YesNo.NO] * (24 - score)
        self.rng.shuffle(answers)
        return DashAnswers(answers=answers, assessed_on=day)

    def _actions(self, case: Case, day: date, today: date) -> list[AgreedAction]:
        still_open = (today - day).days < 45
        owners = self.rng.sample(self.agencies, k=min(2, len(self.agencies)))
        return [
            AgreedAction(
                case=case,
                owner_agency=agency,
                text="Synthetic action: check records and share a safety plan update",
                due_on=day + timedelta(days=self.rng.choice([14, 21, 28])),
                status=CaseActionStatus.OPEN if still_open else self._outcome(),
                focus=_weighted(
                    self.rng,
                    [
                        (ActionFocus.VICTIM, 50),
                        (ActionFocus.CHILDREN, 25),
                        (ActionFocus.PERPETRATOR, 20),
                        (ActionFocus.OTHER, 5),
                    ],
                ),
            )
            for agency in owners
        ]

    def _outcome(self) -> str:
        return _weighted(
            self.rng,
            [
                (CaseActionStatus.DONE, 85),
                (CaseActionStatus.NOT_POSSIBLE, 10),
                (CaseActionStatus.NOT_DONE, 5),
            ],
        )


def _weighted(rng: random.Random, choices: list[tuple]):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))

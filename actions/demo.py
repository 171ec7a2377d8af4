"""Demo strategies, action plans, progress and measures for each demo partnership.

Everything here is synthetic and written for the demo: the priorities follow the shape of the
source strategies (seven numbered priorities for the shared service, aims A–D for Havering) in
our own words, and no real person is named. Idempotent: a partnership whose demo strategy
exists is left alone.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from actions import services
from actions.models import Action, Strategy, StrategyStatus
from actions.quarters import Quarter
from partnership.demo import DemoContext, demo_email

# (code, title, [(number, title, lead agency slugs, timescale, performance measure)])
SHARED_SERVICES_PLAN = [
    (
        "1",
        "Access: survivors find the right help early",
        [
            (
                1,
                "Publish and keep up to date a directory of local and national support",
                ["westminster-community-safety", "advance"],
                "ongoing",
                "Directory checked every quarter",
            ),
            (
                2,
                "Map VAWG funding across the three boroughs against commissioning dates",
                ["westminster-community-safety"],
                "past",
                "Funding map agreed by the board",
            ),
            (
                3,
                "Collect referral, waiting-list and outcome data from specialist services",
                ["standing-together", "advance"],
                "future",
                "Quarterly dataset from every service",
            ),
            (
                4,
                "Place specialist advocates in mainstream settings such as hospitals and GP hubs",
                ["standing-together", "iris"],
                "future",
                "Referrals from co-located advocates",
            ),
            (
                5,
                "Run outreach sessions in community venues in each borough",
                ["advance", "refuge"],
                "ongoing",
                "Outreach sessions held",
            ),
            (
                6,
                "Keep women-only and culturally specific spaces open, with interpreting on request",
                ["advance", "galop"],
                "ongoing",
                "Spaces open each week",
            ),
        ],
    ),
    (
        "2",
        "Response: a consistent, joined-up response that keeps survivors safe",
        [
            (
                1,
                "Agree a needs-led service model across specialist and mainstream services",
                ["standing-together"],
                "future",
                "Model agreed",
            ),
            (
                2,
                "Keep each borough's MARAC running well and review its performance each quarter",
                ["met-police-central-west", "standing-together"],
                "ongoing",
                "MARAC cases per 10,000 women against the recommended level",
            ),
            (
                3,
                "Build a pathway for women involved in prostitution, linked to trafficking work",
                ["advance", "rape-crisis"],
                "past",
                "Pathway in use",
            ),
            (
                4,
                "Ask survivors about their experience of services and share what they say",
                ["advance", "refuge"],
                "ongoing",
                "Survey responses each quarter",
            ),
            (
                5,
                "Make quality standards part of every VAWG contract",
                ["westminster-community-safety"],
                "future",
                "Contracts with standards",
            ),
            (
                6,
                "Improve referral routes for male and LGBT+ survivors",
                ["galop", "met-police-central-west"],
                "future",
                "Referrals of male and LGBT+ survivors",
            ),
        ],
    ),
    (
        "3",
        "Community: boroughs that do not tolerate violence against women and girls",
        [
            (
                1,
                "Run a three-year communications plan with a campaign each year",
                ["westminster-community-safety"],
                "ongoing",
                "Campaign reach",
            ),
            (
                2,
                "Set up safe havens with local businesses and night-time venues",
                ["met-police-central-west", "westminster-community-safety"],
                "past",
                "Safe havens signed up",
            ),
            (
                3,
                "Support councillors and community leaders to speak up about VAWG",
                ["westminster-community-safety"],
                "ongoing",
                "Community events held",
            ),
            (
                4,
                "Train door staff and transport staff to spot and respond to harassment",
                ["met-police-central-west", "london-fire-brigade"],
                "future",
                "Staff trained",
            ),
        ],
    ),
    (
        "4",
        "Practitioners: a confident, well-trained workforce",
        [
            (
                1,
                "Hold an annual partnership conference",
                ["westminster-community-safety"],
                "future",
                "Conference held and evaluated",
            ),
            (
                2,
                "Run one training programme for all three boroughs on risk and safety planning",
                ["standing-together"],
                "ongoing",
                "Practitioners trained",
            ),
            (
                3,
                "Put training on every operational group's agenda and report twice a year",
                ["standing-together", "hf-childrens-services"],
                "past",
                "Reports to the board",
            ),
        ],
    ),
    (
        "5",
        "Children and young people: prevention and support",
        [
            (
                1,
                "Promote a whole-school approach to healthy relationships",
                ["hf-childrens-services"],
                "ongoing",
                "Schools taking part",
            ),
            (
                2,
                "Support children and their non-abusive parent together",
                ["hf-childrens-services", "refuge"],
                "future",
                "Children on plans where domestic abuse is a factor",
            ),
            (
                3,
                "Develop specialist support for young people experiencing abuse",
                ["advance", "hf-childrens-services"],
                "future",
                "Young people supported",
            ),
            (
                4,
                "Agree a shared dataset with the safeguarding children partnership",
                ["hf-childrens-services"],
                "past",
                "Dataset agreed",
            ),
        ],
    ),
    (
        "6",
        "Perpetrators: held to account and given the chance to change",
        [
            (
                1,
                "Challenge harmful attitudes through education and campaigns",
                ["westminster-community-safety"],
                "ongoing",
                "Sessions delivered",
            ),
            (
                2,
                "Review the response to perpetrators and commission a behaviour change programme",
                ["national-probation-service", "london-crc"],
                "future",
                "Programme places used",
            ),
            (
                3,
                "Link reducing reoffending work with children's services",
                ["national-probation-service", "hf-childrens-services"],
                "future",
                "Joint cases reviewed",
            ),
        ],
    ),
    (
        "7",
        "Justice and protection",
        [
            (
                1,
                "Make the criminal justice process more victim-centred",
                ["met-police-central-west", "victim-support"],
                "ongoing",
                "Sanction detection rate",
            ),
            (
                2,
                "Use protection orders and disclosure schemes consistently",
                ["met-police-central-west"],
                "future",
                "Orders applied for",
            ),
            (
                3,
                "Work with the family courts to improve survivors' experience",
                ["standing-together"],
                "past",
                "Court feedback collected",
            ),
            (
                4,
                "Refresh police training on coercive control and other forms of VAWG",
                ["met-police-central-west"],
                "future",
                "Officers trained",
            ),
        ],
    ),
]

HAVERING_PLAN = [
    (
        "A",
        "Prevention and early identification",
        [
            (
                1,
                "Run the VAWG strategic group and hold partners to the action plan",
                ["havering-community-safety"],
                "ongoing",
                "Meetings held",
            ),
            (
                2,
                "Set up a steering group with neighbouring police areas",
                ["met-police-east-area"],
                "past",
                "Steering group meeting",
            ),
            (
                3,
                "Raise awareness of every form of VAWG with residents and staff",
                ["havering-community-safety", "havering-womens-aid"],
                "ongoing",
                "Campaign reach",
            ),
            (
                4,
                "Train staff through the safeguarding partnerships, with e-learning",
                ["havering-childrens-services", "havering-adult-social-care"],
                "future",
                "Staff trained",
            ),
            (
                5,
                "Improve relationships education in primary and secondary schools",
                ["havering-childrens-services"],
                "future",
                "Schools taking part",
            ),
            (
                6,
                "Train a VAWG champion in every agency and school",
                ["havering-womens-aid"],
                "future",
                "Champions in post",
            ),
            (
                7,
                "Publish a single website of local VAWG services",
                ["havering-community-safety"],
                "past",
                "Website live",
            ),
        ],
    ),
    (
        "B",
        "Protection and support for everyone experiencing violence and abuse",
        [
            (
                1,
                "Improve how the MARAC works, including an information-sharing agreement",
                ["havering-community-safety", "met-police-east-area"],
                "ongoing",
                "MARAC repeat rate",
            ),
            (
                2,
                "Expand IDVA support into maternity and police settings",
                ["victim-support", "havering-womens-aid"],
                "future",
                "IDVA caseload",
            ),
            (
                3,
                "Support victims through court and monitor conviction rates",
                ["victim-support"],
                "ongoing",
                "Sanction detection rate",
            ),
            (
                4,
                "Review refuge provision and housing options for survivors",
                ["havering-housing-options", "refuge"],
                "past",
                "Households helped to stay safe",
            ),
            (
                5,
                "Record VAWG clearly at children's social care triage",
                ["havering-childrens-services"],
                "ongoing",
                "Children on plans where domestic abuse is a factor",
            ),
            (
                6,
                "Agree an emergency department pathway for VAWG",
                ["bhrut"],
                "future",
                "Referrals from the emergency department",
            ),
            (
                7,
                "Build referral routes for women affected by exploitation and substance misuse",
                ["havering-womens-aid", "nelft"],
                "future",
                "Referrals made",
            ),
            (
                8,
                "Support girls affected by gangs and exploitation",
                ["havering-community-safety"],
                "past",
                "Young women supported",
            ),
            (
                9,
                "Make public transport and the night-time economy safer for women",
                ["met-police-east-area"],
                "future",
                "Venues signed up",
            ),
            (
                10,
                "Give survivors a named housing officer when they flee violence",
                ["havering-housing-options"],
                "future",
                "Cases supported",
            ),
        ],
    ),
    (
        "C",
        "Enforcement against perpetrators",
        [
            (
                1,
                "Manage perpetrators on licence with strict conditions and programmes",
                ["national-probation-service", "london-crc"],
                "ongoing",
                "Programmes completed",
            ),
            (
                2,
                "Help GPs identify and respond to VAWG",
                ["havering-ccg"],
                "future",
                "Practices trained",
            ),
            (
                3,
                "Use offender management to target domestic abuse perpetrators",
                ["met-police-east-area"],
                "ongoing",
                "Perpetrators managed",
            ),
            (
                4,
                "Bid for a high-harm perpetrator project",
                ["havering-community-safety"],
                "past",
                "Bid submitted",
            ),
            (
                5,
                "Offer alcohol and drug support to victims and perpetrators",
                ["nelft"],
                "ongoing",
                "People referred",
            ),
            (
                6,
                "Use protection orders consistently",
                ["met-police-east-area"],
                "future",
                "Orders applied for",
            ),
        ],
    ),
    (
        "D",
        "Intelligence and information",
        [
            (
                1,
                "Refresh the VAWG problem profile every year",
                ["havering-community-safety"],
                "future",
                "Profile published",
            ),
            (
                2,
                "Share anonymised emergency department data on violent injuries",
                ["bhrut"],
                "ongoing",
                "Data shared each quarter",
            ),
            (
                3,
                "Get court outcome data from the prosecution service",
                ["havering-community-safety"],
                "ongoing",
                "Outcome data received",
            ),
            (
                4,
                "Improve recording of less understood forms of VAWG",
                ["havering-community-safety", "havering-womens-aid"],
                "future",
                "Records improved",
            ),
            (
                5,
                "Map every service available to Havering residents",
                ["havering-womens-aid"],
                "past",
                "Map published",
            ),
            (
                6,
                "Report the plan's progress to the CSP every quarter",
                ["havering-community-safety"],
                "ongoing",
                "Reports made",
            ),
            (
                7,
                "Collect survivors' feedback on services",
                ["havering-womens-aid"],
                "future",
                "Feedback collected",
            ),
        ],
    ),
]

DEMO_STRATEGIES = [
    (
        "shared-services",
        "shared-services-vawg-strategy",
        "Shared Services VAWG Strategy",
        "shared-services-strategic-board",
        SHARED_SERVICES_PLAN,
    ),
    (
        "havering",
        "havering-vawg-strategy",
        "Havering VAWG Strategy",
        "havering-csp",
        HAVERING_PLAN,
    ),
]

# Status at the end of each of the last four quarters and in the current one (None: no
# update then). Cycled over the actions so every status and flag appears.
PATTERNS = [
    ("green", "green", "green", "green", "green"),
    ("not_started", None, "amber", "green", "complete"),
    ("green", "amber", "amber", "red", None),
    (None, None, None, None, None),
    ("green", "green", "complete", None, None),
    ("amber", "amber", "green", "green", None),
    ("green", "amber", "red", "amber", "amber"),
    (None, "green", "green", "green", "green"),
]
NARRATIVES = {
    "not_started": "Planning has begun; no delivery yet.",
    "green": "On track. Partners met this quarter and the next steps are agreed.",
    "amber": "Some delay: staffing gaps have slowed delivery.",
    "red": "Off track: the funding expected this quarter has not been confirmed.",
    "complete": "Completed. The outcome has been reported to the board.",
}
NEXT_STEPS = {
    "amber": "The lead agency will cover the gap from within the team and report next month.",
    "red": "The commissioner will raise the funding gap at the next board meeting.",
}
MEASURES = [
    (
        "da-incidents-per-1000",
        "Domestic abuse incidents per 1,000 population",
        "rate",
        "lower",
        Decimal("12"),
        14,
    ),
    (
        "sanction-detection-rate",
        "Domestic abuse sanction detection rate",
        "percent",
        "higher",
        Decimal("20"),
        15,
    ),
    ("idva-caseload", "IDVA caseload", "count", "higher", None, 90),
    (
        "children-on-plans-da",
        "Children on plans where domestic abuse is a factor",
        "count",
        "lower",
        None,
        60,
    ),
]
MEASURE_LINKS = {
    "Sanction detection rate": "actions.measure.sanction-detection-rate",
    "IDVA caseload": "actions.measure.idva-caseload",
    "Children on plans where domestic abuse is a factor": "actions.measure.children-on-plans-da",
}


def seed(context: DemoContext) -> None:
    today = timezone.localdate()
    for partnership_slug, slug, title, board_slug, plan in DEMO_STRATEGIES:
        if Strategy.objects.filter(slug=slug).exists():
            continue
        partnership = context.partnerships[partnership_slug]
        strategy = _strategy(context, partnership, slug, title, board_slug)
        _plan(context, strategy, plan, today)
        _measures(context, partnership, today)


def _strategy(context, partnership, slug, title, board_slug) -> Strategy:
    commissioner = context.people[demo_email(partnership.slug, "commissioner")]
    strategy = services.strategy_create(
        acting_user=context.actor,
        partnership=partnership,
        slug=slug,
        title=title,
        version="1.0",
        period_start=date(2024, 4, 1),
        period_end=date(2027, 3, 31),
        owner="Community safety team (demo)",
        lead_officer=commissioner,
        review_date=date(2027, 3, 31),
        target_audience="All staff and partner agencies",
        related_documents="Demo problem profile\nDemo MARAC operating protocol",
    )
    strategy = services.strategy_set_status(
        acting_user=context.actor,
        strategy=strategy,
        status=StrategyStatus.APPROVED,
        approved_by=context.boards[board_slug],
        approved_on=date(2024, 3, 21),
    )
    # Demo history reaches back over a year, so the plan can be viewed at past quarters.
    Strategy.objects.filter(pk=strategy.pk).update(created_at=timezone.now() - timedelta(days=500))
    return strategy


def _timescale(kind: str, index: int, today: date) -> tuple[str, date | None]:
    if kind == "ongoing":
        return "ongoing", None
    if kind == "past":
        return "month", Quarter.containing(today).previous().end - timedelta(days=31 * (index % 2))
    return "date", date(2026 + index % 2, 3, 31) if today.year < 2026 else date(
        today.year + 1, 3, 31
    )


def _plan(context: DemoContext, strategy: Strategy, plan: list, today: date) -> None:
    index = 0
    for code, priority_title, actions in plan:
        priority = services.priority_create(
            acting_user=context.actor, strategy=strategy, code=code, title=priority_title
        )
        for number, title, leads, kind, measure in actions:
            kind_value, when = _timescale(kind, index, today)
            action = services.action_create(
                acting_user=context.actor,
                priority=priority,
                ref=f"{code}.{number}",
                title=title,
                lead_agencies=[context.agencies[slug] for slug in leads],
                milestones=_milestones(index, today),
                timescale_kind=kind_value,
                timescale_date=when,
                performance_measures=measure,
                indicator_name=MEASURE_LINKS.get(measure, ""),
                outcomes="Demo outcome: survivors get a quicker, safer response.",
                resources="Staff" if index % 3 else "£15,000 from the demo grant",
                resource_amount=None if index % 3 else Decimal(15000),
            )
            _progress(context, strategy, action, PATTERNS[index % len(PATTERNS)], today)
            index += 1
    Action.objects.filter(strategy=strategy).update(created_at=timezone.now() - timedelta(days=450))


def _milestones(index: int, today: date) -> list[services.MilestoneSpec]:
    if index % 4 == 3:
        return []
    return [
        services.MilestoneSpec("Agree the approach with partners", today - timedelta(days=200)),
        services.MilestoneSpec(
            "Deliver the first phase",
            today - timedelta(days=20) if index % 4 == 1 else today + timedelta(days=90),
        ),
    ]


def _author(context: DemoContext, strategy: Strategy, action: Action):
    slug = strategy.partnership.slug
    officer = context.people[demo_email(slug, "lead-officer")]
    officer_agency = officer.memberships.filter(role="lead_officer").first().agency
    if action.leads.filter(agency=officer_agency).exists():
        return officer, officer_agency
    commissioner = context.people[demo_email(slug, "commissioner")]
    return commissioner, commissioner.memberships.filter(role="commissioner").first().agency


def _progress(context, strategy, action, pattern, today) -> None:
    author, agency = _author(context, strategy, action)
    current = Quarter.containing(today)
    dates = [q.end - timedelta(days=12) for q in current.previous().last(4)]
    dates.append(max(current.start, today - timedelta(days=3)))
    for status, when in zip(pattern, dates, strict=True):
        if status is None or (status == action.status and status == "not_started"):
            continue
        services.action_progress_record(
            acting_user=author,
            action=action,
            agency=agency,
            status=status,
            narrative=NARRATIVES[status],
            next_steps=NEXT_STEPS.get(status, ""),
            update_date=when,
            milestones_done=list(action.milestones.all()[:1]) if status == "complete" else [],
        )
        action.refresh_from_db()


def _wobble(*parts: str) -> int:
    """A stable pseudo-random number from 0 to 99 (the same on every run)."""
    return int(hashlib.sha256("/".join(parts).encode()).hexdigest()[:4], 16) % 100


def _measures(context: DemoContext, partnership, today: date) -> None:
    quarters = Quarter.containing(today).previous().last(4)
    boroughs = list(partnership.boroughs.order_by("name"))
    for code, name, unit, better, target, base in MEASURES:
        measure = services.measure_create(
            acting_user=context.actor,
            partnership=partnership,
            code=code,
            name=name,
            unit=unit,
            better=better,
            target=target,
            description="Synthetic demo figures.",
        )
        for step, quarter in enumerate(quarters):
            for borough in boroughs:
                swing = _wobble(partnership.slug, code, borough.slug, quarter.key) / 10
                value = Decimal(base) + Decimal(str(swing)) - step
                services.measure_value_set(
                    acting_user=context.actor,
                    measure=measure,
                    borough=borough,
                    quarter_end=quarter.end,
                    value=value.quantize(Decimal("0.1")),
                )

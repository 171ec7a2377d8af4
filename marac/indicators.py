"""SafeLives MARAC indicators (DESIGN §7): counts only, no read of any case.

The cohort of a MARAC for a period is every case heard as a new, repeat or emergency agenda
item at a meeting held in the period (review items are not counted; a case heard as new at
two meetings counts twice). A partnership's figures are pooled from its MARACs' counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from django.db.models import Count, Q, QuerySet, Sum

from marac.models import AgendaItem, AgendaItemKind, Ethnicity, Gender, Marac, YesNo
from partnership.indicators import Indicator, register
from partnership.models import AgencyCategory, Borough, Partnership
from partnership.suppression import SUPPRESSED, suppress_figures

COHORT_KINDS = [AgendaItemKind.NEW, AgendaItemKind.REPEAT, AgendaItemKind.EMERGENCY]
WHITE_OR_NOT_KNOWN = [
    Ethnicity.WHITE_BRITISH,
    Ethnicity.WHITE_IRISH,
    Ethnicity.WHITE_OTHER,
    Ethnicity.NOT_KNOWN,
]
RECOMMENDED_CASES_PER_10K = 40
# SafeLives national figures, 12 months to 30 September 2024.
NATIONAL = {
    "cases_per_10k_women": 47,
    "repeat_rate": 31,
    "partner_referral_pct": 36.1,
    "bme_pct": 14.1,
    "lgbt_pct": 1.6,
    "disability_pct": 10.1,
    "male_pct": 6.4,
    "age_16_17_pct": 1.3,
}


@dataclass
class Counts:
    """The raw counts of a cohort: what pools across MARACs."""

    cases_discussed: int = 0
    repeat_cases: int = 0
    children: int = 0
    bme: int = 0
    lgbt: int = 0
    disability: int = 0
    male: int = 0
    age_16_17: int = 0
    adult_female_population: int = 0
    referrals_by_category: dict[str, float] = field(default_factory=dict)

    def __add__(self, other: Counts) -> Counts:
        categories: dict[str, float] = defaultdict(float, self.referrals_by_category)
        for category, share in other.referrals_by_category.items():
            categories[category] += share
        return Counts(
            **{
                name: getattr(self, name) + getattr(other, name)
                for name in (
                    "cases_discussed",
                    "repeat_cases",
                    "children",
                    "bme",
                    "lgbt",
                    "disability",
                    "male",
                    "age_16_17",
                    "adult_female_population",
                )
            },
            referrals_by_category=dict(categories),
        )


def cohort(maracs: Iterable[Marac] | QuerySet[Marac], start: date, end: date) -> QuerySet:
    """Agenda items heard in the period: a case listed but not (yet) heard is not discussed."""
    return AgendaItem.objects.filter(
        meeting__marac__in=maracs,
        meeting__date__gte=start,
        meeting__date__lte=end,
        kind__in=COHORT_KINDS,
        heard_at__isnull=False,
    )


def _category_shares(items: QuerySet) -> dict[str, float]:
    """Each heard case split equally between its referring agencies' categories."""
    sources: dict[int, list[str]] = defaultdict(list)
    for item_id, category in items.values_list("pk", "case__referral__sources__category"):
        if category:
            sources[item_id].append(category)
    shares: dict[str, float] = defaultdict(float)
    for categories in sources.values():
        for category in categories:
            shares[category] += 1 / len(categories)
    return {category: shares.get(category, 0.0) for category in AgencyCategory.values}


def counts_for(maracs: Iterable[Marac], start: date, end: date) -> Counts:
    """The pooled counts of these MARACs' cohorts (two aggregate queries and one listing)."""
    maracs = list(maracs)
    items = cohort(maracs, start, end)
    victim = "case__victim__"
    totals = items.aggregate(
        cases_discussed=Count("pk"),
        repeat_cases=Count("pk", filter=Q(case__referral__is_repeat=True)),
        children=Sum("case__children_in_household", default=0),
        bme=Count("pk", filter=~Q(**{f"{victim}ethnicity__in": WHITE_OR_NOT_KNOWN})),
        lgbt=Count("pk", filter=Q(**{f"{victim}lgbt": YesNo.YES})),
        disability=Count("pk", filter=Q(**{f"{victim}disability": YesNo.YES})),
        male=Count("pk", filter=Q(**{f"{victim}gender": Gender.MALE})),
        age_16_17=Count("pk", filter=Q(**{f"{victim}age_at_referral__in": [16, 17]})),
    )
    population = (
        Borough.objects.filter(maracs__in=maracs)
        .distinct()
        .aggregate(total=Sum("adult_female_population", default=0))["total"]
    )
    return Counts(
        **totals,
        adult_female_population=population,
        referrals_by_category=_category_shares(items),
    )


def _pct(part: float, whole: float) -> float:
    return round(100 * part / whole, 4) if whole else 0.0


def derive(counts: Counts, start: date, end: date) -> dict[str, float | int | dict]:
    """Every indicator of DESIGN §7 from the counts, as JSON numbers."""
    cases = counts.cases_discussed
    days = (end - start).days + 1
    per_10k = (
        round(cases * 10000 / counts.adult_female_population * 365 / days, 4)
        if counts.adult_female_population and days > 0
        else 0.0
    )
    police = counts.referrals_by_category.get(AgencyCategory.POLICE, 0.0)
    police_pct = _pct(police, cases)
    return {
        "cases_discussed": cases,
        "repeat_cases": counts.repeat_cases,
        "repeat_rate": _pct(counts.repeat_cases, cases),
        "children": counts.children,
        "cases_per_10k_women": per_10k,
        "referrals_by_category": {k: round(v, 4) for k, v in counts.referrals_by_category.items()},
        "police_referral_pct": police_pct,
        "partner_referral_pct": round(100 - police_pct, 4) if cases else 0.0,
        "bme_count": counts.bme,
        "bme_pct": _pct(counts.bme, cases),
        "lgbt_count": counts.lgbt,
        "lgbt_pct": _pct(counts.lgbt, cases),
        "disability_count": counts.disability,
        "disability_pct": _pct(counts.disability, cases),
        "male_count": counts.male,
        "male_pct": _pct(counts.male, cases),
        "age_16_17_count": counts.age_16_17,
        "age_16_17_pct": _pct(counts.age_16_17, cases),
    }


def marac_indicators(marac: Marac, start: date, end: date) -> dict:
    counts = counts_for([marac], start, end)
    return {
        "marac": marac.slug,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "adult_female_population": counts.adult_female_population,
        **derive(counts, start, end),
    }


def partnership_indicators(partnership: Partnership, start: date, end: date) -> dict:
    maracs = list(Marac.objects.filter(partnership=partnership).order_by("name"))
    per_marac = []
    total = Counts()
    for marac in maracs:
        counts = counts_for([marac], start, end)
        total = total + counts
        per_marac.append(
            {
                "marac": marac.slug,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "adult_female_population": counts.adult_female_population,
                **derive(counts, start, end),
            }
        )
    return {
        "partnership": partnership.slug,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "total": {
            "adult_female_population": total.adult_female_population,
            **derive(total, start, end),
        },
        "maracs": per_marac,
    }


# The indicator registry: each figure for a partnership (pooled over its MARACs) or for one
# of its boroughs (pooled over the partnership's MARACs covering that borough).


def _registry_value(name: str, *, partnership, start, end, borough=None):
    maracs = Marac.objects.filter(partnership=partnership)
    if borough is not None:
        maracs = maracs.filter(boroughs=borough)
    maracs = list(maracs)
    if not maracs:
        return None
    return derive(counts_for(maracs, start, end), start, end)[name]


_REGISTERED = [
    # name, label, unit, better, recommended, derived from
    ("cases_discussed", "MARAC cases discussed", "count", None, None, ()),
    (
        "cases_per_10k_women",
        "MARAC cases per 10,000 adult women (a year)",
        "rate",
        None,
        RECOMMENDED_CASES_PER_10K,
        ("cases_discussed",),
    ),
    ("repeat_cases", "MARAC repeat cases", "count", None, None, ()),
    ("repeat_rate", "MARAC repeat rate", "percent", None, None, ("repeat_cases",)),
    ("children", "Children in MARAC households", "count", None, None, ()),
    (
        "partner_referral_pct",
        "Referrals from partner agencies (not police)",
        "percent",
        "higher",
        None,
        ("cases_discussed",),
    ),
    ("bme_count", "Black, Asian and minoritised victims", "count", None, None, ()),
    ("bme_pct", "Black, Asian and minoritised victims", "percent", None, None, ("bme_count",)),
    ("lgbt_count", "LGBT+ victims", "count", None, None, ()),
    ("lgbt_pct", "LGBT+ victims", "percent", None, None, ("lgbt_count",)),
    ("disability_count", "Disabled victims", "count", None, None, ()),
    ("disability_pct", "Disabled victims", "percent", None, None, ("disability_count",)),
    ("male_count", "Male victims", "count", None, None, ()),
    ("male_pct", "Male victims", "percent", None, None, ("male_count",)),
    ("age_16_17_count", "Victims aged 16 to 17", "count", None, None, ()),
    ("age_16_17_pct", "Victims aged 16 to 17", "percent", None, None, ("age_16_17_count",)),
]


def register_all() -> None:
    for name, label, unit, better, recommended, derived in _REGISTERED:
        register(
            Indicator(
                name=f"marac.{name}",
                label=label + (" (%)" if unit == "percent" else ""),
                unit=unit,
                compute=partial(_registry_value, name),
                better=better,
                recommended=recommended,
                national=NATIONAL.get(name),
                derived_from=tuple(f"marac.{source}" for source in derived),
            )
        )


# Displays outside the MARAC's coordinators, chair and data protection lead (DESIGN §4, §5).

_CASES = "cases_discussed"
DERIVED_FROM = {
    "cases_per_10k_women": [_CASES],
    "repeat_rate": ["repeat_cases", _CASES],
    "police_referral_pct": [f"referrals_by_category.{AgencyCategory.POLICE}", _CASES],
    "partner_referral_pct": [f"referrals_by_category.{AgencyCategory.POLICE}", _CASES],
    "bme_pct": ["bme_count", _CASES],
    "lgbt_pct": ["lgbt_count", _CASES],
    "disability_pct": ["disability_count", _CASES],
    "male_pct": ["male_count", _CASES],
    "age_16_17_pct": ["age_16_17_count", _CASES],
    # Not counts of people: never hidden.
    "marac": [],
    "from": [],
    "to": [],
    "adult_female_population": [],
}


def suppressed(figures: dict) -> dict:
    """One MARAC's (or a total's) figures with small numbers hidden."""
    return suppress_figures(figures, derived_from=DERIVED_FROM)


def suppressed_total(total: dict, parts: list[dict]) -> dict:
    """A pooled total, hidden where it would give away a part hidden in exactly one MARAC."""
    result = suppressed(total)
    for name, value in total.items():
        if name in DERIVED_FROM or isinstance(value, dict):
            continue
        if sum(1 for part in parts if part.get(name) == SUPPRESSED) == 1:
            result[name] = SUPPRESSED
    hidden = {name for name, value in result.items() if value == SUPPRESSED}
    for name, sources in DERIVED_FROM.items():
        if name in result and hidden.intersection(sources):
            result[name] = SUPPRESSED
    return result

"""The SafeLives indicator pages (per MARAC and per partnership) and the quarterly return CSV.
Figures come from `marac.selectors.indicators`; nothing here counts cases."""

from __future__ import annotations

import csv
from datetime import date, timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from marac import indicators as figures
from marac import permissions, selectors
from marac.forms import PeriodForm
from marac.models import Marac, Meeting
from partnership.models import AgencyCategory
from partnership.permissions import access_partnership
from partnership.suppression import SUPPRESSED

ROWS = [
    # name, label, unit
    ("cases_discussed", "Cases discussed", "count"),
    ("cases_per_10k_women", "Cases per 10,000 adult women (a year)", "rate"),
    ("repeat_cases", "Repeat cases", "count"),
    ("repeat_rate", "Repeat rate", "percent"),
    ("children", "Children in the households", "count"),
    ("police_referral_pct", "Referrals from the police", "percent"),
    ("partner_referral_pct", "Referrals from partner agencies", "percent"),
    ("bme_count", "Black, Asian and minoritised victims", "count"),
    ("bme_pct", "Black, Asian and minoritised victims", "percent"),
    ("lgbt_count", "LGBT+ victims", "count"),
    ("lgbt_pct", "LGBT+ victims", "percent"),
    ("disability_count", "Disabled victims", "count"),
    ("disability_pct", "Disabled victims", "percent"),
    ("male_count", "Male victims", "count"),
    ("male_pct", "Male victims", "percent"),
    ("age_16_17_count", "Victims aged 16 to 17", "count"),
    ("age_16_17_pct", "Victims aged 16 to 17", "percent"),
]
# Only the volume recommendation is confirmed from SafeLives' own pages (research/marac.md).
RECOMMENDED = {"cases_per_10k_women": f"{figures.RECOMMENDED_CASES_PER_10K}"}


def _shown(value, unit: str) -> str:
    if value == SUPPRESSED:
        return "Fewer than 5"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "rate" or isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _national(name: str, unit: str) -> str:
    value = figures.NATIONAL.get(name)
    return "" if value is None else _shown(value, unit)


def last_whole_months(today: date, months: int = 12) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    year, month = end.year, end.month - months + 1
    while month < 1:
        month += 12
        year -= 1
    return date(year, month, 1), end


def _period(request: HttpRequest) -> tuple[PeriodForm, date, date]:
    form = PeriodForm(request.GET or None)
    start, end = last_whole_months(timezone.localdate())
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return form, start, end


def _rows(columns: list[dict]) -> list[dict]:
    return [
        {
            "label": label + (" (%)" if unit == "percent" else ""),
            "values": [_shown(column[name], unit) for column in columns],
            "recommended": RECOMMENDED.get(name, ""),
            "national": _national(name, unit),
        }
        for name, label, unit in ROWS
    ]


def _category_rows(columns: list[dict]) -> list[dict]:
    return [
        {
            "label": label,
            "values": [_shown(c["referrals_by_category"][code], "share") for c in columns],
        }
        for code, label in AgencyCategory.choices
    ]


def marac_indicators(request: HttpRequest, slug: str) -> HttpResponse:
    marac = permissions.access_marac_figures(request.user, slug)
    form, start, end = _period(request)
    result = selectors.indicators(start=start, end=end, marac=marac)
    full = permissions.sees_unsuppressed_indicators(request.user, marac)
    shown = result if full else figures.suppressed(result)
    context = {
        "marac": marac,
        "form": form,
        "start": start,
        "end": end,
        "columns": [marac.name],
        "rows": _rows([shown]),
        "categories": _category_rows([shown]),
        "suppressed": not full,
        "population": result["adult_female_population"],
        "can_download": full,
    }
    return render(request, "marac/indicators.html", context)


def partnership_indicators(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = access_partnership(request.user, slug)
    form, start, end = _period(request)
    result = selectors.indicators(start=start, end=end, partnership=partnership)
    maracs = {m.slug: m for m in Marac.objects.filter(partnership=partnership)}
    full = {s: permissions.sees_unsuppressed_indicators(request.user, m) for s, m in maracs.items()}
    parts = [p if full[p["marac"]] else figures.suppressed(p) for p in result["maracs"]]
    total = (
        result["total"] if all(full.values()) else figures.suppressed_total(result["total"], parts)
    )
    columns = [*parts, total]
    context = {
        "partnership": partnership,
        "form": form,
        "start": start,
        "end": end,
        "columns": [maracs[p["marac"]].name for p in parts] + ["All MARACs"],
        "rows": _rows(columns),
        "categories": _category_rows(columns),
        "suppressed": not all(full.values()),
        "population": result["total"]["adult_female_population"],
    }
    return render(request, "marac/indicators.html", context)


RETURN_COUNTS = [
    ("cases_discussed", "Number of cases discussed"),
    ("repeat_cases", "Number of repeat cases"),
    ("children", "Number of children in households"),
    ("bme_count", "Number of Black, Asian and racially minoritised victims"),
    ("lgbt_count", "Number of LGBT+ victims"),
    ("disability_count", "Number of victims with a disability"),
    ("male_count", "Number of male victims"),
    ("age_16_17_count", "Number of victims aged 16-17"),
]


def _return_row(marac: Marac, label: str, result: dict) -> list:
    categories = result["referrals_by_category"]
    return [
        marac.name,
        label,
        *[result[name] for name, _ in RETURN_COUNTS],
        *[round(categories[code], 2) for code in AgencyCategory.values],
        round(result["partner_referral_pct"], 2),
    ]


def safelives_return(request: HttpRequest, slug: str) -> HttpResponse:
    """The SafeLives quarterly return: one row per meeting held in the period (SafeLives counts
    per meeting), then the period's total. For the coordinators, chair and data protection
    lead, unsuppressed, as SafeLives receives it."""
    marac = permissions.access_marac_figures(request.user, slug)
    if not permissions.sees_unsuppressed_indicators(request.user, marac):
        raise Http404
    _form, start, end = _period(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="safelives-return-{marac.slug}-{start}-{end}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "MARAC",
            "Meeting date",
            *[label for _, label in RETURN_COUNTS],
            *[f"Referrals: {label}" for label in AgencyCategory.labels],
            "% partner agency referrals",
        ]
    )
    meetings = Meeting.objects.filter(marac=marac, date__gte=start, date__lte=end).order_by("date")
    for meeting in meetings.values_list("date", flat=True):
        result = selectors.indicators(start=meeting, end=meeting, marac=marac)
        writer.writerow(_return_row(marac, meeting.isoformat(), result))
    total = selectors.indicators(start=start, end=end, marac=marac)
    writer.writerow(_return_row(marac, f"Total {start.isoformat()} to {end.isoformat()}", total))
    return response

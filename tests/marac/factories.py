"""Synthetic MARAC records made through the services. Every name is visibly invented."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.utils import timezone

from marac.models import Consent, YesNo
from marac.services import (
    ChildDetails,
    DashAnswers,
    PerpetratorDetails,
    VictimDetails,
    case_accept,
    referral_submit,
)

_refs = itertools.count(1)


def dash_answers(score: int, assessed_on: date | None = None) -> DashAnswers:
    """A DASH with `score` yes answers, then no, then one not known."""
    answers = [YesNo.YES] * score + [YesNo.NO] * (24 - score)
    if score < 24:
        answers[-1] = YesNo.NOT_KNOWN
    return DashAnswers(answers=answers, assessed_on=assessed_on or timezone.localdate())


def victim(
    first: str = "Testvictim", last: str = "Fictionalsurname", born: date = date(1990, 5, 17)
) -> VictimDetails:
    return VictimDetails(
        first_name=first,
        last_name=last,
        date_of_birth=born,
        gender="female",
        ethnicity="white_british",
        lgbt=YesNo.NO,
        disability=YesNo.NO,
        address="1 Synthetic Row, Testtown",
        phone="07700 900001",
        safe_contact="Call the synthetic mobile after 6pm",
    )


def perpetrator(first: str = "Testperp", last: str = "Madeupname") -> PerpetratorDetails:
    return PerpetratorDetails(first_name=first, last_name=last, address="2 Invented Close")


def submit_case(
    *,
    actor,
    marac,
    agency,
    referral_date: date | None = None,
    victim_details: VictimDetails | None = None,
    perpetrators=None,
    score: int = 16,
    accept: bool = True,
    case_ref: str | None = None,
    **criteria,
):
    """A referral from `agency` to `marac`, accepted unless `accept=False`."""
    day = referral_date or timezone.localdate() - timedelta(days=20)
    case = referral_submit(
        acting_user=actor,
        marac=marac,
        case_ref=case_ref or f"TEST-{next(_refs):05d}",
        referral_date=day,
        referring_agencies=[agency],
        victim=victim_details or victim(),
        dash=dash_answers(score, day),
        consent=Consent.GIVEN,
        perpetrators=[perpetrator()] if perpetrators is None else perpetrators,
        children=[ChildDetails(first_name="Testchild", last_name="Fictionalsurname")],
        children_in_household=1,
        **criteria,
    )
    if accept:
        case = case_accept(acting_user=actor, case=case)
    return case

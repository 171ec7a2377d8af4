"""Referrals and cases: submission with the SafeLives criteria, DASH, acceptance (where the
repeat status is decided), IDVA allocation, closure and transfer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marac import crypto
from marac.models import (
    DASH_QUESTIONS,
    ESCALATION_INCIDENTS,
    VISIBLE_HIGH_RISK_SCORE,
    Case,
    CaseStatus,
    Child,
    Consent,
    DashAssessment,
    Ethnicity,
    Gender,
    Marac,
    Perpetrator,
    Referral,
    ReferralSource,
    Victim,
    YesNo,
)
from marac.permissions import maracs_where
from marac.services import repeats
from marac.services.recording import record, stamp
from partnership.models import Agency, Role, User

DASH_ANSWERS = {YesNo.YES, YesNo.NO, YesNo.NOT_KNOWN}


@dataclass(frozen=True)
class VictimDetails:
    first_name: str
    last_name: str
    date_of_birth: date
    gender: str = Gender.NOT_KNOWN
    ethnicity: str = Ethnicity.NOT_KNOWN
    lgbt: str = YesNo.NOT_KNOWN
    disability: str = YesNo.NOT_KNOWN
    aliases: str = ""
    address: str = ""
    phone: str = ""
    safe_contact: str = ""


@dataclass(frozen=True)
class PerpetratorDetails:
    first_name: str = ""
    last_name: str = ""
    date_of_birth: date | None = None
    aliases: str = ""
    address: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ChildDetails:
    first_name: str
    last_name: str = ""
    date_of_birth: date | None = None


@dataclass(frozen=True)
class DashAnswers:
    """A completed DASH checklist: 24 answers in question order."""

    answers: Sequence[str]
    assessed_on: date
    sources: Mapping[int, str] = field(default_factory=dict)
    afraid_of: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Criteria:
    """What the referrer says; visible high risk is read from the score, never chosen."""

    dash_score: int | None
    professional_judgement: bool = False
    pj_rationale: str = ""
    potential_escalation: bool = False
    incidents_12m: int | None = None


def dash_score(answers: Sequence[str]) -> int:
    """The DASH score: the number of "yes" answers. Refuses anything but 24 valid answers."""
    if len(answers) != len(DASH_QUESTIONS):
        raise ValidationError({"answers": f"Answer all {len(DASH_QUESTIONS)} DASH questions."})
    if any(answer not in DASH_ANSWERS for answer in answers):
        raise ValidationError({"answers": "Each DASH answer is yes, no or not known."})
    return sum(1 for answer in answers if answer == YesNo.YES)


def criteria_errors(criteria: Criteria, *, historical: bool) -> dict[str, str]:
    """What is wrong with a referral's criteria, by field. Empty when it stands.

    Professional judgement may refer at any score but never lowers one: a score of 14 or more
    is visible high risk whatever else is said. Historical imports may lack an incident count.
    """
    errors: dict[str, str] = {}
    score = criteria.dash_score
    if score is not None and not 0 <= score <= len(DASH_QUESTIONS):
        errors["dash_score"] = f"A DASH score is a whole number from 0 to {len(DASH_QUESTIONS)}."
    if criteria.professional_judgement and not criteria.pj_rationale.strip():
        errors["pj_rationale"] = "Give the reason for referring on professional judgement."
    incidents = criteria.incidents_12m
    too_few = incidents is None or incidents < ESCALATION_INCIDENTS
    if criteria.potential_escalation and not historical and too_few:
        errors["incidents_12m"] = (
            f"Potential escalation needs {ESCALATION_INCIDENTS} or more incidents "
            "in the past 12 months."
        )
    if not (
        visible_high_risk(score) or criteria.professional_judgement or criteria.potential_escalation
    ):
        errors["criteria"] = (
            "The referral meets no criterion: a DASH score of 14 or more, professional "
            "judgement or potential escalation."
        )
    return errors


def visible_high_risk(score: int | None) -> bool:
    return score is not None and score >= VISIBLE_HIGH_RISK_SCORE


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def victim_record(case: Case, victim: VictimDetails, referral_date: date) -> Victim:
    """An unsaved, checked victim row: identifiers encrypted on save, blind index computed."""
    if not victim.first_name.strip() or not victim.last_name.strip():
        raise ValidationError({"victim": "Give the victim's first and last name."})
    if victim.date_of_birth > referral_date:
        raise ValidationError({"victim": "The victim's date of birth is after the referral."})
    row = Victim(
        case=case,
        first_name=victim.first_name.strip(),
        last_name=victim.last_name.strip(),
        aliases=victim.aliases,
        date_of_birth=victim.date_of_birth,
        address=victim.address,
        phone=victim.phone,
        safe_contact=victim.safe_contact,
        blind_index=crypto.victim_index(victim.first_name, victim.last_name, victim.date_of_birth),
        gender=victim.gender,
        ethnicity=victim.ethnicity,
        lgbt=victim.lgbt,
        disability=victim.disability,
        age_at_referral=age_on(victim.date_of_birth, referral_date),
    )
    row.full_clean(exclude=["case"], validate_unique=False, validate_constraints=False)
    return row


def people_records(
    case: Case, perpetrators: Sequence[PerpetratorDetails], children: Sequence[ChildDetails]
) -> tuple[list[Perpetrator], list[Child]]:
    """Unsaved perpetrator and child rows; a perpetrator row without a name names nobody."""
    named = [p for p in perpetrators if crypto.normalise_name(p.first_name, p.last_name)]
    return (
        [
            Perpetrator(
                case=case,
                first_name=person.first_name.strip(),
                last_name=person.last_name.strip(),
                date_of_birth=person.date_of_birth,
                aliases=person.aliases,
                address=person.address,
                notes=person.notes,
                blind_index=crypto.perpetrator_index(person.first_name, person.last_name),
            )
            for person in named
        ],
        [
            Child(
                case=case,
                first_name=child.first_name.strip(),
                last_name=child.last_name.strip(),
                date_of_birth=child.date_of_birth,
            )
            for child in children
        ],
    )


@dataclass(frozen=True)
class ReferralRecord:
    """Everything a referral is stored from, live or imported (validated by the caller)."""

    marac: Marac
    case_ref: str
    referral_date: date
    sources: Sequence[tuple[Agency | None, str]]
    victim: VictimDetails
    criteria: Criteria
    consent: str
    lawful_basis: str = ""
    not_safe_to_talk: str = ""
    perpetrators: Sequence[PerpetratorDetails] = ()
    children: Sequence[ChildDetails] = ()
    children_in_household: int = 0
    idva_allocated: str = YesNo.NOT_KNOWN
    is_historical: bool = False


def _check_case_refs(records: Sequence[ReferralRecord]) -> None:
    refs = [(data.marac.pk, data.case_ref) for data in records]
    if len(set(refs)) != len(refs):
        raise ValidationError({"case_ref": "A case reference is used twice."})
    for marac_id in {marac_id for marac_id, _ in refs}:
        mine = [ref for m, ref in refs if m == marac_id]
        if Case.objects.filter(marac_id=marac_id, case_ref__in=mine).exists():
            raise ValidationError(
                {"case_ref": "That case reference is already used at this MARAC."}
            )


def _case_row(data: ReferralRecord, acting_user: User) -> Case:
    case = Case(
        marac=data.marac,
        case_ref=data.case_ref,
        children_in_household=max(data.children_in_household, len(data.children)),
        idva_allocated=data.idva_allocated,
    )
    stamp(case, acting_user, new=True)
    case.clean_fields(exclude=["marac", "idva", "transferred_to", "created_by", "updated_by"])
    return case


def _referral_row(case: Case, data: ReferralRecord, acting_user: User, referrer) -> Referral:
    criteria = data.criteria
    referral = Referral(
        case=case,
        referral_date=data.referral_date,
        referrer=referrer,
        visible_high_risk=visible_high_risk(criteria.dash_score),
        professional_judgement=criteria.professional_judgement,
        potential_escalation=criteria.potential_escalation,
        pj_rationale=criteria.pj_rationale.strip(),
        incidents_12m=criteria.incidents_12m,
        dash_score=criteria.dash_score,
        consent=data.consent,
        lawful_basis=data.lawful_basis,
        not_safe_to_talk=data.not_safe_to_talk,
        is_historical=data.is_historical,
    )
    stamp(referral, acting_user, new=True)
    return referral


def store_referrals(
    *, acting_user: User, records: Sequence[ReferralRecord], referrer: User | None = None
) -> list[Case]:
    """Write cases with their referral, sources and people, a few queries for any number.
    Callers validate the criteria and stay atomic; cases start as referred."""
    if any(not data.sources for data in records):
        raise ValidationError({"referring_agencies": "Name at least one referring agency."})
    _check_case_refs(records)
    cases = Case.objects.bulk_create([_case_row(data, acting_user) for data in records])
    referrals = Referral.objects.bulk_create(
        [
            _referral_row(case, data, acting_user, referrer)
            for case, data in zip(cases, records, strict=True)
        ]
    )
    sources, victims, perpetrators, children = [], [], [], []
    for case, referral, data in zip(cases, referrals, records, strict=True):
        case.referral = referral
        sources += [
            ReferralSource(referral=referral, agency=a, category=c) for a, c in data.sources
        ]
        victims.append(victim_record(case, data.victim, data.referral_date))
        people, kids = people_records(case, data.perpetrators, data.children)
        perpetrators += people
        children += kids
    ReferralSource.objects.bulk_create(sources)
    Victim.objects.bulk_create(victims)
    Perpetrator.objects.bulk_create(perpetrators)
    Child.objects.bulk_create(children)
    for case, victim in zip(cases, victims, strict=True):
        case.victim = victim
    return cases


def _consent_errors(consent: str, lawful_basis: str) -> dict[str, str]:
    if consent == Consent.GIVEN:
        return {}
    if consent == Consent.NOT_GIVEN and lawful_basis.strip():
        return {}
    if consent == Consent.NOT_GIVEN:
        return {"lawful_basis": "Give the lawful basis for sharing without consent."}
    return {"consent": "Record the victim's consent, or share without it on a lawful basis."}


@transaction.atomic
def referral_submit(
    *,
    acting_user: User,
    marac: Marac,
    case_ref: str,
    referral_date: date,
    referring_agencies: Sequence[Agency],
    victim: VictimDetails,
    dash: DashAnswers,
    consent: str,
    lawful_basis: str = "",
    professional_judgement: bool = False,
    pj_rationale: str = "",
    potential_escalation: bool = False,
    incidents_12m: int | None = None,
    not_safe_to_talk: str = "",
    perpetrators: Sequence[PerpetratorDetails] = (),
    children: Sequence[ChildDetails] = (),
    children_in_household: int = 0,
) -> Case:
    """A new referral with its DASH. The case starts as referred; acceptance decides repeats."""
    score = dash_score(dash.answers)
    criteria = Criteria(
        dash_score=score,
        professional_judgement=professional_judgement,
        pj_rationale=pj_rationale,
        potential_escalation=potential_escalation,
        incidents_12m=incidents_12m,
    )
    errors = criteria_errors(criteria, historical=False) | _consent_errors(consent, lawful_basis)
    if referral_date > timezone.localdate():
        errors["referral_date"] = "The referral date cannot be in the future."
    if errors:
        raise ValidationError(errors)
    data = ReferralRecord(
        marac=marac,
        case_ref=case_ref,
        referral_date=referral_date,
        sources=[(agency, agency.category) for agency in dict.fromkeys(referring_agencies)],
        victim=victim,
        criteria=criteria,
        consent=consent,
        lawful_basis=lawful_basis if consent == Consent.NOT_GIVEN else "",
        not_safe_to_talk=not_safe_to_talk,
        perpetrators=perpetrators,
        children=children,
        children_in_household=children_in_household,
    )
    case = store_referrals(acting_user=acting_user, records=[data], referrer=acting_user)[0]
    _store_dash(case, dash, score, acting_user, referring_agencies[0])
    record(acting_user=acting_user, action="referral_submit", obj=case, marac=marac)
    return case


def dash_record(
    case: Case, dash: DashAnswers, score: int, assessor: User, agency: Agency, version: int = 1
) -> DashAssessment:
    """An unsaved DASH row, as submitted."""
    return DashAssessment(
        case=case,
        version=version,
        assessed_on=dash.assessed_on,
        assessor=assessor,
        agency=agency,
        answers=list(dash.answers),
        sources={str(number): text for number, text in dash.sources.items()},
        afraid_of=dash.afraid_of,
        notes=dash.notes,
        score=score,
        created_at=timezone.now(),
    )


def _store_dash(
    case: Case, dash: DashAnswers, score: int, acting_user: User, agency: Agency
) -> DashAssessment:
    latest = case.dash_assessments.order_by("-version").values_list("version", flat=True)[:1]
    version = latest[0] + 1 if latest else 1
    assessment = dash_record(case, dash, score, acting_user, agency, version)
    assessment.save()
    return assessment


@transaction.atomic
def dash_assess(
    *, acting_user: User, case: Case, agency: Agency, dash: DashAnswers
) -> DashAssessment:
    """A new DASH (after a new incident) is a new version; earlier ones stay as they were."""
    score = dash_score(dash.answers)
    Case.objects.select_for_update().filter(pk=case.pk).get()
    assessment = _store_dash(case, dash, score, acting_user, agency)
    record(
        acting_user=acting_user,
        action="dash_assess",
        obj=assessment,
        marac=case.marac,
        detail={"case": case.pk, "version": assessment.version, "score": score},
    )
    return assessment


TRANSITIONS = {
    CaseStatus.REFERRED: {CaseStatus.ACCEPTED, CaseStatus.CLOSED},
    CaseStatus.ACCEPTED: {CaseStatus.LISTED, CaseStatus.CLOSED, CaseStatus.TRANSFERRED},
    CaseStatus.LISTED: {CaseStatus.HEARD, CaseStatus.CLOSED, CaseStatus.TRANSFERRED},
    CaseStatus.HEARD: {CaseStatus.LISTED, CaseStatus.CLOSED, CaseStatus.TRANSFERRED},
    CaseStatus.CLOSED: set(),
    CaseStatus.TRANSFERRED: set(),
}


def move_case(case: Case, status: str, acting_user: User) -> None:
    """Change a case's status along the allowed path (referred, accepted, listed, heard, ...)."""
    if status == case.status:
        return
    if status not in TRANSITIONS[CaseStatus(case.status)]:
        raise ValidationError(
            f"A {case.get_status_display().lower()} case cannot become "
            f"{CaseStatus(status).label.lower()}."
        )
    case.status = status
    if status == CaseStatus.CLOSED:
        case.closed_at = timezone.now()
    stamp(case, acting_user, new=False)
    case.save(update_fields=["status", "closed_at", "updated_at", "updated_by"])


DECIDED_FIELDS = [
    "is_repeat",
    "repeat_of",
    "heard_elsewhere",
    "decided_at",
    "updated_at",
    "updated_by",
]


def decide_referrals(referrals: Sequence[Referral], acting_user: User) -> None:
    """Decide and store the repeat status of referrals accepted or imported together. Each
    looks only at earlier referrals, so deciding them together equals deciding them in turn."""
    now = timezone.now()
    Referral.objects.filter(pk__in=[r.pk for r in referrals]).update(decided_at=now)
    for referral in referrals:
        repeats.decide(referral)
        referral.decided_at = now
        stamp(referral, acting_user, new=False)
    Referral.objects.bulk_update(referrals, DECIDED_FIELDS)


def decide_referral(referral: Referral, acting_user: User) -> Referral:
    """Decide and store the repeat status and cross-MARAC flag (on acceptance or import)."""
    repeats.decide(referral)
    referral.decided_at = timezone.now()
    stamp(referral, acting_user, new=False)
    referral.save(update_fields=DECIDED_FIELDS)
    return referral


@transaction.atomic
def case_accept(*, acting_user: User, case: Case) -> Case:
    """Accept a referral: the case can be listed, and its repeat status is decided and stored."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("marac", "referral")
        .get(pk=case.pk)
    )
    move_case(case, CaseStatus.ACCEPTED, acting_user)
    referral = decide_referral(case.referral, acting_user)
    record(
        acting_user=acting_user,
        action="case_accept",
        obj=case,
        marac=case.marac,
        detail={"is_repeat": referral.is_repeat, "heard_elsewhere": referral.heard_elsewhere_id},
    )
    return case


@transaction.atomic
def cases_accept(*, acting_user: User, cases: Sequence[Case]) -> None:
    """Accept many referred cases at once (historical imports, demo data); repeat status is
    decided and stored as `case_accept` would, with one audit record."""
    if any(case.status != CaseStatus.REFERRED for case in cases):
        raise ValidationError("Only referred cases can be accepted.")
    decide_referrals([case.referral for case in cases], acting_user)
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        status=CaseStatus.ACCEPTED, updated_at=timezone.now(), updated_by=acting_user
    )
    for case in cases:
        case.status = CaseStatus.ACCEPTED
    if cases:
        record(
            acting_user=acting_user,
            action="cases_accept",
            obj=cases[0].marac,
            marac=cases[0].marac,
            detail={"cases": [c.pk for c in cases]},
        )


@transaction.atomic
def cases_allocate_idva(*, acting_user: User, cases: Sequence[Case], idva: User) -> None:
    """Allocate an IDVA of the cases' MARAC; they then hold the full lens on them."""
    maracs = {case.marac_id for case in cases}
    if maracs_where(idva, Role.IDVA).filter(pk__in=maracs).count() != len(maracs):
        raise ValidationError({"idva": "Choose an IDVA of this MARAC."})
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        idva=idva, idva_allocated=YesNo.YES, updated_at=timezone.now(), updated_by=acting_user
    )
    for case in cases:
        case.idva, case.idva_allocated = idva, YesNo.YES
        record(
            acting_user=acting_user,
            action="case_allocate_idva",
            obj=case,
            marac=case.marac,
            detail={"idva": idva.pk},
        )


def case_allocate_idva(*, acting_user: User, case: Case, idva: User) -> Case:
    cases_allocate_idva(acting_user=acting_user, cases=[case], idva=idva)
    return case


@transaction.atomic
def case_close(*, acting_user: User, case: Case) -> Case:
    move_case(case, CaseStatus.CLOSED, acting_user)
    record(acting_user=acting_user, action="case_close", obj=case, marac=case.marac)
    return case

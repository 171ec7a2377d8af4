"""Cases, referrals, the people in them and DASH assessments.

Identifiers (names, dates of birth, addresses, phone numbers, safe contact details, free text)
are encrypted fields; the categories the SafeLives indicators count are plain (DESIGN §5).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from marac.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField
from marac.models.maracs import Marac
from marac.querysets import CaseQuerySet
from partnership.models import Agency, AgencyCategory, Recorded

DASH_QUESTIONS = [
    "Has the current incident resulted in injury?",
    "Are you very frightened?",
    "What are you afraid of? Is it further injury or violence?",
    "Do you feel isolated from family or friends?",
    "Are you feeling depressed or having suicidal thoughts?",
    "Have you separated or tried to separate from the abuser within the past year?",
    "Is there conflict over child contact?",
    "Does the abuser constantly text, call, contact, follow, stalk or harass you?",
    "Are you pregnant or have you recently had a baby?",
    "Is the abuse happening more often?",
    "Is the abuse getting worse?",
    "Does the abuser try to control everything you do or are they excessively jealous?",
    "Has the abuser ever used weapons or objects to hurt you?",
    "Has the abuser ever threatened to kill you or someone else and you believed them?",
    "Has the abuser ever attempted to strangle, choke, suffocate or drown you?",
    "Does the abuser do or say things of a sexual nature that make you feel bad?",
    "Is there any other person who has threatened you or who you are afraid of?",
    "Do you know if the abuser has hurt anyone else?",
    "Has the abuser ever mistreated an animal or the family pet?",
    "Are there any financial issues?",
    "Has the abuser had problems with drugs, alcohol or mental health?",
    "Has the abuser ever threatened or attempted suicide?",
    "Has the abuser ever breached bail, an injunction or a contact agreement?",
    "Do you know if the abuser has ever been in trouble with the police or has a criminal history?",
]
VISIBLE_HIGH_RISK_SCORE = 14
ESCALATION_INCIDENTS = 3


class CaseStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ACCEPTED = "accepted", "Accepted"
    LISTED = "listed", "Listed"
    HEARD = "heard", "Heard"
    CLOSED = "closed", "Closed"
    TRANSFERRED = "transferred", "Transferred"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    WHITE_BRITISH = "white_british", "White British"
    WHITE_IRISH = "white_irish", "White Irish"
    WHITE_OTHER = "white_other", "Any other White background"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    ARAB = "arab", "Arab"
    OTHER = "other", "Another ethnic group"
    NOT_KNOWN = "not_known", "Not known"


class Consent(models.TextChoices):
    GIVEN = "given", "Consent given"
    NOT_GIVEN = "not_given", "Shared without consent"
    NOT_RECORDED = "not_recorded", "Not recorded"


HISTORICAL_NOT_RECORDED = "historical import: not recorded"


class Case(Recorded):
    """A victim's case at a MARAC, from referral to closure or transfer."""

    marac = models.ForeignKey(Marac, on_delete=models.PROTECT, related_name="cases")
    case_ref = models.CharField("case reference", max_length=40)
    status = models.CharField(
        max_length=16, choices=CaseStatus.choices, default=CaseStatus.REFERRED
    )
    idva = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="idva_cases",
    )
    idva_allocated = models.CharField(max_length=16, choices=YesNo.choices, default=YesNo.NOT_KNOWN)
    children_in_household = models.PositiveSmallIntegerField(default=0)
    transferred_to = models.ForeignKey(
        Marac, on_delete=models.PROTECT, null=True, blank=True, related_name="cases_received"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the retention purge removed the personal data (counts are kept).",
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["marac", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["marac", "case_ref"], name="case_ref_unique_in_marac"),
        ]
        permissions = [("full_lens_case", "See a MARAC case through the full lens")]

    def __str__(self) -> str:
        return f"{self.marac.slug}:{self.case_ref}"


class Referral(Recorded):
    """A referral to a MARAC with the SafeLives criteria, one per case."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="referral")
    referral_date = models.DateField()
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visible_high_risk = models.BooleanField(default=False)
    professional_judgement = models.BooleanField(default=False)
    potential_escalation = models.BooleanField(default=False)
    pj_rationale = EncryptedTextField("professional judgement rationale", blank=True)
    incidents_12m = models.PositiveSmallIntegerField(
        "incidents in the past 12 months", null=True, blank=True
    )
    dash_score = models.PositiveSmallIntegerField(null=True, blank=True)
    consent = models.CharField(max_length=16, choices=Consent.choices)
    lawful_basis = models.CharField(
        "lawful basis for sharing without consent", max_length=300, blank=True
    )
    not_safe_to_talk = EncryptedTextField(
        "who the victim says it is not safe to talk to", blank=True
    )
    is_historical = models.BooleanField(default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    is_repeat = models.BooleanField(null=True, blank=True)
    repeat_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    heard_elsewhere = models.ForeignKey(
        Marac,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Another MARAC of the partnership heard this victim in the 12 months before.",
    )

    class Meta:
        ordering = ["-referral_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dash_score__isnull=True) | Q(dash_score__lte=len(DASH_QUESTIONS)),
                name="referral_dash_score_in_range",
            ),
            models.CheckConstraint(
                condition=Q(visible_high_risk=False) | Q(dash_score__gte=VISIBLE_HIGH_RISK_SCORE),
                name="referral_visible_high_risk_needs_score",
            ),
            models.CheckConstraint(
                condition=Q(visible_high_risk=True)
                | Q(professional_judgement=True)
                | Q(potential_escalation=True),
                name="referral_meets_a_criterion",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} of {self.case}"


class ReferralSource(models.Model):
    """A referring agency, or only its SafeLives route where old records kept no more."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="sources")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.CharField(max_length=32, choices=AgencyCategory.choices)

    class Meta:
        ordering = ["referral", "pk"]

    def __str__(self) -> str:
        return str(self.agency or self.get_category_display())


class Victim(models.Model):
    """The victim of a case: identifiers encrypted, equality categories plain."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="victim")
    first_name = EncryptedTextField()
    last_name = EncryptedTextField()
    aliases = EncryptedTextField(blank=True)
    date_of_birth = EncryptedDateField()
    address = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True)
    safe_contact = EncryptedTextField("safe contact details", blank=True)
    blind_index = models.CharField(max_length=64, db_index=True, editable=False)
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(
        max_length=16, choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN
    )
    lgbt = models.CharField("LGBT+", max_length=16, choices=YesNo.choices, default=YesNo.NOT_KNOWN)
    disability = models.CharField(max_length=16, choices=YesNo.choices, default=YesNo.NOT_KNOWN)
    age_at_referral = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Victim in case {self.case_id}"


class Perpetrator(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="perpetrators")
    first_name = EncryptedTextField(blank=True)
    last_name = EncryptedTextField(blank=True)
    aliases = EncryptedTextField(blank=True)
    date_of_birth = EncryptedDateField(null=True, blank=True)
    address = EncryptedTextField(blank=True)
    notes = EncryptedTextField(blank=True)
    blind_index = models.CharField(max_length=64, db_index=True, editable=False)

    class Meta:
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return f"Perpetrator in case {self.case_id}"


class Child(models.Model):
    """A child in the victim's household."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    first_name = EncryptedTextField()
    last_name = EncryptedTextField(blank=True)
    date_of_birth = EncryptedDateField(null=True, blank=True)

    class Meta:
        ordering = ["case", "pk"]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return f"Child in case {self.case_id}"


class DashAssessment(models.Model):
    """A DASH risk checklist as submitted. Never edited: a new assessment is a new version."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="dash_assessments")
    version = models.PositiveSmallIntegerField()
    assessed_on = models.DateField()
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(help_text="24 answers: yes, no or not_known, in question order.")
    sources = EncryptedJSONField(
        blank=True, help_text="Who gave an answer, by question number, when not the victim."
    )
    afraid_of = EncryptedTextField(blank=True)
    notes = EncryptedTextField(blank=True)
    score = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(editable=False)

    class Meta:
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="dash_version_unique"),
            models.CheckConstraint(
                condition=Q(score__lte=len(DASH_QUESTIONS)), name="dash_score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"DASH v{self.version} of case {self.case_id}"

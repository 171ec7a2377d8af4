"""The partnership model (DESIGN §3): people, boroughs, partnerships, agencies, memberships,
boards and their meetings. Everything else in the portal references these; this app imports
no other app of the portal.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from partnership.managers import UserManager
from partnership.querysets import MembershipQuerySet


class Recorded(models.Model):
    """Who made a row and who last changed it, and when (every write goes through a service)."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        abstract = True


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff, signing in with their work email. Accounts exist only by invitation."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "Django admin access",
        default=False,
        help_text="Reaches the Django admin, which holds no personal-data model.",
    )
    is_system = models.BooleanField(
        default=False, help_text="The system actor that management commands and jobs act as."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(
        null=True, blank=True, help_text="Locked by the scheduled job after long disuse."
    )
    unlocked_at = models.DateTimeField(
        null=True, blank=True, help_text="Last unlocked by an administrator after disuse."
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            # Nobody bypasses the permission layer (DESIGN §4): no superusers, ever.
            models.CheckConstraint(condition=Q(is_superuser=False), name="user_never_superuser"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Borough(models.Model):
    """One of the 33 London local authorities, keyed by its GSS code."""

    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    adult_female_population = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=200, blank=True)
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Partnership(Recorded):
    """A group of one or more boroughs governing VAWG work together."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    boroughs = models.ManyToManyField(Borough, related_name="partnerships")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership:overview", kwargs={"slug": self.slug})


class AgencyCategory(models.TextChoices):
    """SafeLives referral-route categories (DESIGN §3)."""

    POLICE = "police", "Police"
    IDVA = "idva", "IDVA service"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    PRIMARY_CARE = "primary_care", "Primary care"
    ACUTE_HEALTH = "acute_health", "Acute health"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    PROBATION = "probation", "Probation"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    HOUSING = "housing", "Housing"
    EDUCATION = "education", "Education"
    MASH = "mash", "MASH"
    OTHER = "other", "Other"


class Agency(Recorded):
    """An organisation that takes part: a police BCU, a council department, a trust, a charity."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    category = models.CharField(max_length=32, choices=AgencyCategory.choices)
    boroughs = models.ManyToManyField(Borough, related_name="agencies", blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership:agency", kwargs={"slug": self.slug})


class BoardKind(models.TextChoices):
    BOARD = "board", "Board"
    SUBGROUP = "subgroup", "Subgroup"
    DELIVERY_GROUP = "delivery_group", "Delivery group"
    OPERATIONAL_GROUP = "operational_group", "Operational group"


class Board(Recorded):
    """A board, subgroup, delivery group or operational group of a partnership."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="boards")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=32, choices=BoardKind.choices, default=BoardKind.BOARD)
    remit = models.TextField(blank=True)

    class Meta:
        ordering = ["partnership", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="board_name_unique"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="board_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership:board", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    PARTNERSHIP_ADMIN = "partnership_admin", "Partnership administrator"
    COMMISSIONER = "commissioner", "Commissioner"
    LEAD_OFFICER = "lead_officer", "Lead-agency officer"
    DATA_PROTECTION_LEAD = "data_protection_lead", "Data protection lead"
    MARAC_COORDINATOR = "marac_coordinator", "MARAC coordinator"
    MARAC_CHAIR = "marac_chair", "MARAC chair"
    MARAC_REPRESENTATIVE = "marac_representative", "MARAC representative"
    IDVA = "idva", "IDVA"
    BOARD_MEMBER = "board_member", "Board member"
    SERVICE_EDITOR = "service_editor", "Service editor"


class Scope(models.TextChoices):
    PARTNERSHIP = "partnership", "Partnership"
    MARAC = "marac", "MARAC"
    BOARD = "board", "Board"


ROLE_SCOPES: dict[str, str] = {
    Role.PARTNERSHIP_ADMIN: Scope.PARTNERSHIP,
    Role.COMMISSIONER: Scope.PARTNERSHIP,
    Role.LEAD_OFFICER: Scope.PARTNERSHIP,
    Role.DATA_PROTECTION_LEAD: Scope.PARTNERSHIP,
    Role.SERVICE_EDITOR: Scope.PARTNERSHIP,
    Role.MARAC_COORDINATOR: Scope.MARAC,
    Role.MARAC_CHAIR: Scope.MARAC,
    Role.MARAC_REPRESENTATIVE: Scope.MARAC,
    Role.IDVA: Scope.MARAC,
    Role.BOARD_MEMBER: Scope.BOARD,
}


class Membership(Recorded):
    """A person's role, held through one agency, scoped to a partnership, a MARAC or a board.

    Every membership names its partnership, so "members of a partnership" is one filter. A
    MARAC-scoped role points at the MARAC through a generic relation, because MARACs belong to
    the `marac` app and this app imports none.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="memberships"
    )
    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    scope_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scope_id = models.PositiveBigIntegerField(null=True, blank=True)
    marac = GenericForeignKey("scope_type", "scope_id")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "partnership", "board", "scope_type", "scope_id"],
                condition=Q(ended_at__isnull=True),
                nulls_distinct=False,
                name="membership_active_unique",
            ),
            models.CheckConstraint(
                condition=(
                    Q(role__in=[Role.BOARD_MEMBER], board__isnull=False, scope_id__isnull=True)
                    | Q(
                        role__in=[
                            Role.MARAC_COORDINATOR,
                            Role.MARAC_CHAIR,
                            Role.MARAC_REPRESENTATIVE,
                            Role.IDVA,
                        ],
                        board__isnull=True,
                        scope_id__isnull=False,
                        scope_type__isnull=False,
                    )
                    | Q(
                        role__in=[
                            Role.PARTNERSHIP_ADMIN,
                            Role.COMMISSIONER,
                            Role.LEAD_OFFICER,
                            Role.DATA_PROTECTION_LEAD,
                            Role.SERVICE_EDITOR,
                        ],
                        board__isnull=True,
                        scope_id__isnull=True,
                    )
                ),
                name="membership_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.agency})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None

    @property
    def scope_label(self) -> str:
        if self.board_id:
            return str(self.board)
        if self.scope_id:
            return f"MARAC: {self.marac}"
        return str(self.partnership)


class BoardMeeting(Recorded):
    """A meeting of a board or subgroup."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["board", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["board", "date"], name="board_meeting_date_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.board} — {self.date:%d %B %Y}"


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    SUBSTITUTE = "substitute", "Sent a substitute"


class Attendance(Recorded):
    """Whether a board member came to a meeting, sent apologies or sent a substitute."""

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=16, choices=AttendanceStatus.choices, default=AttendanceStatus.INVITED
    )
    substitute = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "user"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_unique"),
            models.CheckConstraint(
                condition=Q(status=AttendanceStatus.SUBSTITUTE) | Q(substitute__isnull=True),
                name="attendance_substitute_only_when_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_status_display()}"


class ChangeRecord(models.Model):
    """Who changed what and when, written by services in the same transaction as the change.

    Holds ids and role codes, never personal values, so it can be kept and shown freely.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"

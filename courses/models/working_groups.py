"""Working groups of a call (seed 002): the institutions selected in the call nominate
their people; the groups meet for one or two days; some meetings, held outside working
hours, pay each member a fee.

A group is an edition of a module of kind "working group": its seats are the target
size, its members are enrolments (so the limits, attendance per meeting day and the
history are those of every enrolment) and its meetings' days are the edition's
sessions. The edition is not in the catalogue and the enrol view takes trainings
only: nobody enrols in a group by themselves.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupKind(models.TextChoices):
    COUNTY_REFLECTIVE = "county_reflective", _("county reflective group")
    COUNTY_DECISION_MAKERS = "county_decision", _("county decision-makers' group")
    REGIONAL_REFLECTIVE = "regional_reflective", _("regional reflective group")


# What the seed says of each kind: (target size, days of a meeting, outside hours).
KIND_DEFAULTS: dict[str, tuple[int, int, bool]] = {
    GroupKind.COUNTY_REFLECTIVE: (7, 2, True),
    GroupKind.COUNTY_DECISION_MAKERS: (15, 1, False),
    GroupKind.REGIONAL_REFLECTIVE: (20, 1, False),
}
COUNTY_KINDS = {GroupKind.COUNTY_REFLECTIVE, GroupKind.COUNTY_DECISION_MAKERS}


class Sector(models.TextChoices):
    """The sector policy a member's institution belongs to."""

    SOCIAL_ASSISTANCE = "social_assistance", _("social assistance and integration")
    LABOUR_MARKET = "labour_market", _("labour market")
    EDUCATION = "education", _("education")
    HEALTH = "health", _("health care")
    JUSTICE = "justice", _("courts and probation")
    POLICE = "police", _("police")
    LOCAL_GOVERNMENT = "local_government", _("local government")
    NGO = "ngo", _("non-governmental organisation")
    OTHER = "other", _("other")


class WorkingGroup(models.Model):
    call = models.ForeignKey(
        "courses.Call",
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        related_name="working_groups",
    )
    edition = models.OneToOneField(
        "courses.Edition",
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="working_group",
    )
    kind = models.CharField(
        _("kind of group"), max_length=30, choices=GroupKind.choices
    )
    name = models.CharField(_("name"), max_length=300)
    application = models.ForeignKey(
        "courses.CallApplication",
        verbose_name=_("county or municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="working_groups",
        help_text=_(
            "The selected county whose group it is; empty for a regional group, to "
            "which every selected institution of the call nominates."
        ),
    )
    target_size = models.PositiveSmallIntegerField(
        _("target size"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    meeting_days = models.PositiveSmallIntegerField(
        _("days of a meeting"),
        choices=[(1, _("1 day")), (2, _("2 days"))],
        default=1,
    )

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["call", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class GroupMeeting(models.Model):
    """One meeting of a group: one or two days, each a session of the edition."""

    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    number = models.PositiveSmallIntegerField(_("meeting no."))
    outside_working_hours = models.BooleanField(
        _("outside working hours"), default=False
    )
    fee_per_member = models.DecimalField(
        _("fee per member"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Paid for a meeting outside working hours, per member present."),
    )
    sessions = models.ManyToManyField(
        "courses.Session",
        verbose_name=_("days"),
        through="GroupMeetingDay",
        related_name="+",
    )

    class Meta:
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")
        ordering = ["group", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "number"], name="one_meeting_number_per_group"
            ),
            models.CheckConstraint(
                condition=models.Q(outside_working_hours=True)
                | models.Q(fee_per_member=0),
                name="meeting_fee_only_outside_working_hours",
            ),
            models.CheckConstraint(
                condition=models.Q(fee_per_member__gte=0),
                name="meeting_fee_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} – {self.number}"


class GroupMeetingDay(models.Model):
    meeting = models.ForeignKey(
        GroupMeeting, on_delete=models.CASCADE, related_name="days"
    )
    session = models.OneToOneField(
        "courses.Session", on_delete=models.CASCADE, related_name="group_meeting_day"
    )

    class Meta:
        verbose_name = _("day of a meeting")
        verbose_name_plural = _("days of a meeting")
        ordering = ["session__date", "session__start_time"]

    def __str__(self) -> str:
        return str(self.session)


class Nomination(models.Model):
    """Who nominated a member to a group, from which sector; the member's enrolment."""

    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    enrolment = models.OneToOneField(
        "courses.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="nomination",
    )
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    application = models.ForeignKey(
        "courses.CallApplication",
        verbose_name=_("nominated by the institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
        help_text=_("Empty when the coordinator nominated."),
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("nominated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["group", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.group}: {self.enrolment.trainee}"

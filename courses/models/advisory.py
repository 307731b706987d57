"""Advisory and coaching: an offer of a project, requests, and the meetings held.

A request is an enrolment of the person who asked in an edition of its own (the
"case"): eligibility, quotas, the signed declaration, attendance, completion and the
certificate are those of every enrolment. What only advisory has lives here.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GROUP_MIN = 2
GROUP_MAX = 15


class AdvisoryForm(models.TextChoices):
    INDIVIDUAL = "individual", _("individual")
    GROUP = "group", _("group (2–15 people)")


class AdvisoryMode(models.TextChoices):
    WORKPLACE = "workplace", _("mobile: at the participant's workplace")
    AGREED_PLACE = "agreed_place", _("mobile: at a place agreed with the adviser")
    PHONE = "phone", _("remote: by phone")
    EMAIL = "email", _("remote: by e-mail")
    VIDEO = "video", _("remote: video meeting")

    @classmethod
    def remote(cls) -> set[str]:
        return {cls.PHONE, cls.EMAIL, cls.VIDEO}


class RequestChannel(models.TextChoices):
    ONLINE = "online", _("online form")
    PHONE = "phone", _("by phone")
    EMAIL = "email", _("by e-mail")


class AdvisoryOffer(models.Model):
    """What a project offers as advisory or coaching: topics, period, target."""

    project = models.ForeignKey(
        "courses.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="advisory_offers",
    )
    course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("module"),
        on_delete=models.PROTECT,
        related_name="advisory_offers",
        help_text=_(
            "A module of kind advisory or coaching: each request becomes an edition "
            "of it, and its certificate is issued as for any completed edition."
        ),
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("aim"), blank=True)
    topics = models.TextField(_("topics"), help_text=_("One topic per line."))
    starts_on = models.DateField(_("offered from"))
    ends_on = models.DateField(_("offered until"))
    target_recipients = models.PositiveIntegerField(
        _("target number of recipients"), default=0
    )
    staff_engaged = models.PositiveIntegerField(
        _("staff engaged in the project"), default=0
    )
    volunteers_engaged = models.PositiveIntegerField(
        _("volunteers engaged in the project"), default=0
    )
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("advisory offer")
        verbose_name_plural = _("advisory offers")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="advisory_offer_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]

    def is_open(self, on=None) -> bool:
        return self.is_published and (on or timezone.localdate()) <= self.ends_on


class AdvisoryRequest(models.Model):
    """One person's request for advice, and the case it became."""

    offer = models.ForeignKey(
        AdvisoryOffer,
        verbose_name=_("advisory offer"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    enrolment = models.OneToOneField(
        "courses.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="advisory_request",
    )
    topics = models.JSONField(_("topics"), default=list)
    form = models.CharField(
        _("form"),
        max_length=20,
        choices=AdvisoryForm.choices,
        default=AdvisoryForm.INDIVIDUAL,
    )
    participants = models.JSONField(
        _("other participants"),
        default=list,
        blank=True,
        help_text=_("Of a group: each other person's name and institution."),
    )
    mode = models.CharField(_("mode"), max_length=20, choices=AdvisoryMode.choices)
    place = models.CharField(_("place"), max_length=300, blank=True)
    preferred_dates = models.TextField(_("preferred dates"))
    indirect_recipients = models.PositiveIntegerField(
        _("indirect recipients"),
        default=0,
        validators=[MaxValueValidator(10_000_000)],
        help_text=_("The people the advised institution serves with what it learns."),
    )
    channel = models.CharField(
        _("received"),
        max_length=20,
        choices=RequestChannel.choices,
        default=RequestChannel.ONLINE,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adviser = models.ForeignKey(
        "courses.TrainerProfile",
        verbose_name=_("adviser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advisory_requests",
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("advisory request")
        verbose_name_plural = _("advisory requests")
        ordering = ["-created_at", "-pk"]
        permissions = [
            (
                "manage_advisory",
                _("Can enter advisory requests, assign advisers and book meetings"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer.title}: {self.enrolment.trainee}"

    @property
    def group_size(self) -> int:
        return 1 + len(self.participants)

    def topic_labels(self) -> list[str]:
        return [str(topic) for topic in self.topics]


class AdvisoryMeeting(models.Model):
    """What the adviser recorded about one meeting (a session of the case)."""

    session = models.OneToOneField(
        "courses.Session",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="advisory_meeting",
    )
    mode = models.CharField(_("mode"), max_length=20, choices=AdvisoryMode.choices)
    topics = models.JSONField(_("topics discussed"), default=list)
    note = models.TextField(_("note"), blank=True)
    attendees = models.JSONField(
        _("other participants present"),
        default=list,
        blank=True,
        help_text=_("Of a group: the names of the other participants who came."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    participants_present = models.PositiveSmallIntegerField(
        _("people present"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(GROUP_MAX)],
    )

    class Meta:
        verbose_name = _("advisory meeting")
        verbose_name_plural = _("advisory meetings")
        ordering = ["session"]

    def __str__(self) -> str:
        return str(self.session)

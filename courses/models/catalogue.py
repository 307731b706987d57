from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import DeliveryMode, SupportKind

if TYPE_CHECKING:
    from .enrolments import Enrolment


# cms.CoursePage points here; its manager comes from Wagtail, which ships no types,
# so the plugin cannot type that reverse manager (it stays a plain related manager).
def outside_project(*, project, first, last) -> str:
    """Why dates from `first` to `last` do not fit the project's period, or ""."""
    if first >= project.start_date and last <= project.end_date:
        return ""
    return _(
        "The project %(project)s runs from %(start)s to %(end)s: choose dates "
        "within its period."
    ) % {
        "project": project.code,
        "start": f"{project.start_date:%d.%m.%Y}",
        "end": f"{project.end_date:%d.%m.%Y}",
    }


class Course(models.Model):  # type: ignore[django-manager-missing]
    """A training module: what is taught and for how many hours."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    hours = models.PositiveSmallIntegerField(_("teaching hours"))
    kind = models.CharField(
        _("kind of support"),
        max_length=20,
        choices=SupportKind.choices,
        default=SupportKind.TRAINING,
        help_text=_(
            "Advisory and coaching run one edition per request, booked by the "
            "coordinator; they are not listed among the trainings."
        ),
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Edition(models.Model):
    """One run of a course in a project: dates, place, trainers and seats."""

    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="editions",
    )
    project = models.ForeignKey(
        "courses.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="editions",
    )
    code = models.CharField(_("code"), max_length=60, unique=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    delivery_mode = models.CharField(
        _("delivery mode"),
        max_length=20,
        choices=DeliveryMode.choices,
        default=DeliveryMode.ON_SITE,
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_link = models.URLField(_("link to the online meeting"), blank=True)
    trainers = models.ManyToManyField(
        "courses.TrainerProfile",
        verbose_name=_("trainers"),
        blank=True,
        related_name="editions",
    )
    capacity = models.PositiveIntegerField(_("seats"))
    min_group_size = models.PositiveIntegerField(_("minimum group size"), default=0)
    enrolment_opens = models.DateTimeField(_("enrolment opens"))
    enrolment_closes = models.DateTimeField(_("enrolment closes"))
    is_published = models.BooleanField(_("published"), default=True)

    # Not stored: set on the editions a page lists for the person looking at it.
    mine: "Enrolment | None"
    open_now: bool

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["start_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="edition_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(enrolment_closes__gt=models.F("enrolment_opens")),
                name="edition_enrolment_window_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} – {self.code}"

    def clean(self) -> None:
        """An edition falls within its project's dates."""
        super().clean()
        if not self.project_id or not self.start_date or not self.end_date:
            return
        message = outside_project(
            project=self.project, first=self.start_date, last=self.end_date
        )
        if message:
            raise ValidationError({"start_date": message})

    @property
    def place(self) -> str:
        if self.delivery_mode == DeliveryMode.REMOTE:
            return str(DeliveryMode.REMOTE.label)
        return ", ".join(part for part in (self.venue, self.city) if part)

    def enrolment_is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.enrolment_opens <= at < self.enrolment_closes

    def has_started(self, on=None) -> bool:
        return (on or timezone.localdate()) >= self.start_date


class Session(models.Model):
    """One meeting of an edition."""

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="sessions",
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    topic = models.CharField(_("topic"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition.code} {self.date:%d.%m.%Y} {self.start_time:%H:%M}"

    def clean(self) -> None:
        """A session falls within its project's dates."""
        super().clean()
        if not self.edition_id or not self.date:
            return
        message = outside_project(
            project=self.edition.project, first=self.date, last=self.date
        )
        if message:
            raise ValidationError({"date": message})

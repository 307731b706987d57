from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage

DEFAULT_MIN_ATTENDANCE = 80


def sheet_path(sheet: "SessionSheet", filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()
    return f"attendance/{sheet.session.edition_id}/{sheet.session_id}.{suffix}"


class Attendance(models.Model):
    """Whether an enrolled trainee was at one session, and who said so."""

    enrolment = models.ForeignKey(
        "courses.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    session = models.ForeignKey(
        "courses.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    present = models.BooleanField(_("present"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked at"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "enrolment"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session"],
                name="one_attendance_per_enrolment_and_session",
            )
        ]
        permissions = [
            (
                "manage_attendance",
                _("Can mark attendance and confirm completion in any edition"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} @ {self.session_id}: {self.present}"


class SessionSheet(models.Model):
    """The scan of the attendance list signed at one session."""

    session = models.OneToOneField(
        "courses.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="sheet",
    )
    scan = models.FileField(
        _("signed attendance list"), storage=private_storage, upload_to=sheet_path
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("signed attendance list")
        verbose_name_plural = _("signed attendance lists")

    def __str__(self) -> str:
        return str(self.session)


class CompletionRule(models.Model):
    """The minimum attendance for a course, or an override for one edition."""

    course = models.OneToOneField(
        "courses.Course",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="completion_rule",
    )
    edition = models.OneToOneField(
        "courses.Edition",
        verbose_name=_("edition"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="completion_rule",
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=DEFAULT_MIN_ATTENDANCE,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("completion rule")
        verbose_name_plural = _("completion rules")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(course__isnull=False, edition__isnull=True)
                    | models.Q(course__isnull=True, edition__isnull=False)
                ),
                name="completion_rule_for_course_or_edition",
                violation_error_message=_(
                    "Choose a course or an edition: the rule applies to exactly one."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(min_attendance_percent__lte=100),
                name="completion_rule_percent_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        target = self.edition or self.course
        return f"{target}: {self.min_attendance_percent} %"

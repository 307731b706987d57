"""Certificates: numbered, stored at issue, verifiable by anyone, revocable."""

import re
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import PreviewableMixin

from courses.storage import private_storage


class CertificateCounter(models.Model):
    """The last register number of a project in a year; locked while one is taken."""

    project = models.ForeignKey(
        "courses.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("certificate counter")
        verbose_name_plural = _("certificate counters")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"], name="one_certificate_counter_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project.code}/{self.year}: {self.last}"


class Certificate(models.Model):
    """One issued certificate; what it says is fixed at issue and never changes."""

    enrolment = models.ForeignKey(
        "courses.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    project = models.ForeignKey(
        "courses.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence number"))
    number = models.CharField(_("register number"), max_length=80, unique=True)
    code = models.CharField(_("verification code"), max_length=40, unique=True)
    issued_on = models.DateField(_("issued on"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    holder_name = models.CharField(_("holder's name"), max_length=220)
    course_title = models.CharField(_("course"), max_length=300)
    hours = models.PositiveSmallIntegerField(_("teaching hours"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    # Everything else the document says, as it was at issue: project, edition,
    # programme topics, trainers, the template's texts.
    snapshot = models.JSONField(_("data at issue"), default=dict)
    # Empty until the PDF is stored: the row (number and code) is committed first, the
    # file is rendered outside the numbering lock and named here only once it is whole.
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to="certificates/", blank=True
    )
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    batch = models.ForeignKey(
        "CertificateBatch",
        verbose_name=_("bulk issuance"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "sequence"],
                name="unique_certificate_sequence",
            ),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_valid_certificate_per_enrolment",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True)
                | ~models.Q(revocation_reason=""),
                name="certificate_revoked_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["project", "year"], name="certificate_year")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class CertificateBatch(models.Model):
    """One bulk issuance for an edition or a whole project, and how far it got."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("failed")

    project = models.ForeignKey(
        "courses.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    edition = models.ForeignKey(
        "courses.Edition",
        verbose_name=_("edition"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    total = models.PositiveIntegerField(_("to issue"), default=0)
    issued = models.PositiveIntegerField(_("issued"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Moved on with every step of a run: a running batch whose heartbeat is older than
    # CERTIFICATES_BATCH_STALE_SECONDS was interrupted (its worker died) and may be
    # resumed by anyone who may start it.
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("bulk issuance")
        verbose_name_plural = _("bulk issuances")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.edition.code if self.edition else self.project.code)

    @property
    def is_interrupted(self) -> bool:
        """Running on paper, but nothing has moved for longer than a step can take."""
        if self.status != self.Status.RUNNING:
            return False
        stale = timezone.now() - timedelta(
            seconds=settings.CERTIFICATES_BATCH_STALE_SECONDS
        )
        return self.heartbeat_at is None or self.heartbeat_at < stale

    @property
    def can_start(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.FAILED) or (
            self.is_interrupted
        )

    @property
    def state(self) -> str:
        """The status as shown: "interrupted" for a stale run."""
        return "interrupted" if self.is_interrupted else self.status

    @property
    def state_label(self) -> str:
        if self.is_interrupted:
            return str(_("interrupted"))
        return str(self.get_status_display())

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == self.Status.FINISHED else 0
        return min(100, round(100 * (self.issued + self.failed) / self.total))


colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb, e.g. #0b4a6f.")
)

DEFAULT_BODY = (
    "{completed} szkolenie „{course}” w wymiarze {hours} godzin dydaktycznych, "
    "zrealizowane w dniach {dates} w ramach projektu „{project}”."
)


PLACEHOLDERS = (
    "completed",
    "course",
    "hours",
    "dates",
    "project",
    "project_code",
    "edition",
    "place",
)
TEXT_FIELDS = (
    "title",
    "subtitle",
    "intro",
    "body",
    "topics_heading",
    "signatory_name",
    "signatory_role",
    "second_signatory_name",
    "second_signatory_role",
    "place",
    "footer",
    "accent_colour",
)


def validate_placeholders(value: str) -> None:
    """Only the placeholders the certificate fills: a typo would print as typed."""
    unknown = sorted(set(re.findall(r"\{([^{}]*)\}", value)) - set(PLACEHOLDERS))
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(unknown)s. Available: %(available)s."),
            params={
                "unknown": ", ".join("{" + name + "}" for name in unknown),
                "available": ", ".join("{" + name + "}" for name in PLACEHOLDERS),
            },
            code="placeholders",
        )


class CertificateTexts(models.Model):
    """The words and signatures of a certificate; the layout itself is fixed."""

    title = models.CharField(_("title"), max_length=100, default="ZAŚWIADCZENIE")
    subtitle = models.CharField(
        _("subtitle"),
        max_length=200,
        blank=True,
        default="o ukończeniu szkolenia",
    )
    intro = models.CharField(
        _("text before the name"),
        max_length=200,
        blank=True,
        default="Niniejszym zaświadcza się, że",
    )
    body = models.TextField(
        _("text after the name"),
        default=DEFAULT_BODY,
        validators=[validate_placeholders],
        help_text=_(
            "Placeholders: {completed} (ukończył/ukończyła), {course}, {hours}, "
            "{dates}, {project}, {project_code}, {edition}, {place}."
        ),
    )
    topics_heading = models.CharField(
        _("programme heading"),
        max_length=200,
        blank=True,
        default="Zakres tematyczny szkolenia",
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=200, blank=True)
    signatory_role = models.CharField(
        _("signatory's role"),
        max_length=200,
        blank=True,
        default="Dyrektor Regionalnego Ośrodka Polityki Społecznej",
    )
    second_signatory_name = models.CharField(
        _("second signatory's name"), max_length=200, blank=True
    )
    second_signatory_role = models.CharField(
        _("second signatory's role"),
        max_length=200,
        blank=True,
        default="Koordynator projektu",
    )
    place = models.CharField(
        _("place of issue"), max_length=100, blank=True, default="Katowice"
    )
    footer = models.TextField(
        _("footer"),
        blank=True,
        default=(
            "Zaświadczenie wydano na podstawie rejestru zaświadczeń prowadzonego "
            "w projekcie. Autentyczność można sprawdzić na stronie weryfikacji."
        ),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#0b4a6f",
        validators=[colour_validator],
    )

    class Meta:
        abstract = True

    def texts(self) -> dict:
        """The template's words, as stored with each certificate issued."""
        return {field: getattr(self, field) for field in TEXT_FIELDS}


TEXT_PANELS = [
    MultiFieldPanel(
        [
            FieldPanel("title"),
            FieldPanel("subtitle"),
            FieldPanel("intro"),
            FieldPanel("body"),
            FieldPanel("topics_heading"),
        ],
        heading=_("Text"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("place"),
            FieldPanel("signatory_name"),
            FieldPanel("signatory_role"),
            FieldPanel("second_signatory_name"),
            FieldPanel("second_signatory_role"),
        ],
        heading=_("Signatures"),
    ),
    MultiFieldPanel(
        [FieldPanel("footer"), FieldPanel("accent_colour")],
        heading=_("Footer and colour"),
    ),
]


@register_setting(icon="doc-full")
class CertificateTemplate(CertificateTexts, BaseSiteSetting):
    """The site's certificate: used where a project or course has no template of its own."""

    panels = TEXT_PANELS

    class Meta:
        verbose_name = _("certificate template")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


def _logo(label) -> models.ForeignKey:
    return models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class CertificateLayout(PreviewableMixin, CertificateTexts):
    """A project's (or one of its courses') own certificate, with its logos.

    Certificates of the project's editions are issued from it: from the course's
    template when the course has one, else from the project's, else from the site's.
    What a certificate says is copied onto it at issue (`Certificate.snapshot`), with
    this template's number and version, so a later edit changes no issued certificate.
    The funding marks and statement are the project's and always printed.
    """

    name = models.CharField(_("name"), max_length=200)
    project = models.ForeignKey(
        "courses.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_(
            "Empty: the template of every course of the project that has none of "
            "its own."
        ),
    )
    logo_1 = _logo(_("first logo"))
    logo_2 = _logo(_("second logo"))
    logo_3 = _logo(_("third logo"))
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("project"), FieldPanel("course")],
            heading=_("Used for"),
        ),
        *TEXT_PANELS,
        MultiFieldPanel(
            [FieldPanel("logo_1"), FieldPanel("logo_2"), FieldPanel("logo_3")],
            heading=_("Logos beside the funding marks (e.g. the partners')"),
        ),
    ]

    class Meta:
        verbose_name = _("certificate template of a project")
        verbose_name_plural = _("certificate templates of projects")
        ordering = ["project", "course", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "course"],
                condition=models.Q(course__isnull=False),
                name="one_certificate_layout_per_course",
                violation_error_message=_(
                    "This project already has a certificate template for this "
                    "course; edit that one."
                ),
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(course__isnull=True),
                name="one_certificate_layout_per_project",
                violation_error_message=_(
                    "This project already has a certificate template for all its "
                    "courses; edit that one or choose a course."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def logos(self) -> list:
        return [logo for logo in (self.logo_1, self.logo_2, self.logo_3) if logo]

    # A PDF, not a page: Wagtail's preview panel shows the sample certificate the
    # unsaved form would issue.
    preview_modes = [("", _("Sample certificate (PDF)"))]

    def serve_preview(self, request, mode_name):
        from django.http import HttpResponse

        from .previews import layout_preview_pdf

        response = HttpResponse(
            layout_preview_pdf(layout=self), content_type="application/pdf"
        )
        response["Content-Disposition"] = 'inline; filename="podglad-zaswiadczenia.pdf"'
        return response

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerKind(models.TextChoices):
    ROPS = "rops", _("Regional social policy centre (ROPS)")
    FOUNDATION = "foundation", _("Foundation or association")
    UNIVERSITY = "university", _("University")
    OTHER = "other", _("Other")


class ExportList(models.TextChoices):
    ENROLMENTS = "enrolments", _("Enrolment list")
    ATTENDANCE = "attendance", _("Attendance list")
    MONITORING = "monitoring", _("Participants for the monitoring system")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (XLSX)")
    CSV_SEMICOLON = "csv-semicolon", _("CSV for Excel in Polish (semicolons)")
    CSV = "csv", _("CSV (UTF-8, commas)")
    ODS = "ods", _("OpenDocument (ODS)")


class PartnerOrganisation(models.Model):
    """A partner whose staff may read enrolments of its projects in its voivodeships."""

    Kind = PartnerKind

    name = models.CharField(_("name"), max_length=300, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=PartnerKind.choices, default=PartnerKind.OTHER
    )
    projects = models.ManyToManyField(
        "courses.Project",
        verbose_name=_("projects"),
        blank=True,
        related_name="partner_organisations",
    )
    voivodeships = models.ManyToManyField(
        "courses.Voivodeship",
        verbose_name=_("voivodeships"),
        blank=True,
        related_name="partner_organisations",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        blank=True,
        related_name="partner_organisations",
    )
    may_see_pesel = models.BooleanField(
        _("may see PESEL numbers"),
        default=False,
        help_text=_("Only when the partnership agreement allows processing PESEL."),
    )

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExportLog(models.Model):
    """One export of personal data by a partner: who, when, what and how many rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exports",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("list"), max_length=20, choices=ExportList.choices)
    format = models.CharField(_("format"), max_length=20, choices=ExportFormat.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file = models.CharField(_("file"), max_length=300, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export log entry")
        verbose_name_plural = _("export log")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} {self.format}"

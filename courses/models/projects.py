import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import FundingKind, InstitutionType, Position
from .participants import MonitoringSystem

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _mark(label: "StrOrPromise") -> models.ForeignKey:
    return models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Empty: the site's mark of the same kind (Settings → funding marks), "
            "or the standard one."
        ),
    )


class Project(models.Model):
    """A funded project: who funds it, for how long, for how many people.

    Its funding (kind, statement, amounts, marks) is what its documents print:
    courses.funding.project_funding reads it.
    """

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Used in certificate numbers, e.g. POWR.02.05"),
    )
    name = models.CharField(_("name"), max_length=300)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    priority_axis = models.CharField(_("priority axis"), max_length=200, blank=True)
    measure = models.CharField(_("measure"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    funding_kind = models.CharField(
        _("funding"),
        max_length=20,
        choices=FundingKind.choices,
        default=FundingKind.EU_FUNDS,
    )
    value = models.DecimalField(
        _("project value (PLN)"), max_digits=14, decimal_places=2, default=0
    )
    cofinancing = models.DecimalField(
        _("co-financing (PLN)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        help_text=_("From the European funds or the state budget, as funded."),
    )
    funding_statement = models.TextField(
        _("funding statement"),
        blank=True,
        help_text=_(
            "Printed on the project's documents and e-mails. Empty: the site's "
            "statement for European funds, the standard wording with the amounts for "
            "the state budget."
        ),
    )
    programme_mark = _mark(_("programme mark (Fundusze Europejskie)"))
    national_mark = _mark(_("national mark (flag and emblem of Poland)"))
    region_mark = _mark(_("regional mark (beneficiary)"))
    eu_mark = _mark(_("EU mark (flag of the European Union)"))
    monitoring_system = models.CharField(
        _("funder's monitoring system"),
        max_length=10,
        choices=MonitoringSystem.choices,
        default=MonitoringSystem.SL2014,
        help_text=_(
            "Which layout the participants' export follows: SL2014 for POWER "
            "2014–2020 projects, CST2021 for FERS 2021–2027."
        ),
    )
    target_participants = models.PositiveIntegerField(
        _("target number of participants"), default=0
    )
    retention_until = models.DateField(
        _("records kept until"),
        null=True,
        blank=True,
        help_text=_(
            "The archival date from the grant agreement: until then the project's "
            "records of its participants are kept, even if a person asks for "
            "erasure; after it they are anonymised."
        ),
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    requires_approval = models.BooleanField(
        _("enrolments need a coordinator's approval"),
        default=False,
        help_text=_(
            "The place is held while the coordinator checks the signed declaration."
        ),
    )
    pending_hold_days = models.PositiveSmallIntegerField(
        _("days a pending place is held"), default=14
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The period keeps every edition and session of the project within it."""
        super().clean()
        if not self.pk or not self.start_date or not self.end_date:
            return
        outside = (
            self.editions.filter(
                models.Q(start_date__lt=self.start_date)
                | models.Q(end_date__gt=self.end_date)
                | models.Q(sessions__date__lt=self.start_date)
                | models.Q(sessions__date__gt=self.end_date)
            )
            .order_by("start_date", "code")
            .values_list("code", flat=True)
            .distinct()
        )
        codes = list(outside[:6])
        if codes:
            raise ValidationError(
                {
                    "end_date": _(
                        "Editions of the project fall outside these dates: "
                        "%(codes)s. Move them first or keep a period that holds them."
                    )
                    % {"codes": ", ".join(codes)}
                }
            )


class Quota(models.Model):
    """Places of a project for a set of voivodeships; it counts distinct persons."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="quotas",
    )
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("places (persons)"))
    # Written only by courses.services.quota_save, which keeps `project` of each row
    # equal to the quota's project.
    voivodeships = models.ManyToManyField(
        "courses.Voivodeship",
        verbose_name=_("voivodeships"),
        related_name="quotas",
        through="courses.QuotaVoivodeship",
    )

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.size})"


class QuotaVoivodeship(models.Model):
    """A voivodeship whose staff a quota counts.

    The project is repeated here so that the database itself refuses a voivodeship
    in two quotas of one project (a constraint cannot reach through the quota).
    """

    quota = models.ForeignKey(
        Quota, on_delete=models.CASCADE, related_name="voivodeship_rows"
    )
    voivodeship = models.ForeignKey("courses.Voivodeship", on_delete=models.CASCADE)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "courses_quota_voivodeships"
        verbose_name = _("voivodeship of a quota")
        verbose_name_plural = _("voivodeships of quotas")
        unique_together = [("quota", "voivodeship")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "voivodeship"],
                name="one_quota_per_voivodeship_in_project",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quota_id}: {self.voivodeship_id}"


class EligibilityRule(models.Model):
    """Who may enrol in a project: institution types x positions x voivodeships.

    A trainee is eligible when any rule of the project that applies to the edition's
    course matches; an empty list in a rule means "any" (no courses: every course of
    the project, e.g. the three CUS modules for staff and the workshops for mayors
    and councillors each with their own rule).
    """

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="eligibility_rules",
    )
    name = models.CharField(_("target group"), max_length=300)
    institution_types = models.JSONField(
        _("institution types"), default=list, blank=True
    )
    positions = models.JSONField(_("positions"), default=list, blank=True)
    voivodeships = models.ManyToManyField(
        "courses.Voivodeship",
        verbose_name=_("voivodeships"),
        blank=True,
        related_name="+",
    )
    courses = models.ManyToManyField(
        "courses.Course",
        verbose_name=_("courses"),
        blank=True,
        related_name="+",
        help_text=_(
            "The rule admits to these courses of the project only. None ticked: "
            "to every course of the project."
        ),
    )

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return self.name

    def institution_type_labels(self) -> list[str]:
        return [str(InstitutionType(value).label) for value in self.institution_types]

    def position_labels(self) -> list[str]:
        return [str(Position(value).label) for value in self.positions]


DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$", re.IGNORECASE)


def validate_email_domains(value: str) -> None:
    for domain in value.replace(",", " ").split():
        if not DOMAIN.match(domain):
            raise ValidationError(
                _("%(domain)s is not an e-mail domain (e.g. gops.example.pl)."),
                params={"domain": domain},
                code="domain",
            )


class AuthorisedInstitution(models.Model):
    """A beneficiary institution of a project: its staff as such read the project's
    restricted materials, enrolled or not (seed 004's education platform).

    Staff are the people whose trainee profile names the institution; with e-mail
    domains given, only those whose verified address is in one of them, so that
    naming the institution on one's profile is not enough.
    """

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="authorised_institutions",
    )
    institution = models.ForeignKey(
        "courses.Institution",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="authorisations",
    )
    email_domains = models.CharField(
        _("e-mail domains of its staff"),
        max_length=300,
        blank=True,
        validators=[validate_email_domains],
        help_text=_(
            "E.g. gops.example.pl; several separated by spaces. Given: only staff "
            "with a verified address in these domains read the materials. Empty: "
            "everyone whose profile names the institution."
        ),
    )
    authorised_on = models.DateField(_("authorised on"), auto_now_add=True)

    class Meta:
        verbose_name = _("authorised institution")
        verbose_name_plural = _("authorised institutions")
        ordering = ["project", "institution__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "institution"],
                name="one_authorisation_per_institution_and_project",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} – {self.project}"

    @property
    def domains(self) -> list[str]:
        return [d.lower() for d in self.email_domains.replace(",", " ").split()]

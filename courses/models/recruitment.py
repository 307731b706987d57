"""Recruitment of institutions (nabór): a call with places per kind, scored criteria,
a deadline, applications, a ranking and a result with its reason for every applicant.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage


class LocalAuthorityKind(models.TextChoices):
    COUNTY = "county", _("county (powiat)")
    URBAN_MUNICIPALITY = "urban", _("urban municipality")
    URBAN_RURAL_MUNICIPALITY = "urban_rural", _("urban-rural municipality")
    RURAL_MUNICIPALITY = "rural", _("rural municipality")


class CriterionKind(models.TextChoices):
    NUMBER = "number", _("a number the applicant gives")
    YES_NO = "yes_no", _("yes or no")


class TieRule(models.TextChoices):
    EARLIER = "earlier", _("the earlier application ranks higher")
    CRITERION_HIGH = (
        "criterion_high",
        _("the higher value of the tie criterion ranks higher"),
    )
    CRITERION_LOW = (
        "criterion_low",
        _("the lower value of the tie criterion ranks higher"),
    )


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    SELECTED = "selected", _("selected")
    NOT_SELECTED = "not_selected", _("not selected")


class Call(models.Model):
    """A project's call for counties and municipalities, open until its deadline."""

    project = models.ForeignKey(
        "courses.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="calls",
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    voivodeship = models.ForeignKey(
        "courses.Voivodeship",
        verbose_name=_("voivodeship"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateTimeField(_("applications until"))
    tie_rule = models.CharField(
        _("tie rule"), max_length=20, choices=TieRule.choices, default=TieRule.EARLIER
    )
    tie_criterion = models.ForeignKey(
        "courses.Criterion",
        verbose_name=_("tie criterion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    diversity_criterion = models.ForeignKey(
        "courses.Criterion",
        verbose_name=_("diversity by the bands of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Optional: selection first takes the best of each band of this criterion "
            "(e.g. income per inhabitant), then the rest by rank."
        ),
    )
    is_published = models.BooleanField(_("published"), default=True)
    results_published_at = models.DateTimeField(
        _("results sent"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("call for institutions")
        verbose_name_plural = _("calls for institutions")
        ordering = ["-deadline"]
        permissions = [
            ("manage_calls", _("Can score applications, select and send the results"))
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, at=None) -> bool:
        return self.is_published and (at or timezone.now()) < self.deadline


class CallPlaces(models.Model):
    """How many institutions of one kind the call takes."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="places")
    kind = models.CharField(
        _("kind"), max_length=20, choices=LocalAuthorityKind.choices
    )
    places = models.PositiveSmallIntegerField(_("places"))

    class Meta:
        verbose_name = _("places of a kind")
        verbose_name_plural = _("places per kind")
        ordering = ["call", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["call", "kind"], name="one_places_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.places}"


class Criterion(models.Model):
    """One criterion of a call and how its answer is scored.

    A number scores by thresholds, one per line as "from: points" (e.g. "0: 3" and
    "2000: 2"): the answer gets the points of the highest threshold it reaches.
    A yes/no answer gets points_yes or points_no.
    """

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=CriterionKind.choices)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    thresholds = models.TextField(
        _("points by threshold"),
        blank=True,
        help_text=_('Numbers only: one per line, "from: points", e.g. "0: 3".'),
    )
    points_yes = models.DecimalField(
        _("points for yes"), max_digits=6, decimal_places=2, default=0
    )
    points_no = models.DecimalField(
        _("points for no"), max_digits=6, decimal_places=2, default=0
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["call", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    def threshold_list(self) -> list[tuple[Decimal, Decimal]]:
        """(from, points) pairs in ascending order; ValueError on a bad line."""
        pairs = []
        for line in self.thresholds.splitlines():
            if not line.strip():
                continue
            start, _sep, points = line.partition(":")
            pairs.append(
                (
                    Decimal(start.strip().replace(" ", "").replace(",", ".")),
                    Decimal(points.strip().replace(",", ".")),
                )
            )
        return sorted(pairs)


def attachment_path(attachment: "ApplicationAttachment", filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()
    return f"calls/{attachment.application.call_id}/{attachment.application_id}-{attachment.pk or 'new'}.{suffix}"


class CallApplication(models.Model):
    """A county's or municipality's application to a call, and its result."""

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=LocalAuthorityKind.choices
    )
    authority = models.CharField(_("county or municipality"), max_length=200)
    institution = models.CharField(_("applying institution"), max_length=300)
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        related_name="call_applications",
    )
    contact_phone = models.CharField(_("contact phone"), max_length=40)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    manual_points = models.DecimalField(
        _("manual points"), max_digits=6, decimal_places=2, default=0
    )
    manual_reason = models.TextField(
        _("justification of the manual points"), blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    result_reason = models.TextField(_("reason of the result"), blank=True)

    class Meta:
        verbose_name = _("application of an institution")
        verbose_name_plural = _("applications of institutions")
        ordering = ["call", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "kind", "authority"],
                name="one_application_per_authority_and_call",
                violation_error_message=_(
                    "This county or municipality has already applied to the call."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority} ({self.get_kind_display()})"


class ApplicationAnswer(models.Model):
    """The applicant's value for one criterion, and the points it scored."""

    application = models.ForeignKey(
        CallApplication, on_delete=models.CASCADE, related_name="answers"
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="answers"
    )
    number = models.DecimalField(
        _("value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    yes = models.BooleanField(_("yes"), null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["application", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="one_answer_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.number if self.yes is None else self.yes}"


class ApplicationAttachment(models.Model):
    """A document sent with an application (a scan or PDF)."""

    application = models.ForeignKey(
        CallApplication, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=attachment_path
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

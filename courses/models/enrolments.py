from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage
from .choices import LIVE, EnrolmentStatus


def declaration_path(enrolment: "Enrolment", filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()
    return f"declarations/{enrolment.edition_id}/{enrolment.pk}-{enrolment.trainee_id}.{suffix}"


class Enrolment(models.Model):
    """A trainee in an edition; its status history is in EnrolmentEvent."""

    Status = EnrolmentStatus

    trainee = models.ForeignKey(
        "courses.TraineeProfile",
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    edition = models.ForeignKey(
        "courses.Edition",
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    # The pool that counts this person, fixed when they applied.
    quota = models.ForeignKey(
        "courses.Quota",
        verbose_name=_("quota"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    voivodeship = models.ForeignKey(
        "courses.Voivodeship",
        verbose_name=_("voivodeship"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EnrolmentStatus.choices
    )
    created_at = models.DateTimeField(_("applied"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    hold_until = models.DateTimeField(_("place held until"), null=True, blank=True)
    declaration = models.FileField(
        _("signed declaration"),
        storage=private_storage,
        upload_to=declaration_path,
        blank=True,
    )
    declaration_received_at = models.DateTimeField(
        _("declaration received"), null=True, blank=True
    )
    declaration_on_paper = models.BooleanField(
        _("declaration received on paper"), default=False
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "edition"],
                condition=models.Q(status__in=LIVE),
                name="one_live_enrolment_per_trainee_and_edition",
            )
        ]
        indexes = [
            models.Index(fields=["edition", "status"], name="enrolment_edition_status"),
            models.Index(fields=["quota", "status"], name="enrolment_quota_status"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} – {self.edition.code} ({self.get_status_display()})"

    @property
    def has_declaration(self) -> bool:
        return bool(self.declaration) or self.declaration_on_paper


class EnrolmentEvent(models.Model):
    """One change of an enrolment's status: who, when and why."""

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=EnrolmentStatus.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=20, choices=EnrolmentStatus.choices
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("why"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '–'} → {self.to_status}"

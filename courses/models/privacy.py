"""Who read whose personal data: one row per view, download, export or reveal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    DOWNLOAD = "download", _("Downloaded")
    EXPORT = "export", _("Exported")
    REVEAL_PESEL = "reveal_pesel", _("Revealed the PESEL number")
    ERASURE = "erasure", _("Erased")
    ANONYMISATION = "anonymisation", _("Anonymised")


class AccessEvent(models.Model):
    """One access to personal data: who (and as whom), when, what, whose.

    `role` and `organisation` are copied at the time, so the trainee's view stays true
    after the clerk changes role or leaves; the trainee sees those, not the name.
    """

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=100, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    what = models.CharField(_("what"), max_length=300)
    path = models.CharField(_("address"), max_length=500, blank=True)
    trainees = models.ManyToManyField(
        "courses.TraineeProfile",
        verbose_name=_("whose data"),
        blank=True,
        related_name="access_events",
    )
    trainee_count = models.PositiveIntegerField(_("people"), default=0)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.what}"
        )

"""What the platform tells people on its own: calendar feeds, reminders, group messages."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar subscription; a new token revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_feed_token
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


class SessionReminder(models.Model):
    """One reminder e-mail sent for one session to one enrolled trainee: never twice."""

    session = models.ForeignKey(
        "courses.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    enrolment = models.ForeignKey(
        "courses.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session reminder")
        verbose_name_plural = _("session reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="one_reminder_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} → {self.enrolment_id}"


class MessageAudience(models.TextChoices):
    GROUP = "group", _("the group (confirmed and pending)")
    WAITING_LIST = "waiting_list", _("the waiting list")


class GroupMessage(models.Model):
    """A message sent to an edition's group or waiting list, kept as sent."""

    edition = models.ForeignKey(
        "courses.Edition",
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    audience = models.CharField(
        _("recipients"),
        max_length=20,
        choices=MessageAudience.choices,
        default=MessageAudience.GROUP,
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipients = models.JSONField(_("recipients' addresses"), default=list)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message to a group")
        verbose_name_plural = _("messages to groups")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.edition.code}: {self.subject}"

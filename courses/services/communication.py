"""Calendar feeds, session reminders and messages to a group: the writes behind them."""

import datetime
import logging

from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..errors import EnrolmentError
from ..funding import funding_statement
from ..links import public_url
from ..models import (
    HOLDING,
    CalendarFeed,
    Edition,
    Enrolment,
    EnrolmentStatus,
    GroupMessage,
    MessageAudience,
    Session,
    SessionReminder,
)
from ..models.communication import new_feed_token

logger = logging.getLogger(__name__)


def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """The person's feed with a new token: the URL handed out before stops working."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(
            user=user
        )
        if not created:
            feed.token = new_feed_token()
            feed.created_at = timezone.now()
            feed.save(update_fields=["token", "created_at"])
    return feed


def calendar_feed_revoke(*, user: User) -> None:
    """No feed any more: the URL answers 404."""
    CalendarFeed.objects.filter(user=user).delete()


def feed_sessions(*, user: User):
    """Every session of the editions the person holds a place in (or completed)."""
    return (
        Session.objects.filter(
            edition__enrolments__trainee__user=user,
            edition__enrolments__status__in=[*HOLDING, EnrolmentStatus.COMPLETED],
        )
        .select_related("edition__course", "edition__project")
        .order_by("date", "start_time")
        .distinct()
    )


def _absolute(path: str) -> str:
    return public_url(path)


def _send(
    *, to: str, template: str, context: dict, reply_to: str = "", connection=None
):
    with translation.override("pl"):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    message.send()


def session_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """E-mail every trainee with a place a reminder of each session starting tomorrow.

    Idempotent: a reminder is recorded (one row per session and enrolment, unique in
    the database) before it is sent, so a second run, or two runs at once, send it
    once. A failed send removes the record, so the next run tries again.
    """
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    sessions = Session.objects.filter(date=tomorrow).select_related(
        "edition__course", "edition__project"
    )
    sent = 0
    for session in sessions:
        enrolments = (
            Enrolment.objects.filter(edition=session.edition, status__in=HOLDING)
            .exclude(reminders__session=session)
            .select_related("trainee__user")
        )
        for enrolment in enrolments:
            address = enrolment.trainee.user.email
            if not address:
                continue
            try:
                with transaction.atomic():
                    reminder = SessionReminder.objects.create(
                        session=session, enrolment=enrolment
                    )
            except IntegrityError:
                continue  # another run took it
            edition = session.edition
            context = {
                "trainee": enrolment.trainee,
                "session": session,
                "edition": edition,
                "course": edition.course,
                "project": edition.project,
                "place": session.place or edition.place,
                "online_link": edition.online_link,
                "my_enrolments_url": _absolute(reverse("courses:my_enrolments")),
                "site_url": _absolute("/"),
                "funding_statement": funding_statement(project=edition.project),
            }
            try:
                _send(
                    to=address,
                    template="courses/emails/session_reminder",
                    context=context,
                    reply_to=edition.project.contact_email,
                )
            except Exception:
                logger.exception("Reminder for session %s not sent", session.pk)
                reminder.delete()
                continue
            sent += 1
    return sent


def message_recipients(*, edition: Edition, audience: str) -> list[Enrolment]:
    statuses = (
        [EnrolmentStatus.WAITLISTED]
        if audience == MessageAudience.WAITING_LIST
        else [*HOLDING, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED]
    )
    return list(
        Enrolment.objects.filter(edition=edition, status__in=statuses)
        .select_related("trainee__user")
        .order_by("trainee__last_name", "trainee__first_name")
    )


def group_message_send(
    *, edition: Edition, audience: str, subject: str, body: str, sender: User
) -> GroupMessage:
    """Send one e-mail to each person of the group (or waiting list) and log it."""
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise EnrolmentError(
            _("Write both the subject and the message."), code="message_empty"
        )
    if audience not in MessageAudience.values:
        raise EnrolmentError(_("Choose who gets the message."), code="audience")
    recipients = [
        enrolment
        for enrolment in message_recipients(edition=edition, audience=audience)
        if enrolment.trainee.user.email
    ]
    if not recipients:
        raise EnrolmentError(
            _("Nobody to send it to: the list is empty."), code="no_recipients"
        )
    addresses = [enrolment.trainee.user.email for enrolment in recipients]
    reply_to = sender.email or edition.project.contact_email
    context = {
        "edition": edition,
        "course": edition.course,
        "project": edition.project,
        "subject": subject,
        "body": body,
        "sender_name": sender.get_full_name() or sender.email,
        "my_enrolments_url": _absolute(reverse("courses:my_enrolments")),
        "site_url": _absolute("/"),
        "funding_statement": funding_statement(project=edition.project),
    }
    with get_connection() as connection:
        for enrolment in recipients:
            _send(
                to=enrolment.trainee.user.email,
                template="courses/emails/group_message",
                context={**context, "trainee": enrolment.trainee},
                reply_to=reply_to,
                connection=connection,
            )
    # Logged as sent, with the addresses it went to.
    return GroupMessage.objects.create(
        edition=edition,
        audience=audience,
        subject=subject,
        body=body,
        sender=sender,
        recipients=addresses,
    )

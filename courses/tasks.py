"""Background work of courses: run by the immediate backend in development and tests,
by `manage.py task_worker` (django-tasks-db) in production."""

import logging
import smtplib

from django_tasks import task

from .models import Enrolment

logger = logging.getLogger(__name__)


@task()
def send_enrolment_email_task(
    enrolment_id: int, event: str, base_url: str = ""
) -> None:
    """Send one enrolment e-mail; a mail server down is logged, never retried blindly.

    `base_url`: the address the links start with, as the request that queued it saw it.
    """
    from .links import public_base_url_of
    from .notifications import send_enrolment_email

    enrolment = Enrolment.objects.filter(pk=enrolment_id).first()
    if enrolment is None:
        return
    try:
        with public_base_url_of(base_url):
            send_enrolment_email(enrolment=enrolment, event=event)
    except (smtplib.SMTPException, OSError):
        logger.exception("Enrolment e-mail %s for %s not sent", event, enrolment_id)


@task()
def send_enrolment_emails_task(items: list[list], base_url: str = "") -> None:
    """Send many enrolment e-mails, each as `send_enrolment_email_task` sends one.

    `items`: [enrolment id, event] pairs (`notifications.enrolment_emails_coalesced`).
    One failing address or a mail server down is logged and the others still go.
    """
    for enrolment_id, event in items:
        try:
            send_enrolment_email_task.call(enrolment_id, event, base_url=base_url)
        except Exception:
            logger.exception("Enrolment e-mail %s for %s not sent", event, enrolment_id)


@task()
def send_nomination_email_task(nomination_id: int, base_url: str = "") -> None:
    """Send the e-mail of one nomination to a working group; as the enrolment e-mails,
    a mail server down is logged, never retried blindly."""
    from .call_notifications import send_nomination_email
    from .links import public_base_url_of

    try:
        with public_base_url_of(base_url):
            send_nomination_email(nomination_id=nomination_id)
    except (smtplib.SMTPException, OSError):
        logger.exception("Nomination e-mail for %s not sent", nomination_id)

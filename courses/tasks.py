"""Background work of courses: run by the immediate backend in development and tests,
by `manage.py db_worker` (django-tasks-db) in production."""

import logging
import smtplib

from django_tasks import task

from .models import Enrolment

logger = logging.getLogger(__name__)


@task()
def send_enrolment_email_task(enrolment_id: int, event: str) -> None:
    """Send one enrolment e-mail; a mail server down is logged, never retried blindly."""
    from .notifications import send_enrolment_email

    enrolment = Enrolment.objects.filter(pk=enrolment_id).first()
    if enrolment is None:
        return
    try:
        send_enrolment_email(enrolment=enrolment, event=event)
    except (smtplib.SMTPException, OSError):
        logger.exception("Enrolment e-mail %s for %s not sent", event, enrolment_id)

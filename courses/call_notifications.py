"""The e-mails of a call: each applicant's result with the reason, and the e-mail that
tells a person nominated to a working group who nominated them, to what, and how to
get in."""

import logging

from django.core.mail import EmailMultiAlternatives, send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .funding import funding_statement
from .links import on_commit_keeping_address, public_base_url, public_url
from .models.recruitment import CallApplication
from .models.working_groups import Nomination

logger = logging.getLogger(__name__)


def send_call_results(*, application_ids: list[int]) -> int:
    """One e-mail per application to its representative, in Polish; the number sent."""
    sent = 0
    applications = CallApplication.objects.filter(
        pk__in=application_ids
    ).select_related("call__project", "representative")
    for application in applications:
        address = application.representative.email
        if not address:
            continue
        with translation.override("pl"):
            context = {"application": application, "call": application.call}
            subject = render_to_string(
                "courses/emails/call_result_subject.txt", context
            )
            body = render_to_string("courses/emails/call_result.txt", context)
        sent += send_mail(
            " ".join(subject.split()),
            body,
            None,
            [address],
        )
    return sent


def _nominator(nomination: Nomination) -> str:
    """Who put the person forward, as the e-mail names them."""
    application = nomination.application
    if application is None:
        return _("The project's coordinator")
    return f"{application.institution} ({application.authority})"


def send_nomination_email(*, nomination_id: int) -> int:
    """Tell the person nominated to a working group, in Polish: 1 if sent, else 0."""
    nomination = (
        Nomination.objects.select_related(
            "group__call__project",
            "group__edition__course",
            "enrolment__trainee__user",
            "application",
            "nominated_by",
        )
        .filter(pk=nomination_id)
        .first()
    )
    if nomination is None:
        return 0
    user = nomination.enrolment.trainee.user
    if not user.email:
        return 0
    group = nomination.group
    project = group.call.project
    meetings = [
        {
            "meeting": meeting,
            "days": [day.session for day in meeting.days.order_by("session__date")],
        }
        for meeting in group.meetings.prefetch_related("days__session").order_by(
            "number"
        )
    ]
    reply_to = [
        address
        for address in (
            nomination.nominated_by.email if nomination.nominated_by else "",
            project.contact_email,
        )
        if address
    ]
    with translation.override("pl"):
        context = {
            "nomination": nomination,
            "group": group,
            "project": project,
            "nominator": _nominator(nomination),
            "meetings": meetings,
            "edition": group.edition,
            "needs_password": not user.has_usable_password(),
            "email": user.email,
            "password_url": public_url(reverse("account_reset_password")),
            "login_url": public_url(reverse("account_login")),
            "my_enrolments_url": public_url(reverse("courses:my_enrolments")),
            "calendar_url": public_url(
                reverse("courses:edition_ics", args=[group.edition_id])
            ),
            "funding_statement": funding_statement(project=project),
        }
        subject = render_to_string("courses/emails/nomination_subject.txt", context)
        text = render_to_string("courses/emails/nomination.txt", context)
        html = render_to_string("courses/emails/nomination.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[user.email],
        reply_to=reply_to[:1] or None,
    )
    message.attach_alternative(html, "text/html")
    return message.send()


def nomination_email_on_commit(*, nomination: Nomination) -> None:
    """Queue the nomination's e-mail once the nomination is committed (a task, as the
    enrolment e-mails: at once in development, in the worker in production); a queue
    that is down is logged and the nomination stands."""
    nomination_id = nomination.pk

    def queue() -> None:
        from .tasks import send_nomination_email_task

        try:
            send_nomination_email_task.enqueue(
                nomination_id, base_url=public_base_url()
            )
        except Exception:
            logger.exception("Nomination e-mail for %s not queued", nomination_id)

    on_commit_keeping_address(queue)

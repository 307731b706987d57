"""E-mails to trainees when their enrolment changes: one per change, HTML and text."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .funding import funding_statement
from .links import public_base_url, public_url, request_base_url
from .models import Enrolment, SupportKind
from .models import EnrolmentStatus as Status
from .selectors import waitlist_position

logger = logging.getLogger(__name__)

RECEIVED = "received"
CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
PROMOTED = "promoted"
REJECTED = "rejected"
EXPIRED = "expired"
WITHDRAWN = "withdrawn"


# The e-mails of an import per task (`enrolment_emails_coalesced`).
EMAILS_PER_TASK = 200


def enrolment_email_event(*, previous: str, status: str) -> str | None:
    """Which e-mail a change of status calls for, or None."""
    if previous == Status.WAITLISTED and status in (Status.CONFIRMED, Status.PENDING):
        return PROMOTED
    if status == Status.CONFIRMED and previous in ("", Status.PENDING):
        return CONFIRMED
    if status == Status.PENDING and previous == "":
        return RECEIVED
    if status == Status.WAITLISTED and previous == "":
        return WAITLISTED
    if previous != status and status in (Status.REJECTED, Status.EXPIRED):
        return str(status)
    if previous != status and status == Status.WITHDRAWN:
        return WITHDRAWN
    return None


def _context(*, enrolment: Enrolment) -> dict:
    last = enrolment.events.filter(to_status=enrolment.status).order_by("-pk").first()
    return {
        "enrolment": enrolment,
        "trainee": enrolment.trainee,
        "edition": enrolment.edition,
        "course": enrolment.edition.course,
        "project": enrolment.edition.project,
        "position": waitlist_position(enrolment=enrolment),
        "reason": last.reason if last else "",
        "my_enrolments_url": public_url(reverse("courses:my_enrolments")),
        "application_pdf_url": public_url(
            reverse("courses:application_pdf", args=[enrolment.pk])
        ),
        "declaration_upload_url": public_url(
            reverse("courses:declaration_upload", args=[enrolment.pk])
        ),
        "calendar_url": public_url(
            reverse("courses:edition_ics", args=[enrolment.edition_id])
        ),
        "site_url": public_url("/"),
        "funding_statement": funding_statement(project=enrolment.edition.project),
    }


def send_enrolment_email(*, enrolment: Enrolment, event: str) -> None:
    """Render the e-mail for this event in Polish and send it to the trainee."""
    enrolment = Enrolment.objects.select_related(
        "trainee__user", "edition__course", "edition__project"
    ).get(pk=enrolment.pk)
    address = enrolment.trainee.user.email
    if not address:
        return
    with translation.override("pl"):
        context = _context(enrolment=enrolment)
        prefix = f"courses/emails/enrolment_{event}"
        subject = render_to_string(f"{prefix}_subject.txt", context)
        text = render_to_string(f"{prefix}.txt", context)
        html = render_to_string(f"{prefix}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[address],
        reply_to=[enrolment.edition.project.contact_email]
        if enrolment.edition.project.contact_email
        else None,
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _is_working_group(enrolment: Enrolment) -> bool:
    # The edition and its course as the caller loaded them (the enrol view does):
    # no query. Otherwise asked of the database.
    edition = enrolment._state.fields_cache.get("edition")
    if edition is not None and "course" in edition._state.fields_cache:
        return edition.course.kind == SupportKind.WORKING_GROUP
    return Enrolment.objects.filter(
        pk=enrolment.pk, edition__course__kind=SupportKind.WORKING_GROUP
    ).exists()


# The e-mails of the changes announced inside `enrolment_emails_coalesced()`: (enrolment
# id, event) in the order announced; None outside it (each change queues its own task).
_coalesced: ContextVar[list[tuple[int, str]] | None] = ContextVar(
    "courses_enrolment_emails_coalesced", default=None
)


@contextmanager
def enrolment_emails_coalesced() -> Iterator[None]:
    """The enrolment e-mails of the changes announced inside, queued as one task.

    For many changes at once (an import of a file): the same e-mails as one
    `enrolment_status_changed` after another would queue, working groups left out in
    one query for all, in tasks of EMAILS_PER_TASK rather than a task (a row of the
    queue) for each.
    """
    pending: list[tuple[int, str]] = []
    token = _coalesced.set(pending)
    try:
        yield
    finally:
        _coalesced.reset(token)
    nominated = {pk for pk, event in pending if event in (RECEIVED, CONFIRMED)}
    if nominated:
        nominated = set(
            Enrolment.objects.filter(
                pk__in=nominated, edition__course__kind=SupportKind.WORKING_GROUP
            ).values_list("pk", flat=True)
        )
    items = [
        [pk, event]
        for pk, event in pending
        if not (pk in nominated and event in (RECEIVED, CONFIRMED))
    ]
    if not items:
        return
    from .tasks import send_enrolment_emails_task

    base_url = public_base_url()
    # In tasks of EMAILS_PER_TASK: a worker killed in the middle of one leaves at most
    # that many unsent, the other tasks still go.
    for start in range(0, len(items), EMAILS_PER_TASK):
        chunk = items[start : start + EMAILS_PER_TASK]
        try:
            send_enrolment_emails_task.enqueue(chunk, base_url=base_url)
        except Exception:
            logger.exception("%s enrolment e-mails not queued", len(chunk))


def on_enrolment_status_changed(sender, *, enrolment, previous, actor=None, **kwargs):
    """Receiver of enrolment_status_changed (sent after commit)."""
    event = enrolment_email_event(previous=previous, status=enrolment.status)
    if event is None:
        return
    pending = _coalesced.get()
    if pending is not None:
        pending.append((enrolment.pk, event))
        return
    if event in (RECEIVED, CONFIRMED) and _is_working_group(enrolment):
        # A member of a working group is nominated, not enrolled: the nomination's
        # own e-mail (call_notifications) tells them, once.
        return
    # Rendering and sending is not the request's work: a task does it (at once with
    # the immediate backend, in the worker in production). The change is committed
    # already, so a queue that is down must not undo the page either.
    from .tasks import send_enrolment_email_task

    try:
        send_enrolment_email_task.enqueue(
            # Only a request's own address (development) travels with the task;
            # otherwise the task takes the Site's or the setting's when it sends,
            # without a query here.
            enrolment.pk,
            event,
            base_url=request_base_url(),
        )
    except Exception:
        logger.exception("Enrolment e-mail %s for %s not queued", event, enrolment.pk)

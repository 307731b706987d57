"""The one writer of an enrolment's status, with its history.

Every status change goes through `enrolment_set_status`: it refuses a change the
life of an enrolment does not allow, writes the row and its history, and announces
the change after the commit. The limits (seats, quota persons) are the business of
the verbs that call it (`enrolment_create`, `enrolment_withdraw`, `enrolment_complete`,
...), which hold the locks those limits need; tests and views call the verbs.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import EnrolmentError
from ..history import history_record_status
from ..links import on_commit_keeping_address
from ..models import Enrolment, EnrolmentEvent, EnrolmentStatus
from ..signals import enrolment_status_changed
from .actors import Actor, actor_user

Status = EnrolmentStatus

# Where each status may go next; the others are final.
NEXT_STATUSES: dict[str, frozenset[str]] = {
    Status.WAITLISTED: frozenset(
        {Status.PENDING, Status.CONFIRMED, Status.WITHDRAWN, Status.REJECTED}
    ),
    Status.PENDING: frozenset(
        {Status.CONFIRMED, Status.WITHDRAWN, Status.REJECTED, Status.EXPIRED}
    ),
    Status.CONFIRMED: frozenset(
        {Status.WITHDRAWN, Status.COMPLETED, Status.NOT_COMPLETED}
    ),
}


def enrolment_record_status(
    *, enrolment: Enrolment, previous: str, actor: Actor = None, reason: str = ""
) -> None:
    """Add the enrolment's latest status to its history; announce it after commit.

    `previous` is "" for a new enrolment.
    """
    EnrolmentEvent.objects.create(
        enrolment=enrolment,
        from_status=previous,
        to_status=enrolment.status,
        actor=actor_user(actor),
        reason=reason,
    )
    history_record_status(
        enrolment=enrolment, previous=previous, actor=actor_user(actor)
    )
    enrolment_announce_status(enrolment=enrolment, previous=previous, actor=actor)


def enrolment_announce_status(
    *, enrolment: Enrolment, previous: str, actor: Actor = None
) -> None:
    """After the commit, tell the receivers (e-mail, ...) of a status change written."""
    on_commit_keeping_address(
        lambda: enrolment_status_changed.send(
            sender=Enrolment, enrolment=enrolment, previous=previous, actor=actor
        )
    )


def enrolment_set_status(
    *,
    enrolment: Enrolment,
    status: EnrolmentStatus,
    actor: Actor = None,
    reason: str = "",
    hold_until: datetime | None = None,
) -> Enrolment:
    """Change the status of an enrolment the caller has locked and read."""
    previous = enrolment.status
    if status not in NEXT_STATUSES.get(previous, frozenset()):
        raise EnrolmentError(
            _("This enrolment is already %(status)s.")
            % {"status": enrolment.get_status_display()},
            code="wrong_status",
        )
    now = timezone.now()
    # Compare and set: written only if the row still has the status the caller read.
    # A caller that locked the row always matches; one that did not (or a bug) gets
    # "stale" instead of a history that forks.
    written = Enrolment.objects.filter(pk=enrolment.pk, status=previous).update(
        status=status, hold_until=hold_until, updated_at=now
    )
    if not written:
        raise EnrolmentError(
            _(
                "Someone else changed this enrolment a moment ago. "
                "Reload the page and try again."
            ),
            code="stale",
        )
    enrolment.status = status
    enrolment.hold_until = hold_until
    enrolment.updated_at = now
    enrolment_record_status(
        enrolment=enrolment, previous=previous, actor=actor, reason=reason
    )
    return enrolment

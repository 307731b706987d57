"""Enrolments in a given state, built the way the platform builds them: by the services.

Tests never write a status, a seat count or a quota size into the rows themselves: a
state no service can produce would prove nothing about the services.
"""

import datetime

from django.utils import timezone

from courses.models import Edition, Enrolment, EnrolmentStatus, Session
from courses.services import (
    enrolment_approve,
    enrolment_create,
    enrolment_mark_declaration_received,
)
from courses.services.attendance import attendance_mark, enrolment_complete
from tests.factories import EditionFactory, TraineeFactory


def past_edition(*, days: int = 1, **kwargs) -> Edition:
    """An edition held on the last `days` days, one session a day; enrolment was open
    before it."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=days)
    now = timezone.now()
    edition = EditionFactory(
        start_date=start,
        end_date=today - datetime.timedelta(days=1),
        enrolment_opens=now - datetime.timedelta(days=days + 30),
        enrolment_closes=now - datetime.timedelta(days=days + 1),
        **kwargs,
    )
    for day in range(days):
        Session.objects.create(
            edition=edition,
            date=start + datetime.timedelta(days=day),
            start_time=datetime.time(9),
            end_time=datetime.time(15),
        )
    return edition


def enrol(*, edition: Edition, actor=None, person=None, **trainee) -> Enrolment:
    """A trainee (a new one unless `person` is given) enrolled through enrolment_create
    while enrolment was open."""
    person = person or TraineeFactory(**trainee)
    at = edition.enrolment_opens + datetime.timedelta(minutes=1)
    return enrolment_create(trainee=person, edition=edition, actor=actor, at=at)


def confirmed_enrolment(*, edition: Edition, actor=None, **trainee) -> Enrolment:
    """Enrolled with a place held, and approved if the project wants approval."""
    enrolment = enrol(edition=edition, actor=actor, **trainee)
    if enrolment.status == EnrolmentStatus.PENDING:
        enrolment_mark_declaration_received(enrolment=enrolment, actor=actor)
        enrolment = enrolment_approve(enrolment=enrolment, actor=actor)
    assert enrolment.status == EnrolmentStatus.CONFIRMED, enrolment.status
    return enrolment


def _sessions(edition: Edition) -> list[Session]:
    sessions = list(edition.sessions.all())
    if not sessions:
        sessions = [
            Session.objects.create(
                edition=edition,
                date=edition.start_date,
                start_time=datetime.time(9),
                end_time=datetime.time(15),
            )
        ]
    return sessions


def completed_enrolment(
    *, edition: Edition, passed: bool = True, actor=None, **trainee
) -> Enrolment:
    """A trainee who attended an edition that is over (or missed it, `passed=False`),
    with completion decided by enrolment_complete."""
    enrolment = confirmed_enrolment(edition=edition, actor=actor, **trainee)
    for session in _sessions(edition):
        attendance_mark(
            enrolment=enrolment, session=session, present=passed, actor=actor
        )
    enrolment = enrolment_complete(enrolment=enrolment, actor=actor)
    expected = EnrolmentStatus.COMPLETED if passed else EnrolmentStatus.NOT_COMPLETED
    assert enrolment.status == expected, enrolment.status
    return enrolment


def enrolment_in(*, status: EnrolmentStatus, edition: Edition, **trainee) -> Enrolment:
    """A new enrolment of the edition in `status`, by the verbs that lead there."""
    if status == EnrolmentStatus.COMPLETED:
        return completed_enrolment(edition=edition, **trainee)
    if status == EnrolmentStatus.NOT_COMPLETED:
        return completed_enrolment(edition=edition, passed=False, **trainee)
    if status == EnrolmentStatus.CONFIRMED:
        return confirmed_enrolment(edition=edition, **trainee)
    if status == EnrolmentStatus.PENDING:
        project = edition.project
        assert project.requires_approval, (
            "a pending place needs a project with approval"
        )
        enrolment = enrol(edition=edition, **trainee)
        assert enrolment.status == EnrolmentStatus.PENDING, enrolment.status
        return enrolment
    raise ValueError(f"no recipe for {status}")

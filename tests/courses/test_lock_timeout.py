"""A stuck lock makes the services answer "busy, try again", not hang (PostgreSQL).

Another thread really holds the rows, in a transaction of its own, while the
service under test waits for them.
"""

import datetime
import threading
import time
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, transaction
from django.urls import reverse

from courses import roles
from courses.errors import EnrolmentError
from courses.models import Edition, Enrolment, EnrolmentStatus, Quota
from courses.services import (
    edition_set_capacity,
    enrolment_approve,
    enrolment_attach_declaration,
    enrolment_create,
    enrolment_mark_declaration_received,
    enrolment_move,
    enrolment_reject,
    enrolment_withdraw,
    enrolments_expire,
    quota_save,
    quota_set_size,
)
from courses.services.attendance import attendance_mark, enrolment_complete
from courses.services.imports import import_run
from tests.concurrency import THREAD_TEST_MARKS
from tests.factories import (
    EditionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
    UserFactory,
)
from tests.states import enrol, past_edition

pytestmark = [*THREAD_TEST_MARKS, pytest.mark.usefixtures("enrolment_invariants")]
TIMEOUT_MS = 300
BUSY = "Serwis jest w tej chwili zajęty. Spróbuj ponownie za chwilę."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _short_timeout(settings):
    settings.COURSES_LOCK_TIMEOUT_MS = TIMEOUT_MS


@contextmanager
def rows_held_elsewhere():
    """Another thread locks every quota, edition and enrolment row until we are done."""
    locked, release = threading.Event(), threading.Event()
    failure = []

    def hold():
        try:
            with transaction.atomic():
                list(Quota.objects.select_for_update().order_by("pk"))
                list(Edition.objects.select_for_update().order_by("pk"))
                list(Enrolment.objects.select_for_update().order_by("pk"))
                locked.set()
                release.wait(30)
        except Exception as error:  # noqa: BLE001 - reported below
            failure.append(error)
            locked.set()
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(30) and not failure, failure
    try:
        yield
    finally:
        release.set()
        holder.join(30)
    assert not holder.is_alive()


def _busy(call) -> float:
    """Run the call against the held rows: it must refuse as busy, soon."""
    with rows_held_elsewhere():
        started = time.monotonic()
        with pytest.raises(EnrolmentError) as refused:
            call()
        waited = time.monotonic() - started
    assert refused.value.code == "busy"
    assert str(refused.value) == BUSY
    return waited


def test_a_stuck_lock_turns_an_enrolment_into_busy_and_a_retry_succeeds():
    project = ProjectFactory()
    QuotaFactory(project=project, regions=["śląskie"])
    edition = EditionFactory(project=project)
    person = TraineeFactory()
    waited = _busy(lambda: enrolment_create(trainee=person, edition=edition))
    assert TIMEOUT_MS / 1000 <= waited < 5
    assert not Enrolment.objects.exists()
    # Once the lock is gone the same request goes through.
    enrolment = enrolment_create(trainee=person, edition=edition)
    assert enrolment.status == EnrolmentStatus.CONFIRMED


def _world():
    project = ProjectFactory(requires_approval=True, pending_hold_days=0)
    QuotaFactory(project=project, regions=["śląskie"])
    edition = EditionFactory(project=project)
    other = EditionFactory(project=project, course=edition.course)
    pending = enrol(edition=edition)
    return project, edition, other, pending


SERVICES = {
    "withdraw": lambda w: enrolment_withdraw(enrolment=w["pending"], actor=None),
    "reject": lambda w: enrolment_reject(
        enrolment=w["pending"], actor=None, reason="Brak miejsc"
    ),
    "approve": lambda w: enrolment_approve(enrolment=w["pending"], actor=None),
    "move": lambda w: enrolment_move(
        enrolment=w["pending"], to_edition=w["other"], actor=None
    ),
    "capacity": lambda w: edition_set_capacity(edition=w["edition"], capacity=30),
    "quota size": lambda w: quota_set_size(quota=w["quota"], size=30),
    "quota voivodeships": lambda w: quota_save(
        quota=w["quota"], voivodeships=w["quota"].voivodeships.all()
    ),
    "expire": lambda w: enrolments_expire(
        now=w["pending"].hold_until + datetime.timedelta(minutes=1)
    ),
    "declaration on paper": lambda w: enrolment_mark_declaration_received(
        enrolment=w["pending"], actor=None
    ),
    "declaration scan": lambda w: enrolment_attach_declaration(
        enrolment=w["pending"],
        file=SimpleUploadedFile("skan.pdf", PDF, "application/pdf"),
        actor=None,
    ),
}


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_that_locks_answers_busy(service):
    project, edition, other, pending = _world()
    world = {
        "pending": pending,
        "edition": edition,
        "other": other,
        "quota": project.quotas.get(),
    }
    _busy(lambda: SERVICES[service](world))
    pending.refresh_from_db()
    assert pending.status == EnrolmentStatus.PENDING
    assert pending.events.count() == 1


@pytest.mark.parametrize("service", ["mark", "complete"])
def test_attendance_services_answer_busy(service):
    edition = past_edition()
    enrolment = enrol(edition=edition)
    session = edition.sessions.get()
    if service == "mark":
        _busy(
            lambda: attendance_mark(
                enrolment=enrolment, session=session, present=True, actor=None
            )
        )
        assert not session.attendances.exists()
    else:
        attendance_mark(enrolment=enrolment, session=session, present=True, actor=None)
        _busy(lambda: enrolment_complete(enrolment=enrolment, actor=None))
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.CONFIRMED


def test_an_import_waiting_too_long_reports_busy_and_keeps_nothing():
    edition = EditionFactory(code="GR-IMPORT")
    person = TraineeFactory()
    content = f"E-mail;Grupa\n{person.user.email};GR-IMPORT\n".encode()
    with rows_held_elsewhere():
        result = import_run(kind="enrolments", content=content, commit=True)
    assert [error.message for error in result.errors] == [BUSY]
    assert not result.committed
    assert not Enrolment.objects.filter(edition=edition).exists()


def test_the_trainee_is_told_to_try_again_instead_of_an_error_page(client):
    edition = EditionFactory()
    person = TraineeFactory()
    client.force_login(person.user)
    with rows_held_elsewhere():
        response = client.post(reverse("courses:enrol", args=[edition.pk]), follow=True)
    assert response.status_code == 200
    assert BUSY in [str(m) for m in response.context["messages"]]
    assert not Enrolment.objects.exists()


def test_the_coordinator_sees_busy_on_the_form(client):
    client.force_login(UserFactory(role=roles.COORDINATOR))
    edition = EditionFactory()
    with rows_held_elsewhere():
        response = client.post(
            reverse("training_editions:capacity", args=[edition.pk]), {"capacity": 3}
        )
    assert response.status_code == 200
    assert BUSY in response.content.decode()
    edition.refresh_from_db()
    assert edition.capacity == 20

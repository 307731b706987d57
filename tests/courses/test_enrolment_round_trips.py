"""A new enrolment's work in the database: few statements, every row as save() writes it.

On PostgreSQL the locks, the recount and both inserts go in one batch of statements
(`_create_in_one_batch`); on SQLite the ORM statements. Both must leave the same rows,
tell `post_save` receivers, and stay within their number of queries.
"""

import datetime

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Enrolment, EnrolmentEvent, EnrolmentStatus
from courses.services import enrolment_create
from tests.factories import EditionFactory, ProjectFactory, QuotaFactory, TraineeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("enrolment_invariants")]
S = EnrolmentStatus


@pytest.fixture
def edition():
    project = ProjectFactory()
    QuotaFactory(project=project, size=2, regions=["śląskie"])
    return EditionFactory(project=project, capacity=5)


def test_on_postgresql_the_locks_recount_and_inserts_are_one_round_trip(
    edition, postgres_only
):
    enrolment_create(trainee=TraineeFactory(), edition=edition)
    with CaptureQueriesContext(connection) as queries:
        enrolment = enrolment_create(trainee=TraineeFactory(), edition=edition)
    assert enrolment.status == S.CONFIRMED
    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locking) == 1  # one batch: nothing else under the locks
    (batch,) = locking
    assert batch.index("lock_timeout") < batch.index("FOR UPDATE")
    assert batch.count("FOR UPDATE") == 2  # the quota's, then the edition's
    assert batch.count("INSERT INTO") == 2  # the enrolment and its history


def test_the_rows_are_those_save_would_write(edition):
    trainee = TraineeFactory()
    before = timezone.now()
    enrolment = enrolment_create(trainee=trainee, edition=edition, actor=trainee.user)
    stored = Enrolment.objects.get(pk=enrolment.pk)
    assert (stored.trainee_id, stored.edition_id) == (trainee.pk, edition.pk)
    assert stored.quota_id == enrolment.quota_id is not None
    assert stored.voivodeship_id == trainee.institution.voivodeship_id
    assert stored.status == enrolment.status == S.CONFIRMED
    assert stored.hold_until is None and stored.declaration == ""
    assert not stored.declaration_on_paper
    assert before <= stored.created_at == enrolment.created_at <= timezone.now()
    (event,) = stored.events.all()
    assert (event.from_status, event.to_status) == ("", S.CONFIRMED)
    assert event.actor == trainee.user and event.reason == ""
    assert stored.created_at <= event.created_at <= timezone.now()


def test_a_held_place_with_approval_keeps_its_hold_and_a_full_limit_waitlists():
    project = ProjectFactory(requires_approval=True, pending_hold_days=3)
    QuotaFactory(project=project, size=1, regions=["śląskie"])
    edition = EditionFactory(project=project, capacity=5)
    held = enrolment_create(trainee=TraineeFactory(), edition=edition)
    waiting = enrolment_create(trainee=TraineeFactory(), edition=edition)
    assert held.status == S.PENDING
    assert held.hold_until > timezone.now() + datetime.timedelta(days=2)
    assert Enrolment.objects.get(pk=held.pk).hold_until == held.hold_until
    assert waiting.status == S.WAITLISTED and waiting.hold_until is None
    assert EnrolmentEvent.objects.get(enrolment=waiting).to_status == S.WAITLISTED


def test_a_second_module_in_the_same_quota_needs_no_new_quota_place():
    project = ProjectFactory()
    QuotaFactory(project=project, size=1, regions=["śląskie"])
    first, second = (EditionFactory(project=project, capacity=5) for _ in range(2))
    trainee = TraineeFactory()
    assert enrolment_create(trainee=trainee, edition=first).status == S.CONFIRMED
    assert enrolment_create(trainee=trainee, edition=second).status == S.CONFIRMED
    other = enrolment_create(trainee=TraineeFactory(), edition=second)
    assert other.status == S.WAITLISTED


def test_a_repeated_request_returns_the_same_enrolment_and_writes_nothing(edition):
    trainee = TraineeFactory()
    first = enrolment_create(trainee=trainee, edition=edition)
    again = enrolment_create(trainee=trainee, edition=edition)
    assert again.pk == first.pk
    assert Enrolment.objects.count() == 1 and EnrolmentEvent.objects.count() == 1


def test_post_save_receivers_hear_of_both_rows(edition):
    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((sender, instance.pk, created))

    post_save.connect(receiver, sender=Enrolment, weak=False)
    post_save.connect(receiver, sender=EnrolmentEvent, weak=False)
    try:
        enrolment = enrolment_create(trainee=TraineeFactory(), edition=edition)
    finally:
        post_save.disconnect(receiver, sender=Enrolment)
        post_save.disconnect(receiver, sender=EnrolmentEvent)
    event = EnrolmentEvent.objects.get(enrolment=enrolment)
    assert sorted(heard, key=lambda h: h[0].__name__) == [
        (Enrolment, enrolment.pk, True),
        (EnrolmentEvent, event.pk, True),
    ]

"""Two reminder runs at once (two cron hosts, a slow run overlapping the next) on PostgreSQL."""

import datetime

from django.core import mail
from django.utils import timezone

from courses.models import Session, SessionReminder
from courses.services import enrolment_create
from courses.services.communication import session_reminders_send
from tests.concurrency import THREAD_TEST_MARKS, race
from tests.factories import EditionFactory, ProjectFactory, QuotaFactory, TraineeFactory

pytestmark = THREAD_TEST_MARKS


def test_reminder_runs_racing_send_each_reminder_once():
    project = ProjectFactory(requires_approval=False)
    QuotaFactory(project=project, size=50, regions=["śląskie"])
    edition = EditionFactory(project=project, capacity=30)
    Session.objects.create(
        edition=edition,
        date=timezone.localdate() + datetime.timedelta(days=1),
        start_time=datetime.time(9),
        end_time=datetime.time(15),
    )
    for _ in range(12):
        enrolment_create(trainee=TraineeFactory(), edition=edition)
    mail.outbox.clear()
    counts: list[int] = []
    errors = race([lambda: counts.append(session_reminders_send()) for _ in range(4)])
    assert errors == []
    assert sum(counts) == 12
    assert len(mail.outbox) == 12
    assert len({m.to[0] for m in mail.outbox}) == 12
    assert SessionReminder.objects.count() == 12

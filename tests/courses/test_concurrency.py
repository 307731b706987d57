"""Real threads against PostgreSQL: limits hold, nobody is lost, the waitlist order holds."""

import pytest

from courses.models import HOLDING, Enrolment, EnrolmentStatus, Voivodeship
from courses.selectors import quota_fill
from courses.services import enrolment_create, enrolment_withdraw
from tests.concurrency import THREAD_TEST_MARKS, race
from tests.factories import (
    EditionFactory,
    InstitutionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
)

pytestmark = [*THREAD_TEST_MARKS, pytest.mark.usefixtures("enrolment_invariants")]
THREADS = 60


def _people(n, region):
    voivodeship = Voivodeship.objects.get(name=region)
    return [
        TraineeFactory(institution=InstitutionFactory(voivodeship=voivodeship))
        for _ in range(n)
    ]


@pytest.mark.parametrize("round_", range(3))
def test_threads_racing_for_the_last_seats_never_overbook(round_):
    project = ProjectFactory()
    QuotaFactory(project=project, size=1000, regions=["śląskie"])
    edition = EditionFactory(project=project, capacity=7)
    people = _people(THREADS, "śląskie")
    errors = race(
        [lambda p=p: enrolment_create(trainee=p, edition=edition) for p in people]
    )
    assert errors == []
    rows = Enrolment.objects.filter(edition=edition)
    assert rows.count() == THREADS  # nobody lost
    assert rows.filter(status__in=HOLDING).count() == 7
    assert rows.filter(status=EnrolmentStatus.WAITLISTED).count() == THREADS - 7
    # First come, first served: every confirmed applied before every waiting one.
    confirmed = list(
        rows.filter(status=EnrolmentStatus.CONFIRMED).values_list("created_at", "pk")
    )
    waiting = list(
        rows.filter(status=EnrolmentStatus.WAITLISTED).values_list("created_at", "pk")
    )
    assert max(confirmed) < min(waiting)


@pytest.mark.parametrize("round_", range(3))
def test_threads_racing_for_the_last_quota_places_across_editions(round_):
    project = ProjectFactory()
    QuotaFactory(project=project, size=5, regions=["małopolskie", "opolskie"])
    QuotaFactory(project=project, size=1000, regions=["śląskie"])
    editions = [EditionFactory(project=project, capacity=40) for _ in range(3)]
    small_pool = _people(THREADS // 2, "opolskie")
    other_pool = _people(THREADS // 2, "śląskie")
    calls = [
        lambda p=p, i=i: enrolment_create(trainee=p, edition=editions[i % 3])
        for i, p in enumerate(small_pool + other_pool)
    ]
    errors = race(calls)
    assert errors == []
    assert Enrolment.objects.count() == THREADS
    fill = {f.quota.size: f for f in quota_fill(project=project)}
    assert fill[5].used == 5
    assert fill[5].waiting == THREADS // 2 - 5
    assert fill[1000].used == THREADS // 2
    for edition in editions:
        assert (
            Enrolment.objects.filter(edition=edition, status__in=HOLDING).count() <= 40
        )


def test_withdrawals_and_enrolments_racing_keep_every_limit():
    project = ProjectFactory()
    QuotaFactory(project=project, size=1000, regions=["śląskie"])
    edition = EditionFactory(project=project, capacity=10)
    holders = [
        enrolment_create(trainee=p, edition=edition) for p in _people(10, "śląskie")
    ]
    newcomers = _people(40, "śląskie")
    calls = [
        lambda e=e: enrolment_withdraw(enrolment=e, actor=None) for e in holders[:5]
    ]
    calls += [
        lambda p=p: enrolment_create(trainee=p, edition=edition) for p in newcomers
    ]
    errors = race(calls)
    assert errors == []
    rows = Enrolment.objects.filter(edition=edition)
    assert rows.filter(status__in=HOLDING).count() == 10
    assert rows.filter(status=EnrolmentStatus.WITHDRAWN).count() == 5
    assert rows.filter(status=EnrolmentStatus.WAITLISTED).count() == 35


def test_double_submission_from_many_threads_yields_one_enrolment():
    project = ProjectFactory()
    QuotaFactory(project=project, size=10, regions=["śląskie"])
    edition = EditionFactory(project=project)
    (person,) = _people(1, "śląskie")
    results = []
    errors = race(
        [lambda: results.append(enrolment_create(trainee=person, edition=edition).pk)]
        * 20
    )
    assert errors == []
    assert len(set(results)) == 1
    assert Enrolment.objects.filter(trainee=person).count() == 1

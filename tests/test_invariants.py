"""The invariant recount itself: silent on what the services build, loud on each breach.

Only here are rows written behind the services' back: to prove that each rule of
tests/invariants.py can fail.
"""

import pytest

from courses.models import Edition, Enrolment, EnrolmentStatus, Quota
from courses.services import enrolment_create, enrolment_withdraw
from tests.factories import EditionFactory, ProjectFactory, QuotaFactory, TraineeFactory
from tests.invariants import enrolment_invariant_violations

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


@pytest.fixture
def world():
    project = ProjectFactory()
    quota = QuotaFactory(project=project, size=2, regions=["śląskie"])
    edition = EditionFactory(project=project, capacity=2)
    enrolments = [
        enrolment_create(trainee=TraineeFactory(), edition=edition) for _ in range(4)
    ]
    return quota, edition, enrolments


def test_what_the_services_build_breaks_no_rule(world):
    quota, edition, enrolments = world
    assert [e.status for e in enrolments] == [S.CONFIRMED] * 2 + [S.WAITLISTED] * 2
    enrolment_withdraw(enrolment=enrolments[0], actor=None)
    assert enrolment_invariant_violations() == []


def test_an_overbooked_edition_and_quota_are_reported(world):
    quota, edition, _ = world
    Edition.objects.filter(pk=edition.pk).update(capacity=1)
    Quota.objects.filter(pk=quota.pk).update(size=1)
    problems = enrolment_invariant_violations()
    assert f"edition {edition.pk}: 2 places held, 1 seats" in problems
    assert f"quota {quota.pk}: 2 persons hold places, size 1" in problems


def test_a_waiting_trainee_who_fits_a_free_place_is_reported(world):
    quota, edition, enrolments = world
    Edition.objects.filter(pk=edition.pk).update(capacity=3)
    Quota.objects.filter(pk=quota.pk).update(size=3)
    assert enrolment_invariant_violations() == [
        f"enrolment {waiting.pk} waits though a place it fits is free"
        for waiting in enrolments[2:]
    ]


def test_a_later_applicant_ahead_in_the_same_limits_is_reported(world):
    _, _, enrolments = world
    first_waiting, later = enrolments[2], enrolments[3]
    Enrolment.objects.filter(pk=enrolments[0].pk).update(status=S.WITHDRAWN)
    Enrolment.objects.filter(pk=later.pk).update(status=S.CONFIRMED)
    problems = enrolment_invariant_violations()
    assert (
        f"enrolment {first_waiting.pk} waits behind the later {later.pk} which took "
        "a place within the same limits"
    ) in problems
    # The history was bypassed too, and says so.
    assert f"enrolment {later.pk} is confirmed; its history ends at waitlisted" in (
        problems
    )

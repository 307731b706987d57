"""Real threads issuing at once on PostgreSQL: every number once, none skipped."""

import pytest

from certificates.models import Certificate
from certificates.services import certificate_issue
from tests.concurrency import THREAD_TEST_MARKS, race
from tests.states import past_edition

from .conftest import completed_enrolment

pytestmark = THREAD_TEST_MARKS
THREADS = 24


@pytest.mark.parametrize("round_", range(2))
def test_threads_issuing_at_once_get_every_number_once_without_gaps(round_):
    edition = past_edition(capacity=THREADS)
    enrolments = [completed_enrolment(edition=edition) for _ in range(THREADS)]
    errors = race(
        [lambda e=e: certificate_issue(enrolment=e, actor=None) for e in enrolments]
    )
    assert errors == []
    certificates = Certificate.objects.filter(project=edition.project)
    assert sorted(c.sequence for c in certificates) == list(range(1, THREADS + 1))
    assert len({c.number for c in certificates}) == THREADS
    assert len({c.enrolment_id for c in certificates}) == THREADS


def test_threads_issuing_for_the_same_enrolment_make_one_certificate():
    edition = past_edition()
    enrolment = completed_enrolment(edition=edition)
    others = [completed_enrolment(edition=edition) for _ in range(4)]
    calls = [lambda: certificate_issue(enrolment=enrolment, actor=None)] * 8 + [
        lambda e=e: certificate_issue(enrolment=e, actor=None) for e in others
    ]
    errors = race(calls)
    assert errors == []
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    sequences = sorted(
        Certificate.objects.filter(project=edition.project).values_list(
            "sequence", flat=True
        )
    )
    assert sequences == [1, 2, 3, 4, 5]

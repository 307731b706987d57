"""Real threads issuing at once on PostgreSQL: every number once, none skipped."""

import threading

import pytest
from django.db import connection, connections

from certificates.models import Certificate
from certificates.services import certificate_issue
from tests.factories import EditionFactory

from .conftest import completed_enrolment

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
]
THREADS = 24


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("numbering is tested with real row locks on PostgreSQL")


def _race(calls):
    """Start every call at once in its own thread; return the exceptions raised."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


@pytest.mark.parametrize("round_", range(2))
def test_threads_issuing_at_once_get_every_number_once_without_gaps(round_):
    edition = EditionFactory()
    enrolments = [completed_enrolment(edition=edition) for _ in range(THREADS)]
    errors = _race(
        [lambda e=e: certificate_issue(enrolment=e, actor=None) for e in enrolments]
    )
    assert errors == []
    certificates = Certificate.objects.filter(project=edition.project)
    assert sorted(c.sequence for c in certificates) == list(range(1, THREADS + 1))
    assert len({c.number for c in certificates}) == THREADS
    assert len({c.enrolment_id for c in certificates}) == THREADS


def test_threads_issuing_for_the_same_enrolment_make_one_certificate():
    edition = EditionFactory()
    enrolment = completed_enrolment(edition=edition)
    others = [completed_enrolment(edition=edition) for _ in range(4)]
    calls = [lambda: certificate_issue(enrolment=enrolment, actor=None)] * 8 + [
        lambda e=e: certificate_issue(enrolment=e, actor=None) for e in others
    ]
    errors = _race(calls)
    assert errors == []
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    sequences = sorted(
        Certificate.objects.filter(project=edition.project).values_list(
            "sequence", flat=True
        )
    )
    assert sequences == [1, 2, 3, 4, 5]

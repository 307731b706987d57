"""The pages' cached seats: counted once, forgotten on every committed change.

The services announce a change after the commit: here each service call runs the
callbacks registered for its commit when it returns (`done`, through
`django_capture_on_commit_callbacks(execute=True)`), as a real commit would.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import seat_cache
from courses.models import Edition, EnrolmentStatus
from courses.selectors import editions_with_seats
from courses.services import (
    edition_set_capacity,
    enrolment_create,
    enrolment_withdraw,
    enrolments_expire,
)
from tests.factories import EditionFactory, ProjectFactory, QuotaFactory, TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def done(django_capture_on_commit_callbacks):
    """Call a service and run what it registered for after its commit."""

    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


def _edition(**kwargs) -> Edition:
    edition = EditionFactory(**kwargs)
    QuotaFactory(project=edition.project, size=100, regions=["śląskie"])
    return edition


def _counted(edition: Edition) -> tuple[int, int, int]:
    [(_e, seats)] = editions_with_seats(editions=Edition.objects.filter(pk=edition.pk))
    return seats.capacity, seats.taken, seats.waiting


def _cached(edition: Edition) -> tuple[int, int, int]:
    edition = Edition.objects.get(pk=edition.pk)
    seats = seat_cache.cached_seats(editions=[edition])[edition.pk]
    return seats.capacity, seats.taken, seats.waiting


def _enrolment_queries(edition: Edition) -> int:
    """Queries of one cached read that touch the enrolment rows."""
    edition = Edition.objects.get(pk=edition.pk)
    with CaptureQueriesContext(connection) as queries:
        seat_cache.cached_seats(editions=[edition])
    return sum("courses_enrolment" in q["sql"] for q in queries)


def test_seats_are_counted_once_then_read_from_the_cache(done):
    edition = _edition(capacity=5)
    done(enrolment_create, trainee=TraineeFactory(), edition=edition)
    assert _enrolment_queries(edition) == 1
    assert _enrolment_queries(edition) == 0
    assert _cached(edition) == _counted(edition) == (5, 1, 0)


def test_every_committed_change_is_seen_at_once(done):
    edition = _edition(capacity=1)
    assert _cached(edition) == (1, 0, 0)
    first = done(enrolment_create, trainee=TraineeFactory(), edition=edition)
    assert _cached(edition) == (1, 1, 0)
    done(enrolment_create, trainee=TraineeFactory(), edition=edition)
    assert _cached(edition) == (1, 1, 1)
    done(
        enrolment_withdraw, enrolment=first, actor=None
    )  # the waiting trainee moves up
    assert _cached(edition) == _counted(edition) == (1, 1, 0)
    done(edition_set_capacity, edition=Edition.objects.get(pk=edition.pk), capacity=3)
    done(enrolment_create, trainee=TraineeFactory(), edition=edition)
    assert _cached(edition) == _counted(edition) == (3, 2, 0)


def test_a_count_made_before_a_change_is_never_served_after_it(done):
    """A page counted, then an enrolment committed, then the page stored its count."""
    edition = _edition(capacity=5)
    stale = seat_cache._versions([edition.pk])  # the page reads the version ...
    counted = _counted(edition)  # ... and counts: nobody yet
    done(enrolment_create, trainee=TraineeFactory(), edition=edition)  # committed
    # ... and only now stores what it counted, under the version it read.
    key = seat_cache._counts_key(edition.pk, stale[edition.pk])
    from django.core.cache import cache

    cache.set(key, counted[1:], seat_cache.SEATS_TTL)
    assert _cached(edition) == (5, 1, 0)


def test_editions_are_kept_apart(done):
    one, other = _edition(capacity=2), _edition(capacity=2)
    assert _cached(one) == _cached(other) == (2, 0, 0)
    done(enrolment_create, trainee=TraineeFactory(), edition=one)
    assert (_cached(one), _cached(other)) == ((2, 1, 0), (2, 0, 0))


def test_a_pending_hold_is_not_cached_past_its_end(done, monkeypatch):
    project = ProjectFactory(requires_approval=True, pending_hold_days=1)
    edition = _edition(project=project, capacity=2)
    enrolment = done(enrolment_create, trainee=TraineeFactory(), edition=edition)
    assert enrolment.status == EnrolmentStatus.PENDING
    stored = []
    monkeypatch.setattr(
        seat_cache.cache,
        "set",
        lambda key, value, timeout, **kwargs: stored.append(timeout),
    )
    _cached(edition)
    assert stored == [seat_cache.SEATS_TTL]
    # 20 seconds before the hold ends, the count is kept no longer than that.
    [hold_until] = edition.enrolments.values_list("hold_until", flat=True)
    later = hold_until - datetime.timedelta(seconds=20)
    monkeypatch.setattr(seat_cache.timezone, "now", lambda: later)
    seat_cache.seats_forget([edition.pk])
    _cached(edition)
    assert 0 < stored[-1] <= 20


def test_expired_holds_show_at_once(done):
    project = ProjectFactory(requires_approval=True, pending_hold_days=1)
    edition = _edition(project=project, capacity=2)
    done(enrolment_create, trainee=TraineeFactory(), edition=edition)
    assert _cached(edition) == (2, 1, 0)
    done(
        enrolments_expire,
        project=project,
        now=timezone.now() + datetime.timedelta(days=2),
    )
    assert _cached(edition) == _counted(edition) == (2, 0, 0)

"""Races not covered by test_concurrency.py, with real threads on PostgreSQL.

Each test starts its writers together (tests/concurrency.py) and then checks the
outcome, and tests/invariants.py recounts every limit, the waiting-list order and
the history after it. Each one fails when the lock it depends on is removed.
"""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from courses.errors import EnrolmentError
from courses.models import HOLDING, Enrolment, EnrolmentStatus, Voivodeship
from courses.selectors import quota_fill
from courses.services import (
    edition_set_capacity,
    enrolment_approve,
    enrolment_create,
    enrolment_mark_declaration_received,
    enrolment_move,
    enrolment_withdraw,
    enrolments_expire,
    quota_set_size,
)
from courses.services.imports import import_run
from tests.concurrency import THREAD_TEST_MARKS, race
from tests.factories import (
    EditionFactory,
    InstitutionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
)

pytestmark = [*THREAD_TEST_MARKS, pytest.mark.usefixtures("enrolment_invariants")]
S = EnrolmentStatus


def _people(n, region="śląskie"):
    voivodeship = Voivodeship.objects.get(name=region)
    return [
        TraineeFactory(institution=InstitutionFactory(voivodeship=voivodeship))
        for _ in range(n)
    ]


def _holding(edition) -> int:
    return Enrolment.objects.filter(edition=edition, status__in=HOLDING).count()


def _codes(errors) -> list[str]:
    assert all(isinstance(e, EnrolmentError) for e in errors), errors
    return sorted(e.code for e in errors)


# The persons rule ---------------------------------------------------------------------


@pytest.mark.parametrize("round_", range(3))
def test_trainees_racing_into_two_editions_at_once_take_one_quota_place_each(round_):
    """Each trainee applies to two editions at once; the quota counts 3 persons."""
    project = ProjectFactory()
    quota = QuotaFactory(project=project, size=3, regions=["śląskie"])
    editions = [EditionFactory(project=project, capacity=30) for _ in range(6)]
    people = _people(15)
    calls = [
        lambda p=p, e=e: enrolment_create(trainee=p, edition=e)
        for i, p in enumerate(people)
        for e in (editions[i % 6], editions[(i + 3) % 6])
    ]
    assert race(calls) == []
    holders = set(
        Enrolment.objects.filter(quota=quota, status__in=HOLDING).values_list(
            "trainee_id", flat=True
        )
    )
    assert len(holders) == 3
    for person in people:  # a person in holds both seats, one quota place
        statuses = list(
            Enrolment.objects.filter(trainee=person).values_list("status", flat=True)
        )
        expected = S.CONFIRMED if person.pk in holders else S.WAITLISTED
        assert statuses == [expected, expected]
    (fill,) = quota_fill(project=project)
    assert (fill.used, fill.waiting) == (3, 12)


@pytest.mark.parametrize("with_waiting_list", [True, False])
def test_quota_places_freed_in_one_edition_go_first_come_first_served(
    with_waiting_list,
):
    """Withdrawals free quota places while newcomers enrol in another edition."""
    project = ProjectFactory()
    quota = QuotaFactory(project=project, size=5, regions=["śląskie"])
    full, other, third = (EditionFactory(project=project, capacity=30) for _ in "abc")
    holders = [enrolment_create(trainee=p, edition=full) for p in _people(5)]
    waiting = []
    if with_waiting_list:
        waiting = [enrolment_create(trainee=p, edition=other) for p in _people(3)]
        assert {e.status for e in waiting} == {S.WAITLISTED}
    newcomers = _people(12)
    calls = [
        lambda e=e: enrolment_withdraw(enrolment=e, actor=None) for e in holders[:3]
    ]
    calls += [lambda p=p: enrolment_create(trainee=p, edition=third) for p in newcomers]
    assert race(calls) == []
    for enrolment in waiting:
        enrolment.refresh_from_db()
        assert enrolment.status == S.CONFIRMED  # first in line
    # The places the waiting list did not take went to the first newcomers.
    assert _holding(third) == (0 if with_waiting_list else 3)
    (fill,) = quota_fill(project=project)
    assert fill.used == quota.size


# Moves --------------------------------------------------------------------------------


@pytest.mark.parametrize("with_quota", [False, True])
def test_moves_racing_into_the_last_seat_fill_it_once(with_quota):
    project = ProjectFactory()
    if with_quota:
        QuotaFactory(project=project, size=100, regions=["śląskie"])
    source = EditionFactory(project=project, capacity=20)
    target = EditionFactory(project=project, course=source.course, capacity=1)
    movers = [enrolment_create(trainee=p, edition=source) for p in _people(12)]
    errors = race(
        [
            lambda e=e: enrolment_move(enrolment=e, to_edition=target, actor=None)
            for e in movers
        ]
    )
    assert _codes(errors) == ["full"] * 11
    assert _holding(target) == 1
    assert _holding(source) == 11


@pytest.mark.parametrize("round_", range(3))
def test_moves_and_enrolments_racing_for_the_last_seat_fill_it_once(round_):
    project = ProjectFactory()  # no quotas: only the edition's lock stands between them
    source = EditionFactory(project=project, capacity=5)
    target = EditionFactory(project=project, course=source.course, capacity=3)
    for person in _people(2):
        enrolment_create(trainee=person, edition=target)
    movers = [enrolment_create(trainee=p, edition=source) for p in _people(4)]
    newcomers = _people(8)
    calls = [
        lambda e=e: enrolment_move(enrolment=e, to_edition=target, actor=None)
        for e in movers
    ]
    calls += [
        lambda p=p: enrolment_create(trainee=p, edition=target) for p in newcomers
    ]
    errors = race(calls)
    moved = Enrolment.objects.filter(
        trainee__in=[e.trainee for e in movers], edition=target
    ).count()
    assert moved in (0, 1)
    assert _codes(errors) == ["full"] * (4 - moved)
    assert _holding(target) == 3
    waiting = Enrolment.objects.filter(edition=target, status=S.WAITLISTED).count()
    assert waiting == 8 - (1 - moved)


# Seats and quota sizes ----------------------------------------------------------------


@pytest.mark.parametrize("round_", range(2))
@pytest.mark.parametrize("with_quota", [False, True])
def test_lowering_the_seats_while_trainees_enrol_never_overbooks(with_quota, round_):
    project = ProjectFactory()
    if with_quota:
        QuotaFactory(project=project, size=100, regions=["śląskie"])
    edition = EditionFactory(project=project, capacity=12)
    for person in _people(4):
        enrolment_create(trainee=person, edition=edition)
    newcomers = _people(14)
    calls = [lambda: edition_set_capacity(edition=edition, capacity=6)]
    calls += [
        lambda p=p: enrolment_create(trainee=p, edition=edition) for p in newcomers
    ]
    errors = race(calls)
    assert _codes(errors) in ([], ["capacity_below_taken"])
    edition.refresh_from_db()
    assert edition.capacity == (12 if errors else 6)
    assert _holding(edition) == edition.capacity
    assert Enrolment.objects.filter(edition=edition).count() == 18


def test_more_seats_and_withdrawals_at_once_promote_each_waiting_trainee_once():
    project = ProjectFactory()
    QuotaFactory(project=project, size=100, regions=["śląskie"])
    edition = EditionFactory(project=project, capacity=5)
    enrolments = [enrolment_create(trainee=p, edition=edition) for p in _people(15)]
    holders, waiting = enrolments[:5], enrolments[5:]
    calls = [lambda: edition_set_capacity(edition=edition, capacity=8)]
    calls += [
        lambda e=e: enrolment_withdraw(enrolment=e, actor=None) for e in holders[:3]
    ]
    assert race(calls) == []
    assert _holding(edition) == 8
    promoted = [e for e in waiting if e.events.count() > 1]
    assert [e.pk for e in promoted] == [e.pk for e in waiting[:6]]
    assert all(e.events.count() == 2 for e in promoted)


@pytest.mark.parametrize("round_", range(3))
def test_lowering_a_quota_while_trainees_enrol_never_exceeds_it(round_):
    project = ProjectFactory()
    quota = QuotaFactory(project=project, size=12, regions=["śląskie"])
    editions = [EditionFactory(project=project, capacity=30) for _ in range(3)]
    for index, person in enumerate(_people(4)):
        enrolment_create(trainee=person, edition=editions[index % 3])
    newcomers = _people(14)
    calls = [lambda: quota_set_size(quota=quota, size=6)]
    calls += [
        lambda p=p, i=i: enrolment_create(trainee=p, edition=editions[i % 3])
        for i, p in enumerate(newcomers)
    ]
    errors = race(calls)
    assert _codes(errors) in ([], ["size_below_used"])
    quota.refresh_from_db()
    assert quota.size == (12 if errors else 6)
    (fill,) = quota_fill(project=project)
    assert fill.used == quota.size
    assert fill.used + fill.waiting == 18


def test_a_bigger_quota_and_withdrawals_at_once_promote_each_waiting_trainee_once():
    project = ProjectFactory()
    quota = QuotaFactory(project=project, size=4, regions=["śląskie"])
    editions = [EditionFactory(project=project, capacity=30) for _ in range(2)]
    enrolments = [
        enrolment_create(trainee=p, edition=editions[i % 2])
        for i, p in enumerate(_people(14))
    ]
    holders, waiting = enrolments[:4], enrolments[4:]
    calls = [lambda: quota_set_size(quota=quota, size=7)]
    calls += [
        lambda e=e: enrolment_withdraw(enrolment=e, actor=None) for e in holders[:2]
    ]
    assert race(calls) == []
    (fill,) = quota_fill(project=project)
    assert fill.used == 7
    promoted = [e for e in waiting if e.events.count() > 1]
    assert [e.pk for e in promoted] == [e.pk for e in waiting[:5]]
    assert all(e.events.count() == 2 for e in promoted)


# Imports ------------------------------------------------------------------------------


@pytest.mark.parametrize("round_", range(3))
def test_an_import_racing_live_enrolments_and_withdrawals_keeps_every_limit(round_):
    """The file enrols into two quotas in the order opposite to the locks' order."""
    project = ProjectFactory()
    south = QuotaFactory(project=project, size=100, regions=["małopolskie"])
    north = QuotaFactory(project=project, size=100, regions=["śląskie"])
    assert south.pk < north.pk
    low = EditionFactory(project=project, capacity=8, code=f"IMP-A-{round_}")
    high = EditionFactory(project=project, capacity=8, code=f"IMP-B-{round_}")
    leaving = [enrolment_create(trainee=p, edition=low) for p in _people(6)]
    leaving += [
        enrolment_create(trainee=p, edition=high) for p in _people(6, "małopolskie")
    ]
    imported = [
        (person, edition)
        for pair in zip(_people(6), _people(6, "małopolskie"), strict=True)
        for person, edition in zip(pair, (high, low), strict=True)
    ]
    rows = "".join(f"{p.user.email};{e.code}\n" for p, e in imported)
    content = ("E-mail;Grupa\n" + rows).encode()
    results = []
    calls = [
        lambda: results.append(
            import_run(kind="enrolments", content=content, commit=True)
        )
    ]
    calls += [lambda e=e: enrolment_withdraw(enrolment=e, actor=None) for e in leaving]
    calls += [
        lambda p=p, e=e: enrolment_create(trainee=p, edition=e)
        for p, e in zip(_people(8), [low, high] * 4, strict=True)
    ]
    assert race(calls) == []
    (result,) = results
    assert result.errors == [] and result.committed
    for person, edition in imported:
        assert Enrolment.objects.filter(trainee=person, edition=edition).exists()
    for edition in (low, high):  # 6 imported and 4 enrolling for the 8 seats
        assert _holding(edition) == 8


# Expiry -------------------------------------------------------------------------------


def _stale_pending(project, edition, n):
    """Pending places held for a day, each with its declaration received."""
    pending = [enrolment_create(trainee=p, edition=edition) for p in _people(n)]
    for enrolment in pending:
        assert enrolment.status == S.PENDING
        enrolment_mark_declaration_received(enrolment=enrolment, actor=None)
    return pending


@pytest.mark.parametrize("round_", range(3))
def test_expiry_racing_approvals_leaves_each_enrolment_one_outcome(round_):
    project = ProjectFactory(requires_approval=True, pending_hold_days=1)
    QuotaFactory(project=project, size=100, regions=["śląskie"])
    edition = EditionFactory(project=project, capacity=30)
    pending = _stale_pending(project, edition, 24)
    later = timezone.now() + datetime.timedelta(days=2)  # every hold has run out
    approved = []

    def approve(enrolment):
        enrolment_approve(enrolment=enrolment, actor=None)
        approved.append(enrolment.pk)

    calls = [lambda: enrolments_expire(project=project, now=later)]
    calls += [lambda e=e: approve(e) for e in pending]
    errors = race(calls)
    assert _codes(errors) == ["wrong_status"] * (24 - len(approved))
    outcome = Counter()
    for enrolment in pending:
        enrolment.refresh_from_db()
        expected = S.CONFIRMED if enrolment.pk in approved else S.EXPIRED
        assert enrolment.status == expected
        outcome[enrolment.status] += 1
    assert sum(outcome.values()) == 24


def test_expiry_racing_withdrawals_and_enrolments_gives_each_place_once():
    project = ProjectFactory(requires_approval=True, pending_hold_days=1)
    QuotaFactory(project=project, size=100, regions=["śląskie"])
    edition = EditionFactory(project=project, capacity=8)
    stale = _stale_pending(project, edition, 4)
    project.pending_hold_days = 14
    project.save()
    fresh = [enrolment_create(trainee=p, edition=edition) for p in _people(4)]
    waiting = [enrolment_create(trainee=p, edition=edition) for p in _people(6)]
    assert {e.status for e in waiting} == {S.WAITLISTED}
    later = timezone.now() + datetime.timedelta(days=2)  # the stale holds ran out
    calls = [lambda: enrolments_expire(project=project, now=later)]
    calls += [
        lambda e=e: enrolment_withdraw(enrolment=e, actor=None) for e in fresh[:2]
    ]
    calls += [
        lambda p=p: enrolment_create(trainee=p, edition=edition, at=later)
        for p in _people(4)
    ]
    assert race(calls) == []
    for enrolment in stale:
        enrolment.refresh_from_db()
        assert enrolment.status == S.EXPIRED
    assert _holding(edition) == 8
    for enrolment in waiting:
        enrolment.refresh_from_db()
        assert enrolment.status == S.PENDING  # 4 expired + 2 withdrawn = 6 places

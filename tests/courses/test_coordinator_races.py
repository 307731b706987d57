"""Two changes of the same enrolment at once: every pair of approve, reject, move,
withdraw, expire and promote, with real threads on PostgreSQL (tests/concurrency.py).

Each round builds several independent cases (a project of its own each, so that the
cases do not queue behind one another's locks) and starts both changes of every case
together. Whatever the order the database picks, the outcome must be one that some
serial order of the two changes gives:

- every change that reported success left exactly one step in the history of the
  enrolment it changed, and every change that failed says why ("wrong_status");
- the history chains from the creation to the present status (tests/invariants.py,
  run after every test of this module), so no change was written over a newer one;
- an approval that succeeded is never lost: the trainee's place stays confirmed
  (or was withdrawn, rejected or moved after it, which the history then shows).

Before the fix, `enrolment_move` and the verbs that free a place read the enrolment
without locking it, while `enrolment_approve` locked only the row: approve and move
(or withdraw, or reject) of the same enrolment both succeeded, the moved enrolment was
pending again and the history forked ("withdrawn from pending" after the approval).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from courses.errors import EnrolmentError
from courses.models import LIVE, Edition, Enrolment, EnrolmentStatus, Voivodeship
from courses.services import (
    enrolment_approve,
    enrolment_create,
    enrolment_mark_declaration_received,
    enrolment_move,
    enrolment_reject,
    enrolment_withdraw,
    enrolments_expire,
    enrolments_promote,
)
from tests.concurrency import THREAD_TEST_MARKS, race
from tests.factories import (
    EditionFactory,
    InstitutionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
)
from tests.invariants import enrolment_invariant_violations

pytestmark = [*THREAD_TEST_MARKS, pytest.mark.usefixtures("enrolment_invariants")]
S = EnrolmentStatus
CASES = 6
ROUNDS = 2


@dataclass
class Case:
    """One project: E pending in A (its only seat), W waiting for A, B a free edition.

    Raced with "promote", A has one seat more than E takes, as right after a place
    was freed and before the waiting list was filled: promotion gives it to W.
    """

    edition: Edition
    target: Edition
    pending: Enrolment
    waiting: Enrolment
    done: set[str] = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)


def _case(*, seat_freed: bool) -> Case:
    project = ProjectFactory(requires_approval=True, pending_hold_days=1)
    QuotaFactory(project=project, size=100, regions=["śląskie"])
    edition = EditionFactory(project=project, capacity=1)
    target = EditionFactory(project=project, course=edition.course, capacity=5)
    region = Voivodeship.objects.get(name="śląskie")
    pending, waiting = (
        enrolment_create(
            trainee=TraineeFactory(institution=InstitutionFactory(voivodeship=region)),
            edition=edition,
        )
        for _ in "EW"
    )
    assert (pending.status, waiting.status) == (S.PENDING, S.WAITLISTED)
    for enrolment in (pending, waiting):
        enrolment_mark_declaration_received(enrolment=enrolment, actor=None)
    if seat_freed:  # as after a seat freed, before its promotion ran
        Edition.objects.filter(pk=edition.pk).update(capacity=2)
    return Case(edition=edition, target=target, pending=pending, waiting=waiting)


LATER = datetime.timedelta(days=2)  # every hold of one day has run out by then

# Each verb acts on the pending enrolment E, or on the waiting W when raced with
# "promote" (promotion concerns the waiting list).
VERBS: dict[str, Callable[[Case, Enrolment], object]] = {
    "approve": lambda c, e: enrolment_approve(enrolment=e, actor=None),
    "reject": lambda c, e: enrolment_reject(
        enrolment=e, actor=None, reason="Brak miejsc w budżecie."
    ),
    "move": lambda c, e: enrolment_move(enrolment=e, to_edition=c.target, actor=None),
    "withdraw": lambda c, e: enrolment_withdraw(
        enrolment=e, actor=None, by_coordinator=True
    ),
    "expire": lambda c, e: enrolments_expire(
        project=c.edition.project, now=timezone.now() + LATER
    ),
    "promote": lambda c, e: enrolments_promote(project=c.edition.project),
}
# The step each verb adds to its enrolment's history when it succeeds; expiry and
# promotion add theirs only when they find the enrolment stale or first in line.
STEP_TO = {
    "approve": S.CONFIRMED,
    "reject": S.REJECTED,
    "move": S.WITHDRAWN,
    "withdraw": S.WITHDRAWN,
}


def _run(case: Case, verb: str, subject: Enrolment) -> None:
    try:
        VERBS[verb](case, subject)
        case.done.add(verb)
    except EnrolmentError as error:
        case.failed[verb] = error.code


def _steps(enrolment: Enrolment) -> list[tuple[str, str]]:
    """The status changes of its history after the creation, in order."""
    events = enrolment.events.order_by("created_at", "pk").exclude(from_status="")
    return [
        (from_status, to_status)
        for from_status, to_status in events.values_list("from_status", "to_status")
        if from_status != to_status  # a declaration received changes no status
    ]


PAIRS = [
    ("approve", "reject"),
    ("approve", "move"),
    ("approve", "withdraw"),
    ("approve", "expire"),
    ("reject", "move"),
    ("reject", "withdraw"),
    ("reject", "expire"),
    ("move", "withdraw"),
    ("move", "expire"),
    ("withdraw", "expire"),
    ("approve", "promote"),
    ("reject", "promote"),
    ("move", "promote"),
    ("withdraw", "promote"),
    ("expire", "promote"),
]


@pytest.mark.parametrize("round_", range(ROUNDS))
@pytest.mark.parametrize(("first", "second"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_two_changes_of_one_enrolment_at_once_end_as_one_serial_order(
    first, second, round_
):
    subject = "waiting" if second == "promote" else "pending"
    cases = [_case(seat_freed=second == "promote") for _ in range(CASES)]
    calls = [
        lambda c=c, v=v: _run(c, v, getattr(c, subject))
        for c in cases
        for v in ((first, second) if round_ % 2 == 0 else (second, first))
    ]
    assert race(calls) == []
    assert enrolment_invariant_violations() == []
    for case in cases:
        enrolment = getattr(case, subject)
        enrolment.refresh_from_db()
        assert set(case.failed.values()) <= {"wrong_status"}, case.failed
        steps = _steps(enrolment)
        # One serial history: each step starts where the one before ended.
        for (_, to_status), (from_status, _) in zip(steps, steps[1:], strict=False):
            assert to_status == from_status, (case.done, steps)
        # Each change that succeeded left its one step, and only those did.
        assert sorted(
            to_status
            for from_status, to_status in steps
            if to_status != S.EXPIRED
            and (from_status, to_status) != (S.WAITLISTED, S.PENDING)
        ) == sorted(STEP_TO[v] for v in case.done if v in STEP_TO), (case.done, steps)
        assert [t for _, t in steps].count(S.EXPIRED) <= ("expire" in case.done)
        assert steps.count((S.WAITLISTED, S.PENDING)) <= 1
        if "approve" in case.done:
            # The approval is never lost: confirmed, or ended by a later change.
            assert (S.PENDING, S.CONFIRMED) in steps
            live = Enrolment.objects.filter(
                trainee_id=enrolment.trainee_id, status__in=LIVE
            ).first()
            if live is not None:
                assert live.status == S.CONFIRMED, (case.done, steps)

"""Transactions that take row locks: a lock timeout, and the limits locked in order.

Every service that locks opens its transaction with `locking_transaction()`. On
PostgreSQL it sets `SET LOCAL lock_timeout`, so a lock held too long (a stuck request,
a long import) does not hang every request queued behind it: the waiting statement
fails after COURSES_LOCK_TIMEOUT_MS and the service raises EnrolmentError with the
code "busy", which every view shows as "try again". On SQLite, where writers queue for
the database's write lock, its busy timeout (settings) ends in the same error.

Locks are taken in one fixed order so that no two transactions wait for each other:
quotas by id, then editions by id, then enrolments by id. Every service that changes
an enrolment locks its row (`lock_enrolment`, last in that order) and decides on what
it reads under the lock; `enrolment_set_status` then writes only if the status is
still the one read, so a change made stale by another writer is refused, never
written over it.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from ..errors import EnrolmentError
from ..models import Edition, Enrolment, EnrolmentStatus, Project, Quota

DEFAULT_LOCK_TIMEOUT_MS = 5000
# lock_not_available (lock_timeout) and deadlock_detected: both worth a retry.
_RETRYABLE_SQLSTATES = {"55P03", "40P01"}


def lock_timeout_ms() -> int:
    """How long a statement waits for a row lock before the service says "busy"."""
    return int(getattr(settings, "COURSES_LOCK_TIMEOUT_MS", DEFAULT_LOCK_TIMEOUT_MS))


def _waited_too_long(error: OperationalError) -> bool:
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in _RETRYABLE_SQLSTATES:
        return True
    return connection.vendor == "sqlite" and "database is locked" in str(error)


def lock_timeout_sql() -> str:
    """The statement that sets the lock timeout for the rest of the transaction."""
    # SET takes no query parameters; the value is an integer.
    return f"SET LOCAL lock_timeout = {lock_timeout_ms():d}"


@contextmanager
def locking_transaction(
    *, set_timeout: bool = True, one_batch: bool = False
) -> Iterator[None]:
    """transaction.atomic() with the lock timeout; a lock not granted in time is "busy".

    `set_timeout=False`: the caller sends `lock_timeout_sql()` itself, first in the
    batch of statements that takes its locks (one round trip fewer).

    `one_batch=True` (PostgreSQL, with `set_timeout=False`): the caller's whole
    transaction is one batch of statements sent in one simple query. Outside any
    atomic block PostgreSQL runs such a batch as one implicit transaction (all of it
    or nothing, the locks held to its end, `SET LOCAL` valid to its end), so neither
    BEGIN nor COMMIT costs a round trip; `on_commit` callbacks run once it returned,
    committed. Inside an atomic block it is an ordinary atomic block.
    """
    try:
        if one_batch and not set_timeout and not connection.in_atomic_block:
            yield
            return
        with transaction.atomic():
            if set_timeout and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(lock_timeout_sql())
            yield
    except OperationalError as error:
        if not _waited_too_long(error):
            raise
        raise EnrolmentError(
            _(
                "The platform is busy with other changes right now. Please try again in a moment."
            ),
            code="busy",
        ) from error


def lock_quotas(*, quota_ids: Iterable[int]) -> None:
    """Lock these quota rows, by id."""
    list(
        Quota.objects.select_for_update()
        .filter(pk__in=list(quota_ids))
        .order_by("pk")
        .values_list("pk")
    )


def lock_editions(*, edition_ids: Iterable[int]) -> dict[int, Edition]:
    """Lock these edition rows, by id; returns them read under the lock."""
    editions = (
        Edition.objects.select_for_update()
        .filter(pk__in=list(edition_ids))
        .order_by("pk")
    )
    return {edition.pk: edition for edition in editions}


def lock_project(*, project: Project, edition_ids: Iterable[int]) -> dict[int, Edition]:
    """Lock every quota of the project, then these editions and those with a waitlist.

    What frees a place takes these locks: every writer in the project needs one of
    the quota locks, so once they are held the waiting list cannot change under us.
    """
    lock_quotas(quota_ids=project.quotas.values_list("pk", flat=True))
    waiting = Enrolment.objects.filter(
        edition__project=project, status=EnrolmentStatus.WAITLISTED
    )
    edition_ids = set(edition_ids) | set(waiting.values_list("edition_id", flat=True))
    return lock_editions(edition_ids=edition_ids)


def lock_enrolment(*, enrolment_id: int) -> Enrolment:
    """Lock one enrolment row (last in the order) and return it read under the lock."""
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("edition")
        .get(pk=enrolment_id)
    )


def lock_waiting(*, edition_ids: Iterable[int]) -> list[Enrolment]:
    """Lock the waiting enrolments of these editions, by id; first come first."""
    rows = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(edition_id__in=list(edition_ids), status=EnrolmentStatus.WAITLISTED)
        .order_by("pk")
    )
    return sorted(rows, key=lambda row: (row.created_at, row.pk))

"""Reports on a read replica: the partners' exports and the funder's dashboard read there.

When `DATABASE_REPLICA_URL` names a streaming replica of PostgreSQL, settings add it as
the database alias "replica", name it in `COURSES_REPORTS_DATABASE` and install
`ReplicaRouter`. Code that only reads for a
report runs inside `reports_on_replica()`; every other read, and every write, stays on
the primary ("default"), so enrolment, certificates and everything that locks are never
routed elsewhere. A report read on the replica may lag the primary by the replication
delay (usually well under a second): the validation list a coordinator corrects is
therefore read on the primary, the exports and the dashboard on the replica.

Without a replica configured the context manager changes nothing.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"

_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


def reports_database() -> str:
    """The alias reports read from: the replica's when one is configured."""
    return getattr(settings, "COURSES_REPORTS_DATABASE", DEFAULT_DB_ALIAS)


@contextmanager
def reports_on_replica() -> Iterator[None]:
    """Send this block's reads to the replica, when there is one."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


class ReplicaRouter:
    """Reads of a report to the replica; everything else, writes always, to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        if _reading_reports.get():
            return reports_database()
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        # Explicitly the primary: an object read on the replica and saved afterwards
        # (its _state.db is "replica") must not be written there.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS

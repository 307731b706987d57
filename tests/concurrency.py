"""Real threads against PostgreSQL: the one helper every race test uses.

Each call runs in its own thread on its own database connection; a barrier starts
them together so they really contend for the same rows.
"""

import threading
from collections.abc import Callable

import pytest
from django.db import connections

# What a module of thread tests declares: committed data every thread can see, the
# marker the suite counts in its summary, and the skip on SQLite (tests/conftest.py).
THREAD_TEST_MARKS = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
    pytest.mark.usefixtures("postgres_only"),
]


def race(calls: list[Callable[[], object]], *, timeout: float = 300) -> list[Exception]:
    """Start every call at once in its own thread; return the exceptions raised.

    A thread still running after `timeout` seconds counts as an error: a hang must
    fail the test, not pass it.
    """
    barrier = threading.Barrier(len(calls))
    errors: list[Exception] = []

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
        thread.join(timeout=timeout)
    errors += [
        TimeoutError(f"{thread.name} still running after {timeout} s")
        for thread in threads
        if thread.is_alive()
    ]
    return errors

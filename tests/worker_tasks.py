"""Tasks for the task-worker tests (tests/test_task_worker.py); run by real workers."""

import time
from pathlib import Path

from django_tasks import task


@task()
def pause(seconds: float, value: str) -> str:
    time.sleep(seconds)
    return value


def _once(marker: str, seconds: float) -> str:
    """Slow the first time (the run a test kills), quick when run again."""
    path = Path(marker)
    if path.exists():
        return "run again"
    path.write_text("started")
    time.sleep(seconds)
    return "first run"


@task()
def resumable(marker: str, seconds: float) -> str:
    """Named in TASKS_REQUEUE_WHEN_STUCK (tests/settings_worker.py)."""
    return _once(marker, seconds)


@task()
def not_repeatable(marker: str, seconds: float) -> str:
    """Like an e-mail: never run twice."""
    return _once(marker, seconds)

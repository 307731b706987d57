"""The stuck-task rule, case by case (tests/test_task_worker.py runs it with real workers)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.workers.models import TaskWorker
from cms.workers.worker import tasks_recover
from tests import worker_tasks

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def tasks(settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASKS_STUCK_AFTER = 60
    settings.TASKS_MAX_ATTEMPTS = 3
    settings.TASKS_REQUEUE_WHEN_STUCK = ["tests.worker_tasks.resumable"]


def _running(task, *, worker: str, started_ago: float, runs: int = 1) -> str:
    result = task.enqueue(marker="/nonexistent", seconds=0)
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING",
        started_at=timezone.now() - timedelta(seconds=started_ago),
        worker_ids=[f"earlier-{n}" for n in range(runs - 1)] + [worker],
    )
    return str(result.id)


def _worker(worker_id: str, *, seen_ago: float, started_ago: float = 3600) -> None:
    now = timezone.now()
    TaskWorker.objects.create(
        worker_id=worker_id,
        seen_at=now - timedelta(seconds=seen_ago),
        started_at=now - timedelta(seconds=started_ago),
    )


def _state(pk: str) -> tuple[str, str]:
    task = DBTaskResult.objects.get(pk=pk)
    return task.status, task.exception_class_path


def test_a_dead_workers_task_is_queued_again_if_safe_else_failed(tasks):
    _worker("dead", seen_ago=120)
    resumable = _running(worker_tasks.resumable, worker="dead", started_ago=300)
    mail = _running(worker_tasks.not_repeatable, worker="dead", started_ago=300)
    unknown = _running(worker_tasks.resumable, worker="never-seen", started_ago=300)

    recovery = tasks_recover()

    assert sorted(recovery.requeued) == sorted([resumable, unknown])
    assert recovery.failed == [mail]
    assert _state(resumable) == ("READY", "")
    assert DBTaskResult.objects.get(pk=resumable).started_at is None
    assert _state(mail) == ("FAILED", "cms.workers.worker.TaskLost")
    assert "not run again" in DBTaskResult.objects.get(pk=mail).traceback
    # Applying the rule again changes nothing more.
    assert tasks_recover().requeued == [] and tasks_recover().failed == []


def test_a_live_workers_task_is_left_alone_however_long_it_runs(tasks):
    _worker("alive", seen_ago=1)
    long_one = _running(worker_tasks.not_repeatable, worker="alive", started_ago=3000)
    recent = _running(worker_tasks.not_repeatable, worker="gone", started_ago=10)

    recovery = tasks_recover()

    assert recovery.requeued == [] and recovery.failed == []
    assert _state(long_one) == ("RUNNING", "")
    assert _state(recent) == ("RUNNING", "")  # not past TASKS_STUCK_AFTER yet


def test_a_task_claimed_before_its_worker_restarted_under_the_same_id_is_lost(tasks):
    _worker("unit-1", seen_ago=1, started_ago=30)  # restarted 30 s ago, reporting
    lost = _running(worker_tasks.resumable, worker="unit-1", started_ago=300)

    assert tasks_recover().requeued == [lost]


def test_a_task_that_was_already_run_too_often_is_failed(tasks):
    _worker("dead", seen_ago=120)
    third = _running(worker_tasks.resumable, worker="dead", started_ago=300, runs=3)

    assert tasks_recover().failed == [third]
    assert "TASKS_MAX_ATTEMPTS" in DBTaskResult.objects.get(pk=third).traceback


def test_workers_gone_for_a_day_are_forgotten(tasks):
    _worker("long-gone", seen_ago=2 * 86400)
    _worker("alive", seen_ago=1)

    tasks_recover()

    assert list(TaskWorker.objects.values_list("worker_id", flat=True)) == ["alive"]

"""The task worker that outlives a database outage, and the rule for stuck tasks.

django-tasks-db's `db_worker` exits when the database goes away under it (an
OperationalError in `set_successful` or in the query for the next task), and the task
it was running stays RUNNING for good. `manage.py task_worker` runs the same worker
with three differences:

- A lost connection is never fatal: the worker closes its connections, waits (0.5 s,
  doubling up to TASKS_RECONNECT_MAX_DELAY) and tries again, for as long as the outage
  lasts. The result of a task that finished during the outage is recorded once the
  database is back; an idempotent task cut off by the outage is queued again.
- It reports in (a TaskWorker row) every TASKS_WORKER_HEARTBEAT seconds from a thread
  of its own, so a long task does not look like a dead worker.
- At start and every TASKS_RECOVER_EVERY seconds it applies the stuck-task rule
  (`tasks_recover`): a task RUNNING for longer than TASKS_STUCK_AFTER whose worker has
  not reported for as long is re-queued if it is named in TASKS_REQUEUE_WHEN_STUCK
  (up to TASKS_MAX_ATTEMPTS runs), else marked failed. A task of a live worker is
  never touched, however long it runs.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import (
    InterfaceError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import TaskWorker

logger = logging.getLogger("cms.task_worker")

DATABASE_DOWN = (OperationalError, InterfaceError)
FIRST_DELAY = 0.5


class TaskLost(Exception):
    """Recorded on a task whose worker stopped while running it."""


@dataclass
class Recovery:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def close_connections() -> None:
    """Drop this thread's database connections, broken or not; never raises."""
    for alias in connections:
        try:
            connections[alias].close()
        except Exception:  # a connection that died with the server
            connections[alias].connection = None


def requeue_when_stuck(task_path: str) -> bool:
    return task_path in settings.TASKS_REQUEUE_WHEN_STUCK


def tasks_recover(*, now=None) -> Recovery:
    """Re-queue or fail the tasks left RUNNING by workers that stopped (see module)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.TASKS_STUCK_AFTER)
    result = Recovery()
    # Workers that still report, with when their process started: a task claimed
    # before its worker (re)started under the same id was lost with the old process.
    alive = dict(
        TaskWorker.objects.filter(seen_at__gte=cutoff).values_list(
            "worker_id", "started_at"
        )
    )
    candidates = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    if connection.features.has_select_for_update_skip_locked:
        candidates = candidates.select_for_update(skip_locked=True)
    with transaction.atomic():
        for task in candidates:
            worker = task.worker_ids[-1] if task.worker_ids else ""
            if worker in alive and alive[worker] <= task.started_at:
                continue
            still_running = DBTaskResult.objects.filter(
                pk=task.pk, status="RUNNING", started_at=task.started_at
            )
            runs = len(task.worker_ids)
            if (
                requeue_when_stuck(task.task_path)
                and runs < settings.TASKS_MAX_ATTEMPTS
            ):
                if still_running.update(status="READY", started_at=None):
                    result.requeued.append(str(task.pk))
                    logger.warning(
                        "Task %s (%s) was left running by worker %s: queued again "
                        "(run %s of at most %s)",
                        task.pk,
                        task.task_path,
                        worker or "?",
                        runs + 1,
                        settings.TASKS_MAX_ATTEMPTS,
                    )
                continue
            reason = (
                f"The worker {worker or '?'} stopped while running this task (it "
                f"started at {task.started_at.isoformat()} and its worker has not "
                f"reported for {settings.TASKS_STUCK_AFTER:g} s). "
                + (
                    f"It ran {runs} times, the most allowed (TASKS_MAX_ATTEMPTS)."
                    if requeue_when_stuck(task.task_path)
                    else "It is not run again: it is not in TASKS_REQUEUE_WHEN_STUCK."
                )
            )
            if still_running.update(
                status="FAILED",
                finished_at=now,
                return_value=None,
                exception_class_path=f"{TaskLost.__module__}.{TaskLost.__qualname__}",
                traceback=f"{TaskLost.__module__}.{TaskLost.__qualname__}: {reason}\n",
            ):
                result.failed.append(str(task.pk))
                logger.error(
                    "Task %s (%s) marked failed: %s", task.pk, task.task_path, reason
                )
    # Workers gone for long enough have no task left to recover.
    TaskWorker.objects.filter(
        seen_at__lt=now - max(timedelta(days=1), 2 * (now - cutoff))
    ).delete()
    return result


class ResilientWorker(Worker):
    """db_worker's Worker that waits out database outages instead of exiting."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._stopped = threading.Event()
        self.started_at = timezone.now()
        self._heart: threading.Thread | None = None

    # -- the main loop --------------------------------------------------------------

    def run(self) -> None:
        self._heart = threading.Thread(
            target=self._heartbeat, name="task-worker-heartbeat", daemon=True
        )
        self._heart.start()
        try:
            delay = FIRST_DELAY
            while self.running:
                try:
                    super().run()
                    return  # --batch or --max-tasks: done
                except DATABASE_DOWN as error:
                    self._database_down(error, delay)
                    delay = min(delay * 2, settings.TASKS_RECONNECT_MAX_DELAY)
                    self.startup_delay = False
                else:  # pragma: no cover - the loop returns above
                    delay = FIRST_DELAY
        finally:
            self._stopped.set()

    def _database_down(self, error: BaseException, delay: float) -> None:
        logger.warning(
            "Database unavailable (%s): trying again in %.1f s",
            str(error).strip().splitlines()[0] if str(error).strip() else error,
            delay,
        )
        close_connections()
        time.sleep(delay)

    def _persist(self, what: str, write: Callable[[], object]) -> bool:
        """Run `write` until the database takes it; False if shutting down first."""
        delay = FIRST_DELAY
        gave_up_at = None
        while True:
            try:
                write()
                return True
            except DATABASE_DOWN as error:
                if not self.running:
                    # Asked to stop: try a little longer, then leave the task RUNNING
                    # for the stuck-task rule.
                    gave_up_at = gave_up_at or time.monotonic() + 10
                    if time.monotonic() > gave_up_at:
                        logger.error("Gave up recording %s: %s", what, error)
                        return False
                logger.warning("Recording %s failed (%s); retrying", what, error)
                close_connections()
                time.sleep(delay)
                delay = min(delay * 2, settings.TASKS_RECONNECT_MAX_DELAY)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run a claimed task and record its result, waiting out an outage to do so."""
        from django_tasks_db.compat import TaskContext, task_finished, task_started

        self.running_task = True
        try:
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                backend_type = task.get_backend()
                task_started.send(sender=backend_type, task_result=task_result)
                if task.takes_context:
                    value = task.call(
                        TaskContext(task_result=task_result),
                        *task_result.args,
                        **task_result.kwargs,
                    )
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            except BaseException as error:
                self._record_failure(db_task_result, error)
                return
            try:
                recorded = self._persist(
                    f"the result of task {db_task_result.pk}",
                    lambda: db_task_result.set_successful(value),
                )
            except BaseException as error:  # e.g. a return value JSON cannot hold
                self._record_failure(db_task_result, error)
                return
            if recorded:
                self._finished(db_task_result, task_finished)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _record_failure(self, db_task_result: DBTaskResult, error: BaseException):
        from django_tasks_db.compat import task_finished

        runs = len(db_task_result.worker_ids)
        if (
            isinstance(error, DATABASE_DOWN)
            and requeue_when_stuck(db_task_result.task_path)
            and runs < settings.TASKS_MAX_ATTEMPTS
        ):
            # Cut off by the outage and safe to run again: back in the queue.
            logger.warning(
                "Task %s was cut off by a database outage (%s): queued again",
                db_task_result.pk,
                error,
            )
            close_connections()
            self._persist(
                f"the re-queueing of task {db_task_result.pk}",
                lambda: DBTaskResult.objects.filter(
                    pk=db_task_result.pk, status="RUNNING"
                ).update(status="READY", started_at=None),
            )
            return
        if isinstance(error, DATABASE_DOWN):
            close_connections()
        if self._persist(
            f"the failure of task {db_task_result.pk}",
            lambda: db_task_result.set_failed(error),
        ):
            self._finished(db_task_result, task_finished)

    def _finished(self, db_task_result: DBTaskResult, task_finished) -> None:
        try:
            sender = type(db_task_result.task.get_backend())
            task_finished.send(sender=sender, task_result=db_task_result.task_result)
        except Exception:
            logger.exception(
                "Task %s: task_finished receivers failed", db_task_result.pk
            )

    # -- reporting in, and recovering others' stuck tasks ---------------------------

    def _heartbeat(self) -> None:
        """Report in and apply the stuck-task rule, in a thread (its own connection)."""
        recovered_at = 0.0
        identity = {
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": self.started_at,
        }
        registered = False
        try:
            while not self._stopped.is_set():
                try:
                    if registered:
                        registered = bool(
                            TaskWorker.objects.filter(worker_id=self.worker_id).update(
                                seen_at=timezone.now()
                            )
                        )
                    if not registered:
                        TaskWorker.objects.update_or_create(
                            worker_id=self.worker_id,
                            defaults={**identity, "seen_at": timezone.now()},
                        )
                        registered = True
                    if time.monotonic() - recovered_at >= settings.TASKS_RECOVER_EVERY:
                        recovery = tasks_recover()
                        recovered_at = time.monotonic()
                        if recovery.requeued or recovery.failed:
                            logger.warning(
                                "Stuck tasks: %s queued again, %s marked failed",
                                len(recovery.requeued),
                                len(recovery.failed),
                            )
                except DATABASE_DOWN as error:
                    logger.warning("Heartbeat: database unavailable (%s)", error)
                    close_connections()
                except Exception:
                    logger.exception("Heartbeat failed")
                    close_connections()
                self._stopped.wait(settings.TASKS_WORKER_HEARTBEAT)
        finally:
            close_connections()

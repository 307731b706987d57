"""The task worker survives a PostgreSQL restart, and stuck tasks are recovered.

Real processes against a PostgreSQL cluster of the test's own (tests/private_postgres.py,
127.0.0.1:8250-8259), which the test restarts and stops while `manage.py task_worker`
runs; workers are killed with SIGKILL as the OOM killer or a power cut would. With
django-tasks-db's plain `db_worker` in WORKER the first test fails: the worker exits
on the restart and the later tasks never run.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.private_postgres import PrivatePostgres, binaries, free_port
from tests.processes import ROOT, stop, wait_for

pytestmark = pytest.mark.skipif(
    binaries() is None, reason="needs the PostgreSQL server binaries (initdb)"
)

WORKER = "task_worker"
TABLE = "django_tasks_database_dbtaskresult"
FAST = {
    "TASKS_WORKER_HEARTBEAT": "0.5",
    "TASKS_RECOVER_EVERY": "0.5",
    "TASKS_RECONNECT_MAX_DELAY": "1",
}


def _env(pg: PrivatePostgres, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings_worker",
        "DATABASE_URL": pg.url,
        "DJANGO_CONN_MAX_AGE": "60",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    env.pop("DJANGO_TEST_DB", None)
    return env


def _python(pg: PrivatePostgres, code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", "import django\ndjango.setup()\n" + code],
        cwd=ROOT,
        env=_env(pg),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def pg():
    cluster = PrivatePostgres(port=free_port(8250, 8259))
    try:
        cluster.init()
        _python(
            cluster,
            "from django.core.management import call_command\n"
            "call_command('migrate', 'django_tasks_database', verbosity=0)\n"
            "call_command('migrate', 'workers', verbosity=0)\n",
        )
        yield cluster
    finally:
        cluster.remove()


def _enqueue(pg: PrivatePostgres, calls: list[tuple[str, dict]]) -> list[str]:
    """Enqueue tasks through the real backend; their ids, in order."""
    code = (
        "import json\nfrom django.utils.module_loading import import_string\n"
        f"calls = json.loads({json.dumps(json.dumps(calls))})\n"
        "ids = [import_string('tests.worker_tasks.' + name).enqueue(**kw).id "
        "for name, kw in calls]\n"
        "print(json.dumps(ids))\n"
    )
    return json.loads(_python(pg, code).strip().splitlines()[-1])


def _worker(pg: PrivatePostgres, log: Path, **extra: str) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "manage.py", WORKER, "--no-startup-delay"]
            + ["--interval", "0.2", "-v", "1"],
            cwd=ROOT,
            env=_env(pg, **FAST, **extra),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _task(pg: PrivatePostgres, pk: str) -> dict:
    ((status, value, worker_ids, exception),) = pg.query(
        f"SELECT status, return_value, worker_ids, exception_class_path FROM {TABLE} "
        "WHERE id = %s",
        pk,
    )
    return {
        "status": status,
        "value": value,
        "runs": len(worker_ids),
        "error": exception,
    }


def _status(pg: PrivatePostgres, pk: str) -> str:
    return _task(pg, pk)["status"]


def _later(pg: PrivatePostgres, pk: str) -> None:
    """Hold a queued task back (run_after in a year) until `_now` releases it."""
    pg.query(
        f"UPDATE {TABLE} SET run_after = now() + interval '1 year' WHERE id = %s "
        "RETURNING id",
        pk,
    )


def _now(pg: PrivatePostgres, pk: str) -> None:
    pg.query(f"UPDATE {TABLE} SET run_after = now() WHERE id = %s RETURNING id", pk)


def test_the_worker_keeps_going_through_a_restart_and_an_outage_of_postgresql(
    pg, tmp_path
):
    first, second, third, later = _enqueue(
        pg,
        [
            ("pause", {"seconds": 6, "value": "first"}),
            ("pause", {"seconds": 0, "value": "second"}),
            ("pause", {"seconds": 0, "value": "third"}),
            ("pause", {"seconds": 0, "value": "after the outage"}),
        ],
    )
    for pk in (second, third, later):
        _later(pg, pk)
    log = tmp_path / "worker.log"
    worker = _worker(pg, log)
    try:
        wait_for(lambda: _status(pg, first) == "RUNNING", timeout=120, what="first")
        # PostgreSQL restarts while the first task runs: its connection is gone when
        # the task ends and its result is written.
        pg.restart()
        _now(pg, second)
        _now(pg, third)
        wait_for(
            lambda: (
                {_status(pg, pk) for pk in (first, second, third)} == {"SUCCESSFUL"}
            ),
            timeout=120,
            what="the three tasks",
        )
        assert worker.poll() is None, log.read_text()
        # Down for a few seconds while the worker is idle: it waits, it does not exit.
        pg.stop()
        time.sleep(3)
        assert worker.poll() is None, log.read_text()
        pg.start()
        _now(pg, later)
        wait_for(
            lambda: _status(pg, later) == "SUCCESSFUL", timeout=120, what="the last"
        )
        assert worker.poll() is None, log.read_text()
    finally:
        stop(worker)
    assert [_task(pg, pk)["value"] for pk in (first, second, third, later)] == [
        "first",
        "second",
        "third",
        "after the outage",
    ]
    assert _task(pg, first)["runs"] == 1  # recorded once the database was back
    assert "Database unavailable" in log.read_text() or "retrying" in log.read_text()


def test_tasks_left_running_by_killed_workers_are_requeued_or_failed(pg, tmp_path):
    resumable, not_repeatable, long_one = _enqueue(
        pg,
        [
            ("resumable", {"marker": str(tmp_path / "r"), "seconds": 600}),
            ("not_repeatable", {"marker": str(tmp_path / "n"), "seconds": 600}),
            ("pause", {"seconds": 6, "value": "long but alive"}),
        ],
    )
    _later(pg, long_one)
    killed = [_worker(pg, tmp_path / f"killed-{n}.log") for n in range(2)]
    try:
        wait_for(
            lambda: (
                {_status(pg, resumable), _status(pg, not_repeatable)} == {"RUNNING"}
            ),
            timeout=180,
            what="both tasks running",
        )
        for worker in killed:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=15)
    finally:
        for worker in killed:
            stop(worker)
    time.sleep(1)
    # Nobody reports for them any more; a new worker recovers their tasks once they
    # are past TASKS_STUCK_AFTER, and runs a long task of its own to the end.
    log = tmp_path / "recovering.log"
    worker = _worker(pg, log, TASKS_STUCK_AFTER="3")
    try:
        wait_for(
            lambda: (
                _status(pg, resumable) == "SUCCESSFUL"
                and _status(pg, not_repeatable) == "FAILED"
            ),
            timeout=180,
            what="the stuck tasks recovered",
        )
        _now(pg, long_one)
        wait_for(
            lambda: _status(pg, long_one) == "SUCCESSFUL", timeout=120, what="long"
        )
        assert worker.poll() is None, log.read_text()
    finally:
        stop(worker)
    assert _task(pg, resumable) == {
        "status": "SUCCESSFUL",
        "value": "run again",
        "runs": 2,
        "error": "",
    }
    lost = _task(pg, not_repeatable)
    assert (lost["status"], lost["runs"], lost["error"]) == (
        "FAILED",
        1,
        "cms.workers.worker.TaskLost",
    )
    ((traceback,),) = pg.query(
        f"SELECT traceback FROM {TABLE} WHERE id = %s", not_repeatable
    )
    assert "not run again" in traceback
    # Running 6 s with TASKS_STUCK_AFTER=3 on a live worker: never taken for stuck.
    assert _task(pg, long_one)["runs"] == 1

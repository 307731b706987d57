"""deploy/systemd: a unit for every production process, each supervised, each valid.

Every long-running process restarts whatever ends it, every periodic command has a
timer, every command a unit runs exists, and systemd itself accepts the files
(`systemd-analyze verify`, with the install path pointed at this checkout).
"""

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "deploy" / "systemd"
INSTALL = "/srv/szkolenia"

LONG_RUNNING = {
    "szkolenia-web.service": "gunicorn",
    "szkolenia-ws.service": "daphne",
    "szkolenia-worker@.service": "task_worker",
}
PERIODIC = {
    "expire-enrolments": "expire_enrolments",
    "session-reminders": "send_session_reminders",
    "privacy-retention": "privacy_retention",
    "certificates-sweep": "certificates_sweep",
    "backup": "backup",
    "storage-check": "storage_check",
    "tasks-prune": "prune_db_task_results",
}


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep case
    parser.read(UNITS / name)
    assert parser.sections(), f"{name} is missing or empty"
    return parser


def _command(unit: configparser.ConfigParser) -> list[str]:
    return shlex.split(unit["Service"]["ExecStart"])


def test_every_long_running_process_is_restarted_whatever_ends_it():
    for name, program in LONG_RUNNING.items():
        service = _unit(name)["Service"]
        assert service["Restart"] == "always", name
        command = _command(_unit(name))
        assert program in " ".join(command), name
    assert "DJANGO_CONN_MAX_AGE=0" in _unit("szkolenia-ws.service")["Service"].get(
        "Environment", ""
    )


def test_every_periodic_command_has_a_timer_and_exists():
    commands = get_commands()
    for short, command in PERIODIC.items():
        service = _unit(f"szkolenia-{short}.service")
        timer = _unit(f"szkolenia-{short}.timer")
        assert service["Service"]["Type"] == "oneshot"
        assert service["Service"]["Restart"] == "on-failure"
        assert timer["Timer"]["OnCalendar"]
        argv = _command(service)
        assert argv[1:3] == ["manage.py", command], short
        assert command in commands, f"{command} is not a manage.py command"
    assert "task_worker" in commands


def test_the_target_starts_every_unit():
    wanted = " ".join(_unit("szkolenia.target")["Unit"].get("Wants", "").split())
    text = (UNITS / "szkolenia.target").read_text()
    for short in PERIODIC:
        assert f"szkolenia-{short}.timer" in text, short
    for name in ("szkolenia-web.service", "szkolenia-ws.service"):
        assert name in text
    assert "szkolenia-worker@1.service" in text or wanted


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="needs systemd-analyze"
)
def test_systemd_accepts_the_units(tmp_path):
    for unit in UNITS.iterdir():
        text = unit.read_text().replace(INSTALL, str(ROOT))
        (tmp_path / unit.name).write_text(text)
    files = sorted(str(path) for path in tmp_path.iterdir())
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *files],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"SYSTEMD_LOG_LEVEL": "warning", "PATH": "/usr/bin:/bin"},
    )
    problems = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if line.strip() and "/etc/szkolenia/" not in line
    ]
    assert problems == [], "\n".join(problems)

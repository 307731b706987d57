"""Run the enrolment rush and its ceiling; print a table and merge bench-results.json.

    python -m tests.bench [--sqlite] [--clients 64] [--workers 4] [--server wsgi|asgi]

By default a throwaway PostgreSQL database `bench_szkolenia_<pid>` is created on
127.0.0.1:5432 (user postgres) and dropped at the end; DATABASE_URL names another one
(kept). `--sqlite` runs the same rush against a throwaway SQLite file.
"""

import argparse
import datetime
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet

from .common import RESULTS, say, write_result

ROOT = Path(__file__).resolve().parent.parent.parent
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
SERVERS = {
    # WSGI: one request at a time per process, persistent database connections.
    "wsgi": ["cms.wsgi:application", "-k", "sync"],
    # ASGI: the same Django app under uvicorn workers (HTTP and websockets).
    "asgi": ["cms.asgi:application", "-k", "uvicorn.workers.UvicornWorker"],
}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file database")
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients")
    parser.add_argument(
        "--workers",
        type=int,
        default=4 * (os.cpu_count() or 1),
        help="server processes (default: 4 per core, the best measured on 2 cores)",
    )
    parser.add_argument("--server", choices=sorted(SERVERS), default="wsgi")
    parser.add_argument("--budget", type=float, default=300.0, help="seconds per phase")
    parser.add_argument(
        "--port", type=int, default=0, help="the server's port (default: a free one)"
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="record one worker with py-spy during the rush (collapsed stacks to FILE)",
    )
    parser.add_argument(
        "--rush-only",
        action="store_true",
        help="only the enrolment rush and its controls (no certificates, exports)",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="shrink the rush's quotas, seats and applicants (0.25: 630 applicants)",
    )
    parser.add_argument(
        "--scaleout",
        default="1,2,4,8",
        help="HTTP worker counts of the scale-out rows ('' for none)",
    )
    parser.add_argument(
        "--scaleout-requests",
        type=int,
        default=640,
        help="enrolments (and ceiling requests) per scale-out row",
    )
    parser.add_argument("--no-mix", action="store_true", help="skip the realistic mix")
    return parser.parse_args()


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    """The server's worker processes (the master's children), from /proc."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(child) for child in children]
    return found


def _cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU of these processes so far, from /proc/PID/stat."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / CLOCK_TICKS


class WorkerCpu:
    """Application CPU of the server's workers during one phase, per request."""

    def __init__(self, server: "Server"):
        self.pids = _children(server.process.pid)
        self.start = _cpu_seconds(self.pids)

    def per_request_ms(self, requests: int) -> float | None:
        used = _cpu_seconds(self.pids) - self.start
        return round(used * 1000 / requests, 2) if requests else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(
        "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True
    ) as connection:
        connection.execute(sql)


class Database:
    """The database the rush runs on; throwaway unless DATABASE_URL names one."""

    def __init__(self, *, sqlite: bool):
        self.drop = None
        if sqlite:
            path = (
                Path(tempfile.gettempdir()) / f"bench_szkolenia_{os.getpid()}.sqlite3"
            )
            self.url, self.label, self.path = f"sqlite:///{path}", "SQLite (WAL)", path
            self.drop = self._drop_sqlite
        elif os.environ.get("DATABASE_URL"):
            self.url, self.label = os.environ["DATABASE_URL"], "PostgreSQL"
        else:
            self.name = f"bench_szkolenia_{os.getpid()}"
            _admin(f'CREATE DATABASE "{self.name}"')
            self.url = f"postgres://postgres@127.0.0.1:5432/{self.name}"
            self.label = "PostgreSQL"
            self.drop = self._drop_postgres

    def _drop_postgres(self) -> None:
        _admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _drop_sqlite(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


class Server:
    """gunicorn as production runs it, on 127.0.0.1, killed at the end whatever happens."""

    def __init__(self, *, kind: str, workers: int, env: dict[str, str], port: int = 0):
        self.port = port or _free_port()
        if kind == "asgi":
            # Under ASGI each request runs its sync code in a fresh thread: persistent
            # connections would pile up until PostgreSQL refuses clients.
            env = {**env, "DJANGO_CONN_MAX_AGE": "0"}
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept for the report
            prefix="bench-server-", suffix=".log", delete=False
        )
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            *SERVERS[kind],
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--backlog",
            "2048",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, *, seconds: float = 300.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited; see {self.log.name}")
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/bench/ping/", timeout=10
                )
            except urllib.error.HTTPError:
                return  # 405 for GET: Django answers
            except OSError:
                time.sleep(0.3)
                continue
            return
        raise RuntimeError(f"the server did not answer in {seconds:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
        self.log.close()


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def _summary(run) -> dict:
    ok = [r for r in run.results if 200 <= r.status < 300]
    latencies = sorted(r.seconds * 1000 for r in ok)
    errors = [r for r in run.results if not 200 <= r.status < 300]
    return {
        "requests": len(run.results),
        "errors": len(errors),
        "error_samples": sorted({r.error or f"HTTP {r.status}" for r in errors})[:5],
        "throughput_per_s": round(len(ok) / run.wall_seconds, 1),
        "duration_s": round(run.wall_seconds, 2),
        "p50_ms": round(_percentile(latencies, 0.50), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
        "p99_ms": round(_percentile(latencies, 0.99), 1),
    }


def _jobs(trainees, path_of) -> list:
    from .load import Job

    return [
        Job(
            "POST",
            path_of(t),
            {
                "Accept": "application/json",
                "Cookie": f"sessionid={t.session_key}; csrftoken={t.csrf}",
                "X-CSRFToken": t.csrf,
            },
        )
        for t in trainees
    ]


def _tally(project) -> dict:
    """Confirmed and waitlisted from the rows; places held beyond any limit."""
    from django.db.models import Count, Q

    from courses.models import HOLDING, Enrolment, EnrolmentStatus

    rows = Enrolment.objects.filter(edition__project=project)
    holding = rows.filter(status__in=HOLDING)
    overbooked = 0
    for quota in project.quotas.all():
        persons = holding.filter(quota=quota).values("trainee").distinct().count()
        overbooked += max(0, persons - quota.size)
    for edition in project.editions.annotate(
        taken=Count("enrolments", filter=Q(enrolments__status__in=HOLDING))
    ):
        overbooked += max(0, edition.taken - edition.capacity)
    return {
        "confirmed": rows.filter(status=EnrolmentStatus.CONFIRMED).count(),
        "waitlisted": rows.filter(status=EnrolmentStatus.WAITLISTED).count(),
        "overbooked": overbooked,
    }


def _table(result: dict, ceiling: dict) -> None:
    rows = [
        ("", "enrolment", "ceiling"),
        ("requests", result["requests"], ceiling["requests"]),
        ("errors", result["errors"], ceiling["errors"]),
        ("throughput /s", result["throughput_per_s"], ceiling["throughput_per_s"]),
        ("p50 ms", result["p50_ms"], ceiling["p50_ms"]),
        ("p95 ms", result["p95_ms"], ceiling["p95_ms"]),
        ("p99 ms", result["p99_ms"], ceiling["p99_ms"]),
    ]
    for name, a, b in rows:
        say(f"  {name:<16}{a!s:>12}{b!s:>12}")
    say(f"  {'ratio to ceiling':<16}{result['ratio_to_ceiling']:>12}")
    for name in ("confirmed", "waitlisted", "overbooked"):
        say(f"  {name:<16}{result[name]:>12}")


def _headers(t) -> dict[str, str]:
    return {
        "Accept": "application/json",
        "Cookie": f"sessionid={t.session_key}; csrftoken={t.csrf}",
        "X-CSRFToken": t.csrf,
    }


def _mix_phase(*, server: "Server", mix, clients: int, budget: float) -> dict:
    """The realistic mix over HTTP, with a coordinator's import in a thread meanwhile."""
    import random
    import threading

    from django.db import connections

    from courses.models import Enrolment, EnrolmentEvent, EnrolmentStatus
    from courses.services.imports import import_run
    from tests.invariants import enrolment_invariant_violations

    from . import load
    from .load import Job

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    jobs = [
        (
            "withdrawal",
            Job(
                "POST",
                f"/zgloszenia/{enrolment_id}/wycofaj/",
                {**_headers(t), **form},
                b"confirm=yes",
            ),
        )
        for t, enrolment_id in mix.withdrawals
    ]
    for kind, trainees in (("second_module", mix.second_module), ("new", mix.new)):
        jobs += [
            (kind, Job("POST", f"/edycje/{t.edition_id}/zapisz/", _headers(t)))
            for t in trainees
        ]
    random.Random(7).shuffle(jobs)
    imported: dict = {}

    def coordinator_imports() -> None:
        time.sleep(1.0)  # once the rush is under way
        started = time.perf_counter()
        try:
            result = import_run(kind="enrolments", content=mix.import_csv, commit=True)
            imported.update(
                committed=result.committed,
                rows=len(result.rows),
                errors=[e.message for e in result.errors][:3],
            )
        finally:
            imported["seconds"] = round(time.perf_counter() - started, 2)
            connections.close_all()

    coordinator = threading.Thread(target=coordinator_imports)
    cpu = WorkerCpu(server)
    coordinator.start()
    run = load.run(
        port=server.port, jobs=[job for _, job in jobs], clients=clients, budget=budget
    )
    mix_cpu = cpu.per_request_ms(len(run.results))
    coordinator.join()
    failed: dict[str, int] = {}
    for (kind, _), result in zip(jobs, run.results, strict=True):
        if not 200 <= result.status < 400:
            failed[kind] = failed.get(kind, 0) + 1
    latencies = sorted(r.seconds * 1000 for r in run.results if 200 <= r.status < 400)
    withdrawn = Enrolment.objects.filter(
        pk__in=[pk for _, pk in mix.withdrawals], status=EnrolmentStatus.WITHDRAWN
    ).count()
    promoted = EnrolmentEvent.objects.filter(
        enrolment__edition__project=mix.project,
        from_status=EnrolmentStatus.WAITLISTED,
        to_status__in=[EnrolmentStatus.PENDING, EnrolmentStatus.CONFIRMED],
    ).count()
    violations = enrolment_invariant_violations()
    return {
        "requests": len(run.results),
        "errors": sum(failed.values()),
        "errors_by_kind": failed,
        "withdrawals": len(mix.withdrawals),
        "second_module": len(mix.second_module),
        "new": len(mix.new),
        "withdrawn": withdrawn,
        "promoted": promoted,
        "import_rows": mix.imported,
        "import_committed": imported.get("committed", False),
        "import_errors": imported.get("errors", ["the import did not finish"]),
        "import_s": imported.get("seconds"),
        "throughput_per_s": round(len(latencies) / run.wall_seconds, 1),
        "p50_ms": round(_percentile(latencies, 0.50), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
        "app_cpu_ms_per_request": mix_cpu,
        **_tally(mix.project),
        "invariant_violations": violations[:5],
        "invariants_ok": not violations,
        "clients": clients,
    }


def _scaleout_row(*, workers: int, kind: str, env, world, count: int, args) -> dict:
    """One row: the ceiling and `count` enrolments with `workers` HTTP workers."""
    from django.db import connections

    from courses.models import Enrolment

    from . import load

    Enrolment.objects.filter(edition__project=world.project).delete()
    connections.close_all()
    trainees = world.trainees[:count]
    server = Server(kind=kind, workers=workers, env=env, port=args.port)
    try:
        server.wait_ready()
        load.run(
            port=server.port,
            jobs=_jobs(trainees[: args.clients * 2], lambda t: "/bench/ping/"),
            clients=args.clients,
            budget=args.budget,
        )
        cpu = WorkerCpu(server)
        ceiling_run = load.run(
            port=server.port,
            jobs=_jobs(trainees, lambda t: "/bench/ping/"),
            clients=args.clients,
            budget=args.budget,
        )
        ceiling_cpu = cpu.per_request_ms(len(ceiling_run.results))
        cpu = WorkerCpu(server)
        rush_run = load.run(
            port=server.port,
            jobs=_jobs(trainees, lambda t: f"/edycje/{t.edition_id}/zapisz/"),
            clients=args.clients,
            budget=args.budget,
        )
        rush_cpu = cpu.per_request_ms(len(rush_run.results))
    finally:
        server.stop()
    ceiling, rush = _summary(ceiling_run), _summary(rush_run)
    return {
        "workers": workers,
        "requests": rush["requests"],
        "errors": rush["errors"],
        "throughput_per_s": rush["throughput_per_s"],
        "p95_ms": rush["p95_ms"],
        "app_cpu_ms_per_request": rush_cpu,
        "ceiling_per_s": ceiling["throughput_per_s"],
        "ceiling_p95_ms": ceiling["p95_ms"],
        "ceiling_app_cpu_ms_per_request": ceiling_cpu,
        "ratio_to_ceiling": round(
            rush["throughput_per_s"] / ceiling["throughput_per_s"], 2
        )
        if ceiling["throughput_per_s"]
        else None,
        **_tally(world.project),
        "load_average": round(os.getloadavg()[0], 1),
    }


def main() -> int:
    args = _arguments()
    database = Database(sqlite=args.sqlite)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "WAGTAILADMIN_BASE_URL": "http://127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DATABASE_URL": database.url,
        "PYTHONPATH": str(ROOT),
        "PRIVACY_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "PRIVACY_HASH_KEY": secrets.token_urlsafe(32),
    }
    os.environ.update(env)
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from . import data, load

        say(f"Database: {database.label}; migrating ...")
        call_command("migrate", interactive=False, verbosity=0)
        say("Creating the project, quotas, editions and logged-in trainees ...")
        world = data.build(scale=args.scale)
        say("Creating the uncontended control: 16 pools, 1,280 trainees ...")
        control = data.build_uncontended()
        mix = None
        if not args.no_mix:
            say(
                "Creating the realistic mix (approval on, full editions, waiting lists) ..."
            )
            mix = data.build_mix(scale=args.scale)
        pools = control.project.quotas.count()
        connections.close_all()

        server = Server(kind=args.server, workers=args.workers, env=env, port=args.port)
        server.wait_ready()
        say(
            f"Server: gunicorn {args.server} x {args.workers} on 127.0.0.1:{server.port};"
            f" {args.clients} clients"
        )
        trainees = world.trainees

        def ping_path(t):
            return "/bench/ping/"

        def enrol_path(t):
            return f"/edycje/{t.edition_id}/zapisz/"

        warm = load.run(
            port=server.port,
            jobs=_jobs(trainees[: args.clients * 4], ping_path),
            clients=args.clients,
            budget=args.budget,
        )
        cpu = WorkerCpu(server)
        ceiling_run = load.run(
            port=server.port,
            jobs=_jobs(trainees, ping_path),
            clients=args.clients,
            budget=args.budget,
        )
        ceiling = _summary(ceiling_run)
        ceiling["app_cpu_ms_per_request"] = cpu.per_request_ms(len(ceiling_run.results))
        # The control first: the rush's promotions and waiting lists do not touch it.
        cpu = WorkerCpu(server)
        control_run = load.run(
            port=server.port,
            jobs=_jobs(control.trainees, enrol_path),
            clients=pools,
            budget=args.budget,
        )
        control_cpu = cpu.per_request_ms(len(control_run.results))
        profiler = _profile_start(server, args.profile) if args.profile else None
        cpu = WorkerCpu(server)
        rush_run = load.run(
            port=server.port,
            jobs=_jobs(trainees, enrol_path),
            clients=args.clients,
            budget=args.budget,
        )
        rush_cpu = cpu.per_request_ms(len(rush_run.results))
        if profiler is not None:
            _profile_stop(profiler, args.profile)
        mixed = None
        if mix is not None:
            mixed = _mix_phase(
                server=server, mix=mix, clients=args.clients, budget=args.budget
            )
        server.stop()
        rush = _summary(rush_run)
        answered = [json.loads(r.body) for r in rush_run.results if r.status == 201]
        counted = _tally(world.project)
        uncontended = {
            **_summary(control_run),
            **_tally(control.project),
            "app_cpu_ms_per_request": control_cpu,
            "clients": pools,
            "pools": pools,
            "ceiling_per_s": ceiling["throughput_per_s"],
            "ceiling_app_cpu_ms_per_request": ceiling["app_cpu_ms_per_request"],
            "workers": args.workers,
            "database": database.label,
        }
        result = {
            **rush,
            **counted,
            "answered_confirmed": sum(a["status"] == "confirmed" for a in answered),
            "answered_waitlisted": sum(a["status"] == "waitlisted" for a in answered),
            "app_cpu_ms_per_request": rush_cpu,
            "ceiling_app_cpu_ms_per_request": ceiling["app_cpu_ms_per_request"],
            "uncontended_app_cpu_ms_per_request": control_cpu,
            "ceiling_per_s": ceiling["throughput_per_s"],
            "ceiling_p95_ms": ceiling["p95_ms"],
            "ceiling_errors": ceiling["errors"],
            "ratio_to_ceiling": round(
                rush["throughput_per_s"] / ceiling["throughput_per_s"], 2
            )
            if ceiling["throughput_per_s"]
            else None,
            "warmup_errors": _summary(warm)["errors"],
            "database": database.label,
            "server": f"gunicorn {args.server}",
            "channel_layer": "redis" if os.environ.get("REDIS_URL") else "in-memory",
            "workers": args.workers,
            "clients": args.clients,
            "cpus": os.cpu_count(),
            "measured_at": datetime.datetime.now()
            .astimezone()
            .isoformat(timespec="seconds"),
        }
        _table(result, ceiling)
        say(
            f"  {'app CPU ms/req':<16}{rush_cpu!s:>12}"
            f"{ceiling['app_cpu_ms_per_request']!s:>12}"
        )
        say(
            f"  uncontended control ({pools} pools, {pools} clients): "
            f"{uncontended['throughput_per_s']}/s, p95 {uncontended['p95_ms']} ms, "
            f"{control_cpu} ms CPU/req, errors {uncontended['errors']}, "
            f"overbooked {uncontended['overbooked']}"
        )
        if rush["error_samples"] or ceiling["error_samples"]:
            say(f"  errors seen: {rush['error_samples'] + ceiling['error_samples']}")
        key = "enrolment_rush_sqlite" if args.sqlite else "enrolment_rush"
        write_result(key, result)
        control_key = (
            "enrolment_uncontended_sqlite" if args.sqlite else "enrolment_uncontended"
        )
        write_result(control_key, {**uncontended, "measured_at": result["measured_at"]})
        say(f"Written to {RESULTS.name} under {key!r} and {control_key!r}.")
        ok = (
            result["errors"] == 0
            and result["overbooked"] == 0
            and result["confirmed"] == world.places
            and result["waitlisted"] == len(trainees) - world.places
            and uncontended["errors"] == 0
            and uncontended["overbooked"] == 0
            and uncontended["confirmed"] == len(control.trainees)
        )
        if mixed is not None:
            mixed.update(
                workers=args.workers,
                database=database.label,
                measured_at=result["measured_at"],
            )
            say(
                f"  realistic mix: {mixed['requests']} requests "
                f"({mixed['withdrawals']} withdrawals, {mixed['second_module']} second "
                f"modules, {mixed['new']} new) + import of {mixed['import_rows']} in "
                f"{mixed['import_s']} s (committed {mixed['import_committed']}): "
                f"{mixed['throughput_per_s']}/s, p95 {mixed['p95_ms']} ms, "
                f"{mixed['app_cpu_ms_per_request']} ms CPU/req, errors {mixed['errors']}, "
                f"promoted {mixed['promoted']}, overbooked {mixed['overbooked']}, "
                f"invariants {'kept' if mixed['invariants_ok'] else 'BROKEN'}"
            )
            write_result(
                "enrolment_mix_sqlite" if args.sqlite else "enrolment_mix", mixed
            )
            ok = ok and (
                mixed["errors"] == 0
                and mixed["overbooked"] == 0
                and mixed["invariants_ok"]
                and mixed["import_committed"]
                and mixed["withdrawn"] == mixed["withdrawals"]
            )
        if not ok:
            say(f"FAILED: see the table; server log: {server.log.name}")
        else:
            Path(server.log.name).unlink(missing_ok=True)
        counts = [int(n) for n in args.scaleout.split(",") if n.strip()]
        rows = []
        for workers in counts:
            row = _scaleout_row(
                workers=workers,
                kind=args.server,
                env=env,
                world=world,
                count=min(args.scaleout_requests, len(world.trainees)),
                args=args,
            )
            say(
                f"  scale-out, {workers} worker(s): {row['throughput_per_s']}/s "
                f"(ceiling {row['ceiling_per_s']}/s, ratio {row['ratio_to_ceiling']}), "
                f"p95 {row['p95_ms']} ms, {row['app_cpu_ms_per_request']} ms CPU/req "
                f"(ceiling {row['ceiling_app_cpu_ms_per_request']}), errors "
                f"{row['errors']}, overbooked {row['overbooked']}"
            )
            rows.append(row)
            ok = ok and row["errors"] == 0 and row["overbooked"] == 0
        if rows:
            write_result(
                "enrolment_scaleout_sqlite" if args.sqlite else "enrolment_scaleout",
                {
                    "rows": rows,
                    "clients": args.clients,
                    "database": database.label,
                    "measured_at": result["measured_at"],
                },
            )
        return 0 if ok else 1
    finally:
        if server is not None:
            server.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - Django may not have started
            pass
        if database.drop is not None:
            database.drop()


def _profile_start(server: Server, path: str) -> subprocess.Popen:
    """py-spy on the first worker, sampling until stopped (it needs ptrace: root)."""
    worker = _children(server.process.pid)[0]
    return subprocess.Popen(
        [
            shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy"),
            "record",
            "--pid",
            str(worker),
            "--format",
            "raw",
            "--output",
            path,
            "--rate",
            "200",
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _profile_stop(profiler: subprocess.Popen, path: str) -> None:
    profiler.send_signal(signal.SIGINT)
    try:
        profiler.wait(timeout=30)
    except subprocess.TimeoutExpired:
        profiler.kill()
    say(f"  profile of one worker: {path} (collapsed stacks)")


if __name__ == "__main__":
    environment = dict(os.environ)  # before main() points it at its own database
    status = main()
    if "--rush-only" in sys.argv:
        sys.exit(status)
    # Bulk certificates: a child process with its own throwaway database and media.
    database = ["--sqlite"] if "--sqlite" in sys.argv else ["--postgres"]
    certificates = subprocess.call(
        [sys.executable, "-m", "tests.bench.certificates", *database],
        cwd=ROOT,
        env=environment,
    )
    # Partners' export and coordinators' import of 2,020 rows, the same way.
    export_import = subprocess.call(
        [sys.executable, "-m", "tests.bench.export_import", *database],
        cwd=ROOT,
        env=environment,
    )
    # Pages beside a bare Wagtail page, small and large data (tests/bench/pages.py).
    pages = subprocess.call(
        [sys.executable, "-m", "tests.bench.pages", *database],
        cwd=ROOT,
        env=environment,
    )
    # Live seats to 500 websocket watchers on 2 ASGI processes (needs REDIS_URL).
    ws_fanout = subprocess.call(
        [sys.executable, "-m", "tests.bench.ws_fanout"],
        cwd=ROOT,
        env=environment,
    )
    sys.exit(status or certificates or export_import or pages or ws_fanout)

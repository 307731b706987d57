"""Live seats to many watchers: websockets on two ASGI processes, the Redis layer.

    python -m tests.bench.ws_fanout [--watchers 500] [--servers 2] [--enrolments 60]

The channel layer every process shares is the Redis of REDIS_URL; without it, a
throwaway redis-server of the run's own (tests/redis_server.py: the machine's binary,
a free port, no persistence), stopped at the end. A throwaway PostgreSQL database; two Daphne processes serve `cms.asgi:application` as in production (README:
the websockets' ASGI process, `DJANGO_CONN_MAX_AGE=0`). The watchers, spread over both
processes and two editions, connect to `/ws/edycje/<id>/` and stay idle for 12 s
(longer than channels_redis' 5 s blocking receive, twice: the idle receive that used to
time out and close the first watchers). Then this process enrols trainees through the
services, in bursts, in both editions; the broadcaster sends the seats through Redis.

Reported under "ws_fanout" in bench-results.json: watchers connected and still open
at the end, missed (a watcher whose last message is not the edition's final count,
counted from the database), the delay from the last commit of an edition to each
watcher's message with the final count (max and p95), and the messages per watcher
beside the enrolments (coalescing: fewer messages than changes).
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import RESULTS, bench_django, run_facts, say, write_result

KEY = "ws_fanout"
IDLE_S = 12.0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.ws_fanout", description=__doc__
    )
    parser.add_argument("--watchers", type=int, default=500)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--enrolments", type=int, default=60, help="per edition")
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="the first ASGI process listens here, the next on the ports after it"
        " (default: free ports)",
    )
    return parser.parse_args()


class Daphne:
    """One ASGI process serving the site, killed at the end whatever happens."""

    def __init__(self, *, port: int, env: dict[str, str]):
        from .__main__ import ROOT

        self.port = port
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept for the report
            prefix="bench-daphne-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "cms.asgi:application",
            ],
            cwd=ROOT,
            env={**env, "DJANGO_CONN_MAX_AGE": "0", "PYTHONPATH": str(ROOT)},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, seconds: float = 120.0) -> None:
        import socket

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited; see {self.log.name}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"daphne did not listen in {seconds:.0f} s")

    def stop(self) -> None:
        import signal

        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
        self.log.close()


class Watchers:
    """The websocket clients, on their own event loop in a process of their own.

    Not a thread of the process that enrols: there the enrolments held the GIL while
    messages arrived, and their arrival times were taken late (the delay measured was
    the client's). The child only watches and timestamps; the parent asks it how many
    are connected and, at the end, for everything it saw.
    """

    def __init__(self, targets: list[tuple[int, int]]):
        import multiprocessing

        self.targets = targets  # (port, edition id) per watcher
        self.messages: list[list[tuple[float, int, int]]] = [[] for _ in targets]
        self.closed_at: list[float | None] = [None] * len(targets)
        self.connected = 0
        self.errors: list[str] = []
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self.process = context.Process(
            target=_watch_in_child, args=(targets, child), daemon=True
        )

    def start(self) -> None:
        self.process.start()

    def poll(self) -> None:
        """Refresh connected, errors and closed_at from the child."""
        self._pipe.send("status")
        status = self._pipe.recv()
        self.connected, self.errors = status["connected"], status["errors"]
        self.closed_at = status["closed_at"]

    def stop(self) -> None:
        self._pipe.send("stop")
        result = self._pipe.recv()
        self.connected, self.errors = result["connected"], result["errors"]
        self.closed_at, self.messages = result["closed_at"], result["messages"]
        self.process.join(30)


def _watch_in_child(targets: list[tuple[int, int]], pipe) -> None:
    asyncio.run(_watch_all(targets, pipe))


async def _watch_all(targets: list[tuple[int, int]], pipe) -> None:
    import websockets

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    messages: list[list[tuple[float, int, int]]] = [[] for _ in targets]
    closed_at: list[float | None] = [None] * len(targets)
    errors: list[str] = []
    connected = 0

    async def watch(n: int) -> None:
        nonlocal connected
        port, edition_id = targets[n]
        await asyncio.sleep(n * 0.01)  # a connection every 10 ms, not all at once
        uri = f"ws://127.0.0.1:{port}/ws/edycje/{edition_id}/"
        try:
            async with websockets.connect(
                uri, origin="http://127.0.0.1", open_timeout=120, max_queue=None
            ) as socket:
                connected += 1
                waiting_stop = asyncio.ensure_future(stop.wait())
                while True:
                    receive = asyncio.ensure_future(socket.recv())
                    done, _ = await asyncio.wait(
                        {receive, waiting_stop}, return_when=asyncio.FIRST_COMPLETED
                    )
                    if receive not in done:
                        receive.cancel()
                        break
                    data = json.loads(receive.result())
                    messages[n].append((time.time(), data["taken"], data["waiting"]))
        except Exception as error:  # noqa: BLE001 - counted and reported
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            if not stop.is_set():
                closed_at[n] = time.time()

    watching = asyncio.gather(*(watch(n) for n in range(len(targets))))
    while True:
        command = await loop.run_in_executor(None, pipe.recv)
        if command == "stop":
            stop.set()
            await asyncio.wait_for(watching, 30)
        report = {"connected": connected, "errors": errors, "closed_at": closed_at}
        if command == "stop":
            pipe.send({**report, "messages": messages})
            return
        pipe.send(report)


def _world(*, enrolments: int):
    from tests.factories import EditionFactory, QuotaFactory, TraineeFactory

    first = EditionFactory(capacity=enrolments // 2)
    second = EditionFactory(project=first.project, capacity=enrolments // 2)
    QuotaFactory(project=first.project, size=enrolments * 4, regions=["śląskie"])
    trainees = [TraineeFactory() for _ in range(enrolments * 2)]
    return [first, second], trainees


def _percentile(values: list[float], q: float) -> float | None:
    import math

    if not values:
        return None
    values = sorted(values)
    return values[max(0, math.ceil(q * len(values)) - 1)]


def run(*, watchers: int, servers: int, enrolments: int, port: int = 0) -> dict:
    from django.db import connections

    from courses.broadcast import broadcaster
    from courses.selectors import editions_with_seats
    from courses.services import enrolment_create

    from .__main__ import _free_port

    editions, trainees = _world(enrolments=enrolments)
    connections.close_all()
    ports = [port + n if port else _free_port() for n in range(servers)]
    processes = [Daphne(port=port, env=dict(os.environ)) for port in ports]
    try:
        for process in processes:
            process.wait_ready()
        targets = [
            (ports[n % servers], editions[(n // servers) % len(editions)].pk)
            for n in range(watchers)
        ]
        say(
            f"{watchers} watchers on {servers} ASGI processes, {len(editions)}"
            " editions; connecting ..."
        )
        clients = Watchers(targets)
        clients.start()
        deadline = time.monotonic() + 180
        while clients.connected + len(clients.errors) < watchers:
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
            clients.poll()
        connected = clients.connected
        say(f"  connected {connected}; idle for {IDLE_S:.0f} s ...")
        time.sleep(IDLE_S)
        clients.poll()
        closed_idle = sum(1 for c in clients.closed_at if c is not None)
        say(f"  closed while idle: {closed_idle}; enrolling ...")
        last_commit: dict[int, float] = {}
        people = iter(trainees)
        for burst in range(enrolments // 10):
            for _ in range(10):
                for edition in editions:
                    enrolment_create(trainee=next(people), edition=edition)
                    last_commit[edition.pk] = time.time()
            time.sleep(0.3 if burst % 2 else 0.05)
        broadcaster.wait_idle(30)
        time.sleep(3)  # the last messages on their way
        clients.stop()
        final = {
            edition.pk: (seats.taken, seats.waiting)
            for edition, seats in editions_with_seats(
                editions=type(editions[0]).objects.filter(
                    pk__in=[e.pk for e in editions]
                )
            )
        }
    finally:
        for process in processes:
            process.stop()
    missed = 0
    missed_samples: list[dict] = []
    delays = []
    counts = []
    for n, (_port, edition_id) in enumerate(targets):
        received = clients.messages[n]
        if received:
            counts.append(len(received) - 1)  # the first one is sent on connect
        if not received or tuple(received[-1][1:]) != final[edition_id]:
            missed += 1
            if received and len(missed_samples) < 5:
                missed_samples.append(
                    {
                        "final": final[edition_id],
                        "last_seen": received[-1][1:],
                        "last_at_ms": round(
                            (received[-1][0] - last_commit[edition_id]) * 1000, 1
                        ),
                    }
                )
            continue
        first_final = next(
            at for at, *seats in received if tuple(seats) == final[edition_id]
        )
        delays.append((first_final - last_commit[edition_id]) * 1000)
    # Connected (a first message came) and closed before the end; never connected.
    closed = sum(
        1
        for n, c in enumerate(clients.closed_at)
        if c is not None and clients.messages[n]
    )
    never = sum(1 for received in clients.messages if not received)
    changes = enrolments  # per edition: every enrolment changes its seats
    return {
        "watchers": watchers,
        "servers": servers,
        "server": "daphne",
        "editions": len(editions),
        "connected": connected,
        "closed_before_end": closed,
        "never_connected": never,
        "closed_while_idle": closed_idle,
        "idle_s": IDLE_S,
        "missed": missed,
        "enrolments_per_edition": changes,
        "messages_per_watcher_median": _percentile(counts, 0.5),
        "messages_per_watcher_max": max(counts) if counts else None,
        "last_update_delay_ms_max": round(max(delays), 1) if delays else None,
        "last_update_delay_ms_p95": round(_percentile(delays, 0.95), 1)
        if delays
        else None,
        "error_samples": sorted(set(clients.errors))[:5],
        "missed_samples": missed_samples,
        "coalesce_ms": int(os.environ.get("COURSES_SEATS_COALESCE_MS", "50")),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "ok": connected == watchers
        and closed == 0
        and missed == 0
        and bool(delays)
        and max(delays) <= 500,
    }


def main() -> int:
    args = _arguments()
    if os.environ.get("REDIS_URL"):
        return _measure(args, redis="REDIS_URL")
    from tests.redis_server import RedisServer

    with tempfile.TemporaryDirectory(prefix="bench-ws-redis-") as folder:
        server = RedisServer(Path(folder))
        server.start()
        os.environ["REDIS_URL"] = server.url
        say(f"ws_fanout: no REDIS_URL, a throwaway redis-server at {server.url}")
        try:
            return _measure(args, redis="throwaway redis-server")
        finally:
            del os.environ["REDIS_URL"]
            server.kill()


def _measure(args: argparse.Namespace, *, redis: str) -> int:
    with bench_django(sqlite=False, prefix="bench-ws-media-") as database:
        result = run(
            watchers=args.watchers,
            servers=args.servers,
            enrolments=args.enrolments,
            port=args.port,
        )
        result.update(run_facts(database))
        result["redis"] = redis
        write_result(KEY, result)
        for name in (
            "connected",
            "closed_before_end",
            "missed",
            "messages_per_watcher_median",
            "last_update_delay_ms_p95",
            "last_update_delay_ms_max",
        ):
            say(f"  {name:<30}{result[name]!s:>10}")
        if result["error_samples"]:
            say(f"  errors: {result['error_samples']}")
        say(f"Written to {RESULTS.name} under {KEY!r}.")
        return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())

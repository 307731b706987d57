"""A throwaway redis-server of the test's own, to stop, freeze, kill and start again.

Never the machine's Redis: a separate process on a free port of 127.0.0.1 (8100-8199
first, the range this checkout's helpers were given, then any), no persistence, in the
test's temporary folder. Killed at the end whatever happened.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
import redis

PORTS = range(8150, 8200)


def free_port(*, besides: tuple[int, ...] = ()) -> int:
    """A port nobody listens on now (none of `besides`, ports already chosen)."""
    for port in [*(p for p in PORTS if p not in besides), 0]:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free port")


class RedisServer:
    def __init__(self, folder: Path, options: Sequence[str] = ()):
        """`options`: more redis-server arguments, e.g. ("--enable-debug-command", "yes")."""
        self.folder = folder
        self.options = tuple(options)
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.started = False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(
            self.url, socket_timeout=2, socket_connect_timeout=2
        )

    def start(self) -> None:
        """Start (again) on the same port; returns once it answers PING as itself.

        The port was free when chosen, but another test process may take it before
        redis-server binds it: then this server exits and, the first time, starts on
        another free port (never on the other one's Redis, which would answer PING).
        """
        for _attempt in range(1 if self.started else 5):
            if self._start():
                self.started = True
                return
            self.port = free_port(besides=(self.port,))
        raise RuntimeError(
            "redis-server did not start: "
            + (self.folder / "redis.log").read_text()[-2000:]
        )

    def _start(self) -> bool:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "redis.log", "ab") as log:
            self.process = subprocess.Popen(
                [
                    binary,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(self.folder),
                    *self.options,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 15
        while self.process.poll() is None and time.monotonic() < deadline:
            try:
                server = self.client().info("server")
                if server["process_id"] == self.process.pid:
                    return True
            except redis.RedisError:
                pass
            time.sleep(0.05)
        self.kill()
        return False

    def kill(self) -> None:
        """SIGKILL, as a crash or an OOM kill: connections refused, data gone."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)

    def freeze(self) -> None:
        """SIGSTOP: the port still accepts, nothing answers (a hung Redis)."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)


@pytest.fixture
def redis_server(tmp_path):
    """A running throwaway Redis (see the module)."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.kill()

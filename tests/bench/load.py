"""A small HTTP/1.1 load generator on asyncio streams, only for 127.0.0.1.

Written on bare streams rather than an HTTP library so that the client, which shares the
two cores with the server, spends as little CPU per request as possible.
"""

import asyncio
import time
from dataclasses import dataclass, field


@dataclass
class Job:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class Result:
    status: int  # 0 when no response came (connection error or timeout)
    seconds: float
    body: bytes = b""
    error: str = ""


@dataclass
class Run:
    results: list[Result]
    wall_seconds: float


class _Connection:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                self.host, self.port
            )
        assert self.reader is not None
        self.writer.write(raw)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip().lower()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            body = await self._chunked()
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection") == "close":
            await self.close()
        return status, body

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)


def _raw(job: Job, host: str, port: int) -> bytes:
    lines = [f"{job.method} {job.path} HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{name}: {value}" for name, value in job.headers.items()]
    lines += [f"Content-Length: {len(job.body)}", "", ""]
    return "\r\n".join(lines).encode("latin-1") + job.body


async def _run(
    *,
    host: str,
    port: int,
    jobs: list[Job],
    clients: int,
    timeout: float,
    budget: float,
) -> Run:
    results: list[Result | None] = [None] * len(jobs)
    raws = [_raw(job, host, port) for job in jobs]
    next_job = iter(range(len(jobs)))
    deadline = time.monotonic() + budget

    async def client() -> None:
        connection = _Connection(host, port)
        try:
            for index in next_job:
                if time.monotonic() > deadline:
                    results[index] = Result(0, 0.0, error="not sent: time budget")
                    continue
                started = time.perf_counter()
                try:
                    status, body = await asyncio.wait_for(
                        connection.request(raws[index]), timeout
                    )
                    results[index] = Result(status, time.perf_counter() - started, body)
                except (TimeoutError, OSError, asyncio.IncompleteReadError) as e:
                    await connection.close()
                    results[index] = Result(
                        0, time.perf_counter() - started, error=repr(e)
                    )
        finally:
            await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    wall = time.perf_counter() - started
    return Run([r for r in results if r is not None], wall)


def run(
    *,
    port: int,
    jobs: list[Job],
    clients: int,
    timeout: float = 30.0,
    budget: float = 300.0,
    host: str = "127.0.0.1",
) -> Run:
    """Send every job once with `clients` connections at a time; bounded in time."""
    if host != "127.0.0.1":
        raise ValueError("the benchmark only loads 127.0.0.1")
    return asyncio.run(
        _run(
            host=host,
            port=port,
            jobs=jobs,
            clients=clients,
            timeout=timeout,
            budget=budget,
        )
    )

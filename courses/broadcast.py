"""Live seats: tell everyone watching an edition its seats once an enrolment commits.

The request only marks the editions whose seats changed (`seats_broadcast`, the
receiver of `seats_changed`, sent after the commit): a set insertion, no query, no
network. One broadcaster per process sends them, off the request path:

- one event loop in one daemon thread for the life of the process, and so one
  channel-layer connection pool, instead of a new loop and connection per call
  (what `async_to_sync(group_send)` in a sync worker costs);
- coalesced per edition: every change within COURSES_SEATS_COALESCE_MS (default
  50 ms) of the first is sent once, with the seats read after the last of them,
  in one query for every edition marked; with the Redis layer across processes
  too (`_claim`: the first process to mark an edition in the window sends it);
- nothing missed: a change marked while a flush runs schedules the next flush,
  and flushes run one at a time, so the last message of an edition always carries
  seats read after its last commit.

With Channels' in-memory layer (development without Redis, one process, the tests on
SQLite) the layer lives on the server's own loop and is not thread-safe: there the
seats are sent at once after the commit, as before, and only for editions someone in
the process watches (a sync worker with that layer has no watchers: no read at
all). A broken channel layer costs the watchers an update (logged), never the trainee
their place or the request its response.
"""

import asyncio
import logging
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import redis
from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.db import close_old_connections, connection, connections
from django.utils.translation import gettext, ngettext

from .models import Edition
from .selectors import Seats, editions_with_seats

logger = logging.getLogger(__name__)

# Channels hands it to EditionSeatsConsumer.seats_changed.
SEATS_MESSAGE = "seats.changed"
DEFAULT_COALESCE_MS = 50


def edition_group(*, edition_id: int) -> str:
    """The Channels group of everyone watching one edition."""
    return f"edition-{edition_id}"


def seats_message(*, edition_id: int, seats: Seats) -> dict:
    """The group message: plain numbers; each consumer adds labels in its language."""
    return {
        "type": SEATS_MESSAGE,
        "edition": edition_id,
        "capacity": seats.capacity,
        "taken": seats.taken,
        "waiting": seats.waiting,
    }


def seats_payload(*, edition_id: int, seats: Seats) -> dict:
    """What a watcher gets (websocket or JSON): the numbers, and their labels in the
    active language, so that the scripts need no plural rules."""
    return {
        "edition": edition_id,
        "capacity": seats.capacity,
        "taken": seats.taken,
        "left": seats.left,
        "waiting": seats.waiting,
        "left_label": ngettext("%(left)s seat left", "%(left)s seats left", seats.left)
        % {"left": seats.left},
        "capacity_label": gettext("of %(capacity)s") % {"capacity": seats.capacity},
        "waiting_label": ngettext(
            "%(waiting)s person waiting", "%(waiting)s people waiting", seats.waiting
        )
        % {"waiting": seats.waiting},
    }


def _messages(edition_ids: Iterable[int]) -> list[dict]:
    rows = editions_with_seats(
        editions=Edition.objects.filter(pk__in=sorted(edition_ids)).order_by("pk")
    )
    return [seats_message(edition_id=e.pk, seats=seats) for e, seats in rows]


async def _send_all(layer, messages: list[dict]) -> None:
    for message in messages:
        await layer.group_send(edition_group(edition_id=message["edition"]), message)


def _read_in_thread(edition_ids: set[int]) -> list[dict]:
    """The broadcaster's one database read; its connection is this thread's own."""
    close_old_connections()
    try:
        return _messages(edition_ids)
    finally:
        close_old_connections()


# A claim outlives its window by this much, so that the flush reads after it expired.
CLAIM_MARGIN_MS = 20
_claim_clients: dict[str, "redis.Redis"] = {}


def _claim(layer, edition_ids: set[int], window_ms: int) -> set[int] | None:
    """Across processes: the editions whose first mark within the window is ours.

    With the Redis layer, each mark sets `SET key NX PX=window` per edition; only the
    process that set it flushes that edition, after the key expired, so its read
    follows every commit whose mark found the key taken. None when there is no Redis
    to ask (or it does not answer): then every process flushes its own marks.
    """
    hosts = getattr(layer, "hosts", None) or []
    address = hosts[0].get("address") if hosts and isinstance(hosts[0], dict) else None
    if not isinstance(address, str):
        return None
    try:
        client = _claim_clients.get(address)
        if client is None:
            client = redis.Redis.from_url(
                address, socket_timeout=0.5, socket_connect_timeout=0.5
            )
            _claim_clients[address] = client
        database = connection.settings_dict.get("NAME")
        prefix = f"{getattr(layer, 'prefix', 'asgi')}:seats:{database}"
        ordered = sorted(edition_ids)
        pipe = client.pipeline(transaction=False)
        for edition_id in ordered:
            pipe.set(f"{prefix}:{edition_id}", 1, nx=True, px=window_ms)
        return {pk for pk, won in zip(ordered, pipe.execute(), strict=True) if won}
    except redis.RedisError:
        logger.warning("Seats not coalesced across processes: Redis did not answer")
        return None


class SeatsBroadcaster:
    """Marks editions from any thread; sends their seats from its own event loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[int, float] = {}  # edition -> read it not before this
        self._in_flight = 0
        self._idle = threading.Condition(self._lock)
        self._pid: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._reader: ThreadPoolExecutor | None = None
        self._serial: asyncio.Lock | None = None
        self.flushes = 0  # how many flushes sent something: what tests count

    def _start(self) -> asyncio.AbstractEventLoop:
        """The loop of this process (a forked worker starts its own)."""
        if self._loop is None or self._pid != os.getpid():
            loop = asyncio.new_event_loop()
            self._reader = ThreadPoolExecutor(1, thread_name_prefix="seats-read")
            self._serial = None
            self._pending, self._in_flight = {}, 0
            threading.Thread(
                target=loop.run_forever, name="seats-broadcast", daemon=True
            ).start()
            self._loop, self._pid = loop, os.getpid()
        return self._loop

    def mark(self, edition_ids: Iterable[int], *, layer=None) -> None:
        """Seats of these editions changed (committed): send them soon, once."""
        ids = set(edition_ids)
        if not ids:
            return
        window = int(
            getattr(settings, "COURSES_SEATS_COALESCE_MS", DEFAULT_COALESCE_MS)
        )
        claimed = _claim(layer, ids, max(window, 1)) if layer is not None else None
        if claimed is not None:
            ids, delay = claimed, (window + CLAIM_MARGIN_MS) / 1000
        else:
            delay = window / 1000
        with self._lock:
            loop = self._start()
            not_before = time.monotonic() + delay
            if claimed is None:
                # Only our own marks: a flush already due will read after this commit.
                new = {pk for pk in ids if pk not in self._pending}
            else:
                # A new claim: others who find it taken rely on a read after it ends,
                # so the edition's read moves past its end even if one was due sooner.
                new = ids
            if not new:
                return
            for pk in new:
                self._pending[pk] = not_before
            self._in_flight += 1
        loop.call_soon_threadsafe(loop.call_later, delay, self._begin_flush)

    def _begin_flush(self) -> None:
        assert self._loop is not None
        self._loop.create_task(self._flush())

    async def _flush(self) -> None:
        if self._serial is None:
            self._serial = asyncio.Lock()
        try:
            async with self._serial:
                now = time.monotonic() + 0.001
                with self._lock:
                    ids = {pk for pk, due in self._pending.items() if due <= now}
                    for pk in ids:
                        del self._pending[pk]
                if not ids:
                    return
                try:
                    layer = get_channel_layer()
                    if layer is None:
                        return
                    messages = await asyncio.get_running_loop().run_in_executor(
                        self._reader, _read_in_thread, ids
                    )
                    await _send_all(layer, messages)
                    self.flushes += 1
                except Exception:
                    logger.exception(
                        "Could not broadcast the seats of editions %s", ids
                    )
        finally:
            with self._lock:
                self._in_flight -= 1
                self._idle.notify_all()

    def close_connections(self, timeout: float = 10.0) -> None:
        """Close the reading thread's database connection (kept between flushes, as
        every connection is for CONN_MAX_AGE): the tests' end, before their database
        is dropped, which PostgreSQL refuses while a session is open."""
        if self._reader is not None and self._pid == os.getpid():
            self._reader.submit(connections.close_all).result(timeout)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until everything marked so far was sent; False on timeout."""
        with self._lock:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout)


broadcaster = SeatsBroadcaster()


def _send_now(layer, messages: list[dict]) -> None:
    """Send from sync code, whether or not an event loop runs in this thread.

    AsyncToSync refuses a thread with a running loop ("You cannot use AsyncToSync in
    the same thread as an async event loop"): the browser tests' own thread, where
    Playwright's sync API runs one while the test enrols (DJANGO_ALLOW_ASYNC_UNSAFE),
    or sync code called straight from a coroutine. There the send runs on a thread of
    its own, as async_to_sync does anywhere else."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(_send_all)(layer, messages)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="seats-now") as pool:
        pool.submit(async_to_sync(_send_all), layer, messages).result()


def seats_broadcast(sender, *, edition_ids, **kwargs) -> None:
    """Receiver of `seats_changed`: mark the editions; the broadcaster sends them."""
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        if isinstance(layer, InMemoryChannelLayer):
            # One process, the layer bound to the server's loop: send at once, only
            # for the editions someone in this process watches, since nobody else
            # hears this layer. A watcher who joins after this look reads the seats
            # after joining, so it sees this commit (EditionSeatsConsumer.connect).
            watched = [
                pk
                for pk in edition_ids
                if layer.groups.get(edition_group(edition_id=pk))
            ]
            if watched:
                _send_now(layer, _messages(watched))
            return
        broadcaster.mark(edition_ids, layer=layer)
    except Exception:
        logger.exception("Could not broadcast the seats of editions %s", edition_ids)

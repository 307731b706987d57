"""Websocket consumers: read-only live views, anyone may watch, nobody may send."""

import asyncio
import contextlib
import functools
import json
import logging
import weakref

import redis
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation

from .broadcast import edition_group, seats_message, seats_payload
from .models import Edition
from .selectors import Seats, editions_with_seats

logger = logging.getLogger(__name__)

# 4000-4999 are the application's close codes (RFC 6455 7.4.2); the scripts stop
# retrying on them. HTTP's numbers plus 4000, so that they read at a glance.
CLIENT_MESSAGE_REFUSED = 4400  # the client sent something: these sockets only speak
FORBIDDEN = 4403
NOT_FOUND = 4404
# RFC 6455 7.4.1: "Try Again Later". The channel layer (Redis) is unreachable: the
# scripts poll the page's JSON instead and reconnect with backoff until it is back.
TRY_AGAIN_LATER = 1013
# What a Redis channel layer raises while Redis is down or hangs.
LAYER_DOWN = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
    asyncio.TimeoutError,
)
DEFAULT_MEMBERSHIP_SECONDS = 20


class GroupWatcherConsumer(AsyncJsonWebsocketConsumer):
    """A read-only watcher of one Channels group that survives a channel-layer outage.

    While Redis is unreachable a watcher cannot join its group nor hear from it: it is
    closed with 1013 (try again later) instead of failing with an error, and the page
    falls back to polling. Membership is renewed every COURSES_WS_MEMBERSHIP_SECONDS
    (default 20): a Redis restarted empty forgets its groups, and a watcher that
    survived the restart joins again (or, if Redis is still down, is closed with 1013).
    """

    group: str | None = None
    _membership: asyncio.Task | None = None

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        except LAYER_DOWN as error:
            # The layer's receive failed under us: Redis went away while watching.
            logger.warning("Websocket closed, channel layer unreachable: %s", error)
            self._stop_membership()
            with contextlib.suppress(Exception):
                await send({"type": "websocket.close", "code": TRY_AGAIN_LATER})

    async def join(self, group: str) -> bool:
        """Join `group`; False (and the socket closed with 1013) if the layer is down."""
        try:
            await self.channel_layer.group_add(group, self.channel_name)
        except LAYER_DOWN as error:
            logger.warning("Websocket refused, channel layer unreachable: %s", error)
            await self.close(code=TRY_AGAIN_LATER)
            return False
        self.group = group
        self._membership = asyncio.ensure_future(self._keep_membership())
        return True

    async def _keep_membership(self) -> None:
        interval = getattr(
            settings, "COURSES_WS_MEMBERSHIP_SECONDS", DEFAULT_MEMBERSHIP_SECONDS
        )
        while True:
            await asyncio.sleep(interval)
            try:
                await self.channel_layer.group_add(self.group, self.channel_name)
            except LAYER_DOWN as error:
                logger.warning("Websocket closed, channel layer unreachable: %s", error)
                await self.close(code=TRY_AGAIN_LATER)
                return

    def _stop_membership(self) -> None:
        if self._membership is not None:
            self._membership.cancel()
            self._membership = None

    async def leave(self) -> None:
        """Stop watching the group (renewal stopped, membership removed)."""
        self._stop_membership()
        group, self.group = self.group, None
        if group:
            with contextlib.suppress(*LAYER_DOWN):
                await self.channel_layer.group_discard(group, self.channel_name)

    async def disconnect(self, code):
        await self.leave()


def _published_seats(edition_ids: set[int]) -> dict[int, Seats]:
    """The seats of those of these editions that are published, in one query."""
    rows = editions_with_seats(
        editions=Edition.objects.filter(pk__in=sorted(edition_ids), is_published=True)
    )
    return {edition.pk: seats for edition, seats in rows}


class SeatsReads:
    """The seats every watcher gets on connecting, read for many watchers at once.

    Hundreds of watchers connecting together (a page shared, a process restarted and
    every browser reconnecting) each needed a database connection and a query in the
    process's one database thread: the queue grew past the ASGI server's handshake
    timeout (Daphne's 5 s) and most of them were dropped. Here a watcher asks, and one
    read, run when the previous one ends, answers everyone who asked meanwhile, for
    every edition asked, in one query. Every read starts after each of its askers
    asked (so after they joined their group): no commit in between goes unseen.
    One per event loop (the ASGI server's, or a test's own).
    """

    def __init__(self) -> None:
        self._asked: dict[int, list[asyncio.Future]] = {}
        self._reading: asyncio.Task | None = None
        self.reads = 0  # how many queries it ran: what tests count

    async def seats(self, edition_id: int) -> Seats | None:
        """The edition's seats read after this call, or None if it is not published."""
        answer = asyncio.get_running_loop().create_future()
        self._asked.setdefault(edition_id, []).append(answer)
        if self._reading is None or self._reading.done():
            self._reading = asyncio.ensure_future(self._read())
        return await answer

    async def _read(self) -> None:
        while self._asked:
            asked, self._asked = self._asked, {}
            try:
                seats = await database_sync_to_async(_published_seats)(set(asked))
            except Exception as error:  # noqa: BLE001 - each asker raises it
                for answers in asked.values():
                    for answer in answers:
                        if not answer.done():
                            answer.set_exception(error)
                continue
            finally:
                self.reads += 1
            for edition_id, answers in asked.items():
                for answer in answers:
                    if not answer.done():
                        answer.set_result(seats.get(edition_id))


_seats_reads: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SeatsReads]" = (
    weakref.WeakKeyDictionary()
)


def seats_reads() -> SeatsReads:
    """The reader of the running event loop."""
    loop = asyncio.get_running_loop()
    reads = _seats_reads.get(loop)
    if reads is None:
        reads = _seats_reads[loop] = SeatsReads()
    return reads


@functools.lru_cache(maxsize=1024)
def _payload_text(
    *, edition_id: int, capacity: int, taken: int, waiting: int, language: str
) -> str:
    """What a watcher is sent, built once per seats and language in the process, not
    once per watcher (a change reaches every watcher of the edition at once)."""
    seats = Seats(capacity=capacity, taken=taken, waiting=waiting)
    with translation.override(language):
        return json.dumps(seats_payload(edition_id=edition_id, seats=seats))


class EditionSeatsConsumer(GroupWatcherConsumer):
    """Seats of one published edition: sent on connect, then after every change."""

    async def connect(self):
        self.edition_id = self.scope["url_route"]["kwargs"]["edition_id"]
        # Accept before closing: a close before the handshake reaches the browser as
        # a bare HTTP 403, and the script could not tell "no such edition" from a
        # network failure worth retrying.
        await self.accept()
        # Join first, then read: a change committed after the read is broadcast to a
        # member, one committed before it is in the read. (Group messages wait until
        # connect returns, so the seats read here always go first.)
        if not await self.join(edition_group(edition_id=self.edition_id)):
            return
        seats = await seats_reads().seats(self.edition_id)
        if seats is None:
            # Unknown or unpublished: nothing about it was sent, nothing will be.
            await self.leave()
            await self.close(code=NOT_FOUND)
            return
        await self.send(
            text_data=self._payload_text(
                seats_message(edition_id=self.edition_id, seats=seats)
            )
        )

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Watching is read-only: anything a client says (text, bytes, JSON or not) is
        # refused with a clean close, never parsed.
        await self.close(code=CLIENT_MESSAGE_REFUSED)

    async def dispatch(self, message):
        """Channels' dispatch without its hop to the database thread per message.

        Channels closes stale database connections before every handler, through
        `sync_to_async`: on the process's one database thread, one message at a time.
        A seats change reaching 250 watchers of a process queued 250 such hops behind
        each other, and updates fell seconds behind. No handler here touches the
        database but through `database_sync_to_async`, which closes them itself."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def seats_changed(self, event):
        if self.group is None:
            return  # refused (4404) or left: it hears nothing
        await self.send(text_data=self._payload_text(event))

    def _payload_text(self, message: dict) -> str:
        return _payload_text(
            edition_id=message["edition"],
            capacity=message["capacity"],
            taken=message["taken"],
            waiting=message["waiting"],
            language=self._language(),
        )

    def _language(self) -> str:
        """The visitor's chosen language, as the pages use it; Polish by default."""
        chosen = self.scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME)
        languages = {code for code, _ in settings.LANGUAGES}
        return chosen if chosen in languages else settings.LANGUAGE_CODE

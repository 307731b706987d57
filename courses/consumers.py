"""Websocket consumers: read-only live views, anyone may watch, nobody may send."""

import asyncio
import contextlib
import logging

import redis
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation

from .broadcast import edition_group, seats_message, seats_payload
from .models import Edition
from .selectors import Seats, edition_seats

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

    async def disconnect(self, code):
        self._stop_membership()
        if self.group:
            with contextlib.suppress(*LAYER_DOWN):
                await self.channel_layer.group_discard(self.group, self.channel_name)


def _published_seats(*, edition_id: int) -> Seats | None:
    edition = Edition.objects.filter(pk=edition_id, is_published=True).first()
    return edition_seats(edition=edition) if edition else None


class EditionSeatsConsumer(GroupWatcherConsumer):
    """Seats of one published edition: sent on connect, then after every change."""

    async def connect(self):
        self.edition_id = self.scope["url_route"]["kwargs"]["edition_id"]
        seats = await database_sync_to_async(_published_seats)(
            edition_id=self.edition_id
        )
        # Accept before closing: a close before the handshake reaches the browser as
        # a bare HTTP 403, and the script could not tell "no such edition" from a
        # network failure worth retrying.
        await self.accept()
        if seats is None:
            await self.close(code=NOT_FOUND)
            return
        if await self.join(edition_group(edition_id=self.edition_id)):
            await self.send_json(
                self._payload(seats_message(edition_id=self.edition_id, seats=seats))
            )

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Watching is read-only: anything a client says (text, bytes, JSON or not) is
        # refused with a clean close, never parsed.
        await self.close(code=CLIENT_MESSAGE_REFUSED)

    async def seats_changed(self, event):
        await self.send_json(self._payload(event))

    def _payload(self, message: dict) -> dict:
        """The numbers, and labels in the visitor's language: no plural rules in JS."""
        seats = Seats(
            capacity=message["capacity"],
            taken=message["taken"],
            waiting=message["waiting"],
        )
        with translation.override(self._language()):
            return seats_payload(edition_id=message["edition"], seats=seats)

    def _language(self) -> str:
        """The visitor's chosen language, as the pages use it; Polish by default."""
        chosen = self.scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME)
        languages = {code for code, _ in settings.LANGUAGES}
        return chosen if chosen in languages else settings.LANGUAGE_CODE

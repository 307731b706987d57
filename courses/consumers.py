"""Websocket consumers: read-only live views, anyone may watch, nobody may send."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

from .broadcast import edition_group, seats_message
from .models import Edition
from .selectors import Seats, edition_seats

# 4000-4999 are the application's close codes (RFC 6455 7.4.2); the scripts stop
# retrying on them. HTTP's numbers plus 4000, so that they read at a glance.
CLIENT_MESSAGE_REFUSED = 4400  # the client sent something: these sockets only speak
FORBIDDEN = 4403
NOT_FOUND = 4404


def _published_seats(*, edition_id: int) -> Seats | None:
    edition = Edition.objects.filter(pk=edition_id, is_published=True).first()
    return edition_seats(edition=edition) if edition else None


class EditionSeatsConsumer(AsyncJsonWebsocketConsumer):
    """Seats of one published edition: sent on connect, then after every change."""

    async def connect(self):
        self.edition_id = self.scope["url_route"]["kwargs"]["edition_id"]
        self.group = None
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
        self.group = edition_group(edition_id=self.edition_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json(
            self._payload(seats_message(edition_id=self.edition_id, seats=seats))
        )

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

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
            return {
                "edition": message["edition"],
                "capacity": seats.capacity,
                "taken": seats.taken,
                "left": seats.left,
                "waiting": seats.waiting,
                "left_label": ngettext(
                    "%(left)s seat left", "%(left)s seats left", seats.left
                )
                % {"left": seats.left},
                "capacity_label": gettext("of %(capacity)s")
                % {"capacity": seats.capacity},
                "waiting_label": ngettext(
                    "%(waiting)s person waiting",
                    "%(waiting)s people waiting",
                    seats.waiting,
                )
                % {"waiting": seats.waiting},
            }

    def _language(self) -> str:
        """The visitor's chosen language, as the pages use it; Polish by default."""
        chosen = self.scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME)
        languages = {code for code, _ in settings.LANGUAGES}
        return chosen if chosen in languages else settings.LANGUAGE_CODE

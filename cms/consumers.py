"""The answer of the websocket routes to a path that none of them knows."""

from channels.generic.websocket import AsyncWebsocketConsumer

from courses.consumers import NOT_FOUND


class UnknownPathConsumer(AsyncWebsocketConsumer):
    """Accepts, then closes with 4404: a clean refusal, not a handshake error."""

    async def connect(self):
        await self.accept()
        await self.close(code=NOT_FOUND)

    async def receive(self, text_data=None, bytes_data=None):
        await self.close(code=NOT_FOUND)

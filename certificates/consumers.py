"""Live progress of a bulk issuance, for the coordinators only."""

from channels.db import database_sync_to_async

from courses.consumers import (
    CLIENT_MESSAGE_REFUSED,
    FORBIDDEN,
    NOT_FOUND,
    GroupWatcherConsumer,
)

from .broadcast import batch_group, progress_payload
from .models import CertificateBatch

PERMISSION = "certificates.add_certificate"


def _visible_batch(*, user, batch_id: int) -> dict | None | bool:
    """The batch's progress, None if there is no such batch, False if not allowed."""
    if not (user and user.is_authenticated and user.has_perm(PERMISSION)):
        return False
    batch = CertificateBatch.objects.filter(pk=batch_id).first()
    return progress_payload(batch=batch) if batch else None


class CertificateBatchConsumer(GroupWatcherConsumer):
    """Progress of one batch: sent on connect, then after every certificate."""

    async def connect(self):
        batch_id = self.scope["url_route"]["kwargs"]["batch_id"]
        progress = await database_sync_to_async(_visible_batch)(
            user=self.scope.get("user"), batch_id=batch_id
        )
        # Accept before closing, so the script can tell a refusal from a network error.
        await self.accept()
        if progress is False:
            await self.close(code=FORBIDDEN)
            return
        if progress is None:
            await self.close(code=NOT_FOUND)
            return
        if await self.join(batch_group(batch_id=batch_id)):
            await self.send_json(progress)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        await self.close(code=CLIENT_MESSAGE_REFUSED)

    async def batch_progress(self, event):
        await self.send_json({k: v for k, v in event.items() if k != "type"})

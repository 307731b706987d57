"""Progress of a background export, for the one user who asked for it."""

from channels.db import database_sync_to_async
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from .consumers import CLIENT_MESSAGE_REFUSED, NOT_FOUND, GroupWatcherConsumer
from .models import ExportLog
from .services.exports import export_group


def _state(*, log_id: int, user, language: str) -> dict | None:
    """The export's current state, or None when it is not this user's."""
    if not user or not user.is_authenticated:
        return None
    log = ExportLog.objects.filter(pk=log_id, user=user).first()
    if log is None:
        return None
    return _message(log=log, language=language)


def _message(*, log: ExportLog, language: str) -> dict:
    ready = bool(log.file)
    rows = log.row_count or 0
    message: dict[str, object] = {"ready": ready, "done": rows, "total": rows}
    if ready:
        message["url"] = reverse("courses:partner_export_file", args=[log.pk])
        with translation.override(language):
            message["label"] = ngettext(
                "The file is ready: %(rows)s row.",
                "The file is ready: %(rows)s rows.",
                rows,
            ) % {"rows": rows}
    return message


def _ready_message(*, log_id: int, language: str) -> dict:
    return _message(log=ExportLog.objects.get(pk=log_id), language=language)


class ExportProgressConsumer(GroupWatcherConsumer):
    """Sends how many rows are done, then the download link; nobody may send."""

    async def connect(self):
        self.log_id = self.scope["url_route"]["kwargs"]["log_id"]
        state = await database_sync_to_async(_state)(
            log_id=self.log_id, user=self.scope.get("user"), language=self._language()
        )
        await self.accept()
        if state is None:
            await self.close(code=NOT_FOUND)
            return
        if await self.join(export_group(log_id=self.log_id)):
            await self.send_json(state)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        await self.close(code=CLIENT_MESSAGE_REFUSED)

    async def export_progress(self, event):
        if event.get("ready"):
            await self.send_json(
                await database_sync_to_async(_ready_message)(
                    log_id=self.log_id, language=self._language()
                )
            )
            return
        await self.send_json(
            {"ready": False, "done": event["done"], "total": event["total"]}
        )

    def _language(self) -> str:
        """The user's chosen language, as the pages use it; Polish by default."""
        chosen = self.scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME)
        languages = {code for code, _ in settings.LANGUAGES}
        return chosen if chosen in languages else settings.LANGUAGE_CODE

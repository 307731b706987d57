"""Progress of a background export reaches the user who asked for it, and only them."""

import asyncio
import json
import threading

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from courses.models import ExportLog, PartnerOrganisation
from courses.routing import websocket_urlpatterns
from courses.services.exports import export_build
from tests.factories import UserFactory

# The consumer reads the database from another thread, so the rows must be committed;
# serialized_rollback brings back the voivodeships the migrations created.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TIMEOUT = 5


def _connect(log_id: int, user):
    async def scenario():
        communicator = WebsocketCommunicator(
            URLRouter(websocket_urlpatterns), f"/ws/eksport/{log_id}/"
        )
        communicator.scope["user"] = user
        connected, _ = await communicator.connect()
        assert connected
        first = await communicator.receive_output(TIMEOUT)
        await communicator.disconnect()
        return first

    # A thread with its own event loop: this runs even after the browser tests have
    # started Playwright's loop in the main thread of the same test process.
    result = {}
    worker = threading.Thread(target=lambda: result.update(out=asyncio.run(scenario())))
    worker.start()
    worker.join()
    return result["out"]


@pytest.fixture
def log():
    clerk = UserFactory()
    organisation = PartnerOrganisation.objects.create(name="Uniwersytet Śląski")
    organisation.staff.add(clerk)
    return ExportLog.objects.create(
        user=clerk, organisation=organisation, kind="enrolments", format="xlsx"
    )


def test_the_owner_gets_the_state_and_then_the_link(log):
    first = _connect(log.pk, log.user)
    assert first["type"] == "websocket.send"
    assert '"ready": false' in first["text"]

    worker = threading.Thread(target=export_build.call, kwargs={"log_id": log.pk})
    worker.start()  # its own thread, as a task worker would be
    worker.join()
    ready = _connect(log.pk, log.user)
    url = reverse("courses:partner_export_file", args=[log.pk])
    assert f'"url": "{url}"' in ready["text"]
    assert "Plik jest gotowy: 0 wierszy." in json.loads(ready["text"])["label"]


@pytest.mark.parametrize("who", ["stranger", "anonymous"])
def test_nobody_else_may_listen(log, who):
    user = UserFactory() if who == "stranger" else AnonymousUser()
    assert _connect(log.pk, user) == {"type": "websocket.close", "code": 4404}

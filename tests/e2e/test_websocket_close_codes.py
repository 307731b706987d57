"""Every websocket refuses what a client sends with a clean 4000-4999 close.

A real ASGI server (uvicorn), a real client: text that is JSON, text that is not,
bytes, and a path no route knows. Each ends in the application's own close code,
never 1011 (an internal error) and a traceback; nothing changes in the database.
"""

import pytest
from django.test import Client
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from certificates.services import certificate_batch_create
from courses import roles
from courses.models import ExportLog, PartnerOrganisation
from tests.e2e.asgi_server import asgi_live_server  # noqa: F401 - fixture
from tests.factories import EditionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WAIT = 10
MESSAGES = ['{"taken": 0}', "nie JSON {", b"\x00\xff\x10 bajty", "", "x" * 70_000]


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _closed_with(url, origin, message, *, cookie=None):
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else None
    with connect(
        url, origin=origin, open_timeout=WAIT, additional_headers=headers
    ) as socket:
        socket.recv(timeout=WAIT)  # the first state the server sends
        socket.send(message)
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                socket.recv(timeout=WAIT)
    return closed.value.rcvd.code


def _sockets(server):
    edition = EditionFactory(capacity=2)
    clerk = UserFactory(role=roles.PARTNER)
    organisation = PartnerOrganisation.objects.create(name="OWES Śląsk")
    organisation.staff.add(clerk)
    log = ExportLog.objects.create(
        user=clerk, organisation=organisation, kind="enrolments", format="xlsx"
    )
    coordinator = UserFactory(role=roles.COORDINATOR)
    batch = certificate_batch_create(actor=coordinator, project=edition.project)
    return [
        (f"{server.ws_url}/ws/edycje/{edition.pk}/", None),
        (f"{server.ws_url}/ws/eksport/{log.pk}/", _session(clerk)),
        (
            f"{server.ws_url}/ws/zaswiadczenia/wydawanie/{batch.pk}/",
            _session(coordinator),
        ),
    ]


def test_a_client_message_gets_4400_on_every_socket(asgi_live_server):  # noqa: F811
    for url, cookie in _sockets(asgi_live_server):
        for message in MESSAGES:
            code = _closed_with(url, asgi_live_server.url, message, cookie=cookie)
            assert code == 4400, (url, message[:20])


@pytest.mark.parametrize(
    "path", ["/ws/nie-ma/", "/ws/edycje/abc/", "/inne/", "/ws/eksport/"]
)
def test_an_unknown_path_closes_with_4404(asgi_live_server, path):  # noqa: F811
    with connect(
        asgi_live_server.ws_url + path, origin=asgi_live_server.url, open_timeout=WAIT
    ) as socket:
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=WAIT)
    assert closed.value.rcvd.code == 4404

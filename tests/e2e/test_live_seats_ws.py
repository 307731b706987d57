"""Live seats end to end: a real ASGI server, a real websocket client, real HTTP posts."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from channels.layers import channel_layers
from django.conf import settings
from django.db import connections
from django.test import Client
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from courses.models import Enrolment, EnrolmentStatus
from courses.services import enrolment_create
from tests.e2e.asgi_server import asgi_live_server  # noqa: F401 - fixture
from tests.factories import EditionFactory, QuotaFactory, TraineeFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WAIT = 10  # seconds at most for a message; it arrives long before


@contextmanager
def _logged_in_http(server, user) -> Iterator[httpx.Client]:
    """An HTTP client with the user's session and a CSRF token, as a browser has."""
    django_client = Client()
    django_client.force_login(user)
    with httpx.Client(
        base_url=server.url,
        cookies={"sessionid": django_client.cookies["sessionid"].value},
        timeout=WAIT,
    ) as http:
        assert http.get("/profil/").status_code == 200  # its form sets the token
        http.headers["X-CSRFToken"] = http.cookies["csrftoken"]
        http.headers["Accept"] = "application/json"
        yield http


def _in_another_thread(action) -> None:
    errors = []

    def run():
        server_layer = channel_layers.backends.get("default")
        channel_layers.backends["default"] = channel_layers.make_backend("default")
        try:
            action()
        except Exception as error:  # noqa: BLE001 - re-raised below
            errors.append(error)
        finally:
            if server_layer is not None:
                channel_layers.backends["default"] = server_layer
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=WAIT)
    assert errors == []


def _next(watcher) -> dict:
    return json.loads(watcher.recv(timeout=WAIT))


def test_an_enrolment_by_one_user_changes_the_count_another_client_sees(
    asgi_live_server,  # noqa: F811 - fixture
):
    edition = EditionFactory(capacity=2)
    QuotaFactory(project=edition.project, size=10, regions=["śląskie"])
    trainee = TraineeFactory()
    url = f"{asgi_live_server.ws_url}/ws/edycje/{edition.pk}/"

    with connect(url, origin=asgi_live_server.url, open_timeout=WAIT) as watcher:
        first = _next(watcher)
        assert (first["taken"], first["left"], first["left_label"]) == (
            0,
            2,
            "2 wolne miejsca",
        )

        with _logged_in_http(asgi_live_server, trainee.user) as http:
            enrolled = http.post(f"/edycje/{edition.pk}/zapisz/")
            assert enrolled.status_code == 201, enrolled.text
            update = _next(watcher)
            assert (update["taken"], update["left"], update["left_label"]) == (
                1,
                1,
                "1 wolne miejsce",
            )

            enrolment = Enrolment.objects.get(pk=enrolled.json()["id"])
            assert enrolment.status == EnrolmentStatus.CONFIRMED
            withdrawn = http.post(
                f"/zgloszenia/{enrolment.pk}/wycofaj/",
                data={"confirm": "yes"},
                follow_redirects=False,
            )
            assert withdrawn.status_code == 302
            update = _next(watcher)
            assert (update["taken"], update["left"]) == (0, 2)


def test_a_watcher_cannot_send(asgi_live_server):  # noqa: F811 - fixture
    edition = EditionFactory(capacity=2)
    url = f"{asgi_live_server.ws_url}/ws/edycje/{edition.pk}/"

    with connect(url, origin=asgi_live_server.url, open_timeout=WAIT) as watcher:
        _next(watcher)
        watcher.send(json.dumps({"taken": 0, "capacity": 100}))
        with pytest.raises(ConnectionClosed) as closed:
            watcher.recv(timeout=WAIT)
    assert closed.value.rcvd.code == 4400
    edition.refresh_from_db()
    assert edition.capacity == 2
    assert not Enrolment.objects.exists()


def test_an_unknown_edition_is_closed_with_4404(asgi_live_server):  # noqa: F811
    url = f"{asgi_live_server.ws_url}/ws/edycje/999999/"

    with connect(url, origin=asgi_live_server.url, open_timeout=WAIT) as watcher:
        with pytest.raises(ConnectionClosed) as closed:
            watcher.recv(timeout=WAIT)
    assert closed.value.rcvd.code == 4404


@pytest.mark.skipif(
    not settings.REDIS_URL, reason="another process reaches the watchers through Redis"
)
def test_an_enrolment_made_outside_the_server_reaches_its_watchers(
    asgi_live_server,  # noqa: F811 - fixture
):
    # As from another worker or a management command: the sender shares nothing with
    # the server but the Redis channel layer.
    edition = EditionFactory(capacity=2)
    QuotaFactory(project=edition.project, size=10, regions=["śląskie"])
    url = f"{asgi_live_server.ws_url}/ws/edycje/{edition.pk}/"

    with connect(url, origin=asgi_live_server.url, open_timeout=WAIT) as watcher:
        assert _next(watcher)["left"] == 2
        # Enrol from a thread of its own with a layer object of its own, as another
        # process would: this worker's main thread may hold Playwright's event loop.
        trainee = TraineeFactory()
        _in_another_thread(lambda: enrolment_create(trainee=trainee, edition=edition))
        assert _next(watcher)["left"] == 1

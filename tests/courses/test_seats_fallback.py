"""When the websocket cannot help: the seats as JSON, and a watcher closed with 1013.

The JSON is what the live pages poll while their websocket is down (Redis unreachable,
the ASGI process restarting); the consumer closes with 1013 "try again later" when the
channel layer cannot be reached, and joins again once it can (a real redis-server of
the test's own, tests/redis_server.py).
"""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator

from cms.asgi import application
from courses.consumers import TRY_AGAIN_LATER
from courses.models import Enrolment
from courses.services import enrolment_create
from tests.factories import EditionFactory, QuotaFactory, TraineeFactory
from tests.redis_server import free_port, redis_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ORIGIN = (b"origin", b"http://localhost")
TIMEOUT = 5


@pytest.fixture
def edition():
    edition = EditionFactory(capacity=3)
    QuotaFactory(project=edition.project, size=10, regions=["śląskie"])
    return edition


def test_the_seats_json_shows_the_count_to_anyone_in_their_language(client, edition):
    enrolment_create(trainee=TraineeFactory(), edition=edition)
    url = f"/edycje/{edition.pk}/miejsca.json"

    response = client.get(url)
    assert response.status_code == 200
    assert response.json() == {
        "edition": edition.pk,
        "capacity": 3,
        "taken": 1,
        "left": 2,
        "waiting": 0,
        "left_label": "2 wolne miejsca",
        "capacity_label": "z 3",
        "waiting_label": "0 osób na liście rezerwowej",
    }
    # Nothing personal: browsers and proxies may keep it a moment, per language.
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert "sessionid" not in response.cookies

    client.cookies["django_language"] = "en"
    english = client.get(url).json()
    assert english["left_label"] == "2 seats left"
    assert english["capacity_label"] == "of 3"


def test_the_seats_json_follows_each_change(client, edition):
    url = f"/edycje/{edition.pk}/miejsca.json"
    for number in range(3):
        enrolment_create(trainee=TraineeFactory(), edition=edition)
        assert client.get(url).json()["taken"] == number + 1
    waiting = enrolment_create(trainee=TraineeFactory(), edition=edition)
    data = client.get(url).json()
    assert (data["left"], data["waiting"]) == (0, 1)
    assert data["left_label"] == "0 wolnych miejsc"
    assert Enrolment.objects.filter(pk=waiting.pk).exists()


def test_the_seats_json_of_an_unpublished_or_unknown_edition_is_404(client):
    hidden = EditionFactory(is_published=False)
    assert client.get(f"/edycje/{hidden.pk}/miejsca.json").status_code == 404
    assert client.get("/edycje/999999/miejsca.json").status_code == 404
    assert client.post(f"/edycje/{hidden.pk}/miejsca.json").status_code == 405


def test_the_edition_page_tells_its_script_where_to_poll(client, edition):
    page = client.get(f"/edycje/{edition.pk}/").content.decode()
    assert f'data-seats-url="/edycje/{edition.pk}/miejsca.json"' in page
    assert 'data-seats-poll-ms="15000"' in page
    # Without JavaScript the count is there at load.
    assert "3 wolne miejsca" in page


def _redis_layer(settings, url: str) -> None:
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [url], "prefix": "test-seats-fallback"},
        }
    }
    channel_layers.backends.pop("default", None)


def _first_answer(edition_id: int):
    """What a watcher gets first: ("message", data) or ("closed", code)."""

    async def scenario():
        watcher = WebsocketCommunicator(
            application, f"/ws/edycje/{edition_id}/", headers=[ORIGIN]
        )
        connected, _ = await watcher.connect(TIMEOUT)
        assert connected  # accepted first: the script can tell a close from a failure
        answer = await watcher.receive_output(TIMEOUT)
        await watcher.disconnect()
        if answer["type"] == "websocket.close":
            return ("closed", answer.get("code"))
        return ("message", answer.get("text"))

    return async_to_sync(scenario)()


def test_a_watcher_is_told_to_try_again_later_while_redis_is_down(settings, edition):
    _redis_layer(settings, f"redis://127.0.0.1:{free_port()}/0")  # nobody listens
    try:
        assert _first_answer(edition.pk) == ("closed", TRY_AGAIN_LATER)
    finally:
        channel_layers.backends.pop("default", None)


def test_a_watcher_joins_again_when_redis_is_back(
    settings,
    edition,
    redis_server,  # noqa: F811 - fixture
):
    _redis_layer(settings, redis_server.url)
    try:
        kind, text = _first_answer(edition.pk)
        assert kind == "message" and '"left": 3' in text
        redis_server.kill()
        assert _first_answer(edition.pk) == ("closed", TRY_AGAIN_LATER)
        redis_server.start()
        kind, text = _first_answer(edition.pk)
        assert kind == "message" and '"left": 3' in text
    finally:
        channel_layers.backends.pop("default", None)


def test_a_watcher_whose_redis_goes_away_is_closed_with_1013(
    settings,
    edition,
    redis_server,  # noqa: F811 - fixture
):
    _redis_layer(settings, redis_server.url)

    async def scenario():
        watcher = WebsocketCommunicator(
            application, f"/ws/edycje/{edition.pk}/", headers=[ORIGIN]
        )
        connected, _ = await watcher.connect(TIMEOUT)
        assert connected
        first = await watcher.receive_output(TIMEOUT)
        redis_server.kill()
        # The layer's receive fails: closed cleanly, not left deaf.
        closed = await watcher.receive_output(TIMEOUT)
        await watcher.disconnect()
        return first, closed

    try:
        first, closed = async_to_sync(scenario)()
    finally:
        channel_layers.backends.pop("default", None)
    assert first["type"] == "websocket.send"
    assert closed == {"type": "websocket.close", "code": TRY_AGAIN_LATER}

"""Live seats through the site's ASGI application, with Channels' test communicator."""

import asyncio
import logging
import os

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from cms.asgi import application
from cms.settings.base import redis_channel_layer
from courses.broadcast import broadcaster
from courses.models import Enrolment, EnrolmentStatus
from courses.selectors import edition_seats
from courses.services import (
    edition_set_capacity,
    enrolment_create,
    enrolment_withdraw,
)
from tests.factories import EditionFactory, QuotaFactory, TraineeFactory

# The consumer reads the database from another thread, so the rows must be committed;
# serialized_rollback brings back the voivodeships the migrations created.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ORIGIN = (b"origin", b"http://localhost")
TIMEOUT = 5


@pytest.fixture
def edition():
    edition = EditionFactory(capacity=3)
    QuotaFactory(project=edition.project, size=10, regions=["śląskie"])
    return edition


def _communicator(path: str, *headers) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, path, headers=[ORIGIN, *headers])


def _watch(edition_id: int, *headers) -> WebsocketCommunicator:
    return _communicator(f"/ws/edycje/{edition_id}/", *headers)


def test_anonymous_visitor_gets_the_seats_at_once_in_polish(edition):
    enrolment_create(trainee=TraineeFactory(), edition=edition)

    async def scenario():
        watcher = _watch(edition.pk)
        connected, _ = await watcher.connect()
        assert connected
        first = await watcher.receive_json_from(TIMEOUT)
        await watcher.disconnect()
        return first

    assert async_to_sync(scenario)() == {
        "edition": edition.pk,
        "capacity": 3,
        "taken": 1,
        "left": 2,
        "waiting": 0,
        "left_label": "2 wolne miejsca",
        "capacity_label": "z 3",
        "waiting_label": "0 osób na liście rezerwowej",
    }


def test_labels_follow_the_language_cookie(edition):
    async def scenario():
        watcher = _watch(edition.pk, (b"cookie", b"django_language=en"))
        await watcher.connect()
        first = await watcher.receive_json_from(TIMEOUT)
        await watcher.disconnect()
        return first

    first = async_to_sync(scenario)()
    assert first["left_label"] == "3 seats left"
    assert first["capacity_label"] == "of 3"
    assert first["waiting_label"] == "0 people waiting"


def test_watchers_see_every_enrolment_and_withdrawal(edition):
    first, second = TraineeFactory(), TraineeFactory()

    async def scenario():
        watcher = _watch(edition.pk)
        await watcher.connect()
        seen = [await watcher.receive_json_from(TIMEOUT)]
        enrol = database_sync_to_async(enrolment_create)
        await enrol(trainee=first, edition=edition)
        seen.append(await watcher.receive_json_from(TIMEOUT))
        enrolment = await enrol(trainee=second, edition=edition)
        seen.append(await watcher.receive_json_from(TIMEOUT))
        await database_sync_to_async(enrolment_withdraw)(
            enrolment=enrolment, actor=None
        )
        seen.append(await watcher.receive_json_from(TIMEOUT))
        await watcher.disconnect()
        return seen

    seen = async_to_sync(scenario)()
    assert [(m["taken"], m["left"]) for m in seen] == [(0, 3), (1, 2), (2, 1), (1, 2)]
    assert [m["left_label"] for m in seen] == [
        "3 wolne miejsca",
        "2 wolne miejsca",
        "1 wolne miejsce",
        "2 wolne miejsca",
    ]


def test_a_full_edition_reports_its_waiting_list(edition):
    edition_set_capacity(edition=edition, capacity=1)
    enrolment_create(trainee=TraineeFactory(), edition=edition)
    late = TraineeFactory()
    # With the Redis layer these two changes are sent some 70 ms later from the
    # broadcaster's thread: a watcher connecting sooner would take that message
    # (no one waiting yet) for the late enrolment's.
    assert broadcaster.wait_idle(TIMEOUT)

    async def scenario():
        watcher = _watch(edition.pk)
        await watcher.connect()
        await watcher.receive_json_from(TIMEOUT)
        await database_sync_to_async(enrolment_create)(trainee=late, edition=edition)
        update = await watcher.receive_json_from(TIMEOUT)
        await watcher.disconnect()
        return update

    update = async_to_sync(scenario)()
    assert (update["left"], update["waiting"]) == (0, 1)
    assert update["left_label"] == "0 wolnych miejsc"
    assert update["waiting_label"] == "1 osoba na liście rezerwowej"


def test_nothing_a_client_sends_changes_anything(edition):
    async def scenario():
        watcher = _watch(edition.pk)
        await watcher.connect()
        await watcher.receive_json_from(TIMEOUT)
        await watcher.send_json_to({"edition": edition.pk, "taken": 0, "capacity": 99})
        closed = await watcher.receive_output(TIMEOUT)
        await watcher.wait()
        return closed

    assert async_to_sync(scenario)() == {"type": "websocket.close", "code": 4400}
    edition.refresh_from_db()
    assert edition.capacity == 3
    assert edition_seats(edition=edition).taken == 0
    assert not Enrolment.objects.exists()


def test_a_client_that_sends_does_not_disturb_other_watchers(edition):
    trainee = TraineeFactory()

    async def scenario():
        talker, listener = _watch(edition.pk), _watch(edition.pk)
        for watcher in (talker, listener):
            await watcher.connect()
            await watcher.receive_json_from(TIMEOUT)
        await talker.send_to(text_data="not even json")
        await talker.receive_output(TIMEOUT)
        await database_sync_to_async(enrolment_create)(trainee=trainee, edition=edition)
        update = await listener.receive_json_from(TIMEOUT)
        await listener.disconnect()
        return update

    assert async_to_sync(scenario)()["taken"] == 1


@pytest.mark.parametrize("published", [False, None])
def test_unknown_or_unpublished_edition_is_refused(edition, published):
    if published is False:
        edition.is_published = False
        edition.save(update_fields=["is_published"])
        edition_id = edition.pk
    else:
        edition_id = edition.pk + 1000

    async def scenario():
        watcher = _watch(edition_id)
        connected, _ = await watcher.connect()
        closed = await watcher.receive_output(TIMEOUT)
        await watcher.wait()
        return connected, closed

    connected, closed = async_to_sync(scenario)()
    assert connected  # accepted first, so the browser learns why and stops retrying
    assert closed == {"type": "websocket.close", "code": 4404}


def test_a_foreign_origin_is_refused(edition, monkeypatch):
    # Test settings allow every host; the validator copied ALLOWED_HOSTS when cms.asgi
    # was imported, so give it a production-like list here.
    validator = application.application_mapping["websocket"]
    monkeypatch.setattr(validator, "allowed_origins", ["localhost"])

    async def attempt(origin: bytes):
        watcher = WebsocketCommunicator(
            application, f"/ws/edycje/{edition.pk}/", headers=[(b"origin", origin)]
        )
        connected, _ = await watcher.connect()
        if connected:
            await watcher.disconnect()
        return connected

    assert async_to_sync(attempt)(b"https://evil.example") is False
    assert async_to_sync(attempt)(b"http://localhost") is True


def test_a_broken_channel_layer_never_breaks_the_enrolment(edition, settings, caplog):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # Nothing listens on port 1: every send fails at once.
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    with caplog.at_level(logging.ERROR, logger="courses.broadcast"):
        enrolment = enrolment_create(trainee=TraineeFactory(), edition=edition)
        assert broadcaster.wait_idle(TIMEOUT)  # sent from the broadcaster's thread

    assert enrolment.status == EnrolmentStatus.CONFIRMED
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()
    assert "Could not broadcast the seats" in caplog.text


@pytest.fixture
def redis_layer(settings):
    """The Redis channel layer, as in production (skipped without REDIS_URL)."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("needs REDIS_URL: the broadcaster serves the Redis layer")
    settings.CHANNEL_LAYERS = {
        "default": redis_channel_layer(url, prefix=f"test-seats-{os.getpid()}")
    }


def test_changes_within_the_window_reach_each_watcher_once(redis_layer, settings):
    """Coalesced per edition: one message per edition, with the seats after the last."""
    settings.COURSES_SEATS_COALESCE_MS = 300
    first = EditionFactory(capacity=3)
    QuotaFactory(project=first.project, size=50, regions=["śląskie"])
    second = EditionFactory(project=first.project, course=first.course, capacity=10)

    def enrol_all():
        for edition, n in ((first, 5), (second, 2)):
            for _ in range(n):
                enrolment_create(trainee=TraineeFactory(), edition=edition)

    async def until(watcher, taken, waiting):
        seen = [await watcher.receive_json_from(TIMEOUT)]
        while (seen[-1]["taken"], seen[-1]["waiting"]) != (taken, waiting):
            seen.append(await watcher.receive_json_from(TIMEOUT))
        return seen

    async def scenario():
        watchers = [_watch(first.pk), _watch(second.pk)]
        for watcher in watchers:
            await watcher.connect()
            await watcher.receive_json_from(TIMEOUT)  # the seats on connecting
        await database_sync_to_async(enrol_all)()
        streams = [await until(watchers[0], 3, 2), await until(watchers[1], 2, 0)]
        # Many changes marked at once (as a burst of commits): one flush, one message.
        flushes = broadcaster.flushes
        for _ in range(50):
            broadcaster.mark([first.pk, second.pk])
        burst = [await w.receive_json_from(TIMEOUT) for w in watchers]
        quiet = [await w.receive_nothing(0.5) for w in watchers]
        for watcher in watchers:
            await watcher.disconnect()
        return streams, burst, quiet, broadcaster.flushes - flushes

    streams, burst, quiet, flushes = async_to_sync(scenario)()
    # Every stream ends on the seats after its last change, never on an older count;
    # coalesced: no more messages than changes (plus at most one: a watcher joins its
    # group before its first read, so a flush of a change made before it connected,
    # the editions' creation, may still reach it).
    assert [len(s) <= n + 1 for s, n in zip(streams, (5, 2), strict=True)] == [
        True,
        True,
    ]
    assert [(m["edition"], m["taken"], m["waiting"]) for m in burst] == [
        (first.pk, 3, 2),
        (second.pk, 2, 0),
    ]
    assert quiet == [True, True]
    assert flushes == 1


def test_every_change_of_a_stream_is_followed_by_its_seats(redis_layer, settings):
    """Changes marked while a flush runs are sent by the next: the last one is never lost."""
    settings.COURSES_SEATS_COALESCE_MS = 1
    edition = EditionFactory(capacity=30)
    QuotaFactory(project=edition.project, size=50, regions=["śląskie"])
    people = [TraineeFactory() for _ in range(12)]

    async def scenario():
        watcher = _watch(edition.pk)
        await watcher.connect()
        await watcher.receive_json_from(TIMEOUT)
        enrol = database_sync_to_async(enrolment_create)
        for person in people:
            await enrol(trainee=person, edition=edition)
        taken = []
        while not taken or taken[-1] < 12:
            taken.append((await watcher.receive_json_from(TIMEOUT))["taken"])
        await watcher.disconnect()
        return taken

    taken = async_to_sync(scenario)()
    assert taken == sorted(taken) and taken[-1] == 12


def test_across_processes_only_the_first_mark_in_the_window_claims_the_edition(
    redis_layer, settings
):
    """What keeps N workers from each sending the same edition's seats N times."""
    from channels.layers import get_channel_layer

    from courses.broadcast import _claim

    layer = get_channel_layer()
    edition = EditionFactory()
    other = EditionFactory()
    window = 60_000  # the keys outlive the test: the second ask is surely inside
    assert _claim(layer, {edition.pk}, window) == {edition.pk}
    # Another process (or this one) marking the same edition now finds it claimed;
    # an edition not yet claimed in the window is its to send.
    assert _claim(layer, {edition.pk, other.pk}, window) == {other.pk}
    import redis
    from django.db import connection

    prefix = f"{layer.prefix}:seats:{connection.settings_dict['NAME']}"
    redis.Redis.from_url(os.environ["REDIS_URL"]).delete(
        f"{prefix}:{edition.pk}", f"{prefix}:{other.pk}"
    )


def test_seats_are_sent_from_a_thread_running_an_event_loop(
    edition, settings, monkeypatch, caplog
):
    """As in the browser tests: the test enrols in the thread where Playwright's sync
    API runs an event loop. The in-memory layer's send must not need AsyncToSync
    there (it refused: "Could not broadcast the seats ...")."""
    import asyncio

    from channels.layers import channel_layers, get_channel_layer

    from courses.signals import seats_changed

    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    }
    channel_layers.backends.clear()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    layer = get_channel_layer()

    async def scenario():
        channel = await layer.new_channel()
        await layer.group_add(f"edition-{edition.pk}", channel)
        # Plain sync code, called with this thread's loop running.
        seats_changed.send(sender=None, edition_ids=[edition.pk])
        return await asyncio.wait_for(layer.receive(channel), TIMEOUT)

    with caplog.at_level(logging.ERROR, logger="courses.broadcast"):
        message = asyncio.run(scenario())
    assert "Could not broadcast" not in caplog.text
    assert (message["type"], message["edition"], message["capacity"]) == (
        "seats.changed",
        edition.pk,
        3,
    )
    channel_layers.backends.clear()


def test_in_one_process_only_the_editions_someone_watches_are_read_and_sent(
    edition, settings, monkeypatch
):
    """The in-memory layer is heard by this process only: a sync worker without
    watchers spends no seats read and no send on an enrolment, while a watcher of one
    edition still gets every change of it, and the other edition costs nothing."""
    from channels.layers import channel_layers

    from courses import broadcast

    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    }
    channel_layers.backends.clear()
    other = EditionFactory(capacity=3, project=edition.project)
    read: list[list[int]] = []
    real = broadcast._messages
    monkeypatch.setattr(
        broadcast, "_messages", lambda ids: read.append(sorted(ids)) or real(ids)
    )

    enrolment_create(trainee=TraineeFactory(), edition=edition)
    enrolment_create(trainee=TraineeFactory(), edition=other)
    assert read == []  # nobody watches: nothing read, nothing sent

    @database_sync_to_async
    def enrol(into):
        enrolment_create(trainee=TraineeFactory(), edition=into)

    async def watch_then_enrol():
        watcher = _watch(edition.pk)
        await watcher.connect()
        first = await watcher.receive_json_from(TIMEOUT)
        await enrol(edition)
        await enrol(other)
        after = await watcher.receive_json_from(TIMEOUT)
        await watcher.disconnect()
        return first, after

    first, after = async_to_sync(watch_then_enrol)()
    assert (first["taken"], after["taken"]) == (1, 2)
    assert read == [[edition.pk]]  # the watched edition only
    channel_layers.backends.clear()


def test_watchers_connecting_together_share_the_first_read(edition):
    """Many watchers at once (a shared link, every browser reconnecting after a
    restart): one query answers all who asked while the previous one ran, instead of
    one per watcher queued on the process's database thread."""
    from courses.consumers import seats_reads

    enrolment_create(trainee=TraineeFactory(), edition=edition)
    hidden = EditionFactory(project=edition.project, is_published=False)

    async def scenario():
        watchers = [_watch(edition.pk) for _ in range(20)]
        refused = _watch(hidden.pk)
        await asyncio.gather(*(w.connect() for w in [*watchers, refused]))
        firsts = [await w.receive_json_from(TIMEOUT) for w in watchers]
        closed = await refused.receive_output(TIMEOUT)
        for watcher in watchers:
            await watcher.disconnect()
        return firsts, closed, seats_reads().reads

    firsts, closed, reads = async_to_sync(scenario)()
    assert {(m["edition"], m["taken"], m["left"]) for m in firsts} == {
        (edition.pk, 1, 2)
    }
    # Still checked per watcher: the unpublished edition is refused in the same reads.
    assert closed == {"type": "websocket.close", "code": 4404}
    assert reads <= 10  # 21 watchers


def test_the_sites_layer_lets_many_joins_wait_for_a_connection(redis_layer, settings):
    """Past the pool's size, commands wait for a free connection instead of failing
    with "Too many connections" (redis-py's plain pool: 100 per process)."""
    from django.utils.module_loading import import_string

    config = redis_channel_layer(
        os.environ["REDIS_URL"], prefix=f"test-pool-{os.getpid()}", pool_size=2
    )
    layer = import_string(config["BACKEND"])(**config["CONFIG"])

    async def scenario():
        channels = [await layer.new_channel() for _ in range(40)]
        await asyncio.gather(*(layer.group_add("crowd", c) for c in channels))
        pool = layer.connection(0).connection_pool
        try:
            return len(channels), pool.max_connections
        finally:
            await layer.flush()
            await layer.close_pools()

    assert asyncio.run(scenario()) == (40, 2)

"""A websocket's channel-layer receive survives a Redis that answers late.

channels_redis waits for a message with a blocking BZPOPMIN of 5 s; redis-py gives
each connection a 5 s socket timeout by default. When the empty answer to the
blocking call came a little after 5 s (a loaded Redis, a loaded ASGI process), the
read timed out and the receive raised `redis.exceptions.TimeoutError: Timeout
reading from ...`, which closed the websocket (seen with 300 watchers on one ASGI
process: the first client closed 5-6 s after it connected).

Here a throwaway Redis (its own process on a free port, as tests/redis_server.py
starts them, with the DEBUG command enabled) is made to answer late on purpose: just
before the blocking call's 5 s end, `DEBUG SLEEP` freezes it for a second. With the
site's channel-layer configuration the receive keeps waiting and gets the message sent
after it; with redis-py's default socket timeout the same receive fails (the second
test shows the failure is real).
"""

import asyncio
import shutil

import pytest
import redis
import redis.asyncio
from channels_redis.core import RedisChannelLayer
from django.utils.module_loading import import_string

from cms.settings.base import redis_channel_layer
from tests.redis_server import RedisServer

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="needs the redis-server binary"
)


@pytest.fixture(scope="module")
def slow_redis(tmp_path_factory):
    """A private redis-server with DEBUG enabled, one per module; its URL."""
    server = RedisServer(
        tmp_path_factory.mktemp("slow-redis"),
        options=("--enable-debug-command", "yes"),
    )
    server.start()
    try:
        yield server.url
    finally:
        server.kill()


def _layer(config: dict) -> RedisChannelLayer:
    return import_string(config["BACKEND"])(**config["CONFIG"])


async def _receive_through_a_late_answer(layer: RedisChannelLayer, url: str):
    """Receive on a process-local channel while Redis freezes around the 5 s mark."""
    channel = await layer.new_channel()
    receiving = asyncio.ensure_future(layer.receive(channel))
    # The blocking call's empty answer is due at 5 s: freeze Redis from 4.7 s to 6.2 s.
    await asyncio.sleep(4.7)
    freezer = redis.asyncio.Redis.from_url(url, socket_timeout=30)
    try:
        await freezer.execute_command("DEBUG", "SLEEP", "1.5")
    finally:
        await freezer.aclose()
    await asyncio.sleep(0.5)
    await layer.send(channel, {"type": "seats.changed", "edition": 1})
    try:
        return await asyncio.wait_for(receiving, timeout=10)
    finally:
        await layer.flush()
        await layer.close_pools()


def test_the_sites_channel_layer_keeps_receiving_when_redis_answers_late(slow_redis):
    layer = _layer(redis_channel_layer(slow_redis, prefix="test-late"))
    message = asyncio.run(_receive_through_a_late_answer(layer, slow_redis))
    assert message == {"type": "seats.changed", "edition": 1}


def test_with_redis_pys_default_timeout_the_same_receive_fails(slow_redis):
    """The failure the configuration removes: the layer as it was configured before."""
    layer = RedisChannelLayer(hosts=[slow_redis], prefix="test-late-default")
    with pytest.raises(redis.exceptions.TimeoutError):
        asyncio.run(_receive_through_a_late_answer(layer, slow_redis))

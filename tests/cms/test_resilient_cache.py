"""The default cache keeps answering while Redis is down, and comes back clean.

Real sockets and a real redis-server (tests/redis_server.py): a port nobody listens on
(connection refused), a listener that accepts and never answers (a hung Redis), and a
redis-server frozen with SIGSTOP and thawed again.
"""

import logging
import socket
import threading
import time

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from cms.cache import ResilientRedisCache
from tests.redis_server import free_port, redis_server  # noqa: F401 - fixture

TIMEOUT = 0.2


def _cache(
    url: str, retry_after: float = 30.0, prefix: str = ""
) -> ResilientRedisCache:
    return ResilientRedisCache(
        url,
        {
            "KEY_PREFIX": prefix or f"t{time.monotonic_ns()}",
            "OPTIONS": {
                "socket_connect_timeout": TIMEOUT,
                "socket_timeout": TIMEOUT,
                "RETRY_AFTER": retry_after,
            },
        },
    )


def _refused_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"  # bound and released: nobody listens


class SilentListener:
    """Accepts TCP connections and never answers; counts them."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.socket.getsockname()[1]}/0"

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self):
        self.socket.close()
        for connection in self.accepted:
            connection.close()


def test_django_redis_cache_raises_when_redis_is_down():
    # What the site used before: every page reading the cache failed with a 500.
    plain = RedisCache(_refused_url(), {"OPTIONS": {"socket_connect_timeout": TIMEOUT}})
    with pytest.raises(redis.exceptions.ConnectionError):
        plain.get("anything")


def test_an_unreachable_redis_is_a_miss_then_the_process_memory():
    cache = _cache(_refused_url())
    assert cache.get("site-roots", "missing") == "missing"
    assert cache.is_down
    cache.set("site-roots", ["/"], 60)
    assert cache.get("site-roots") == ["/"]
    assert cache.get_many(["site-roots", "other"]) == {"site-roots": ["/"]}
    assert cache.has_key("site-roots")
    cache.delete("site-roots")
    assert cache.get("site-roots") is None
    # A rate limit keeps counting, in this process.
    assert cache.add("lookups:203.0.113.7", 0, 600) is True
    assert [cache.incr("lookups:203.0.113.7") for _ in range(3)] == [1, 2, 3]
    assert cache.add("lookups:203.0.113.7", 0, 600) is False
    with pytest.raises(ValueError):
        cache.incr("never-set")
    cache.set_many({"a": 1, "b": 2})
    cache.delete_many(["a"])
    assert cache.get_many(["a", "b"]) == {"b": 2}
    assert cache.get_or_set("c", 3) == 3


def test_the_breaker_costs_a_hung_redis_one_timeout_not_one_per_call(caplog):
    listener = SilentListener()
    try:
        cache = _cache(listener.url, retry_after=60)
        with caplog.at_level(logging.WARNING, logger="cms.cache"):
            for number in range(20):
                cache.set(f"k{number}", number)
                assert cache.get(f"k{number}") == number
        # One connection tried (and timed out); the 39 other calls stayed in memory.
        assert len(listener.accepted) == 1
        warnings = [r for r in caplog.records if r.name == "cms.cache"]
        assert len(warnings) == 1
        assert "unreachable" in warnings[0].getMessage()
    finally:
        listener.close()


def test_every_thread_of_the_process_shares_the_breaker():
    listener = SilentListener()
    try:
        url = listener.url
        prefix = f"shared{time.monotonic_ns()}"
        _cache(url, retry_after=60, prefix=prefix).get("x")  # trips it
        results = []

        def other_thread():
            # Django gives each thread its own cache object: same address, same breaker.
            results.append(_cache(url, retry_after=60, prefix=prefix).get("x", "miss"))

        threads = [threading.Thread(target=other_thread) for _ in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert results == ["miss"] * 5
        assert len(listener.accepted) == 1
    finally:
        listener.close()


def test_a_hung_redis_then_back_serves_again_without_what_changed_meanwhile(
    redis_server,  # noqa: F811 - fixture
    caplog,
):
    cache = _cache(redis_server.url, retry_after=0.3)
    raw = redis_server.client()
    cache.set("site-roots", "before the outage")
    cache.set("untouched", "kept")
    assert raw.exists(cache.make_key("site-roots"))

    redis_server.freeze()
    try:
        # The first call waits for its timeout (what it sent, Redis runs once thawed)
        # and opens the breaker; the next ones stay in memory.
        assert cache.get("anything") is None
        assert cache.is_down
        # A site saved during the outage deletes the site roots: in memory only.
        cache.delete("site-roots")
        assert cache.get("site-roots") is None
        cache.set("written-meanwhile", "in memory")
        assert cache.get("written-meanwhile") == "in memory"
        assert cache.is_down
    finally:
        redis_server.thaw()

    time.sleep(0.4)  # past RETRY_AFTER: the next call tries Redis again
    with caplog.at_level(logging.WARNING, logger="cms.cache"):
        # Not the value from before the outage, which Redis still holds...
        assert cache.get("site-roots") is None
    assert not cache.is_down
    assert "answers again" in caplog.text
    # ...because every key changed meanwhile was dropped from Redis first.
    assert not raw.exists(cache.make_key("site-roots"))
    assert not raw.exists(cache.make_key("written-meanwhile"))
    assert cache.get("written-meanwhile") is None  # memory emptied too
    assert cache.get("untouched") == "kept"
    cache.set("after", "in Redis")
    assert raw.get(cache.make_key("after")) is not None


def test_a_killed_redis_restarted_is_used_again(redis_server):  # noqa: F811
    cache = _cache(redis_server.url, retry_after=0.3)
    cache.set("count", 1)
    redis_server.kill()
    assert cache.get("count") is None
    assert cache.add("count", 5) is True
    assert cache.get("count") == 5
    redis_server.start()
    time.sleep(0.4)
    assert cache.get("count") is None  # Redis lost it; memory was dropped
    assert cache.add("count", 7) is True
    assert redis_server.client().exists(cache.make_key("count"))

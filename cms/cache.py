"""The default cache: Redis, shared by every process, and the process's memory while it is down.

What lives in the cache can be lost (Wagtail's site roots, rate-limit counts, what
pages choose to keep), so an unreachable Redis must never turn a page into a 500:

- short socket timeouts (0.5 s to connect and to answer, unless OPTIONS say otherwise),
  so a Redis that hangs costs a request half a second at most;
- a circuit breaker per process and Redis address: after a failure every thread of
  the process goes to its own in-memory cache (LocMemCache) for RETRY_AFTER seconds
  (default 5) without touching the network; then one request tries Redis again, the
  others keep to memory until it answers;
- rate limits therefore fail open, but not to nothing: while Redis is down each process
  counts on its own (N workers allow up to N times the budget), and Redis's counts start
  again from where Redis left them when it returns;
- nothing stale after the outage: every key written or deleted in memory meanwhile is
  deleted from Redis before Redis is used again (e.g. a site saved during the outage
  deleted Wagtail's site roots in memory only), and the memory is emptied;
- one warning per LOG_INTERVAL seconds (default 60) while it is down, one when it
  answers again; the address is logged without its password.

cms/settings/base.py sets it as the default cache when REDIS_URL is set.
"""

import logging
import math
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# What an unreachable or hanging Redis raises (redis-py wraps socket errors; OSError
# for what slips through, e.g. a DNS failure while connecting).
UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
DEFAULT_SOCKET_TIMEOUT = 0.5
DEFAULT_RETRY_AFTER = 5.0
DEFAULT_LOG_INTERVAL = 60.0
# Keys remembered for deletion on recovery; past this, the rest are logged as possibly
# stale (they expire with their timeout).
MAX_PENDING = 10_000

T = TypeVar("T")


def _safe_address(server: Any) -> str:
    """host:port/db of each server, never a password."""
    servers = [server] if isinstance(server, str) else list(server)
    shown = []
    for each in servers:
        for part in str(each).replace(";", ",").split(","):
            parts = urlsplit(part.strip())
            shown.append(f"{parts.hostname}:{parts.port or 6379}{parts.path}")
    return ",".join(shown)


class _Breaker:
    """Shared by every thread of the process that uses one Redis address."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0
        self.probing = False
        self.pending: set[str] = set()
        self.overflow = 0
        self.logged_at = -math.inf
        self.failures = 0


_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(key: str) -> _Breaker:
    with _breakers_lock:
        return _breakers.setdefault(key, _Breaker())


class _ReusingClient(RedisCacheClient):
    """Django's client, with one redis.Redis per connection pool instead of one per call.

    Django builds a new redis.Redis on every cache call, and redis-py fills its table of
    response callbacks each time (0.18 ms of CPU per GET against 0.11 ms with a client
    kept, redis-py 8.1, measured 3 December 2026; a signed-in page makes about a dozen
    calls). The client holds no connection of its own: the pool does, as before.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}  # id of the pool -> its client

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # Django's choice of server and pool
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, degrading to the process's memory while Redis is unreachable."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", DEFAULT_RETRY_AFTER))
        self.log_interval = float(options.pop("LOG_INTERVAL", DEFAULT_LOG_INTERVAL))
        options.setdefault("socket_connect_timeout", DEFAULT_SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", DEFAULT_SOCKET_TIMEOUT)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _ReusingClient
        self.address = _safe_address(server)
        identity = f"{server!r}|{params.get('KEY_PREFIX', '')}"
        self._breaker = _breaker_for(identity)
        # Same prefix, version and key function: the same keys, in memory.
        self._local = LocMemCache(
            f"cms.cache.fallback:{identity}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "KEY_FUNCTION": params.get("KEY_FUNCTION"),
                "OPTIONS": {"MAX_ENTRIES": MAX_PENDING},
            },
        )

    # -- the breaker ---------------------------------------------------------------

    @property
    def is_down(self) -> bool:
        """Whether this process currently treats Redis as unreachable."""
        return self._breaker.down

    def _admit(self, written: list[str]) -> str:
        """ "redis" (closed), "probe" (this call tries Redis again) or "local".

        For "local", the keys this call writes are remembered under the same lock that
        decided it, so that a recovery in another thread cannot miss them.
        """
        breaker = self._breaker
        with breaker.lock:
            if not breaker.down:
                return "redis"
            if breaker.probing or time.monotonic() < breaker.retry_at:
                self._remember(written)
                return "local"
            breaker.probing = True
            return "probe"

    def _trip(self, error: BaseException, written: list[str]) -> None:
        breaker = self._breaker
        now = time.monotonic()
        with breaker.lock:
            self._remember(written)
            first = not breaker.down
            breaker.down = True
            breaker.probing = False
            breaker.retry_at = now + self.retry_after
            breaker.failures += 1
            log = first or now - breaker.logged_at >= self.log_interval
            if log:
                breaker.logged_at = now
        if log:
            logger.warning(
                "Cache: Redis at %s is unreachable (%s: %s); this process keeps its "
                "cache in memory and tries Redis again every %s s",
                self.address,
                type(error).__name__,
                error,
                self.retry_after,
            )

    def _recover(self) -> None:
        """Before Redis serves again: drop from it what changed in memory meanwhile."""
        breaker = self._breaker
        client = self._cache
        client.get_client(write=True).ping()
        while True:
            with breaker.lock:
                keys = list(breaker.pending)
                breaker.pending.clear()
                if not keys:
                    # Decided under the lock: no thread adds a key to drop after this.
                    breaker.down = False
                    breaker.probing = False
                    breaker.failures = 0
                    overflow, breaker.overflow = breaker.overflow, 0
                    break
            try:
                client.delete_many(keys)
            except BaseException:
                with breaker.lock:
                    breaker.pending.update(keys)
                raise
        self._local.clear()
        logger.warning(
            "Cache: Redis at %s answers again; keys changed during the outage were "
            "dropped from it%s",
            self.address,
            f" ({overflow} beyond the first {MAX_PENDING} may be stale until they "
            "expire)"
            if overflow
            else "",
        )

    def _remember(self, keys: list[str]) -> None:
        """Keys to drop from Redis when it returns (the caller holds the lock)."""
        breaker = self._breaker
        for key in keys:
            if len(breaker.pending) < MAX_PENDING:
                breaker.pending.add(key)
            else:
                breaker.overflow += 1

    def _run(
        self,
        on_redis: Callable[[], T],
        on_local: Callable[[], T],
        written: Iterable[Any] = (),
        version: int | None = None,
    ) -> T:
        keys = [self.make_key(key, version=version) for key in written]
        mode = self._admit(keys)
        if mode == "local":
            return on_local()
        try:
            if mode == "probe":
                self._recover()
            return on_redis()
        except UNREACHABLE as error:
            self._trip(error, keys)
            return on_local()
        finally:
            if mode == "probe":
                with self._breaker.lock:
                    self._breaker.probing = False

    # -- the cache API -------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
            lambda: self._local.add(key, value, timeout, version),
            [key],
            version,
        )

    def get(self, key, default=None, version=None):
        return self._run(
            lambda: super(ResilientRedisCache, self).get(key, default, version),
            lambda: self._local.get(key, default, version),
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run(
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
            lambda: self._local.set(key, value, timeout, version),
            [key],
            version,
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
            lambda: self._local.touch(key, timeout, version),
            [key],
            version,
        )

    def delete(self, key, version=None):
        return self._run(
            lambda: super(ResilientRedisCache, self).delete(key, version),
            lambda: self._local.delete(key, version),
            [key],
            version,
        )

    def get_many(self, keys, version=None):
        keys = list(keys)
        return self._run(
            lambda: super(ResilientRedisCache, self).get_many(keys, version),
            lambda: self._local.get_many(keys, version),
        )

    def has_key(self, key, version=None):
        return self._run(
            lambda: super(ResilientRedisCache, self).has_key(key, version),
            lambda: self._local.has_key(key, version),
        )

    def incr(self, key, delta=1, version=None):
        return self._run(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version),
            lambda: self._local.incr(key, delta, version),
            [key],
            version,
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        data = dict(data)
        return self._run(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            lambda: self._local.set_many(data, timeout, version),
            list(data),
            version,
        )

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._run(
            lambda: super(ResilientRedisCache, self).delete_many(keys, version),
            lambda: self._local.delete_many(keys, version),
            keys,
            version,
        )

    def clear(self):
        # Only memory is cleared while Redis is down; Redis is not cleared later.
        return self._run(
            lambda: super(ResilientRedisCache, self).clear(), self._local.clear
        )

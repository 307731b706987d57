"""The Redis channel layer of every process: a bounded pool that callers wait for.

channels_redis builds each process's pool with redis-py's plain ConnectionPool, which
since redis-py 6 holds at most 100 connections and raises `MaxConnectionsError: Too
many connections` for the 101st caller at once. Hundreds of websockets joining their
groups together (a page shared, an ASGI process restarted and every browser
reconnecting) each ran a command at the same moment: past 100 the joins failed and
the watchers were told to try again later. Here the pool is a BlockingConnectionPool:
at most CHANNEL_LAYER_POOL_SIZE connections per process, and a caller finding them
all busy waits up to CHANNEL_LAYER_POOL_TIMEOUT seconds for one (commands take well
under a millisecond) instead of failing, so Redis sees a few dozen connections per
process however many watch.
"""

from typing import Any

from channels_redis.core import RedisChannelLayer
from redis.asyncio import BlockingConnectionPool

DEFAULT_POOL_SIZE = 50
DEFAULT_POOL_TIMEOUT = 5.0


class PooledRedisChannelLayer(RedisChannelLayer):
    """channels_redis' layer with a bounded, waiting connection pool per host."""

    def __init__(
        self,
        *args: Any,
        pool_size: int = DEFAULT_POOL_SIZE,
        pool_timeout: float = DEFAULT_POOL_TIMEOUT,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.pool_size = pool_size
        self.pool_timeout = pool_timeout

    def create_pool(self, index: int):
        host = dict(self.hosts[index])
        address = host.pop("address", None)
        if address is None:  # sentinels or host/port: channels_redis' own pool
            return super().create_pool(index)
        return BlockingConnectionPool.from_url(
            address,
            max_connections=self.pool_size,
            timeout=self.pool_timeout,
            **host,
        )

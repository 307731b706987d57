"""Test settings whose cache is Redis, as in production: rate limits shared by processes."""

import os

from cms.settings.test import *  # noqa: F403
from cms.settings.test import REDIS_URL

CACHES = {
    "default": {
        "BACKEND": "cms.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        # One run's keys apart from another's (xdist workers, other test runs).
        "KEY_PREFIX": os.environ.get("SHARED_CACHE_PREFIX", "shared-cache-test"),
    }
}

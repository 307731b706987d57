"""Test settings with the production cache and channel layer (REDIS_URL must be set).

For server processes started by tests/cms/test_redis_outage.py: cms.settings.test keeps
a per-process cache and a per-process channel-layer prefix; here every process shares
the Redis of REDIS_URL exactly as production configures it (cms/settings/base.py).
"""

import copy
import os

from cms.settings import base
from cms.settings.test import *  # noqa: F403

assert base.REDIS_URL, "REDIS_URL must name the test's own Redis"
CACHES = copy.deepcopy(base.CACHES)
CHANNEL_LAYERS = copy.deepcopy(base.CHANNEL_LAYERS)
CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = os.environ.get(
    "REDIS_OUTAGE_PREFIX", "outage"
)

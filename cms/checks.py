"""Deployment checks of the site's own (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Warning

PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def shared_rate_limits(app_configs, **kwargs) -> list[Warning]:
    """Rate limits live in the default cache: it must be one that every worker shares."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PROCESS_LOCAL_CACHES:
        return [
            Warning(
                "The default cache is local to each process, so every worker counts "
                "its own rate limits (logins, sign-ups, password resets, certificate "
                "lookups) and N workers allow N times as many attempts.",
                hint="Set REDIS_URL: the cache then lives in Redis, shared by all.",
                id="cms.W001",
            )
        ]
    return []

"""With the production cache and channel layer on a Redis that dies, the site keeps
serving: every HTML page, login included, the certificate check (rate-limited through
the cache), an enrolment (its seats broadcast goes through Redis); when Redis comes
back, the cache is Redis again.

A real redis-server of the test's own (tests/redis_server.py), killed with SIGKILL; the
settings are the production ones of cms/settings/base.py pointed at it.
"""

import time

import pytest
from channels.layers import channel_layers
from django.core.cache import cache

from certificates.models import Certificate
from courses.models import Edition, Enrolment
from tests.redis_server import redis_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

TRAINEE = ("uczestnik@szkolenia.test", "uczestnik-demo-2026")


@pytest.fixture
def production_redis(settings, redis_server):  # noqa: F811
    """The production cache and channel layer, both on the test's own Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": f"outage{time.monotonic_ns()}",
            "OPTIONS": {
                "socket_connect_timeout": 0.3,
                "socket_timeout": 0.3,
                "RETRY_AFTER": 0.5,
            },
        }
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_server.url], "prefix": "outage"},
        }
    }
    channel_layers.backends.pop("default", None)
    yield redis_server
    channel_layers.backends.pop("default", None)


def _pages(client) -> dict[str, int]:
    certificate = Certificate.objects.filter(revoked_at__isnull=True).first()
    assert certificate is not None, "the demo issues certificates"
    edition = Edition.objects.get(code="ZOUS-ONL-01")
    paths = [
        "/",
        "/terminy/",
        "/konto/login/",
        "/admin/login/",
        "/zaswiadczenia/weryfikacja/",
        f"/zaswiadczenia/weryfikacja/{certificate.code}/",
        f"/edycje/{edition.pk}/",
        "/szukaj/?q=us%C5%82ugi",
    ]
    return {path: client.get(path, follow=True).status_code for path in paths}


def test_every_page_and_the_login_work_while_redis_is_down_and_after(
    client, demo_data, production_redis
):
    with_redis = _pages(client)
    assert set(with_redis.values()) == {200}, with_redis
    assert production_redis.client().dbsize() > 0  # the pages did use Redis

    production_redis.kill()
    assert _pages(client) == with_redis

    logged_in = client.post(
        "/konto/login/", {"login": TRAINEE[0], "password": TRAINEE[1]}
    )
    assert logged_in.status_code == 302 and "_auth_user_id" in client.session
    mine = client.get("/moje-szkolenia/")
    assert mine.status_code == 200
    assert "Moje szkolenia" in mine.content.decode()

    # An enrolment, whose seats broadcast cannot reach Redis, is taken all the same.
    edition = Edition.objects.get(code="ZOUS-ONL-01")  # open, the trainee qualifies
    before = Enrolment.objects.filter(trainee__user__email=TRAINEE[0]).count()
    taken = client.post(f"/edycje/{edition.pk}/zapisz/")
    assert taken.status_code == 302
    assert Enrolment.objects.filter(trainee__user__email=TRAINEE[0]).count() == (
        before + 1
    )
    assert Enrolment.objects.get(
        edition=edition, trainee__user__email=TRAINEE[0]
    ).status in {"confirmed", "pending"}

    production_redis.start()
    time.sleep(0.6)  # the breaker's RETRY_AFTER
    assert _pages(client) == with_redis
    cache.set("after-the-outage", "in Redis")
    assert production_redis.client().exists(cache.make_key("after-the-outage"))

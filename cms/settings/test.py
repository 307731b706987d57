"""Test settings: fast hashing, an in-memory outbox, the same database switch as everywhere."""

import hashlib
import os

from .base import *  # noqa: F403
from .base import BASE_DIR, CHANNEL_LAYERS, DATABASES, env

# Checkouts that share /tmp may run in separate PID namespaces, where process ids
# repeat: the checkout's path keeps their test databases apart.
CHECKOUT = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]

SECRET_KEY = "test-only-insecure-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default="/tmp/szkolenia-test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Tests log staff in with force_login; the MFA tests switch the requirement on.
STAFF_MFA_REQUIRED = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that a separate ASGI server process can share it.
    # Per process, so parallel runs never share one; DJANGO_TEST_DB pins it for a child.
    DATABASES["default"]["TEST"] = {
        "NAME": env.str(
            "DJANGO_TEST_DB",
            default=f"/tmp/szkolenia-test-{CHECKOUT}-{os.getpid()}.sqlite3",
        )
    }
if "CONFIG" in CHANNEL_LAYERS["default"]:
    # One Redis serves every test process (xdist workers, parallel runs): a prefix
    # per process keeps their groups apart, as the per-process database does.
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"test-{os.getpid()}"
# Each test process keeps its own cache: a shared Redis cache would carry Wagtail's
# cached site roots and rate-limit counters from one test (and one worker) to another.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PRIVATE_MEDIA_S3 = None  # the S3 tests switch it on with their own server

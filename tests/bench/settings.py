"""Benchmark settings: production's, plus the bench-only ceiling endpoint, over plain HTTP."""

from cms.settings.production import *  # noqa: F403
from cms.settings.production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.bench.ceiling"]
ROOT_URLCONF = "tests.bench.urls"
# The load runs over plain HTTP on 127.0.0.1 and renders no page, so neither the HTTPS
# redirect nor the collected static manifest is needed.
SECURE_SSL_REDIRECT = False
# Enrolment e-mails are rendered as in production but not delivered: no mail server here.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

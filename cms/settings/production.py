"""Production: everything from the environment; refuses to start with a weak secret key."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEFAULT_STORAGE, SECRET_KEY, env

if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-", "test-", "django-insecure")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters."
    )

# Every link printed on a certificate or sent by e-mail starts with this address; a
# certificate with a wrong one is a permanent defect, so there is no default.
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="")
_base = urlsplit(WAGTAILADMIN_BASE_URL)
if _base.scheme not in ("http", "https") or not _base.hostname or _base.path.strip("/"):
    raise ImproperlyConfigured(
        "WAGTAILADMIN_BASE_URL must be set to the site's public address, "
        "e.g. https://szkolenia.rops.pl (scheme and host, no path)."
    )
if not env.list("PRIVACY_ENCRYPTION_KEYS", default=[]) or not env.str(
    "PRIVACY_HASH_KEY", default=""
):
    raise ImproperlyConfigured(
        "PRIVACY_ENCRYPTION_KEYS (Fernet keys, newest first) and PRIVACY_HASH_KEY "
        "must be set: PESEL numbers and scans are encrypted with them."
    )

DEBUG = False
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Two-step verification for everyone who reaches personal data: not switchable here.
STAFF_MFA_REQUIRED = True
STORAGES = {
    "default": DEFAULT_STORAGE,  # the media folder, or MEDIA_S3_BUCKET
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# HSTS on by default: a year, subdomains included, eligible for the browsers' preload
# list (being eligible submits nothing). Lower DJANGO_HSTS_SECONDS only while moving a
# site to HTTPS.
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

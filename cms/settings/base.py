"""Settings shared by every environment; everything configurable comes from the environment."""

from pathlib import Path
from typing import Any

import environ
from csp.constants import NONCE, NONE, REPORT_SAMPLE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# Development defaults live in dev.py/test.py; production.py refuses to start without a real key.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",
    "cms",
    "cms.workers",
    "courses",
    "certificates",
    "evaluation",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "import_export",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "auditlog",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",  # its widget templates, for the TemplatesSetting renderer
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "courses.links.RequestBaseUrlMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.middleware.FramingPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",  # who made a change, for the history
    "cms.mfa.StaffMFAMiddleware",
    # Whole anonymous course and edition pages (cms/anonymous_cache.py): inside
    # every middleware that adds to a response (CSRF cookie, CSP, framing, language).
    "cms.anonymous_cache.AnonymousPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site_navigation",
                "cms.context_processors.seat",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Form widgets render through TEMPLATES, so templates/wagtailadmin/widgets/ overrides
# Wagtail's date pickers (no inline script: see cms/csp.py).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "cms.wsgi.application"
ASGI_APPLICATION = "cms.asgi.application"

# Database: SQLite file by default, PostgreSQL (or any) through DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
    # BEGIN so concurrent writers queue on the busy timeout instead of failing with
    # "database is locked" when a read transaction tries to upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=30000;"
        ),
    }
else:
    DATABASES["default"].setdefault(
        "CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60)
    )
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# The hottest reads of enrolment and of the signed-in pages are prepared once per
# PostgreSQL connection (courses.prepared.statement_cursor); off behind a pooler in
# transaction mode that does not carry prepared statements (PgBouncer before 1.21).
COURSES_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
# A streaming replica for the reports (courses.replica): partners' exports and the
# funder's dashboard read there; writes, locks and everything else stay on "default".
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"].setdefault(
        "CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60)
    )
    DATABASES["replica"].setdefault("CONN_HEALTH_CHECKS", True)
    # Tests: the same database as "default", not a second one to create.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["courses.replica.ReplicaRouter"]
    COURSES_REPORTS_DATABASE = "replica"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# How long an enrolment service waits for a row lock on PostgreSQL before it answers
# "busy, try again" instead of hanging behind a stuck transaction.
COURSES_LOCK_TIMEOUT_MS = env.int("COURSES_LOCK_TIMEOUT_MS", default=5000)
# Live seats: changes within this window are sent to the watchers once, per edition.
COURSES_SEATS_COALESCE_MS = env.int("COURSES_SEATS_COALESCE_MS", default=50)
# While a page's websocket is down (e.g. Redis unreachable) it polls the seats' JSON
# this often; a watcher renews its group membership this often (a restarted Redis has
# forgotten the groups).
COURSES_SEATS_POLL_SECONDS = env.int("COURSES_SEATS_POLL_SECONDS", default=15)
COURSES_WS_MEMBERSHIP_SECONDS = env.int("COURSES_WS_MEMBERSHIP_SECONDS", default=20)

# Personal data at rest (courses/crypto.py): Fernet keys, newest first (the first
# encrypts, all decrypt), and the HMAC key of the PESEL lookups. Empty: derived from
# the secret key (development only; production refuses to start without them).
COURSES_ENCRYPTION_KEYS = env.list("PRIVACY_ENCRYPTION_KEYS", default=[])
COURSES_HASH_KEY = env.str("PRIVACY_HASH_KEY", default="")
# The controller trainees see in "who accessed my data" for the operator's own staff.
COURSES_OPERATOR_NAME = env.str(
    "PRIVACY_OPERATOR_NAME", default="Regionalny Ośrodek Polityki Społecznej"
)

# Channels: in-memory in one process by default, Redis for any number of workers.
REDIS_URL = env.str("REDIS_URL", default="")
# Seconds a channel-layer read waits for Redis: above channels_redis' 5 s blocking
# receive, so an idle receive is never cut off (see redis_channel_layer).
CHANNEL_LAYER_SOCKET_TIMEOUT = env.float("CHANNEL_LAYER_SOCKET_TIMEOUT", default=15.0)
# Redis connections per process and seconds a command waits for a free one
# (cms/channel_layers.py): many websockets joining at once wait their turn instead
# of failing with "Too many connections".
CHANNEL_LAYER_POOL_SIZE = env.int("CHANNEL_LAYER_POOL_SIZE", default=50)
CHANNEL_LAYER_POOL_TIMEOUT = env.float("CHANNEL_LAYER_POOL_TIMEOUT", default=5.0)


def redis_channel_layer(url: str, **config: Any) -> dict[str, Any]:
    """The Redis channel layer on `url`, as every process of the site uses it.

    redis-py (since 6) gives each connection a 5 s socket timeout, the same as the
    layer's blocking receive (BZPOPMIN with 5 s): under load the empty answer came a
    little late, the receive raised `TimeoutError: Timeout reading from ...` and the
    ASGI server closed the websockets waiting on it. Reads wait longer than the
    blocking call; connecting still gives up after 5 s. At most
    CHANNEL_LAYER_POOL_SIZE connections per process, callers waiting for a free one
    (cms/channel_layers.py).
    """
    host = {
        "address": url,
        "socket_timeout": CHANNEL_LAYER_SOCKET_TIMEOUT,
        "socket_connect_timeout": 5,
        "socket_keepalive": True,
    }
    return {
        "BACKEND": "cms.channel_layers.PooledRedisChannelLayer",
        "CONFIG": {
            "hosts": [host],
            "pool_size": CHANNEL_LAYER_POOL_SIZE,
            "pool_timeout": CHANNEL_LAYER_POOL_TIMEOUT,
            **config,
        },
    }


CHANNEL_LAYERS: dict[str, dict[str, Any]]
if REDIS_URL:
    CHANNEL_LAYERS = {"default": redis_channel_layer(REDIS_URL)}
    # Redis shared by every process; while it is unreachable each process keeps its
    # cache in memory instead of failing (cms/cache.py: timeouts, circuit breaker,
    # rate limits counted per process until Redis returns; README "Redis outages").
    CACHES = {
        "default": {
            "BACKEND": "cms.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_CACHE_TIMEOUT", default=0.5),
                "socket_timeout": env.float("REDIS_CACHE_TIMEOUT", default=0.5),
                "RETRY_AFTER": env.float("REDIS_CACHE_RETRY_AFTER", default=5.0),
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks: run at once by default; the database worker in production.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "DJANGO_TASKS_BACKEND",
            default="django_tasks.backends.immediate.ImmediateBackend",
        ),
    }
}
# The task worker (`manage.py task_worker`, cms/workers/worker.py). Each worker reports in
# every TASKS_WORKER_HEARTBEAT seconds, also while a task runs. A task still RUNNING
# TASKS_STUCK_AFTER seconds after it started, whose worker has not reported for as
# long (killed, machine lost), is stuck: the tasks named in TASKS_REQUEUE_WHEN_STUCK
# (safe to run again: they finish what is left) are queued again, up to
# TASKS_MAX_ATTEMPTS runs in all; every other one is marked failed, never run twice.
# Checked when a worker starts and every TASKS_RECOVER_EVERY seconds.
TASKS_STUCK_AFTER = env.float("TASKS_STUCK_AFTER", default=900)
TASKS_WORKER_HEARTBEAT = env.float("TASKS_WORKER_HEARTBEAT", default=10)
TASKS_RECOVER_EVERY = env.float("TASKS_RECOVER_EVERY", default=60)
TASKS_MAX_ATTEMPTS = env.int("TASKS_MAX_ATTEMPTS", default=3)
TASKS_REQUEUE_WHEN_STUCK = [
    "certificates.tasks.issue_certificate_batch",
    "courses.services.exports.export_build",
]
# The longest wait between two attempts to reach the database during an outage.
TASKS_RECONNECT_MAX_DELAY = env.float("TASKS_RECONNECT_MAX_DELAY", default=10)

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    # 12 characters at least: the accounts reach PESEL numbers and signed scans.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # Django's ModelBackend with its permission reads compiled (cms/auth_backends.py).
    "cms.auth_backends.PermissionsBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # Last: only so that sessions signed in through it before keep their user (a
    # session names its backend); permissions are answered by the first.
    "django.contrib.auth.backends.ModelBackend",
]

# django-allauth: e-mail only, no usernames shown to users.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Szkolenia ROPS] "
# The site's voice, design and address in every allauth e-mail.
ACCOUNT_ADAPTER = "cms.account_adapter.AccountAdapter"
# A notice when the password, the e-mail address or two-step verification changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my_account"

# E-mail: console by default, SMTP (or any) through EMAIL_URL.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
globals().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Szkolenia ROPS <szkolenia@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Declarations, attendance scans, certificates: never under MEDIA_ROOT, never served
# by a web server; only the views that check who is asking read them.
PRIVATE_MEDIA_ROOT = env.path(
    "DJANGO_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media"
)


# S3-compatible object storage (django-storages) for more than one app machine: the
# private files when PRIVATE_MEDIA_S3_BUCKET is set, the public media when
# MEDIA_S3_BUCKET is; otherwise both stay in the folders above. The keys come from the
# environment only; left empty, boto3 looks for them itself (AWS_* variables, an
# instance role).
def s3_options(bucket: str, prefix: str) -> dict:
    """django-storages' S3Storage options of one bucket and key prefix."""
    from botocore.config import Config

    return {
        "bucket_name": bucket,
        "location": prefix.strip("/"),
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("S3_REGION", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "addressing_style": env.str("S3_ADDRESSING_STYLE", default="path"),
        "signature_version": "s3v4",
        "default_acl": None,
        "file_overwrite": False,  # a new name for a new file, as on disk
        "client_config": Config(
            connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}
        ),
    }


PRIVATE_MEDIA_S3 = (
    s3_options(
        env.str("PRIVATE_MEDIA_S3_BUCKET"),
        env.str("PRIVATE_MEDIA_S3_PREFIX", default="private-media"),
    )
    if env.str("PRIVATE_MEDIA_S3_BUCKET", default="")
    else None
)
DEFAULT_STORAGE: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if env.str("MEDIA_S3_BUCKET", default=""):
    _signed = env.int("MEDIA_S3_SIGNED_URL_SECONDS", default=0)
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **s3_options(
                env.str("MEDIA_S3_BUCKET"),
                env.str("MEDIA_S3_PREFIX", default="media"),
            ),
            # Public media (images, documents): plain addresses of a bucket readable
            # by everyone, or of MEDIA_S3_CUSTOM_DOMAIN (a CDN); signed ones only if
            # asked (they expire, so pages that show them cannot be cached longer).
            "custom_domain": env.str("MEDIA_S3_CUSTOM_DOMAIN", default="") or None,
            "querystring_auth": _signed > 0,
            "querystring_expire": _signed or 3600,
        },
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Szkolenia ROPS"
# Behind a proxy, the header carrying the visitor's address (e.g. HTTP_X_REAL_IP), so the
# public certificate check rate-limits visitors, not the proxy.
CERTIFICATES_CLIENT_IP_HEADER = env.str("DJANGO_CLIENT_IP_HEADER", default="")
# allauth's rate limits (logins, sign-ups, resets) count per visitor by the same header
# (it wants the HTTP name: HTTP_X_REAL_IP -> X-Real-Ip); without it every visitor behind
# the proxy would share one count.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = (
    CERTIFICATES_CLIENT_IP_HEADER.removeprefix("HTTP_").replace("_", "-").title()
    or None
)
# A running bulk issuance with no progress for this long shows as interrupted and may be
# resumed; how many task workers share one bulk issuance (the `task_worker` processes).
CERTIFICATES_BATCH_STALE_SECONDS = env.int(
    "CERTIFICATES_BATCH_STALE_SECONDS", default=300
)
CERTIFICATES_BATCH_WORKERS = env.int("CERTIFICATES_BATCH_WORKERS", default=1)
WAGTAILADMIN_BASE_URL = env.str(
    "WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000"
)
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("pl", "Polski")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("pl", "Polski"), ("en", "English")]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "docx",
    "doc",
    "odt",
    "xlsx",
    "ods",
    "pptx",
    "txt",
    "zip",
]

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True

# Change history (django-auditlog): the models and fields it follows are registered in
# courses/history.py, which keeps PESEL out of it.
AUDITLOG_STORE_JSON_CHANGES = True
# No page is framed by another site; Wagtail's preview frames its own pages, and its
# views say so (`xframe_options_sameorigin`): cms.middleware.FramingPolicyMiddleware
# lets the CSP follow them.
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response (django-csp): scripts and styles only from
# our own files or with the response's nonce, never inline; no plug-ins, no framing.
# `'self'` covers the same-origin websockets (ws:/wss:) of the live pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, REPORT_SAMPLE],
        "style-src": [SELF, NONCE, REPORT_SAMPLE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env.str("DJANGO_LOG_LEVEL", default="WARNING"),
    },
}

ACCOUNT_FORMS = {
    "login": "cms.forms.LoginForm",
    "signup": "cms.forms.SignupForm",
    "reset_password": "cms.forms.ResetPasswordForm",
}
ACCOUNT_USER_DISPLAY = "cms.forms.user_display"

# Two-step verification (allauth MFA): an authenticator app (TOTP) and recovery codes.
# Coordinators, partners' clerks, trainers and staff must use it before they reach
# anything (cms/mfa.py); trainees may. Production always requires it; tests switch it
# off unless a test is about it (the demo accounts have it set up: see README).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Szkolenia ROPS"
STAFF_MFA_REQUIRED = env.bool("DJANGO_STAFF_MFA_REQUIRED", default=True)
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_GRAVATAR_PROVIDER_URL = None

"""The site's public address, for every link the platform prints or sends.

In this order:
1. Development (`DEBUG`): the address the current request came to, so a demo on
   another port or host links to itself; work queued from a request (e-mails,
   certificate batches) carries that address with it.
2. The Wagtail default Site, when an administrator has set its hostname (Settings →
   Sites): port 443 gives https://hostname, 80 http://hostname, any other
   http://hostname:port (Wagtail's own `Site.root_url`). Wagtail's initial placeholder
   (localhost, port 80) counts as not set.
3. The `WAGTAILADMIN_BASE_URL` setting (the one Wagtail's own e-mails use); the
   production settings refuse to start without it.
A command or a worker, outside any request, takes 2, else 3.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from wagtail.models import Site

_request_base_url: ContextVar[str] = ContextVar("courses_request_base_url", default="")


# What Wagtail's first migration creates: a Site nobody configured yet.
PLACEHOLDER_SITE = ("localhost", 80)


def site_base_url() -> str:
    """The default Wagtail Site's root URL, or "" while it is the placeholder."""
    site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
    if (
        site is None
        or not site.hostname
        or (site.hostname, site.port) == PLACEHOLDER_SITE
    ):
        return ""
    return site.root_url


def public_base_url() -> str:
    """The scheme and host (and port) links start with, without a trailing slash."""
    return (
        _request_base_url.get() or site_base_url() or settings.WAGTAILADMIN_BASE_URL
    ).rstrip("/")


def request_base_url() -> str:
    """The current request's own address (development only), else ""."""
    return _request_base_url.get()


def public_url(path: str) -> str:
    """An absolute link to a path of the site."""
    return public_base_url() + path


@contextmanager
def public_base_url_of(base_url: str) -> Iterator[None]:
    """Build the links of the enclosed work on this address (empty: the setting)."""
    token = _request_base_url.set(base_url.rstrip("/"))
    try:
        yield
    finally:
        _request_base_url.reset(token)


def on_commit_keeping_address(callback: Callable[[], object]) -> None:
    """`transaction.on_commit`, the callback building its links on today's address.

    A callback may run after the request is over (in a test, or at the end of an
    outer transaction): it must still link to where the request came to.
    """
    base_url = _request_base_url.get()

    def run() -> None:
        with public_base_url_of(base_url):
            callback()

    transaction.on_commit(run)


class RequestBaseUrlMiddleware:
    """In development, links built while serving a request use the request's address.

    Never in production: there the address is configured, not taken from a Host header
    a visitor controls.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DEBUG:
            return self.get_response(request)
        with public_base_url_of(request.build_absolute_uri("/")):
            return self.get_response(request)

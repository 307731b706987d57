"""Whole pages for anonymous visitors from the cache, with fresh seats and CSRF token.

A page that is the same for every anonymous visitor says so: its view marks the
response with `courses.seat_cache.share_with_anonymous` (the home, course and
edition pages do), naming the editions whose seats it shows and until when its
enrolment dates hold. This middleware keeps such a response whole, by address and
language, and serves it to the next anonymous visitor without routing, queries or
rendering, while:

- the site's content has the version the page was rendered under
  (`cms.page_cache.site_version`: any page, course, trainer, edition, session,
  clause or project change sets a new one);
- every edition's seats version is the one the page read (`seats_changed` after
  every committed change of seats sets a new one), so a seat change shows at once;
- its time has not passed (the first of the counts' end, an enrolment opening or
  closing, midnight, SHARED_TTL).

Only anonymous visitors, and only the unmistakable ones: a GET or HEAD without a
query string, without a session cookie (so nobody logged in, nothing personal in
the session) and without a messages cookie; a page that rendered a message is never
kept. The CSRF token in the forms (language switch, enrolment) is the one thing of
each visitor's in such a page: it is kept as a placeholder and the visitor's own
token put in its place on every hit; the CSRF middleware sets its cookie as usual.
django-csp adds the Content-Security-Policy to every response outside this
middleware; the public pages use no nonce, and a page that used one is never kept.
"""

import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from courses.seat_cache import seats_current

from .page_cache import VERSION_KEY

PLACEHOLDER = "cms-anonymous-cache-csrf-placeholder"
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control")


def _key(request: HttpRequest, language: str) -> str:
    # The address is the visitor's to choose (any length, spaces, any script): kept
    # as its digest, so that every cache backend takes the key as it is.
    address = hashlib.sha256(f"{request.get_host()}{request.path}".encode()).hexdigest()
    return f"cms:anonymous-page:{language}:{address}"


def _language(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    languages = {code for code, _ in settings.LANGUAGES}
    return chosen if chosen in languages else settings.LANGUAGE_CODE


def _anonymous_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


class AnonymousPageCacheMiddleware:
    """Sits inside the CSRF, session, language and CSP middleware (see the settings)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _anonymous_request(request):
            return self.get_response(request)
        key = _key(request, _language(request))
        found = cache.get_many([VERSION_KEY, key])
        entry = found.get(key)
        if entry is not None and self._fresh(entry, site=found.get(VERSION_KEY)):
            return self._serve(request, entry)
        response = self.get_response(request)
        self._keep(request, response, key, site=found.get(VERSION_KEY))
        return response

    @staticmethod
    def _fresh(entry: dict, *, site: str | None) -> bool:
        if site is None or entry["site"] != site or entry["until"] <= time.time():
            return False
        seats = entry["seats"]
        return not seats or seats_current(seats) == seats

    @staticmethod
    def _serve(request: HttpRequest, entry: dict) -> HttpResponse:
        body = entry["body"].replace(PLACEHOLDER, get_token(request))
        response = HttpResponse(body, status=entry["status"])
        for name, value in entry["headers"].items():
            response[name] = value
        return response

    @staticmethod
    def _keep(request, response, key: str, *, site: str | None) -> None:
        shared = getattr(response, "shared_with_anonymous", None)
        if (
            shared is None
            or site is None
            or response.status_code != 200
            or response.streaming
            or response.cookies
            or getattr(request, "_csp_nonce", None)
            or getattr(request, "is_preview", False)
            or request.user.is_authenticated
        ):
            return
        storage = getattr(request, "_messages", None)
        if storage is not None and len(storage):
            return
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        body = response.content.decode(response.charset)
        until = shared.until.timestamp()
        timeout = int(until - time.time())
        if timeout <= 0:
            return
        entry = {
            "site": site,
            "seats": dict(shared.seats_versions),
            "until": until,
            "status": response.status_code,
            "headers": {
                name: response[name] for name in _KEPT_HEADERS if name in response
            },
            "body": _TOKEN.sub(rf"\g<1>{PLACEHOLDER}\g<2>", body),
        }
        cache.set(key, entry, timeout)

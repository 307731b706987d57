"""Every URL of the site, requested as every persona, answers as `matrix.py` says.

The URLs come from the resolver (and the websocket routes from every app's
`routing.py`), so a URL added anywhere is covered; one that `matrix.py` does not
classify fails `test_every_url_is_classified` with what to write.
"""

from __future__ import annotations

import asyncio
import re
import threading
from dataclasses import dataclass
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.access import matrix
from tests.access.matrix import (
    ADMIN_AREAS,
    ALLOWED,
    ANY,
    DENY,
    LOGIN,
    NO_ADMIN_ACCESS,
    OK,
    PAGES,
    WAGTAIL_ADMIN_DENIED_TO_TRAINERS,
    WAGTAIL_ADMIN_PREFIXES,
    WEBSOCKETS,
    Entry,
)
from tests.access.world import (
    ANON,
    APPLICANT,
    ONLINE_LINK,
    PARTNER_OUT,
    PERSONAS,
    PESEL_A,
    SUPERUSER,
    SURNAME_A,
    TRAINEE_A,
    TRAINEE_B,
    TRAINER_OTHER,
    World,
    build,
)

# Those none of A's data is for: A's name, e-mail or meeting link never reach them.
OUTSIDERS = (ANON, TRAINEE_B, TRAINER_OTHER, APPLICANT, PARTNER_OUT)

# Wagtail's pages that anyone must reach to log in at all.
WAGTAIL_ADMIN_OPEN = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}
DJANGO_ADMIN_OPEN = {"admin:login", "admin:logout", "admin:javascript-catalog"}


@dataclass(frozen=True)
class Url:
    route: str
    name: str
    view: str
    chain: tuple  # the patterns from the root resolver down to this one
    model: object  # a Wagtail viewset's model, if any

    @property
    def namespace(self) -> str:
        return self.name.rsplit(":", 1)[0] if ":" in self.name else ""

    @property
    def action(self) -> str:
        return self.name.rsplit(":", 1)[-1]

    def describe(self) -> str:
        return f"{self.name or '(unnamed)'} ({self.route}, {self.view})"


def _walk(patterns, chain=(), namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else pattern.namespace
                )
            yield from _walk(pattern.url_patterns, (*chain, pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or ""
            if name and namespace:
                name = f"{namespace}:{name}"
            callback = pattern.callback
            view = (
                f"{callback.__module__}.{getattr(callback, '__qualname__', callback)}"
            )
            model = (getattr(callback, "view_initkwargs", None) or {}).get("model")
            chain_all = (*chain, pattern)
            route = "".join(str(p.pattern) for p in chain_all)
            yield Url(route, name, view, chain_all, model)


def all_urls() -> list[Url]:
    return list(_walk(get_resolver().url_patterns))


def is_wagtail_builtin(url: Url) -> bool:
    return (
        url.route.startswith("admin/")
        and (not url.name or url.name.startswith(WAGTAIL_ADMIN_PREFIXES))
        and url.namespace not in ADMIN_AREAS
    )


def classification(url: Url):
    """('page', Entry) | ('area', Area) | ('wagtail', None) | ('django-admin', None)."""
    if url.name in PAGES:
        return "page", PAGES[url.name]
    if url.route.startswith("django-admin/"):
        return "django-admin", None
    if url.route.startswith("admin/"):
        if url.namespace in ADMIN_AREAS:
            return "area", ADMIN_AREAS[url.namespace]
        if is_wagtail_builtin(url):
            return "wagtail", None
    return None


def test_every_url_is_classified():
    missing = [url for url in all_urls() if classification(url) is None]
    assert not missing, (
        "These URLs are not classified in tests/access/matrix.py. Add each to PAGES "
        '(site URL: PAGES["name"] = Entry(expect=only(...), kwargs=lambda w: {...})) '
        'or, for a Wagtail admin viewset, its namespace to ADMIN_AREAS (ADMIN_AREAS["ns"] '
        "= COORDINATORS); read the docstring of tests/access/matrix.py:\n  "
        + "\n  ".join(url.describe() for url in missing)
    )


def test_every_entry_names_a_url_that_exists():
    names = {url.name for url in all_urls()}
    namespaces = {url.namespace for url in all_urls()}
    stale = [name for name in PAGES if name not in names]
    stale += [ns for ns in ADMIN_AREAS if ns not in namespaces]
    assert not stale, f"tests/access/matrix.py classifies URLs that are gone: {stale}"


def test_every_websocket_route_is_classified():
    routes = [str(p.pattern) for p in websocket_patterns()]
    missing = [route for route in routes if route and route not in WEBSOCKETS]
    assert not missing, (
        "These websocket routes are not classified: add them to WEBSOCKETS in "
        f"tests/access/matrix.py (Socket(accept=(...), kwargs=...)): {missing}"
    )


# -- building the paths -------------------------------------------------------------

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_CANDIDATES = ("1", "x", "x.png", "1/x", "", "a-b")


def _route_part(pattern: RoutePattern, values: dict) -> str:
    def fill(match):
        name = match.group("name")
        if name in values:
            return str(values[name])
        return "x" if match.group("converter") in ("str", "slug", "path") else "1"

    return _ROUTE_PARAM.sub(fill, str(pattern))


def _regex_part(pattern: RegexPattern, values: dict) -> str:
    regex = str(pattern).lstrip("^").rstrip("$")
    compiled = re.compile(regex)
    groups = re.compile(r"\((?:\?P<(?P<name>\w+)>)?(?:[^()]|\([^()]*\))*\)")
    text = regex
    for match in groups.finditer(regex):
        name = match.group("name")
        inner = re.sub(r"^\((?:\?P<\w+>|\?:)?|\)$", "", match.group(0))
        literal = (inner.split("|")[0],) if re.fullmatch(r"[\w|-]+", inner) else ()
        given = (str(values[name]),) if name in values else ()
        for candidate in given + literal + _REGEX_CANDIDATES:
            trial = text.replace(match.group(0), candidate, 1)
            if compiled.fullmatch(_unescape(trial)) or "(" in trial:
                text = trial
                break
    path = _unescape(text)
    assert compiled.fullmatch(path), f"no path built for {regex!r}: {path!r}"
    return path


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def path_of(url: Url, values: dict) -> str:
    parts = []
    for pattern in url.chain:
        if isinstance(pattern.pattern, RoutePattern):
            parts.append(_route_part(pattern.pattern, values))
        else:
            parts.append(_regex_part(pattern.pattern, values))
    return "/" + "".join(parts)


def _object_values(url: Url) -> dict:
    """A real object of a viewset's model for its `pk`, so a refusal is not a 404."""
    if url.model is None or isinstance(url.model, str):
        return {}
    first = url.model._default_manager.order_by("pk").first()
    return {"pk": first.pk} if first is not None else {}


# -- judging the answers ------------------------------------------------------------


def _login_paths() -> set[str]:
    return {
        reverse("account_login"),
        reverse("wagtailadmin_login"),
        reverse("admin:login"),
        reverse("wagtailcore_login"),
    }


def verdict(expected: str, persona: str, response) -> str | None:
    """None when the answer is `expected`, else why not."""
    status = response.status_code
    location = urlsplit(response.get("Location", "")).path
    if status >= 500:
        return f"server error {status}"
    to_login = status in (301, 302) and location in _login_paths()
    to_dashboard = status == 302 and location == reverse("wagtailadmin_home")
    refused = status in (403, 404) or (persona != ANON and (to_login or to_dashboard))
    if expected == ANY:
        return None
    if expected == OK and status == 200:
        return None
    if expected == LOGIN and (to_login or status in (403, 404)):
        return None
    if expected == DENY and refused:
        return None
    if expected == ALLOWED and not refused and not to_login:
        if 200 <= status < 400 or status in (400, 409, 422, 503):
            return None
    return f"expected {expected}, got {status} {location}".rstrip()


def _request(client, method: str, path: str, data: dict):
    import os

    if os.environ.get("MATRIX_TRACE"):
        with open(os.environ["MATRIX_TRACE"], "a") as trace:
            trace.write(f"{method} {path}\n")
    response = getattr(client, method)(path, data)
    if response.streaming:  # read to the end, as a browser would
        response.body = b"".join(response.streaming_content)
    else:
        response.body = response.content
    return response


def leaks(persona: str, w: World, body: bytes) -> list[str]:
    """A's secrets in an answer to someone they are not for."""
    text = body.decode("utf-8", "replace")
    found = []
    if persona != TRAINEE_A and PESEL_A in text:
        found.append("A's PESEL in clear")
    if persona in OUTSIDERS:
        email = w.user(TRAINEE_A).email
        found += [
            f"A's {what}"
            for what, secret in (
                ("surname", SURNAME_A),
                ("e-mail", email),
                ("online meeting link", ONLINE_LINK),
            )
            if secret in text
        ]
    return found


@dataclass
class Check:
    url: Url
    path: str
    expected: str
    method: str = "get"
    data: dict | None = None
    capability: bool = False


def checks_for(persona: str, w: World) -> list[Check]:
    has_admin = persona not in NO_ADMIN_ACCESS
    checks: list[Check] = []
    for url in all_urls():
        kind, detail = classification(url)
        if kind == "page":
            entry: Entry = detail
            checks.append(
                Check(
                    url,
                    path_of(url, entry.kwargs(w)),
                    entry.expect[persona],
                    entry.method,
                    entry.data(w),
                    entry.capability,
                )
            )
        elif kind == "area":
            path = path_of(url, _object_values(url))
            if persona in detail.reach:
                if url.action == "index":
                    checks.append(Check(url, path, OK))
                continue  # Wagtail's per-permission views: not the matrix's question
            checks.append(Check(url, path, LOGIN if persona == ANON else DENY))
        elif kind == "wagtail":
            if url.name in WAGTAIL_ADMIN_OPEN:
                continue
            path = path_of(url, _object_values(url))
            if not has_admin:
                checks.append(Check(url, path, LOGIN if persona == ANON else DENY))
            elif url.name in WAGTAIL_ADMIN_DENIED_TO_TRAINERS and persona.startswith(
                "trainer"
            ):
                checks.append(Check(url, path, DENY))
        elif kind == "django-admin":
            if url.name in DJANGO_ADMIN_OPEN or persona == SUPERUSER:
                continue
            path = path_of(url, {})
            checks.append(Check(url, path, LOGIN if persona == ANON else DENY))
    # Every GET first: a POST may change what later requests find (a withdrawal).
    return sorted(checks, key=lambda check: check.method != "get")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reaches_only_what_is_theirs(client, persona):
    w = build()
    user = w.user(persona)
    if user.is_authenticated:
        client.force_login(user)
    failures = []
    for check in checks_for(persona, w):
        response = _request(client, check.method, check.path, check.data or {})
        problems = [verdict(check.expected, persona, response)]
        if not check.capability:
            problems += leaks(persona, w, response.body)
        for problem in filter(None, problems):
            failures.append(
                f"{check.method.upper()} {check.path} [{check.url.name}]: {problem}"
            )
    assert not failures, f"{persona}:\n  " + "\n  ".join(failures)


def test_a_persona_refused_everywhere_would_fail(client):
    """The verdicts can fail: a 200 where DENY is expected is reported."""

    class Answer:
        status_code = 200

        def get(self, *_):
            return ""

    assert verdict(DENY, "trainee B", Answer()) == "expected DENY, got 200"
    assert verdict(LOGIN, ANON, Answer()) == "expected LOGIN, got 200"


# -- websockets -------------------------------------------------------------------


def websocket_patterns() -> list:
    patterns: list = []
    for config in apps.get_app_configs():
        try:
            routing = import_module(f"{config.name}.routing")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.routing":
                raise
            continue
        patterns.extend(getattr(routing, "websocket_urlpatterns", []))
    return patterns


def _first_message(path: str, user) -> dict:
    async def scenario():
        communicator = WebsocketCommunicator(URLRouter(websocket_patterns()), path)
        communicator.scope["user"] = user
        connected, code = await communicator.connect()
        if not connected:
            return {"type": "websocket.close", "code": code}
        first = await communicator.receive_output(5)
        await communicator.disconnect()
        return first

    result: dict = {}
    worker = threading.Thread(target=lambda: result.update(out=asyncio.run(scenario())))
    worker.start()
    worker.join()
    return result["out"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_websockets_speak_only_to_those_entitled():
    w = build()
    failures = []
    for pattern in websocket_patterns():
        route = str(pattern.pattern)
        socket = WEBSOCKETS[route]
        path = "/" + _ROUTE_PARAM.sub("{}", route).format(*socket.kwargs(w).values())
        for persona in PERSONAS:
            message = _first_message(path, w.user(persona))
            accepted = message["type"] == "websocket.send"
            if persona in socket.accept and not accepted:
                failures.append(f"{path} as {persona}: refused {message}")
            if persona not in socket.accept and (
                accepted or not 4000 <= message.get("code", 0) <= 4999
            ):
                failures.append(f"{path} as {persona}: {message}")
    assert not failures, "\n".join(failures)


assert matrix.PAGES is PAGES  # one registry

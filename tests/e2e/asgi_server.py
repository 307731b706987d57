"""A real ASGI server (uvicorn) for the whole site, HTTP and websockets, in a thread.

pytest-django's live_server speaks WSGI only. A thread of the test process, unlike a
subprocess, shares the test database settings on SQLite and PostgreSQL alike, and the
in-memory channel layer too: enrolments posted over HTTP run in the server's event
loop, the same one the websocket consumers listen on.
"""

import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
import uvicorn
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.management import call_command
from django.db import connections

from cms.asgi import application


class AsgiServer:
    """uvicorn serving cms.asgi.application on a free port of 127.0.0.1."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        config = uvicorn.Config(
            # Static files straight from the apps, as live_server and runserver do.
            ASGIStaticFilesHandler(application),
            lifespan="off",
            log_level="warning",
            timeout_graceful_shutdown=2,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the ASGI test server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.socket.close()


@pytest.fixture
def asgi_live_server(transactional_db):
    """The site behind a real ASGI server, against the test database."""
    settings_dict = connections["default"].settings_dict
    max_age = settings_dict.get("CONN_MAX_AGE")
    # The server's worker threads must not keep connections open past their request,
    # or PostgreSQL refuses to flush and drop the test database afterwards.
    settings_dict["CONN_MAX_AGE"] = 0
    server = AsgiServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        settings_dict["CONN_MAX_AGE"] = max_age


@pytest.fixture
def asgi_site(django_db_serialized_rollback, asgi_live_server):
    """Like `site`, but served over ASGI, so the pages' websockets work."""
    from wagtail.models import Site

    call_command("load_demo_data", verbosity=0)
    # As an administrator does in Settings → Sites: links the platform prints (the
    # calendar feed, certificates, e-mails) lead to this server.
    address = urlsplit(asgi_live_server.url)
    Site.objects.filter(is_default_site=True).update(
        hostname=address.hostname, port=address.port
    )
    return asgi_live_server

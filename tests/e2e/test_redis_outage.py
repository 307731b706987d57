"""Redis dies under a running site, then comes back: real processes all the way.

A throwaway redis-server (tests/redis_server.py), gunicorn sync workers for HTTP and a
uvicorn process for HTTP and websockets, both with the production cache and channel
layer (tests/settings_redis_outage.py), against the test database. Redis is killed
with SIGKILL while a browser watches a course page: the HTML pages, the login, the
certificate check and the seats' JSON keep answering, an enrolment still goes
through, the websocket says "try again later" (1013) and the page polls; Redis is
started again and the websockets carry updates again, in Python and in the browser.
"""

import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from certificates.services import certificate_issue
from courses import roles
from courses.models import Edition
from courses.selectors import edition_seats
from courses.services import edition_set_capacity
from tests.factories import UserFactory
from tests.processes import ROOT, child_env, stop, wait_for
from tests.redis_server import free_port, redis_server  # noqa: F401 - fixture
from tests.states import completed_enrolment, past_edition

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COURSE_URL = "/szkolenia/indywidualne-plany-uslug-spolecznych/"
EDITION_CODE = "IPUS-OPO-01"
WAIT = 60  # seconds at most per answer: a loaded machine boots workers slowly


def _serve(args: list[str], log: Path, env: dict) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _first_answer(ws_url: str, origin: str):
    """("message", data) or ("closed", code): what a new watcher gets first."""
    with connect(ws_url, origin=origin, open_timeout=WAIT) as watcher:
        try:
            return ("message", json.loads(watcher.recv(timeout=WAIT)))
        except ConnectionClosed as closed:
            return ("closed", closed.rcvd.code if closed.rcvd else None)


def _log_in(http: httpx.Client, email: str, password: str) -> httpx.Response:
    http.get("/konto/login/")
    return http.post(
        "/konto/login/",
        data={
            "login": email,
            "password": password,
            "csrfmiddlewaretoken": http.cookies["csrftoken"],
        },
    )


def _enrol(http: httpx.Client, edition: Edition) -> httpx.Response:
    """Enrol through the course page's own form (its hidden fields included)."""
    page = http.get(COURSE_URL).text
    form = re.search(
        rf'<form method="post" action="/edycje/{edition.pk}/zapisz/">(.*?)</form>',
        page,
        re.S,
    )
    assert form, "the course page offers no enrolment form"
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(1)))
    return http.post(
        f"/edycje/{edition.pk}/zapisz/",
        data=fields,
        headers={
            "Accept": "application/json",
            "X-CSRFToken": http.cookies["csrftoken"],
        },
    )


def test_a_redis_outage_costs_no_page_and_websockets_recover(
    demo_data,
    redis_server,  # noqa: F811 - fixture
    browser,
    page,
    tmp_path,
):
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    edition = Edition.objects.get(code=EDITION_CODE)
    # Room for the two trainees who enrol below.
    edition_set_capacity(
        edition=edition, capacity=edition_seats(edition=edition).taken + 5
    )
    coordinator = UserFactory(role=roles.COORDINATOR, is_staff=False)
    certificate = certificate_issue(
        enrolment=completed_enrolment(edition=past_edition()), actor=coordinator
    )

    http_port = free_port(besides=(redis_server.port,))
    asgi_port = free_port(besides=(redis_server.port, http_port))
    env = child_env(
        DJANGO_SETTINGS_MODULE="tests.settings_redis_outage",
        REDIS_URL=redis_server.url,
        REDIS_CACHE_RETRY_AFTER="1",
        COURSES_SEATS_POLL_SECONDS="1",
        COURSES_WS_MEMBERSHIP_SECONDS="2",
        DJANGO_CONN_MAX_AGE="0",
        DJANGO_LOG_LEVEL="WARNING",
    )
    gunicorn = _serve(
        ["gunicorn", "cms.wsgi:application", "-k", "sync", "-w", "2"]
        + ["-b", f"127.0.0.1:{http_port}", "--timeout", "120"],
        tmp_path / "gunicorn.log",
        env,
    )
    uvicorn = _serve(
        ["uvicorn", "tests.asgi_static:application", "--host", "127.0.0.1"]
        + ["--port", str(asgi_port), "--log-level", "warning"],
        tmp_path / "uvicorn.log",
        env,
    )
    asgi = f"http://127.0.0.1:{asgi_port}"
    ws_url = f"ws://127.0.0.1:{asgi_port}/ws/edycje/{edition.pk}/"
    seats_json = f"/edycje/{edition.pk}/miejsca.json"
    logs = f"see {tmp_path}/gunicorn.log and uvicorn.log"
    try:
        wait_for(lambda: _listening(http_port), timeout=90, what="gunicorn")
        wait_for(lambda: _listening(asgi_port), timeout=90, what="uvicorn")
        site = httpx.Client(base_url=f"http://127.0.0.1:{http_port}", timeout=WAIT)

        def home_answers():
            try:
                return site.get("/").status_code == 200
            except httpx.TransportError:
                return False

        # The workers load the site on their first requests.
        wait_for(home_answers, timeout=240, interval=1, what=f"the home page, {logs}")
        assert httpx.get(asgi + "/", timeout=WAIT).status_code == 200
        edition.refresh_from_db()
        left_before = edition_seats(edition=edition).left
        kind, first = _first_answer(ws_url, asgi)
        assert (kind, first["left"]) == ("message", left_before)

        # A visitor watches the course page (served with its websocket by uvicorn).
        page.goto(asgi + COURSE_URL)
        card = page.locator(f"li.edition[data-edition-id='{edition.pk}']")
        seats = card.locator("[data-seats-left]")
        expect(card).to_have_attribute("data-seats-live", "true", timeout=WAIT * 1000)

        redis_server.kill()

        # Every page answers, on both kinds of server.
        for base in (site, httpx.Client(base_url=asgi, timeout=WAIT)):
            for url in (
                "/",
                COURSE_URL,
                f"/edycje/{edition.pk}/",
                "/konto/login/",
                "/zaswiadczenia/weryfikacja/",
                f"/zaswiadczenia/weryfikacja/{certificate.code}/",
            ):
                answer = base.get(url)
                assert answer.status_code == 200, (str(base.base_url), url, logs)
            verdict = base.get(f"/zaswiadczenia/weryfikacja/{certificate.code}/")
            assert certificate.number in verdict.text
            assert "verdict--valid" in verdict.text
            assert base.get(seats_json).json()["left"] == left_before

        # The watcher is told to try again later; the page polls instead.
        assert _first_answer(ws_url, asgi) == ("closed", 1013)
        expect(card).to_have_attribute(
            "data-seats-live", re.compile("false|polling"), timeout=WAIT * 1000
        )

        # A trainee logs in and enrols while Redis is down: the count moves everywhere.
        trainee = httpx.Client(base_url=f"http://127.0.0.1:{http_port}", timeout=WAIT)
        logged_in = _log_in(trainee, "uczestnik@szkolenia.test", "uczestnik-demo-2026")
        assert logged_in.status_code == 302, logs
        assert trainee.get("/konto/").status_code == 200
        enrolled = _enrol(trainee, edition)
        assert enrolled.status_code == 201, (enrolled.text, logs)
        left_during = site.get(seats_json).json()["left"]
        assert left_during == left_before - 1
        expect(card).to_have_attribute(
            "data-seats-live", "polling", timeout=WAIT * 1000
        )
        expect(seats).to_have_text(
            re.compile(rf"^{left_during} woln"), timeout=WAIT * 1000
        )

        # Redis is back: websockets carry updates again, without a reload.
        redis_server.start()

        def joined():
            kind, data = _first_answer(ws_url, asgi)
            return data if kind == "message" else None

        assert (
            wait_for(joined, timeout=WAIT, interval=0.5, what="a websocket")["left"]
            == left_during
        )
        expect(card).to_have_attribute("data-seats-live", "true", timeout=WAIT * 1000)

        with connect(ws_url, origin=asgi, open_timeout=WAIT) as watcher:
            assert json.loads(watcher.recv(timeout=WAIT))["left"] == left_during
            other = httpx.Client(
                base_url=f"http://127.0.0.1:{http_port}",
                timeout=WAIT,
            )
            with other:
                assert (
                    _log_in(other, "aspirant@szkolenia.test", "uczestnik-demo-2026")
                ).status_code == 302
                assert _enrol(other, edition).status_code == 201
            # From a gunicorn worker through Redis to the uvicorn process's watchers.
            update = json.loads(watcher.recv(timeout=WAIT))
            assert update["left"] == left_during - 1
        expect(seats).to_have_text(
            re.compile(rf"^{left_during - 1} woln"), timeout=WAIT * 1000
        )
        expect(card).to_have_attribute("data-seats-live", "true")
        for log in ("gunicorn.log", "uvicorn.log"):
            text = (tmp_path / log).read_text()
            assert "Internal Server Error" not in text, text[-3000:]
    finally:
        stop(gunicorn)
        stop(uvicorn)
        time.sleep(0.1)

"""Browser tests: Playwright driving Debian's Chromium against the live server."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
# the test itself (fixtures, assertions) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ".screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def browser(django_db_setup):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # One Playwright per test: while it runs, its event loop is this thread's running
    # loop, and every later test in the process that uses async_to_sync (Channels
    # tests, the seats broadcast) would fail. Starting it also switches the context
    # that Django's connection handler keys on, so the test then sees new connection
    # objects; give them the snapshot of the migrated database that
    # serialized_rollback restores before each test.
    snapshots = {
        c.alias: getattr(c, "_test_serialized_contents", None)
        for c in connections.all()
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        for connection in connections.all():
            if snapshots.get(connection.alias) is not None:
                connection._test_serialized_contents = snapshots[connection.alias]
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport=PHONE, locale="pl-PL", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def site(django_db_serialized_rollback, live_server):
    """The live server with the demo data, its Wagtail site pointed at the server."""
    from wagtail.models import Site

    call_command("load_demo_data", verbosity=0)
    # As an administrator does in Settings → Sites: links the platform prints (the
    # calendar feed, certificates, e-mails) lead to this server.
    address = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(
        hostname=address.hostname, port=address.port
    )
    return live_server


@pytest.fixture
def shot(request):
    """Save a full-page screenshot as .screenshots/<test>-<step>.png."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, step: str) -> Path:
        path = SCREENSHOTS / f"{request.node.name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe():
    """Run axe-core in the page; return the violations of impact serious or critical."""
    from playwright.sync_api import Error as PlaywrightError

    source = AXE.read_text()

    def run(page) -> dict:
        # Evaluated through the DevTools protocol, not added as an inline <script>:
        # the site's Content-Security-Policy refuses inline scripts, as it should.
        # A message or panel still fading in has no settled colours yet: end every
        # CSS animation and transition first, so contrast is read as the user sees it.
        page.wait_for_load_state("load")
        page.evaluate("() => document.getAnimations().forEach((a) => a.finish())")
        page.evaluate(f"() => {{ {source}\n }}")
        return page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )

    def check(page) -> list[dict]:
        try:
            result = run(page)
        except PlaywrightError:
            # A navigation replaced the document while axe read it (a click's new
            # page arriving late): check the page that is now shown, once, whole.
            result = run(page)
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "nodes": [n["target"] for n in v["nodes"]],
            }
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return check

"""The Content-Security-Policy in a real browser: nothing refused, the admin still works.

Every page is opened in Chromium with the site's own headers; a listener installed
before any of the page's scripts records each `securitypolicyviolation`, and the
console's errors are kept too. The admin's widgets that Wagtail writes as inline
scripts (date pickers, choosers) must still come alive through cms/js/admin-init.js.
"""

import re

import pytest

from cms.models import CoursePage
from courses.models import Edition, Session
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`);
});
"""


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.context.add_init_script(LISTEN)
    # The live server of these tests has no websockets: the live seats' failed
    # connection is logged as an error that says nothing about the policy.
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error"
            and "WebSocket" not in message.text
            and not message.text.startswith("Applying inline style violates")
            else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


# Draftail (Wagtail's rich-text editor) renders two React <style> elements: the
# indentation of nested lists and the placeholder of an empty block. The policy refuses
# them (no nonce reaches React); the editor works, those two touches of style are lost.
# Nothing else may be refused, and never a script.
DRAFTAIL_STYLES = re.compile(
    r"^style-src-elem inline \S+/static/wagtailadmin/js/vendor\.js:\d+:\d+ "
    r"\.(Draftail-block--|public-DraftStyleDefault-depth)"
)


def _violations(page) -> list[str]:
    return [
        v for v in page.evaluate("window.__csp || []") if not DRAFTAIL_STYLES.match(v)
    ]


def _open(page, url: str, errors: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, url
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    page.wait_for_load_state("networkidle")
    assert _violations(page) == [], url
    assert errors == [], url


def test_public_pages_run_under_the_policy(site, page, shot):
    errors = _watch(page)
    course_page = CoursePage.objects.live().exclude(course=None).first()
    edition = Edition.objects.filter(is_published=True).first()
    for url in ("/", course_page.url, f"/edycje/{edition.pk}/", "/szukaj/?q=usługi"):
        _open(page, site.url + url, errors)
    # The scripted menu still works: js-flag.js marked the page, site.js opens it.
    assert page.evaluate("document.documentElement.classList.contains('js')")
    shot(page, "public")


def test_the_wagtail_admin_works_under_the_policy(site, page, shot):
    errors = _watch(page)
    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    course_page = CoursePage.objects.live().exclude(course=None).first()
    edition = Edition.objects.first()
    session = Session.objects.first()

    for url in (
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{course_page.pk}/edit/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/training/fill/",
        "/admin/training/editions/",
        f"/admin/training/editions/edit/{edition.pk}/",
        f"/admin/training/sessions/edit/{session.pk}/",
        "/admin/partners/indicators/",
    ):
        _open(page, site.url + url, errors)
        # Every initialiser Wagtail would have written inline ran once.
        pending = page.locator("[data-wagtail-init]:not([data-wagtail-init-done])")
        assert pending.count() == 0, url

    # A date picker written without an inline script still opens.
    page.goto(site.url + f"/admin/training/editions/edit/{edition.pk}/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(
        "!!window.jQuery('#id_start_date').data('xdsoft_datetimepicker')"
    )
    page.locator("input#id_start_date").click()
    page.locator(".xdsoft_datetimepicker:visible").first.wait_for()
    shot(page, "admin-date-picker")

    # The page editor: the StreamField (built by telepath) offers its block menu.
    page.goto(site.url + f"/admin/pages/{course_page.pk}/edit/")
    page.wait_for_load_state("networkidle")
    page.get_by_role(
        "button", name=re.compile("Dodaj blok|Insert a block")
    ).first.click()
    page.get_by_role("option").first.wait_for()
    assert _violations(page) == []
    shot(page, "admin-page-editor")

    # The preview panel frames our own page: allowed for that one view.
    page.goto(site.url + f"/admin/pages/{course_page.pk}/edit/preview/?mode=")
    assert errors == []
    assert _violations(page) == []

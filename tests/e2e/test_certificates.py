"""Certificates end to end: issued with a live progress bar, downloaded, verified, revoked."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from certificates.models import Certificate
from courses.models import Edition, Enrolment, EnrolmentStatus, TraineeProfile
from courses.services import eligibility_problems
from tests.e2e.asgi_server import asgi_live_server, asgi_site  # noqa: F401 - fixtures
from tests.e2e.helpers import log_in
from tests.states import completed_enrolment, past_edition

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _finished_edition() -> Edition:
    """An earlier run of a demo course, over already: only then is completion decided."""
    planned = Edition.objects.get(code="IPUS-OPO-01")
    return past_edition(
        course=planned.course, project=planned.project, code="IPUS-OPO-00"
    )


def _complete(edition, trainees, *, count=None):
    """The first `count` eligible trainees attended the whole edition and completed it."""
    eligible = [
        trainee
        for trainee in trainees
        if not eligibility_problems(trainee=trainee, edition=edition)
    ]
    for trainee in eligible[:count]:
        completed_enrolment(edition=edition, person=trainee)


def test_coordinator_issues_trainee_downloads_anyone_verifies_until_revoked(
    asgi_site,  # noqa: F811 - fixture
    browser,
    page,
    phone_page,
    shot,
    axe,
):
    base = asgi_site.url
    edition = _finished_edition()
    _complete(edition, TraineeProfile.objects.all())
    total = Enrolment.objects.filter(
        edition=edition, status=EnrolmentStatus.COMPLETED
    ).count()
    assert total >= 3

    # The coordinator issues for the edition and watches the bar fill.
    log_in(page, base, "koordynator@szkolenia.test", "koordynator-demo-2026")
    page.goto(base + "/admin/certificates/issue/")
    shot(page, "issuance")
    row = page.locator(f"tr[data-edition='{edition.code}']")
    row.get_by_role("button", name=f"Wydaj dla {edition.code}").click()
    page.wait_for_url(re.compile(r"/admin/certificates/issue/batch/\d+/$"))
    expect(page.locator("#batch-progress")).to_have_attribute("value", "0")
    page.evaluate("window.sameDocument = true")
    page.get_by_role("button", name="Rozpocznij wydawanie").click()
    expect(page.locator("#batch-progress")).to_have_attribute(
        "value", "100", timeout=60_000
    )
    status = page.locator("#batch-status")
    expect(status).to_contain_text("zakończone")
    expect(status).to_contain_text(f"{total} / {total}")
    assert page.evaluate("window.sameDocument") is True  # live, not a reload
    expect(page.locator(".certificate-batch")).to_have_attribute(
        "data-transport", "socket"
    )
    shot(page, "batch-finished")
    assert Certificate.objects.filter(enrolment__edition=edition).count() == total

    # The trainee downloads her certificate from "My training".
    trainee_page = browser.new_context(locale="pl-PL").new_page()
    log_in(trainee_page, base, "uczestnik@szkolenia.test", "uczestnik-demo-2026")
    trainee_page.goto(base + "/moje-szkolenia/")
    certificate = Certificate.objects.get(
        enrolment__edition=edition,
        enrolment__trainee__user__email="uczestnik@szkolenia.test",
    )
    link = trainee_page.get_by_role(
        "link", name=f"Zaświadczenie nr {certificate.number}"
    )
    shot(trainee_page, "my-training")
    with trainee_page.expect_download() as download:
        link.click()
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "Małgorzata Lewandowska" in text
    assert certificate.number in text
    trainee_page.context.close()

    # Anyone checks it on a phone, by number and code.
    phone_page.goto(base + "/zaswiadczenia/weryfikacja/")
    phone_page.get_by_label("Numer w rejestrze").fill(certificate.number)
    phone_page.get_by_label("Kod weryfikacyjny").fill(certificate.code.lower())
    phone_page.get_by_role("button", name="Sprawdź").click()
    expect(phone_page.get_by_role("status")).to_contain_text("Zaświadczenie jest ważne")
    expect(phone_page.locator("main")).to_contain_text("Małgorzata L*********a")
    expect(phone_page.locator("main")).not_to_contain_text("Lewandowska")
    shot(phone_page, "verify-valid")
    assert axe(phone_page) == []

    # The coordinator revokes it with a reason.
    page.goto(base + f"/admin/certificates/register/inspect/{certificate.pk}/")
    shot(page, "inspect")
    page.get_by_role("link", name="Unieważnij").click()
    page.get_by_label("Powód").fill("Wydane omyłkowo dla niewłaściwej grupy")
    page.get_by_role("button", name="Unieważnij").click()
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "revoked")
    page.goto(base + "/admin/certificates/register/?state=revoked")
    expect(page.locator("main")).to_contain_text(certificate.number)
    shot(page, "register-revoked")

    phone_page.goto(base + f"/zaswiadczenia/weryfikacja/{certificate.code}/")
    verdict = phone_page.get_by_role("status")
    expect(verdict).to_contain_text("Zaświadczenie zostało unieważnione")
    expect(verdict).to_contain_text("Wydane omyłkowo dla niewłaściwej grupy")
    shot(phone_page, "verify-revoked")
    assert axe(phone_page) == []


def test_without_websockets_the_bar_falls_back_to_polling(site, page):
    """pytest-django's live server speaks WSGI only: the socket fails, polling takes over."""
    edition = _finished_edition()
    _complete(edition, TraineeProfile.objects.all(), count=3)
    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    page.goto(site.url + "/admin/certificates/issue/")
    row = page.locator(f"tr[data-edition='{edition.code}']")
    row.get_by_role("button", name=f"Wydaj dla {edition.code}").click()
    page.get_by_role("button", name="Rozpocznij wydawanie").click()
    expect(page.locator("#batch-progress")).to_have_attribute(
        "value", "100", timeout=60_000
    )
    expect(page.locator("#batch-status")).to_contain_text("3 / 3")
    expect(page.locator(".certificate-batch")).to_have_attribute(
        "data-transport", "polling"
    )
    assert Certificate.objects.filter(enrolment__edition=edition).count() == 3

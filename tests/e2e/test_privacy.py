"""Browser journeys of personal data: sign-up with clause and consents, the copy,
erasure told until when and why, and the coordinator's access log."""

import datetime
import io
import json
import re
import zipfile

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from courses.models import (
    AccessEvent,
    ConsentPurpose,
    ConsentRecord,
    Project,
    TraineeProfile,
)
from courses.services.privacy import clause_publish, consent_text_publish
from tests.e2e.helpers import log_in
from tests.factories import UserFactory
from tests.states import completed_enrolment, past_edition

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "Haslo-testowe-2026"
SECTIONS = {
    "controllers": "Administratorem danych jest Zarząd Województwa (instytucja zarządzająca) oraz ROPS.",
    "dpo": "Inspektor ochrony danych: iod@rops.example.pl",
    "purposes": "Realizacja projektu i jego rozliczenie (art. 6 ust. 1 lit. c RODO).",
    "recipients": "Partnerzy projektu, system SL2014.",
    "retention": "Do daty archiwizacji dokumentacji projektu.",
}


@pytest.fixture
def privacy_texts(site):
    clause_publish(project=None, sections=SECTIONS, actor=None)
    purpose = ConsentPurpose.objects.create(code="newsletter", name="Newsletter")
    return consent_text_publish(
        purpose=purpose,
        text="Chcę otrzymywać e-mailem informacje o nowych szkoleniach.",
        actor=None,
    )


def test_a_newcomer_signs_up_seeing_the_clause_and_choosing_consents(
    site, phone_page, shot, axe, privacy_texts
):
    page = phone_page
    page.goto(site.url + "/konto/signup/")
    page.get_by_text("Klauzula informacyjna (RODO)").click()
    expect(page.get_by_text("Administratorem danych jest Zarząd")).to_be_visible()
    consent = page.get_by_label("Chcę otrzymywać e-mailem informacje")
    assert not consent.is_checked()  # optional, never ticked in advance
    assert axe(page) == []
    shot(page, "1-signup-clause")
    page.get_by_label("Adres e-mail").fill("nowa.osoba@example.pl")
    page.get_by_label("Hasło", exact=True).fill(PASSWORD)
    page.get_by_label("Hasło (ponownie)").fill(PASSWORD)
    consent.check()
    page.get_by_role("button", name="Zarejestruj się").click()
    page.wait_for_url(re.compile(r"/konto/confirm-email/"))
    record = ConsentRecord.objects.get(user__email="nowa.osoba@example.pl")
    assert (record.text, record.given, record.how) == (privacy_texts, True, "signup")

    EmailAddress.objects.filter(email="nowa.osoba@example.pl").update(verified=True)
    log_in(page, site.url, "nowa.osoba@example.pl", PASSWORD)
    page.goto(site.url + "/moje-dane/")
    box = page.get_by_label("Chcę otrzymywać e-mailem informacje")
    assert box.is_checked()
    box.uncheck()  # withdrawn as easily as given
    page.get_by_role("button", name="Zapisz moje zgody").click()
    page.get_by_text("Twoje zgody zostały zapisane.").wait_for()
    assert axe(page) == []
    shot(page, "2-consent-withdrawn")
    assert (
        not ConsentRecord.objects.filter(user__email="nowa.osoba@example.pl")
        .first()
        .given
    )


def test_a_trainee_sees_who_looked_downloads_the_copy_and_asks_for_erasure(
    site, browser, page, shot, axe, privacy_texts
):
    project = Project.objects.order_by("pk").first()
    project.retention_until = datetime.date(2031, 12, 31)
    project.save()
    edition = past_edition(project=project, code="PRIV-01")
    enrolment = completed_enrolment(
        edition=edition,
        first_name="Halina",
        last_name="Zielińska",
        user=UserFactory(email="halina@example.pl", password=PASSWORD),
    )
    trainee = enrolment.trainee

    # A coordinator opens her page in the admin and browses the access log.
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="pl-PL")
    admin = staff.new_page()
    log_in(admin, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    admin.goto(f"{site.url}/admin/training/trainees/inspect/{trainee.pk}/")
    admin.get_by_text("Zielińska").first.wait_for()
    admin.goto(site.url + "/admin/privacy/access-log/")
    assert (
        "Karta uczestnika w panelu" in admin.locator("table.listing tbody").inner_text()
    )
    assert axe(admin) == []
    # Filtered by whose data. (Wagtail's filter button then shows a count outside its
    # accessible name, axe's label-content-name-mismatch: Wagtail's own component.)
    admin.goto(site.url + "/admin/privacy/access-log/?trainee=Zieli&action=view")
    row = admin.locator("table.listing tbody tr").first
    assert "Karta uczestnika w panelu: Halina Zielińska" in row.inner_text()
    assert admin.locator("table.listing tbody tr").count() == 1
    shot(admin, "1-coordinator-access-log")
    staff.close()

    log_in(page, site.url, "halina@example.pl", PASSWORD)
    page.goto(site.url + "/moje-dane/")
    access = page.locator("[data-access-event]").first
    assert "Koordynator" in access.inner_text()
    assert "Kowalczyk" not in page.content()  # the organisation and role, not the clerk
    assert axe(page) == []
    shot(page, "2-my-data")

    with page.expect_download() as download:
        page.get_by_role("link", name="Pobierz moje dane (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    data = json.loads(archive.read("dane.json"))
    assert data["trainee"]["last_name"] == "Zielińska"
    assert "dane.pdf" in archive.namelist()

    page.get_by_role("link", name="Zażądaj usunięcia danych").click()
    kept = page.locator(f"[data-kept-project='{project.code}']")
    assert "31 grudnia 2031" in kept.inner_text()
    assert axe(page) == []
    shot(page, "3-erasure-what-is-kept")
    page.get_by_role("button", name="Usuń moje dane").click()
    expect(page.get_by_text("Zaznacz pole, aby potwierdzić")).to_be_visible()
    page.get_by_label("Żądam usunięcia moich danych").check()
    page.get_by_role("button", name="Usuń moje dane").click()
    page.wait_for_url(re.compile(r"/moje-dane/usuniecie/gotowe/"))
    done = page.locator("[data-erasure-done]").inner_text()
    assert "31 grudnia 2031" in done and "art. 17" in done
    assert axe(page) == []
    shot(page, "4-erasure-done")
    trainee.refresh_from_db()
    assert trainee.last_name == "Zielińska"  # kept until the archival date
    assert not trainee.user.is_active
    assert AccessEvent.objects.filter(action="erasure", trainees=trainee).exists()
    assert TraineeProfile.objects.filter(pk=trainee.pk).exists()

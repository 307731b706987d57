import io
import re

import pytest
from PIL import Image

from courses.models import Attendance, Edition, EnrolmentStatus, SessionSheet
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_trainer_marks_attendance_on_a_phone_and_confirms_completion(
    site, phone_page, shot, axe
):
    page = phone_page
    edition = Edition.objects.get(code="ZOUS-KAT-00")
    last_session = edition.sessions.order_by("date").last()

    log_in(page, site.url, "trener@szkolenia.test", "trener-demo-2026")

    # The header's menu leads to "Moje grupy".
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Moje grupy").click()
    page.wait_for_url(re.compile(r"/moje-grupy/$"))
    shot(page, "1-my-groups")
    page.get_by_role("link", name=re.compile(edition.code)).click()
    page.wait_for_url(re.compile(rf"/moje-grupy/{edition.pk}/$"))
    shot(page, "1b-group")
    page.locator("li.session-card").last.get_by_role(
        "link", name="Zaznacz obecność"
    ).click()
    page.wait_for_url(re.compile(rf"/zajecia/{last_session.pk}/obecnosc/$"))
    assert axe(page) == []

    # A reload would drop this marker: every tap must save without one.
    page.evaluate("window.__stillHere = true")
    toggles = page.locator("button.roster__toggle")
    assert toggles.count() == 6
    for index in range(6):
        toggle = toggles.nth(index)
        name = toggle.locator(".roster__name").inner_text()
        toggle.tap()
        assert toggle.get_attribute("aria-pressed") == "true"
        page.get_by_role("status").filter(has_text=name.split()[0]).wait_for()
    page.locator("[data-count='present']").filter(has_text="6").wait_for()
    assert page.evaluate("window.__stillHere") is True
    assert Attendance.objects.filter(session=last_session, present=True).count() == 6
    assert page.get_by_role("status").inner_text().startswith("Zapisano obecność")
    assert axe(page) == []
    shot(page, "2-attendance-marked")

    # A second tap marks one trainee absent, and that is saved too.
    toggles.first.tap()
    page.get_by_role("status").filter(has_text="Zapisano nieobecność").wait_for()
    assert toggles.first.get_attribute("aria-pressed") == "false"
    assert Attendance.objects.filter(session=last_session, present=True).count() == 5
    toggles.first.tap()
    page.locator("[data-count='present']").filter(has_text="6").wait_for()

    # When the save fails, the button goes back to what the server holds and says so.
    page.route("**/obecnosc/", lambda route: route.fulfill(status=503, body="busy"))
    toggles.nth(1).tap()
    page.get_by_role("status").filter(has_text="Nie zapisano").wait_for()
    assert toggles.nth(1).get_attribute("aria-pressed") == "true"
    assert toggles.nth(1).get_attribute("data-state") == "present"
    page.unroute("**/obecnosc/")
    assert Attendance.objects.filter(session=last_session, present=True).count() == 6
    shot(page, "2b-save-failed")

    # The signed paper list goes back to the session as a scan.
    page.get_by_role("link", name="Wróć do grupy").click()
    page.locator("li.session-card").last.get_by_role(
        "link", name="Prześlij podpisaną listę"
    ).click()
    page.wait_for_url(re.compile(rf"/zajecia/{last_session.pk}/skan/$"))
    assert axe(page) == []
    page.get_by_label("Skan lub zdjęcie podpisanej listy obecności").set_input_files(
        {"name": "lista.png", "mimeType": "image/png", "buffer": _png()}
    )
    page.get_by_role("button", name="Wyślij podpisaną listę").click()
    page.wait_for_url(re.compile(rf"/moje-grupy/{edition.pk}/$"))
    assert SessionSheet.objects.filter(session=last_session).exists()
    assert page.get_by_text("podpisana lista przesłana").count() == 1
    shot(page, "2c-sheet-uploaded")

    page.get_by_role("link", name="Ukończenie").click()
    page.wait_for_url(re.compile(rf"/moje-grupy/{edition.pk}/ukonczenie/$"))
    assert axe(page) == []
    shot(page, "3-completion")
    page.get_by_role("button", name=re.compile(r"Potwierdź wszystkich")).click()
    # It asks first, naming who becomes what.
    page.get_by_role(
        "heading", name="Potwierdzić ukończenie dla wszystkich?"
    ).wait_for()
    assert axe(page) == []
    shot(page, "3b-completion-question")
    page.get_by_role("button", name="Tak, rozstrzygnij dla 6 osób").click()
    page.get_by_text("Rozstrzygnięto ukończenie dla 6 osób.").wait_for()
    shot(page, "4-completion-confirmed")

    statuses = dict(edition.enrolments.values_list("trainee__last_name", "status"))
    # Bożena Ćwiklińska missed the second day: 2 of 3 sessions is below 80 %.
    assert statuses.pop("Ćwiklińska") == EnrolmentStatus.NOT_COMPLETED
    assert set(statuses.values()) == {EnrolmentStatus.COMPLETED}
    assert page.locator(".status--completed").count() == 5
    assert page.locator(".status--not_completed").count() == 1

"""Advisory end to end: request -> booking -> meeting -> attendance -> indicator."""

import re

import pytest
from django.utils import timezone

from courses.models import (
    AdvisoryRequest,
    Attendance,
    EnrolmentStatus,
)
from courses.services import enrolment_approve, enrolment_mark_declaration_received
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _menu(page, name: str) -> None:
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("navigation", name="Menu główne").get_by_role(
        "link", name=name
    ).click()


def test_request_booking_meeting_attendance_indicator(
    site, page, phone_page, shot, axe
):
    # The trainee asks online, for a group of two, by video.
    log_in(page, site.url, "uczestnik@szkolenia.test", "uczestnik-demo-2026")
    _menu(page, "Doradztwo")
    page.get_by_role("link", name="Doradztwo ROPS").click()
    assert axe(page) == []
    shot(page, "1-offer")
    page.get_by_role("link", name="Wypełnij zgłoszenie").click()
    page.get_by_label("Zadania oraz zasady działania CUS.").check()
    page.get_by_label("grupowe (2–15 osób)").check()
    page.get_by_label("zdalnie: spotkanie wideo").check()
    page.get_by_label("Dogodne terminy").fill("środy po 12:00")
    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    # Group without the others' names: refused, said next to the field, nothing saved.
    page.get_by_text("wpisz od 1 do 14 pozostałych uczestników").wait_for()
    assert axe(page) == []
    shot(page, "2-request-refused")
    assert not AdvisoryRequest.objects.filter(
        enrolment__trainee__user__username="uczestnik@szkolenia.test"
    ).exists()
    page.get_by_label("Pozostali uczestnicy grupy").fill("Ewa Lis; MOPS w Katowicach")
    page.get_by_label("Osoby, którym Twoja instytucja").fill("80")
    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    page.wait_for_url(re.compile(r"/moje-szkolenia/$"))
    page.get_by_text("Zgłoszenie przyjęte").wait_for()
    shot(page, "3-my-enrolments")
    request = AdvisoryRequest.objects.get(
        enrolment__trainee__user__username="uczestnik@szkolenia.test"
    )
    assert request.indirect_recipients == 80

    # The signed declaration arrives; the coordinator confirms (existing machinery).
    enrolment_mark_declaration_received(enrolment=request.enrolment, actor=None)
    enrolment_approve(enrolment=request.enrolment, actor=None)

    # The coordinator assigns the adviser and books today's meeting.
    page.context.clear_cookies()
    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    _menu(page, "Moje doradztwo")
    page.get_by_role("link", name=re.compile("Małgorzata Lewandowska")).click()
    page.get_by_role("combobox", name="Doradca").select_option(
        label="Barbara Michalska"
    )
    page.get_by_role("button", name="Przydziel").click()
    page.get_by_text("Doradca jest przydzielony.").wait_for()
    today = timezone.localdate()
    page.get_by_label("Data").fill(today.isoformat())
    page.get_by_label("Początek").fill("09:00")
    page.get_by_label("Koniec").fill("10:30")
    page.get_by_label("Miejsce lub link").fill("https://spotkania.example.pl/cus")
    page.get_by_role("button", name="Umów", exact=True).click()
    page.get_by_text("Spotkanie jest umówione.").wait_for()
    assert axe(page) == []
    shot(page, "4-case-booked")

    # The adviser, on a phone, records the meeting and closes the advice.
    phone = phone_page
    log_in(phone, site.url, "doradca@szkolenia.test", "doradca-demo-2026")
    _menu(phone, "Moje doradztwo")
    assert axe(phone) == []
    shot(phone, "5-my-advisory-phone")
    phone.get_by_role("link", name=re.compile("Małgorzata Lewandowska")).click()
    phone.get_by_role("heading", name="Spotkania").wait_for()
    assert axe(phone) == []
    shot(phone, "5b-case-phone")
    phone.get_by_role("link", name=re.compile("Opisz spotkanie")).click()
    phone.get_by_label("zdalnie: spotkanie wideo").check()
    phone.get_by_label("Osoba zgłaszająca była obecna").check()
    phone.get_by_label("Ewa Lis").check()
    phone.get_by_label("Krótka notatka").fill("Zasady działania CUS, regulamin.")
    assert axe(phone) == []
    shot(phone, "6-record-phone")
    phone.get_by_role("button", name="Zapisz opis").click()
    phone.get_by_text("Opis spotkania jest zapisany.").wait_for()
    assert Attendance.objects.get(enrolment=request.enrolment).present
    phone.get_by_role("button", name=re.compile("Zakończ doradztwo")).click()
    phone.get_by_text("Doradztwo jest ukończone.").wait_for()
    request.enrolment.refresh_from_db()
    assert request.enrolment.status == EnrolmentStatus.COMPLETED
    assert axe(phone) == []
    shot(phone, "7-case-completed-phone")

    # The indicators dashboard counts both people as direct recipients.
    page.goto(site.url + "/admin/partners/indicators/")
    table = page.locator("table[data-chart='advisory']")
    row = table.get_by_role("row", name="doradztwo-rops – odbiorcy bezpośredni")
    # The demo's one advised person, plus the trainee and Ewa Lis.
    assert row.get_by_role("cell").first.inner_text() == "3"
    indirect = table.get_by_role("row", name="doradztwo-rops – odbiorcy pośredni")
    assert indirect.get_by_role("cell").first.inner_text() == "140"
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(shot(page, "8-indicators")))  # then the viewport at it

"""Advisory end to end: request -> booking -> meeting -> attendance -> indicator."""

import re

import pytest

from courses.models import (
    AdvisoryRequest,
    Attendance,
    EnrolmentStatus,
)
from courses.services import enrolment_approve, enrolment_mark_declaration_received
from tests.e2e import advisory_steps as steps
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_request_booking_meeting_attendance_indicator(
    site, page, phone_page, shot, axe
):
    # The trainee asks online, for a group of two, by video.
    log_in(page, site.url, "uczestnik@szkolenia.test", "uczestnik-demo-2026")
    steps.menu_link(page, "Doradztwo")
    page.get_by_role("link", name="Doradztwo ROPS").click()
    page.wait_for_url(re.compile(r"/doradztwo/\d+/$"))
    assert axe(page) == []
    shot(page, "1-offer")
    page.get_by_role("link", name="Wypełnij zgłoszenie").click()
    steps.request_send(
        page,
        choices=[
            "Zadania oraz zasady działania CUS.",
            "grupowe (2–15 osób)",
            "zdalnie: spotkanie wideo",
        ],
        dates="środy po 12:00",
    )
    # Group without the others' names: refused, said next to the field, nothing saved.
    page.get_by_text("wpisz od 1 do 14 pozostałych uczestników").wait_for()
    assert axe(page) == []
    shot(page, "2-request-refused")
    assert not AdvisoryRequest.objects.filter(
        enrolment__trainee__user__username="uczestnik@szkolenia.test"
    ).exists()
    steps.request_send(
        page, participants="Ewa Lis; MOPS w Katowicach", indirect_recipients="80"
    )
    steps.request_accepted(page)
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
    steps.menu_link(page, "Moje doradztwo")
    page.get_by_role("link", name=re.compile("Małgorzata Lewandowska")).click()
    steps.assign_and_book_today(
        page,
        role="Doradca",
        person="Barbara Michalska",
        start="09:00",
        end="10:30",
        place="https://spotkania.example.pl/cus",
    )
    assert axe(page) == []
    shot(page, "4-case-booked")

    # The adviser, on a phone, records the meeting and closes the advice.
    phone = phone_page
    log_in(phone, site.url, "doradca@szkolenia.test", "doradca-demo-2026")
    steps.menu_link(phone, "Moje doradztwo")
    assert axe(phone) == []
    shot(phone, "5-my-advisory-phone")
    phone.get_by_role("link", name=re.compile("Małgorzata Lewandowska")).click()
    phone.get_by_role("heading", name="Spotkania").wait_for()
    assert axe(phone) == []
    shot(phone, "5b-case-phone")
    steps.meeting_describe(
        phone, note="Zasady działania CUS, regulamin.", attendees=["Ewa Lis"]
    )
    assert axe(phone) == []
    shot(phone, "6-record-phone")
    steps.meeting_save(phone)
    assert Attendance.objects.get(enrolment=request.enrolment).present
    phone.get_by_role("button", name=re.compile("Zakończ doradztwo")).click()
    phone.get_by_text("Doradztwo jest ukończone.").wait_for()
    request.enrolment.refresh_from_db()
    assert request.enrolment.status == EnrolmentStatus.COMPLETED
    assert axe(phone) == []
    shot(phone, "7-case-completed-phone")

    # The indicators dashboard counts both people as direct recipients.
    page.goto(site.url + "/admin/partners/indicators/")
    # The demo's one advised person, plus the trainee and Ewa Lis.
    assert steps.indicator(page, "doradztwo-rops – odbiorcy bezpośredni") == "3"
    assert steps.indicator(page, "doradztwo-rops – odbiorcy pośredni") == "140"
    steps.indicators_shot(page, shot, "8-indicators")

"""Coaching end to end: request -> booking by the coordinator -> the coach's record of
the session with attendance -> the person's sessions and hours -> the indicator."""

import datetime
import re

import pytest
from django.utils import timezone

from courses.models import AdvisoryOffer, AdvisoryRequest, Attendance, Project
from tests.e2e import advisory_steps as steps
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SOCIAL_WORKER = ("socjalna@szkolenia.test", "uczestnik-demo-2026")
COACH = ("coach@szkolenia.test", "coach-demo-2026")
COORDINATOR = ("koordynator@szkolenia.test", "koordynator-demo-2026")


def _indicator(page, label: str) -> str:
    return steps.indicator(page, f"coaching-kooperacja – {label}")


def test_request_booking_session_attendance_indicator(
    site, page, phone_page, shot, axe
):
    # The demo's coaching is on record: the project ended in 2021. This run extends
    # the project and its coaching offer by three months, so a new request is taken.
    offer = AdvisoryOffer.objects.get(code="coaching-kooperacja")
    ends = timezone.localdate() + datetime.timedelta(days=90)
    Project.objects.filter(pk=offer.project_id).update(end_date=ends)
    AdvisoryOffer.objects.filter(pk=offer.pk).update(ends_on=ends)

    # Before: the demo's coaching counts four persons and 115 indirect recipients.
    log_in(page, site.url, *COORDINATOR)
    page.goto(site.url + "/admin/partners/indicators/")
    assert _indicator(page, "odbiorcy bezpośredni") == "4"
    assert _indicator(page, "odbiorcy pośredni") == "115"

    # The social worker, on a phone, sees her completed coaching and asks for more.
    phone = phone_page
    log_in(phone, site.url, *SOCIAL_WORKER)
    phone.goto(site.url + "/moje-sesje-coachingowe/")
    phone.get_by_text("godziny obecności: 6").wait_for()
    assert axe(phone) == []
    shot(phone, "1-my-sessions-phone")
    steps.menu_link(phone, "Coaching")
    phone.get_by_role("link", name=offer.title).click()
    phone.get_by_role("heading", name="Jak prowadzimy coaching").wait_for()
    assert axe(phone) == []
    shot(phone, "2-offer-phone")
    phone.get_by_role("link", name="Wypełnij zgłoszenie").click()
    steps.request_send(
        phone,
        choices=[
            "Radzenie sobie ze stresem",
            "indywidualne",
            "zdalnie: spotkanie wideo",
        ],
    )
    # Without the dates that suit her: refused, said at the field, nothing saved.
    phone.get_by_text("Podaj dogodne terminy.").wait_for()
    assert axe(phone) == []
    shot(phone, "3-request-refused-phone")
    assert AdvisoryRequest.objects.filter(offer=offer).count() == 3
    steps.request_send(phone, dates="środy po 13:00", indirect_recipients="25")
    steps.request_accepted(phone)
    request = AdvisoryRequest.objects.filter(offer=offer).latest("pk")
    assert request.enrolment.trainee.user.email == SOCIAL_WORKER[0]
    assert request.indirect_recipients == 25

    # The coordinator assigns the coach and books today's session.
    page.goto(site.url + "/")
    steps.menu_link(page, "Moje coachingi")
    in_progress = page.get_by_role("region", name="W toku")
    in_progress.get_by_role("link", name=re.compile("Karolina Nowak")).click()
    steps.assign_and_book_today(
        page,
        role="Coach",
        person="Monika Dąbrowska",
        start="08:00",
        end="09:30",
        place="https://spotkania.example.pl/coaching",
    )
    assert axe(page) == []
    shot(page, "4-case-booked")

    # The coach, on a phone, finds it among her coaching and records the session.
    phone.context.clear_cookies()
    log_in(phone, site.url, *COACH)
    steps.menu_link(phone, "Moje coachingi")
    phone.get_by_role("heading", name="Moje coachingi").wait_for()
    assert axe(phone) == []
    shot(phone, "5-my-coaching-phone")
    in_progress = phone.get_by_role("region", name="W toku")
    assert in_progress.get_by_role("link", name=re.compile("Aleksandra Wilk")).count()
    in_progress.get_by_role("link", name=re.compile("Karolina Nowak")).click()
    steps.meeting_describe(phone, note="Techniki radzenia sobie ze stresem.")
    assert axe(phone) == []
    shot(phone, "6-record-phone")
    steps.meeting_save(phone)
    assert Attendance.objects.get(enrolment=request.enrolment).present
    assert axe(phone) == []
    shot(phone, "7-case-recorded-phone")

    # The social worker sees the session, its hours and her presence.
    phone.context.clear_cookies()
    log_in(phone, site.url, *SOCIAL_WORKER)
    phone.goto(site.url + "/moje-sesje-coachingowe/")
    phone.get_by_text("godziny obecności: 1,5").wait_for()
    assert axe(phone) == []
    shot(phone, "8-my-sessions-after-phone")

    # The dashboard: the same person again is no new direct recipient (persons are
    # counted once); her institution's 25 people add to the indirect ones.
    page.goto(site.url + "/admin/partners/indicators/")
    assert _indicator(page, "odbiorcy bezpośredni") == "4"
    assert _indicator(page, "odbiorcy pośredni") == "140"
    steps.indicators_shot(page, shot, "9-indicators")

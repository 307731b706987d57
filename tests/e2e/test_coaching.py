"""Coaching end to end: request -> booking by the coordinator -> the coach's record of
the session with attendance -> the person's sessions and hours -> the indicator."""

import datetime
import re

import pytest
from django.utils import timezone

from courses.models import AdvisoryOffer, AdvisoryRequest, Attendance, Project
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SOCIAL_WORKER = ("socjalna@szkolenia.test", "uczestnik-demo-2026")
COACH = ("coach@szkolenia.test", "coach-demo-2026")
COORDINATOR = ("koordynator@szkolenia.test", "koordynator-demo-2026")


def _menu(page, name: str) -> None:
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("navigation", name="Menu główne").get_by_role(
        "link", name=name, exact=True
    ).click()


def _indicator(page, label: str) -> str:
    table = page.locator("table[data-chart='advisory']")
    row = table.get_by_role("row", name=f"coaching-kooperacja – {label}")
    return row.get_by_role("cell").first.inner_text()


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
    _menu(phone, "Coaching")
    phone.get_by_role("link", name=offer.title).click()
    phone.get_by_role("heading", name="Jak prowadzimy coaching").wait_for()
    assert axe(phone) == []
    shot(phone, "2-offer-phone")
    phone.get_by_role("link", name="Wypełnij zgłoszenie").click()
    phone.get_by_label("Radzenie sobie ze stresem").check()
    phone.get_by_label("indywidualne").check()
    phone.get_by_label("zdalnie: spotkanie wideo").check()
    phone.get_by_role("button", name="Wyślij zgłoszenie").click()
    # Without the dates that suit her: refused, said at the field, nothing saved.
    phone.get_by_text("Podaj dogodne terminy.").wait_for()
    assert axe(phone) == []
    shot(phone, "3-request-refused-phone")
    assert AdvisoryRequest.objects.filter(offer=offer).count() == 3
    phone.get_by_label("Dogodne terminy").fill("środy po 13:00")
    phone.get_by_label("Osoby, którym Twoja instytucja").fill("25")
    phone.get_by_role("button", name="Wyślij zgłoszenie").click()
    phone.wait_for_url(re.compile(r"/moje-szkolenia/$"))
    phone.get_by_text("Zgłoszenie przyjęte").wait_for()
    request = AdvisoryRequest.objects.filter(offer=offer).latest("pk")
    assert request.enrolment.trainee.user.email == SOCIAL_WORKER[0]
    assert request.indirect_recipients == 25

    # The coordinator assigns the coach and books today's session.
    page.goto(site.url + "/")
    _menu(page, "Moje coachingi")
    in_progress = page.get_by_role("region", name="W toku")
    in_progress.get_by_role("link", name=re.compile("Karolina Nowak")).click()
    page.get_by_role("combobox", name="Coach").select_option(label="Monika Dąbrowska")
    page.get_by_role("button", name="Przydziel").click()
    page.get_by_text("Coach jest przydzielony.").wait_for()
    page.get_by_label("Data").fill(timezone.localdate().isoformat())
    page.get_by_label("Początek").fill("08:00")
    page.get_by_label("Koniec").fill("09:30")
    page.get_by_label("Miejsce lub link").fill("https://spotkania.example.pl/coaching")
    page.get_by_role("button", name="Umów", exact=True).click()
    page.get_by_text("Spotkanie jest umówione.").wait_for()
    assert axe(page) == []
    shot(page, "4-case-booked")

    # The coach, on a phone, finds it among her coaching and records the session.
    phone.context.clear_cookies()
    log_in(phone, site.url, *COACH)
    _menu(phone, "Moje coachingi")
    phone.get_by_role("heading", name="Moje coachingi").wait_for()
    assert axe(phone) == []
    shot(phone, "5-my-coaching-phone")
    in_progress = phone.get_by_role("region", name="W toku")
    assert in_progress.get_by_role("link", name=re.compile("Aleksandra Wilk")).count()
    in_progress.get_by_role("link", name=re.compile("Karolina Nowak")).click()
    phone.get_by_role("link", name=re.compile("Opisz spotkanie")).click()
    phone.get_by_label("zdalnie: spotkanie wideo").check()
    phone.get_by_label("Osoba zgłaszająca była obecna").check()
    phone.get_by_label("Krótka notatka").fill("Techniki radzenia sobie ze stresem.")
    assert axe(phone) == []
    shot(phone, "6-record-phone")
    phone.get_by_role("button", name="Zapisz opis").click()
    phone.get_by_text("Opis spotkania jest zapisany.").wait_for()
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
    page.locator("table[data-chart='advisory']").scroll_into_view_if_needed()
    page.screenshot(path=str(shot(page, "9-indicators")))

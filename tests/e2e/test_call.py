"""A call end to end: application -> deadline -> scoring -> selection -> result ->
nomination to a working group -> a group meeting -> its fee list."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from courses.models import GroupKind, Nomination, WorkingGroup
from courses.models.recruitment import ApplicationStatus, Call, CallApplication
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_application_deadline_scoring_selection_result(
    site, page, phone_page, shot, axe
):
    call = Call.objects.get(code="kooperacja-lubuskie")
    # The demo's call closed in 2019 and its results were sent; this run opens it
    # again for a week, its applications waiting for a new selection.
    Call.objects.filter(pk=call.pk).update(
        deadline=timezone.now() + datetime.timedelta(days=7),
        results_published_at=None,
    )
    call.applications.update(status=ApplicationStatus.SUBMITTED, result_reason="")
    phone = phone_page
    log_in(phone, site.url, "gmina@szkolenia.test", "gmina-demo-2026")
    phone.goto(f"{site.url}/nabory/{call.pk}/")
    assert axe(phone) == []
    shot(phone, "1-call-phone")
    phone.get_by_role("link", name="Wypełnij zgłoszenie").click()
    phone.get_by_label("gmina miejsko-wiejska").check()
    phone.get_by_label("Powiat lub gmina").fill("Gmina Kożuchów")
    phone.get_by_label("Instytucja zgłaszająca").fill("OPS w Kożuchowie")
    phone.get_by_label("Telefon kontaktowy").fill("68 355 00 00")
    phone.get_by_role("button", name="Wyślij zgłoszenie").click()
    # Without the criteria answered: refused, each field says what is missing.
    phone.get_by_text("Odpowiedz tak lub nie.").first.wait_for()
    assert axe(phone) == []
    shot(phone, "2-refused-phone")
    phone.get_by_label("Powiat lub gmina").fill("Gmina Nowa Sól")
    phone.get_by_label("Dochód gminy przypadający na jednego mieszkańca").fill("2000")
    phone.get_by_label("Liczba rodzin korzystających z pomocy społecznej").fill("900")
    phone.get_by_label("Liczba zawartych kontraktów socjalnych").fill("70")
    for group in ("Doświadczenie w realizacji projektów", "Zdiagnozowany koszyk"):
        phone.get_by_role("group", name=re.compile(group)).get_by_label("tak").check()
    phone.get_by_role("button", name="Wyślij zgłoszenie").click()
    phone.get_by_text("Zgłoszenie zostało wysłane").wait_for()
    shot(phone, "3-submitted-phone")
    mine = CallApplication.objects.get(authority="Gmina Nowa Sól")

    # The deadline passes: the form says so.
    Call.objects.filter(pk=call.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    phone.goto(f"{site.url}/nabory/{call.pk}/zgloszenie/")
    phone.get_by_text("zgłoszenia nie są już przyjmowane").first.wait_for()

    # The coordinator adds justified points, selects keeping the income bands, sends.
    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    page.goto(f"{site.url}/nabory/{call.pk}/ranking/")
    lubsko = CallApplication.objects.get(authority="Gmina Lubsko")
    row = page.get_by_role("row", name=re.compile("Gmina Lubsko"))
    row.get_by_label("Punkty ręczne").fill("2")
    row.get_by_label("Uzasadnienie").fill("Diagnoza koszyka usług w załączniku.")
    row.get_by_role("button", name=re.compile("Zapisz")).click()
    page.get_by_text("Zapisano punkty ręczne: Gmina Lubsko.").wait_for()
    lubsko.refresh_from_db()
    assert lubsko.manual_points == 2
    page.get_by_role("button", name="Wybierz według rankingu").click()
    page.get_by_text("Wybrano. Sprawdź wyniki").wait_for()
    assert axe(page) == []
    shot(page, "4-ranking")
    with page.expect_download() as download:
        page.get_by_role("link", name="Pobierz ranking (XLSX)").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    authorities = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(authorities) == 12 and "Gmina Nowa Sól" in authorities
    page.get_by_role("button", name="Wyślij wynik każdemu zgłaszającemu").click()
    page.get_by_text("Wyniki wysłano do zgłaszających (12)").wait_for()
    mine.refresh_from_db()
    assert mine.status == ApplicationStatus.SELECTED
    assert (
        CallApplication.objects.filter(status=ApplicationStatus.SELECTED).count() == 8
    )

    # The applicant reads the result and its reason.
    phone.goto(f"{site.url}/nabory/{call.pk}/")
    phone.get_by_text(re.compile("Wybrano: miejsce 1 w rankingu")).wait_for()
    assert axe(phone) == []
    shot(phone, "5-result-phone")

    # The selected gmina nominates one of its people to the regional group.
    phone.get_by_role("link", name="Grupy robocze").click()
    phone.wait_for_url(re.compile(rf"/nabory/{call.pk}/grupy/$"))
    assert axe(phone) == []
    phone.get_by_role("link", name=re.compile("Regionalna Grupa Refleksyjna")).click()
    phone.get_by_label("Imię", exact=True).fill("Adam")
    phone.get_by_label("Nazwisko", exact=True).fill("Wiśniewski")
    phone.get_by_label("E-mail", exact=True).fill("a.wisniewski@pup.nowasol.test")
    phone.get_by_label("mężczyzna").check()
    phone.get_by_label("Instytucja", exact=True).fill(
        "Powiatowy Urząd Pracy w Nowej Soli"
    )
    phone.get_by_label("Sektor", exact=True).select_option(label="rynek pracy")
    phone.get_by_role("button", name="Zgłoś", exact=True).click()
    phone.get_by_text("Zgłoszono do grupy: Adam Wiśniewski.").wait_for()
    assert axe(phone) == []
    shot(phone, "6-nominated-phone")
    nomination = Nomination.objects.get(enrolment__trainee__last_name="Wiśniewski")
    assert nomination.application.authority in {"Gmina Nowa Sól", "Gmina Kożuchów"}

    # The coordinator books the county reflective group's next two-day meeting
    # outside working hours, and prints the fee list of the one held.
    group = WorkingGroup.objects.get(
        kind=GroupKind.COUNTY_REFLECTIVE, application__authority="Powiat nowosolski"
    )
    page.goto(f"{site.url}/grupy-robocze/{group.pk}/")
    day = datetime.date(2020, 3, 12)  # within the project's period (to 31.03.2021)
    page.get_by_label("Dzień 1", exact=True).fill(day.isoformat())
    page.get_by_label("Dzień 1 od", exact=True).fill("15:00")
    page.get_by_label("Dzień 1 do", exact=True).fill("19:00")
    page.get_by_label("Dzień 2 od", exact=True).fill("09:00")
    page.get_by_label("Dzień 2 do", exact=True).fill("14:00")
    page.get_by_label("Miejsce", exact=True).fill(
        "Starostwo Powiatowe w Nowej Soli, sala 12"
    )
    page.get_by_label("Poza godzinami pracy").check()
    page.get_by_label("Wynagrodzenie na członka (zł)").fill("150")
    page.get_by_role("button", name="Umów spotkanie").click()
    page.get_by_text("Umówiono spotkanie 2.").wait_for()
    assert axe(page) == []
    shot(page, "7-group-meeting")
    assert [d.session.date for d in group.meetings.get(number=2).days.all()] == [
        day,
        day + datetime.timedelta(days=1),
    ]
    with page.expect_download() as download:
        page.get_by_role(
            "link", name=re.compile("Lista wynagrodzeń .PDF. – spotkanie 1")
        ).click()
    pdf = PdfReader(download.value.path())
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Beata Sikora" in text and "825,00" in text

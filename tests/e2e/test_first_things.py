"""What people look for first, in the browser: the catalogue and eligibility, the
calendar feed, the trainer's contacts and message, the coordinator's to-do, the partner."""

import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from courses.models import Edition, Enrolment, GroupMessage
from courses.services import edition_set_capacity, enrolment_create
from tests.e2e.helpers import log_in
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("device", ["phone_page", "page"])
def test_trainee_finds_a_group_in_the_catalogue_and_subscribes_to_the_calendar(
    site, request, shot, axe, device
):
    page = request.getfixturevalue(device)
    log_in(page, site.url, "uczestnik@szkolenia.test", "uczestnik-demo-2026")
    # The next step is on "Moje konto".
    expect(page.get_by_role("heading", name="Twój następny krok")).to_be_visible()
    if device == "phone_page":
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Menu główne").get_by_role(
        "link", name="Terminy szkoleń"
    ).click()
    page.wait_for_url(re.compile(r"/terminy/$"))
    expect(page.locator("main")).to_contain_text("Znaleziono 11 grup")
    page.get_by_label("Forma").select_option(value="remote")
    page.get_by_role("button", name="Pokaż").click()
    page.wait_for_url(re.compile(r"delivery_mode=remote"))
    cards = page.locator("li.edition")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("Zarządzanie i organizacja usług społecznych")
    expect(cards.first.locator("[data-eligibility]")).to_have_text(
        re.compile("Spełniasz warunki udziału w tym szkoleniu.")
    )
    assert axe(page) == []
    shot(page, "1-catalogue-filtered")

    cards.first.get_by_role("button", name="Zapisz się").click()
    page.wait_for_url(re.compile(r"/moje-szkolenia/$"))
    page.get_by_role("button", name="Pobierz adres mojego kalendarza").click()
    page.wait_for_url(re.compile(r"/moje-szkolenia/#calendar-heading$"))
    address = page.get_by_label("Twój prywatny adres kalendarza").input_value()
    assert "/kalendarz/" in address
    assert axe(page) == []
    shot(page, "2-calendar-address")
    feed = page.request.get(address)
    assert feed.ok
    events = Calendar.from_ical(feed.body()).walk("VEVENT")
    edition = Edition.objects.get(code="ZOUS-ONL-01")
    assert len(events) == edition.sessions.count() == 3
    assert all(e.walk("VALARM") for e in events)


def test_a_trainee_who_does_not_qualify_is_told_why_before_the_click(
    site, phone_page, shot, axe
):
    log_in(phone_page, site.url, "spoza@szkolenia.test", "uczestnik-demo-2026")
    phone_page.goto(site.url + "/szkolenia/indywidualne-plany-uslug-spolecznych/")
    card = phone_page.locator("li.edition").first
    reason = card.locator("[data-eligibility=not_eligible]")
    expect(reason).to_contain_text("Nie możesz zapisać się na to szkolenie:")
    expect(reason).to_contain_text("w województwie lubelskim")
    expect(card.get_by_role("button", name="Zapisz się")).to_have_count(0)
    assert axe(phone_page) == []
    shot(phone_page, "course-page-not-eligible")


def test_trainer_sees_the_contacts_and_writes_to_the_group(site, phone_page, shot, axe):
    edition = Edition.objects.get(code="ZOUS-KAT-00")
    log_in(phone_page, site.url, "trener@szkolenia.test", "trener-demo-2026")
    phone_page.goto(site.url + f"/moje-grupy/{edition.pk}/")
    phone_page.get_by_role("link", name="Kontakty").click()
    contacts = phone_page.locator("ul.contacts")
    expect(contacts.locator("li")).to_have_count(6)
    expect(contacts).to_contain_text("Ćwiklińska Bożena")
    expect(contacts).to_contain_text("zofia.wroblewska@szkolenia.test")
    assert axe(phone_page) == []
    shot(phone_page, "1-contacts")
    phone_page.get_by_role("link", name="Napisz do całej grupy").click()
    phone_page.get_by_label("Temat").fill("Materiały po szkoleniu")
    phone_page.get_by_label("Wiadomość").fill("Materiały są już na platformie.")
    phone_page.get_by_role("button", name="Wyślij do grupy").click()
    expect(phone_page.locator(".messages")).to_contain_text(
        "Wiadomość wysłano do 6 osób."
    )
    expect(phone_page.locator(".sent-messages")).to_contain_text(
        "Materiały po szkoleniu"
    )
    assert axe(phone_page) == []
    shot(phone_page, "2-message-sent")
    assert (
        len(
            GroupMessage.objects.filter(sender__email="trener@szkolenia.test")
            .first()
            .recipients
        )
        == 6
    )


def test_coordinator_sees_what_needs_doing_and_writes_to_a_waiting_list(
    site, page, shot, axe
):
    edition = Edition.objects.get(code="IPUS-OPO-01")
    edition_set_capacity(edition=edition, capacity=0)
    waiting = enrolment_create(trainee=TraineeFactory(), edition=edition)
    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    page.goto(site.url + "/admin/")
    todo = page.get_by_role("region", name="Do zrobienia")
    expect(todo).to_contain_text("na listach rezerwowych")
    expect(todo).to_contain_text("IPUS-OPO-01")
    assert axe(page) == []
    shot(page, "1-admin-home")
    todo.get_by_role("link", name=re.compile("IPUS-OPO-01")).first.click()
    page.wait_for_url(re.compile(r"/admin/training/enrolments/"))
    page.goto(site.url + f"/admin/training/editions/message/{edition.pk}/")
    page.get_by_label("lista rezerwowa").check()
    page.get_by_label("Temat").fill("Dodatkowy termin")
    page.get_by_label("Wiadomość").fill("Otwieramy drugą grupę w Opolu.")
    page.get_by_role("button", name="Wyślij", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Wiadomość wysłano do 1 osoby.")
    expect(page.get_by_role("table")).to_contain_text("Dodatkowy termin")
    assert axe(page) == []
    shot(page, "2-message-logged")
    assert GroupMessage.objects.filter(
        sender__email="koordynator@szkolenia.test"
    ).first().recipients == [waiting.trainee.user.email]
    assert Enrolment.objects.get(pk=waiting.pk).status == "waitlisted"


def test_partner_clerk_finds_the_export_in_the_menu(site, phone_page, shot, axe):
    log_in(phone_page, site.url, "partner@szkolenia.test", "partner-demo-2026")
    main = phone_page.locator("main")
    expect(main).not_to_contain_text("Uzupełnij profil")
    expect(main).to_contain_text("Przejdź do eksportu danych")
    shot(phone_page, "1-account")
    phone_page.get_by_role("button", name="Menu").click()
    menu = phone_page.get_by_role("navigation", name="Menu główne")
    expect(menu.get_by_role("link", name="Moje szkolenia")).to_have_count(0)
    menu.get_by_role("link", name="Eksport danych").click()
    phone_page.wait_for_url(re.compile(r"/eksport-danych/$"))
    expect(phone_page.get_by_role("heading", name="Eksport danych")).to_be_visible()
    expect(phone_page.locator(".w-userbar")).to_have_count(0)
    assert axe(phone_page) == []
    shot(phone_page, "2-export")

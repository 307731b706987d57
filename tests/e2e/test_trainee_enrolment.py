import re

import pytest

from courses.models import Edition, Enrolment, EnrolmentStatus, TraineeProfile
from courses.services import edition_set_capacity, enrolment_create
from tests.e2e.helpers import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
COURSE_URL = "/szkolenia/indywidualne-plany-uslug-spolecznych/"


def test_trainee_completes_profile_waits_and_is_promoted(site, browser, shot, axe):
    edition = Edition.objects.get(code="IPUS-OPO-01")
    edition_set_capacity(edition=edition, capacity=1)
    holder = TraineeProfile.objects.get(user__email="dps@szkolenia.test")
    enrolment_create(trainee=holder, edition=edition)
    UserFactory(email="jan.nowy@example.pl", password="Haslo-testowe-2026")

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="pl-PL"
    )
    page = context.new_page()
    log_in(page, site.url, "jan.nowy@example.pl", "Haslo-testowe-2026")

    page.goto(site.url + COURSE_URL)
    card = page.locator(f"li.edition[data-edition-id='{edition.pk}']")
    assert "0 wolnych miejsc" in card.inner_text()
    card.get_by_role("button", name="Zapisz się na listę rezerwową").click()
    # No profile yet: the platform asks for it first, then comes back.
    page.wait_for_url(re.compile(r"/profil/"))
    assert axe(page) == []
    page.get_by_label("Imię").fill("Jan")
    page.get_by_label("Nazwisko").fill("Nowy")
    page.get_by_label("mężczyzna").check()
    page.get_by_label("Stanowisko").select_option(label="pracownik socjalny")
    page.get_by_label("PESEL").fill("12345678901")
    page.get_by_label("Nazwa Twojej instytucji").fill(
        "Miejski Ośrodek Pomocy Społecznej w Opolu"
    )
    page.get_by_label("Typ").select_option(
        label="MOPS (miejski ośrodek pomocy społecznej)"
    )
    page.get_by_label("Województwo").select_option(label="opolskie")
    page.get_by_label("Powiat").fill("Opole")
    page.get_by_label("Gmina").fill("Opole")
    page.get_by_role("button", name="Zapisz profil").click()
    page.get_by_text(
        "Numer PESEL jest nieprawidłowy"
    ).wait_for()  # the next page has loaded and shows it
    shot(page, "1-profile-error")
    page.get_by_label("PESEL").fill("")
    page.get_by_role("button", name="Zapisz profil").click()
    page.wait_for_url(re.compile(re.escape(COURSE_URL) + "$"))

    page.locator(f"li.edition[data-edition-id='{edition.pk}']").get_by_role(
        "button", name="Zapisz się na listę rezerwową"
    ).click()
    page.wait_for_url(re.compile(r"/moje-szkolenia/$"))
    assert page.get_by_text("na liście rezerwowej na pozycji 1").first.is_visible()
    assert axe(page) == []
    shot(page, "2-waitlisted")

    # The holder withdraws in their own browser; the first in line gets the place.
    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="pl-PL")
    holder_page = other.new_page()
    log_in(holder_page, site.url, "dps@szkolenia.test", "uczestnik-demo-2026")
    holder_page.goto(site.url + "/moje-szkolenia/")
    holder_page.get_by_role("link", name="Zrezygnuj ze szkolenia").click()
    holder_page.wait_for_url(re.compile(r"/wycofaj/"))
    holder_page.get_by_role("button", name="Tak, rezygnuję").click()
    holder_page.wait_for_url(re.compile(r"/moje-szkolenia/$"))
    shot(holder_page, "3-holder-withdrew")
    other.close()

    page.reload()
    card = page.locator("li.enrolment").first
    assert "potwierdzone" in card.inner_text()
    shot(page, "4-promoted")
    mine = Enrolment.objects.get(trainee__user__email="jan.nowy@example.pl")
    assert mine.status == EnrolmentStatus.CONFIRMED
    assert list(mine.events.values_list("to_status", flat=True)) == [
        EnrolmentStatus.WAITLISTED,
        EnrolmentStatus.CONFIRMED,
    ]
    context.close()

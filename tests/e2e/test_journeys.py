import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_visitor_signs_up_confirms_and_reaches_their_account(site, page, shot, axe):
    page.goto(site.url + "/")
    assert page.locator("html").get_attribute("lang") == "pl"
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Szkolenia dla kadr")
    )
    assert axe(page) == []
    shot(page, "1-home")

    page.get_by_role("link", name="Zobacz szkolenia").click()
    page.get_by_role("link", name="Zarządzanie i organizacja usług społecznych").click()
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Zarządzanie i organizacja usług społecznych"
    )
    assert page.get_by_role("heading", name="Program", exact=True).is_visible()
    assert axe(page) == []
    shot(page, "2-course")

    page.get_by_role("link", name="Załóż konto").first.click()
    page.wait_for_url(re.compile(r"/konto/signup/(\?.*)?$"))
    assert axe(page) == []
    page.get_by_label("Adres e-mail").fill("ewa.nowak@example.pl")
    page.get_by_label("Hasło", exact=True).fill("Mocne-haslo-2026")
    page.get_by_label("Hasło (ponownie)").fill("Mocne-haslo-2026")
    shot(page, "3-signup")
    page.get_by_role("button", name="Zarejestruj się").click()
    page.wait_for_url(re.compile(r"/konto/confirm-email/$"))
    shot(page, "4-verification-sent")

    assert len(mail.outbox) == 1
    link = re.search(
        r"https?://\S+/konto/confirm-email/\S+", mail.outbox[0].body
    ).group(0)
    page.goto(site.url + "/" + link.split("/", 3)[3])
    shot(page, "5-confirm")
    page.get_by_role("button", name="Potwierdź").click()

    page.wait_for_url(re.compile(r"/konto/login/"))
    assert axe(page) == []
    page.get_by_label("Adres e-mail").fill("ewa.nowak@example.pl")
    page.get_by_label("Hasło").fill("Mocne-haslo-2026")
    page.get_by_role("button", name="Zaloguj", exact=True).click()
    page.wait_for_url(re.compile(r"/konto/$"))
    assert page.get_by_role("heading", name="Moje konto").is_visible()
    assert "ewa.nowak@example.pl" in page.content()
    shot(page, "6-account")


def test_coordinator_logs_in_to_the_wagtail_admin(site, page, shot):
    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    page.get_by_role("link", name="Panel administracyjny").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert (
        page.get_by_role("navigation", name="Menu główne").is_visible()
        or page.locator("#wagtail-sidebar").count()
    )
    page.goto(site.url + "/admin/pages/")
    shot(page, "2-admin-pages")
    page.goto(site.url + "/admin/")
    shot(page, "1-admin")
    assert "Szkolenia" in page.content()


def test_phone_visitor_uses_the_menu(site, phone_page, shot, axe):
    phone_page.goto(site.url + "/")
    menu = phone_page.get_by_role("button", name="Menu")
    assert menu.is_visible()
    assert not phone_page.get_by_role("link", name="Zaloguj się").is_visible()
    menu.click()
    expect(phone_page.get_by_role("link", name="Zaloguj się")).to_be_visible()
    assert axe(phone_page) == []
    shot(phone_page, "menu-open")
    phone_page.get_by_role("link", name="Zaloguj się").click()
    phone_page.wait_for_url(re.compile(r"/konto/login/"))
    assert axe(phone_page) == []
    shot(phone_page, "login")

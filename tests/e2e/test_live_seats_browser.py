"""Two visitors on one course page: one enrols, the other sees the seats change."""

import re

import pytest
from playwright.sync_api import expect

from courses.models import Edition, Enrolment, EnrolmentStatus
from courses.services import edition_set_capacity
from tests.e2e.asgi_server import asgi_live_server, asgi_site  # noqa: F401 - fixtures
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
COURSE_URL = "/szkolenia/indywidualne-plany-uslug-spolecznych/"


def test_a_watcher_sees_seats_and_waiting_list_change_without_reloading(
    asgi_site,  # noqa: F811 - fixture
    browser,
    page,
    phone_page,
    shot,
    axe,
):
    edition = Edition.objects.get(code="IPUS-OPO-01")
    # Set up before anyone watches; after that, everyone acts through the server, as
    # in real life: a service called from the test itself would run beside
    # Playwright's event loop, not the server's.
    edition_set_capacity(edition=edition, capacity=1)

    # The watcher: an anonymous visitor on a desktop, who never reloads.
    page.goto(asgi_site.url + COURSE_URL)
    page.evaluate("window.sameDocument = true")
    card = page.locator(f"li.edition[data-edition-id='{edition.pk}']")
    seats = card.locator("[data-seats-left]")
    waiting = card.locator("[data-waiting]")
    button = card.get_by_role("button")
    expect(card).to_have_attribute("data-seats-live", "true")
    expect(seats).to_have_text("1 wolne miejsce")
    expect(button).to_have_text("Zapisz się")
    expect(waiting).to_be_hidden()
    assert card.locator(".edition__seats").get_attribute("aria-live") == "polite"
    shot(page, "1-before")

    # A trainee on a phone takes the last seat.
    log_in(phone_page, asgi_site.url, "uczestnik@szkolenia.test", "uczestnik-demo-2026")
    phone_page.goto(asgi_site.url + COURSE_URL)
    phone_card = phone_page.locator(f"li.edition[data-edition-id='{edition.pk}']")
    phone_card.get_by_role("button", name="Zapisz się", exact=True).click()
    phone_page.wait_for_url(re.compile(r"/moje-szkolenia/$"))
    expect(seats).to_have_text("0 wolnych miejsc")
    expect(button).to_have_text("Zapisz się na listę rezerwową")
    expect(waiting).to_be_hidden()
    assert axe(page) == []
    shot(page, "2-full")

    # Another trainee joins the waiting list.
    context = browser.new_context(locale="pl-PL")
    third = context.new_page()
    log_in(third, asgi_site.url, "aspirant@szkolenia.test", "uczestnik-demo-2026")
    third.goto(asgi_site.url + COURSE_URL)
    third.locator(f"li.edition[data-edition-id='{edition.pk}']").get_by_role(
        "button", name="Zapisz się na listę rezerwową"
    ).click()
    third.wait_for_url(re.compile(r"/moje-szkolenia/$"))
    context.close()
    expect(waiting).to_be_visible()
    expect(waiting).to_have_text("· 1 osoba na liście rezerwowej")
    shot(page, "3-waiting-list")

    # The phone trainee withdraws: the waiting trainee is promoted to the seat.
    phone_page.locator(".enrolment__withdraw a").first.click()
    phone_page.get_by_role("button", name="Tak, rezygnuję").click()
    phone_page.wait_for_url(re.compile(r"/moje-szkolenia/$"))
    expect(waiting).to_be_hidden()
    expect(seats).to_have_text("0 wolnych miejsc")
    assert Enrolment.objects.get(
        edition=edition, trainee__user__email="aspirant@szkolenia.test"
    ).status in (EnrolmentStatus.CONFIRMED, EnrolmentStatus.PENDING)
    assert page.evaluate("window.sameDocument") is True
    shot(page, "4-promoted")

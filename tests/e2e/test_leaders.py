"""Seed 004 in the browser: the project's page with its state-budget marks, a mayor
enrolling in the workshops for municipal authorities, and the staff of an authorised
institution reading restricted materials without being enrolled."""

import re

import pytest

from cms.models import LessonPage
from courses.models import Edition, Enrolment, EnrolmentStatus
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WORKSHOPS = "/szkolenia/warsztaty-cus-i-deinstytucjonalizacja/"


def test_the_project_page_carries_the_state_budget_marks(site, phone_page, shot, axe):
    phone_page.goto(site.url + "/liderzy-kooperacji/")
    panel = phone_page.locator("section[aria-labelledby='marks-heading']")
    assert "Dofinansowano ze środków budżetu państwa." in panel.inner_text()
    assert panel.locator("img").count() == 2
    assert axe(phone_page) == []
    shot(phone_page, "1-project-page")


def test_a_mayor_enrols_in_the_workshops_on_a_phone(site, phone_page, shot, axe):
    edition = Edition.objects.get(code="LK-CUS-KIE-01")
    page = phone_page
    log_in(page, site.url, "wojt@szkolenia.test", "uczestnik-demo-2026")
    page.goto(site.url + WORKSHOPS)
    card = page.locator(f"li.edition[data-edition-id='{edition.pk}']")
    assert axe(page) == []
    shot(page, "1-workshops")
    card.get_by_role("button", name=re.compile(r"^Zapisz się")).click()
    page.wait_for_url(re.compile(r"/moje-szkolenia/$"))
    enrolment = Enrolment.objects.get(
        trainee__user__email="wojt@szkolenia.test", edition=edition
    )
    assert enrolment.status == EnrolmentStatus.CONFIRMED
    assert axe(page) == []
    shot(page, "2-enrolled")


def test_staff_of_the_authorised_institution_read_a_restricted_lesson(
    site, page, shot, axe
):
    lesson = LessonPage.objects.get(slug="przeksztalcenie-ops-w-cus")
    page.goto(site.url + lesson.url)
    assert "Harmonogram przekształcenia OPS w CUS" not in page.content()
    log_in(page, site.url, "gops@szkolenia.test", "uczestnik-demo-2026")
    page.goto(site.url + lesson.url)
    page.get_by_role(
        "link", name=re.compile("Harmonogram przekształcenia OPS w CUS")
    ).wait_for()
    assert axe(page) == []
    shot(page, "1-restricted-lesson")

"""A trainee answers the funder's questions once, on a phone, with a refusal."""

import re

import pytest

from courses.models import Answer, ParticipantRecord
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_trainee_fills_the_participant_record_on_a_phone(site, phone_page, shot, axe):
    page = phone_page
    log_in(page, site.url, "uczestnik@szkolenia.test", "uczestnik-demo-2026")
    page.goto(site.url + "/profil/")
    page.get_by_role("link", name=re.compile("Twoje odpowiedzi do systemu")).click()
    page.wait_for_url(re.compile(r"/profil/dane-do-monitorowania/$"))
    assert axe(page) == []
    page.get_by_label("Miejscowość").fill("Katowice")
    page.get_by_label("Kod pocztowy").fill("40001")
    page.get_by_label("Numer budynku").fill("10")
    page.get_by_label("Status na rynku pracy w chwili przystąpienia").select_option(
        label="osoba pracująca"
    )
    question = page.locator(".field", has_text="osoba w innej niekorzystnej sytuacji")
    question.get_by_label("odmowa podania informacji").check()
    page.get_by_role("button", name="Zapisz odpowiedzi").click()
    page.get_by_role("alert").filter(has_text="Nic nie zapisano").wait_for()
    assert page.get_by_text("Wpisz kod pocztowy jako dwie cyfry").is_visible()
    assert not ParticipantRecord.objects.filter(
        trainee__user__email="uczestnik@szkolenia.test"
    ).exists()
    assert axe(page) == []
    shot(page, "1-postcode-error")
    page.get_by_label("Kod pocztowy").fill("40-001")
    page.get_by_role("button", name="Zapisz odpowiedzi").click()
    page.wait_for_url(re.compile(r"/profil/$"))
    page.get_by_text("Odpowiedzi do systemu monitorowania są zapisane.").wait_for()
    record = ParticipantRecord.objects.get(
        trainee__user__email="uczestnik@szkolenia.test"
    )
    assert record.other_disadvantage == Answer.REFUSED
    assert record.home_postcode == "40-001"
    shot(page, "2-saved")

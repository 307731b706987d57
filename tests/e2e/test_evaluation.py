"""A trainee takes the pre- and post-test and the survey on a phone; the coordinator's
dashboard counts the raised competences."""

import datetime
import re

import pytest

from courses.models import Edition, TraineeProfile
from courses.services import enrolment_create
from evaluation.models import Attempt, KnowledgeTest, Question, Survey, SurveyQuestion
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

QUESTIONS = [
    (
        "Kto przyznaje zasiłek stały?",
        ["ośrodek pomocy społecznej"],
        ["urząd pracy", "ZUS"],
    ),
    (
        "Czym jest kontrakt socjalny?",
        ["pisemną umową z osobą"],
        ["decyzją", "wnioskiem"],
    ),
    ("Które są narzędziami pracy socjalnej?", ["wywiad", "kontrakt"], ["mandat"]),
]


def _evaluation_for(edition):
    test = KnowledgeTest.objects.create(title="Test wiedzy ZOUS", course=edition.course)
    for order, (text, right, wrong) in enumerate(QUESTIONS):
        answers = "\n".join([*(f"*{a}" for a in right), *wrong])
        Question.objects.create(test=test, text=text, answers=answers, sort_order=order)
    survey = Survey.objects.create(title="Ankieta po szkoleniu", course=edition.course)
    SurveyQuestion.objects.create(
        survey=survey, text="Organizacja szkolenia", kind="scale"
    )
    SurveyQuestion.objects.create(
        survey=survey, text="Prowadzenie zajęć", kind="trainer"
    )
    SurveyQuestion.objects.create(survey=survey, text="Co zmienić?", kind="text")
    return test


def _answer(page, *, right: bool):
    for text, correct, wrong in QUESTIONS:
        question = page.locator("fieldset.eval-question", has_text=text)
        for answer in correct if right else wrong[:1]:
            question.get_by_text(answer, exact=True).click()


def test_trainee_takes_both_tests_and_the_survey_on_a_phone(
    site, phone_page, page, shot, axe
):
    edition = Edition.objects.get(code="ZOUS-KAT-00")
    _evaluation_for(edition)
    trainee = TraineeProfile.objects.get(user__email="uczestnik@szkolenia.test")
    enrolment = enrolment_create(
        trainee=trainee,
        edition=edition,
        at=edition.enrolment_opens + datetime.timedelta(minutes=5),
    )
    phone = phone_page
    log_in(phone, site.url, "uczestnik@szkolenia.test", "uczestnik-demo-2026")
    phone.goto(site.url + "/moje-szkolenia/")
    phone.get_by_role("link", name="Test wiedzy przed szkoleniem").click()
    phone.wait_for_url(re.compile(r"/ocena/\d+/test/pre/$"))
    assert axe(phone) == []
    shot(phone, "1-pre-test")

    # Sent with a question left out: told which, nothing saved.
    phone.locator("fieldset.eval-question", has_text=QUESTIONS[0][0]).get_by_text(
        QUESTIONS[0][2][0], exact=True
    ).click()
    phone.get_by_role("button", name="Wyślij test").click()
    phone.get_by_role("alert").filter(has_text="Odpowiedz na każde pytanie").wait_for()
    assert not Attempt.objects.filter(
        enrolment=enrolment, submitted_at__isnull=False
    ).exists()
    assert axe(phone) == []
    shot(phone, "2-pre-test-incomplete")
    _answer(phone, right=False)
    phone.get_by_role("button", name="Wyślij test").click()
    phone.wait_for_url(re.compile(r"/moje-szkolenia/$"))
    phone.get_by_text("Test jest zapisany: 0 z 3 punktów.").wait_for()

    phone.get_by_role("link", name="Test wiedzy po szkoleniu").click()
    _answer(phone, right=True)
    shot(phone, "3-post-test-answered")
    phone.get_by_role("button", name="Wyślij test").click()
    phone.get_by_text("Test jest zapisany: 3 z 3 punktów.").wait_for()
    assert not phone.get_by_role("link", name="Test wiedzy przed szkoleniem").count()

    phone.get_by_role("link", name="Ankieta satysfakcji").click()
    phone.wait_for_url(re.compile(r"/ocena/\d+/ankieta/$"))
    assert axe(phone) == []
    for group in phone.locator("fieldset.eval-question").all():
        group.get_by_text("5", exact=True).click()
    phone.get_by_label("Co zmienić?").fill("Więcej przykładów z praktyki.")
    shot(phone, "4-survey")
    phone.get_by_role("button", name="Wyślij ankietę").click()
    phone.get_by_text("Dziękujemy: odpowiedzi są zapisane.").wait_for()
    assert enrolment.survey_responses.count() == 1

    # The trainer sees the group's results; the coordinator's dashboard counts the rise.
    log_in(page, site.url, "trener@szkolenia.test", "trener-demo-2026")
    page.goto(site.url + f"/moje-grupy/{edition.pk}/")
    page.get_by_role("link", name="Testy i ankieta grupy").click()
    row = page.locator("table[data-table='test-results'] tr", has_text="Lewandowska")
    assert "0/3" in row.inner_text() and "3/3" in row.inner_text()
    assert axe(page) == []
    shot(page, "5-trainer-results")
    page.context.clear_cookies()
    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    page.goto(site.url + "/admin/partners/indicators/")

    # She rose: 1 of 1 in her project's śląskie pool, beside the demo's 2 of 3 in the
    # śląskie pool of ZOUS-SOS-00's project (a pool of its own, not added by name).
    def pool(code):
        return page.locator(
            "table[data-chart='competences_pools'] tbody tr",
            has_text=f"Śląskie ({code})",
        )

    demo = Edition.objects.get(code="ZOUS-SOS-00").project.code
    assert demo != edition.project.code
    assert pool(edition.project.code).locator("td").all_inner_texts()[:2] == ["1", "1"]
    assert pool(demo).locator("td").all_inner_texts()[:2] == ["2", "3"]
    shot(page, "6-dashboard")

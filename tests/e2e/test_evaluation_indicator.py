"""Issue 12's "done when": pre and post tests taken in the browser move the result
indicator on the dashboard. The trainee takes the test before the training on a phone,
attends (the trainer marks it), takes the test after it with a better score, and the
coordinator's "raised competences" figure rises by one from the demo's."""

import datetime
import re

import pytest
from django.utils import timezone

from courses.models import (
    Course,
    DeliveryMode,
    Edition,
    Project,
    Session,
    TraineeProfile,
    TrainerProfile,
)
from courses.services import enrolment_create
from evaluation.models import KnowledgeTest, Question
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

QUESTIONS = [
    ("Kto przyjmuje program usług społecznych?", "rada gminy", "wojewoda"),
    ("Czym jest CUS?", "jednostką organizacyjną gminy", "fundacją"),
    ("Z kim powstaje plan usług?", "z osobą korzystającą z usług", "z sądem"),
]


def _one_day_group() -> Edition:
    """A group of seed 003's project meeting today, with its own knowledge test."""
    now = timezone.now()
    today = timezone.localdate()
    edition = Edition.objects.create(
        course=Course.objects.get(code="zarzadzanie-i-organizacja-uslug-spolecznych"),
        project=Project.objects.get(code="POWR.02.05"),
        code="ZOUS-KAT-TEST",
        start_date=today,
        end_date=today,
        delivery_mode=DeliveryMode.ON_SITE,
        city="Katowice",
        venue="ROPS, ul. Modelarska 10",
        capacity=20,
        enrolment_opens=now - datetime.timedelta(days=10),
        enrolment_closes=now - datetime.timedelta(days=1),
    )
    edition.trainers.set(
        TrainerProfile.objects.filter(user__email="trener@szkolenia.test")
    )
    Session.objects.create(
        edition=edition,
        date=today,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(15, 0),
        place=edition.place,
    )
    test = KnowledgeTest.objects.create(title="Test wiedzy ZOUS", edition=edition)
    for order, (text, right, wrong) in enumerate(QUESTIONS):
        Question.objects.create(
            test=test, text=text, answers=f"*{right}\n{wrong}", sort_order=order
        )
    return edition


def _answer(page, *, right: int) -> None:
    for number, (text, correct, wrong) in enumerate(QUESTIONS):
        question = page.locator("fieldset.eval-question", has_text=text)
        question.get_by_text(correct if number < right else wrong, exact=True).click()


def _raised_in_pool(page, base_url: str, pool: str) -> str:
    page.goto(base_url + "/admin/partners/indicators/")
    row = page.locator("table[data-chart='competences_pools'] tbody tr", has_text=pool)
    return " ".join(row.locator("td").all_inner_texts()[:2])


def test_pre_and_post_tests_in_the_browser_move_the_dashboard_indicator(
    site, phone_page, page, shot, axe
):
    edition = _one_day_group()
    trainee = TraineeProfile.objects.get(user__email="uczestnik@szkolenia.test")
    enrolment_create(
        trainee=trainee,
        edition=edition,
        at=edition.enrolment_opens + datetime.timedelta(minutes=5),
    )

    # The demo's figure: 2 of the 3 persons of the śląskie pool with both tests. The
    # pools are told apart by their project: this group's is another project's.
    demo = Edition.objects.get(code="ZOUS-SOS-00").project.code
    demo_pool, own_pool = f"Śląskie ({demo})", f"Śląskie ({edition.project.code})"
    assert demo_pool != own_pool
    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    assert _raised_in_pool(page, site.url, demo_pool) == "2 3"
    shot(page, "1-dashboard-before")

    phone = phone_page
    log_in(phone, site.url, "uczestnik@szkolenia.test", "uczestnik-demo-2026")
    phone.goto(site.url + "/moje-szkolenia/")
    phone.get_by_role("link", name="Test wiedzy przed szkoleniem").click()
    phone.wait_for_url(re.compile(r"/ocena/\d+/test/pre/$"))
    _answer(phone, right=1)
    assert axe(phone) == []
    shot(phone, "2-pre-test")
    phone.get_by_role("button", name="Wyślij test").click()
    phone.wait_for_url(re.compile(r"/moje-szkolenia/$"))
    phone.get_by_text("Test jest zapisany: 1 z 3 punktów.").wait_for()
    assert axe(phone) == []
    # Taken before the training only: the dashboard does not count her yet.
    assert _raised_in_pool(page, site.url, demo_pool) == "2 3"

    # She attends: the trainer marks her present.
    page.context.clear_cookies()
    log_in(page, site.url, "trener@szkolenia.test", "trener-demo-2026")
    session = edition.sessions.get()
    page.goto(site.url + f"/zajecia/{session.pk}/obecnosc/")
    toggle = page.locator("button.roster__toggle", has_text="Lewandowska")
    toggle.click()
    page.get_by_role("status").filter(has_text="Zapisano obecność").wait_for()
    assert toggle.get_attribute("aria-pressed") == "true"
    shot(page, "3-attended")

    phone.goto(site.url + "/moje-szkolenia/")
    phone.get_by_role("link", name="Test wiedzy po szkoleniu").click()
    phone.wait_for_url(re.compile(r"/ocena/\d+/test/post/$"))
    _answer(phone, right=3)
    assert axe(phone) == []
    phone.get_by_role("button", name="Wyślij test").click()
    phone.get_by_text("Test jest zapisany: 3 z 3 punktów.").wait_for()
    assert axe(phone) == []
    shot(phone, "4-post-test-taken")

    # The coordinator's dashboard: one more person, and one more who rose.
    page.context.clear_cookies()
    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    # Her project's pool: one person, who rose; the demo's pool is not added to it.
    assert _raised_in_pool(page, site.url, own_pool) == "1 1"
    assert _raised_in_pool(page, site.url, demo_pool) == "2 3"
    assert axe(page) == []
    shot(page, "5-dashboard-after")

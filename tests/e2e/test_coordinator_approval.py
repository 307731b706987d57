import re

import pytest

from courses.models import Enrolment, EnrolmentStatus
from courses.services import enrolment_create
from tests.e2e.helpers import log_in
from tests.factories import (
    EditionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_coordinator_takes_in_the_paper_declaration_and_approves(site, page, shot):
    project = ProjectFactory(name="Kooperacja w praktyce", requires_approval=True)
    QuotaFactory(project=project, name="Pula śląska", size=40, regions=["śląskie"])
    edition = EditionFactory(project=project, code="KOOP-KAT-01", capacity=20)
    trainee = TraineeFactory(first_name="Marta", last_name="Wiśniewska")
    enrolment = enrolment_create(trainee=trainee, edition=edition)
    assert enrolment.status == EnrolmentStatus.PENDING
    assert not enrolment.declaration_on_paper

    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    page.get_by_role("link", name="Panel administracyjny").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    page.get_by_role("button", name="Szkolenia", exact=True).click()
    page.get_by_role("link", name="Zgłoszenia", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/training/enrolments/"))
    assert page.get_by_role("heading", name="Zgłoszenia").first.is_visible()
    shot(page, "1-enrolment-list")

    page.get_by_role("link", name="Marta Wiśniewska").click()
    page.wait_for_url(re.compile(r"/admin/training/enrolments/inspect/\d+/$"))
    summary = page.get_by_role("region", name="Zgłoszenie")
    assert "oczekuje na zatwierdzenie" in summary.inner_text()
    assert "Jeszcze nie dotarło." in page.locator("[data-declaration]").inner_text()
    shot(page, "2-pending")

    page.get_by_role(
        "button", name="Oznacz oświadczenie jako dostarczone na papierze"
    ).click()
    page.wait_for_load_state()
    assert "Dostarczone na papierze" in page.locator("[data-declaration]").inner_text()
    assert "oznaczone jako dostarczone" in page.locator(".messages").inner_text()
    shot(page, "3-declaration-received")

    page.get_by_role("button", name="Zatwierdź", exact=True).click()
    page.wait_for_load_state()
    assert "zatwierdzone" in page.locator(".messages").inner_text()
    status = page.locator("[data-status]")
    assert status.get_attribute("data-status") == "confirmed"
    assert "potwierdzone" in status.inner_text()
    history = page.get_by_role("table", name=re.compile("Historia statusu"))
    last_row = history.get_by_role("row").last
    cells = last_row.get_by_role("cell").all_inner_texts()
    assert cells[0] == "oczekuje na zatwierdzenie"
    assert cells[1] == "potwierdzone"
    assert cells[3] != "system"
    shot(page, "4-confirmed")
    history.scroll_into_view_if_needed()
    shot(page, "5-history")

    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    assert enrolment.status == EnrolmentStatus.CONFIRMED
    assert enrolment.declaration_on_paper

    page.get_by_role("button", name="Szkolenia", exact=True).click()
    page.get_by_role("link", name="Wypełnienie pul i grup").click()
    page.wait_for_url(re.compile(r"/admin/training/fill/"))
    assert (
        "1 / 40"
        in page.locator(f'[data-quota-fill="{project.quotas.get().pk}"]').inner_text()
    )
    shot(page, "6-fill-report")


def test_coordinator_on_a_phone_must_give_a_reason_to_reject(site, phone_page, shot):
    page = phone_page
    project = ProjectFactory(requires_approval=True)
    edition = EditionFactory(project=project, code="KOOP-OPO-02")
    trainee = TraineeFactory(first_name="Jan", last_name="Mazur")
    enrolment = enrolment_create(trainee=trainee, edition=edition)

    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    page.goto(site.url + f"/admin/training/enrolments/inspect/{enrolment.pk}/")
    shot(page, "1-inspect")
    page.get_by_role("link", name="Odrzuć").click()
    page.get_by_role("button", name="Odrzuć").click()
    page.wait_for_load_state()
    form = page.locator("form", has=page.get_by_label("Powód odrzucenia"))
    assert "Podaj powód odrzucenia." in form.inner_text()
    shot(page, "2-reason-required")
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.PENDING

    page.get_by_label("Powód odrzucenia").fill("Instytucja spoza grupy docelowej.")
    page.get_by_role("button", name="Odrzuć").click()
    page.wait_for_url(re.compile(r"/inspect/\d+/$"))
    assert page.locator("[data-status]").get_attribute("data-status") == "rejected"
    shot(page, "3-rejected")

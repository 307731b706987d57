"""Actions that cannot be undone ask first, in words, and work without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from certificates.services import certificate_issue
from courses.models import Edition, Enrolment, EnrolmentStatus, TraineeProfile
from courses.services import enrolment_create, enrolment_mark_declaration_received
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.helpers import log_in
from tests.factories import EditionFactory, ProjectFactory, QuotaFactory, TraineeFactory
from tests.states import completed_enrolment, past_edition

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _no_js(browser, viewport):
    context = browser.new_context(
        viewport=viewport, locale="pl-PL", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _axe_with_js(browser, context, page, axe) -> list[dict]:
    """axe needs JavaScript: the same page, same session, in a context that has it."""
    checking = browser.new_context(
        viewport=page.viewport_size,
        locale="pl-PL",
        storage_state=context.storage_state(),
    )
    try:
        other = checking.new_page()
        other.goto(page.url)
        return axe(other)
    finally:
        checking.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_trainee_withdrawal_asks_first_without_javascript(
    site, browser, shot, axe, viewport
):
    edition = Edition.objects.get(code="ZOUS-KAT-01")
    trainee = TraineeProfile.objects.get(user__email="uczestnik@szkolenia.test")
    enrolment = enrolment_create(trainee=trainee, edition=edition)
    context, page = _no_js(browser, viewport)
    log_in(page, site.url, "uczestnik@szkolenia.test", "uczestnik-demo-2026")
    page.goto(site.url + "/moje-szkolenia/")
    card = page.locator("li.enrolment", has_text="ZOUS-KAT-01")
    card.get_by_role("link", name=re.compile("Zrezygnuj ze szkolenia")).click()
    page.wait_for_url(re.compile(rf"/zgloszenia/{enrolment.pk}/wycofaj/$"))
    heading = page.get_by_role("heading", name="Zrezygnować ze szkolenia?")
    expect(heading).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("trafia od razu do pierwszej osoby z listy rezerwowej")
    expect(main).to_contain_text("Tego nie można cofnąć")
    assert _axe_with_js(browser, context, page, axe) == []
    shot(page, "1-question")

    # "No" keeps the place.
    page.get_by_role("link", name="Nie, zostaję").click()
    page.wait_for_url(re.compile(r"/moje-szkolenia/$"))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CONFIRMED

    card.get_by_role("link", name=re.compile("Zrezygnuj ze szkolenia")).click()
    page.get_by_role("button", name="Tak, rezygnuję").click()
    page.wait_for_url(re.compile(r"/moje-szkolenia/$"))
    expect(page.locator("main")).to_contain_text("zrezygnowałeś z: Zarządzanie")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    shot(page, "2-withdrawn")
    context.close()


def test_trainer_confirm_all_names_everyone_first(site, browser, shot, axe):
    edition = Edition.objects.get(code="ZOUS-KAT-00")
    context, page = _no_js(browser, PHONE)
    log_in(page, site.url, "trener@szkolenia.test", "trener-demo-2026")
    page.goto(site.url + f"/moje-grupy/{edition.pk}/ukonczenie/")
    page.get_by_role("button", name=re.compile("Potwierdź wszystkich")).click()
    expect(
        page.get_by_role("heading", name="Potwierdzić ukończenie dla wszystkich?")
    ).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Decyzja zapada od razu dla 6 osób")
    # Bożena Ćwiklińska missed a day and the last day is unmarked for all: the page
    # says who is decided how, with the reason.
    expect(main).to_contain_text("Ćwiklińska Bożena")
    expect(main).to_contain_text("„Nieukończone”")
    assert _axe_with_js(browser, context, page, axe) == []
    shot(page, "1-question")
    assert (
        Enrolment.objects.filter(
            edition=edition, status=EnrolmentStatus.CONFIRMED
        ).count()
        == 6
    )

    page.get_by_role("link", name="Nie, wróć").click()
    page.wait_for_url(re.compile(r"/ukonczenie/$"))
    page.get_by_role("button", name=re.compile("Potwierdź wszystkich")).click()
    page.get_by_role("button", name="Tak, rozstrzygnij dla 6 osób").click()
    page.wait_for_url(re.compile(r"/ukonczenie/$"))
    expect(page.locator("main")).to_contain_text("Rozstrzygnięto ukończenie dla 6")
    assert not Enrolment.objects.filter(
        edition=edition, status=EnrolmentStatus.CONFIRMED
    ).exists()
    shot(page, "2-decided")
    context.close()


def test_coordinator_approve_reject_and_revoke_ask_or_say_why_not(
    site, browser, shot, axe
):
    project = ProjectFactory(name="Kooperacja w praktyce", requires_approval=True)
    QuotaFactory(project=project, name="Pula śląska", size=40, regions=["śląskie"])
    edition = EditionFactory(project=project, code="KOOP-KAT-01", capacity=1)
    first = enrolment_create(
        trainee=TraineeFactory(first_name="Marta", last_name="Wiśniewska"),
        edition=edition,
    )
    second = enrolment_create(
        trainee=TraineeFactory(first_name="Adam", last_name="Nowak"), edition=edition
    )
    assert second.status == EnrolmentStatus.WAITLISTED
    context, page = _no_js(browser, DESKTOP)
    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    base = site.url + "/admin/training/enrolments"

    # Approval is not possible yet: the button says what is missing.
    page.goto(f"{base}/inspect/{first.pk}/")
    missing = page.get_by_role(
        "button", name="Zatwierdź: podpisane oświadczenie jeszcze nie dotarło"
    )
    expect(missing).to_be_disabled()
    expect(page.get_by_role("button", name="Zatwierdź", exact=True)).to_have_count(0)
    shot(page, "1-approve-missing")
    assert _axe_with_js(browser, context, page, axe) == []
    enrolment_mark_declaration_received(enrolment=first, actor=None)
    page.reload()
    expect(page.get_by_role("button", name="Zatwierdź", exact=True)).to_be_enabled()

    # Rejecting says what will happen, and happens only when sent with a reason.
    page.get_by_role("link", name="Odrzuć").click()
    page.wait_for_url(re.compile(rf"/reject/{first.pk}/$"))
    main = page.locator("main")
    expect(main).to_contain_text("Marta Wiśniewska od razu traci zgłoszenie")
    expect(main).to_contain_text("trafia do pierwszej osoby z listy rezerwowej")
    assert _axe_with_js(browser, context, page, axe) == []
    shot(page, "2-reject-question")
    page.get_by_role("link", name="Anuluj").click()
    first.refresh_from_db()
    assert first.status == EnrolmentStatus.PENDING
    page.goto(f"{base}/reject/{first.pk}/")
    page.get_by_label("Powód").fill("Instytucja spoza grupy docelowej")
    page.get_by_role("button", name="Odrzuć").click()
    page.wait_for_url(re.compile(rf"/inspect/{first.pk}/$"))
    first.refresh_from_db()
    assert first.status == EnrolmentStatus.REJECTED
    second.refresh_from_db()
    assert second.status == EnrolmentStatus.PENDING  # got the freed place

    # Revoking a certificate names it and its holder before anything happens.
    done = past_edition(
        course=Edition.objects.get(code="IPUS-OPO-01").course,
        project=Edition.objects.get(code="IPUS-OPO-01").project,
        code="IPUS-OPO-00",
    )
    certificate = certificate_issue(
        enrolment=completed_enrolment(
            edition=done, first_name="Ewa", last_name="Grabowska"
        ),
        actor=None,
    )
    page.goto(site.url + f"/admin/certificates/register/inspect/{certificate.pk}/")
    page.get_by_role("link", name="Unieważnij").click()
    main = page.locator("main")
    expect(main).to_contain_text(
        f"Zaświadczenie {certificate.number} (Ewa Grabowska) zostanie od razu unieważnione"
    )
    expect(main).to_contain_text("Tego nie można cofnąć")
    assert _axe_with_js(browser, context, page, axe) == []
    shot(page, "3-revoke-question")
    page.get_by_role("link", name="Anuluj").click()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    context.close()

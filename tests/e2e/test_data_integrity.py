"""In the browser: an import conflict decided per row, a shared institution's edit proposed."""

import re

import pytest

from courses.models import Institution, InstitutionChange, TraineeProfile
from tests.factories import TraineeFactory

from .helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PESEL = "44051401458"


def test_an_import_conflict_is_shown_side_by_side_and_decided_per_row(
    site, page, phone_page, shot, axe, tmp_path
):
    institution = Institution.objects.filter(trainees__isnull=False).first()
    TraineeFactory(
        first_name="Jadwiga",
        last_name="Łęcka",
        pesel=PESEL,
        institution=institution,
        user__email="jadwiga@ops.test",
    )
    upload = tmp_path / "uczestnicy.csv"
    upload.write_text(
        "E-mail;Imię;Nazwisko;Płeć;Stanowisko;Instytucja;Gmina;PESEL\n"
        f"jadwiga@ops.test;Jadwiga;Nowak;K;pracownik socjalny;{institution.name};"
        f"{institution.municipality};{PESEL}\n"
        f"zenon@ops.test;Zenon;Gąsior;M;terapeuta;{institution.name};"
        f"{institution.municipality};\n",
        encoding="utf-8",
    )
    for view, name in ((page, "desktop"), (phone_page, "phone")):
        log_in(view, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
        view.goto(site.url + "/admin/partners/import/")
        view.get_by_label("Uczestnicy").check()
        view.locator("#id_file").set_input_files(str(upload))
        view.get_by_role("button", name="Sprawdź plik").click()
        conflict = view.locator('[data-import-conflict="2"]')
        conflict.wait_for()
        text = conflict.inner_text()
        assert "Łęcka" in text and "Nowak" in text and "różni się" in text
        shot(view, f"{name}-1-conflict")
        assert axe(view) == []

    # Without a choice the browser (and, behind it, the service) refuses.
    page.get_by_role("button", name="Importuj te wiersze").click()
    assert not TraineeProfile.objects.filter(user__email="zenon@ops.test").exists()
    page.get_by_label("zostaw osobę z platformy bez zmian, pomiń ten wiersz").check()
    page.get_by_role("button", name="Importuj te wiersze").click()
    page.wait_for_url(re.compile(r"/admin/partners/import/$"))
    assert "pominięte zgodnie z wyborem – 1" in page.locator(".messages").inner_text()
    shot(page, "desktop-2-imported")
    assert (
        TraineeProfile.objects.get(TraineeProfile.pesel_lookup(PESEL)).last_name
        == "Łęcka"
    )
    assert TraineeProfile.objects.filter(user__email="zenon@ops.test").exists()


def test_a_trainee_s_edit_of_a_shared_institution_waits_for_a_coordinator(
    site, page, phone_page, shot, axe
):
    trainee = TraineeProfile.objects.get(user__email="uczestnik@szkolenia.test")
    institution = trainee.institution
    TraineeFactory(institution=institution)  # a colleague: the institution is shared
    for view, name in ((page, "desktop"), (phone_page, "phone")):
        log_in(view, site.url, "uczestnik@szkolenia.test", "uczestnik-demo-2026")
        view.goto(site.url + "/profil/")
        view.get_by_label("Powiat").fill("katowicki (poprawiony)")
        view.get_by_role("button", name="Zapisz profil").click()
        view.locator(".messages").wait_for()
        message = view.locator(".messages").inner_text()
        assert "koordynatora" in message and "Profil został zapisany" not in message
        view.goto(site.url + "/profil/")
        assert view.locator("[data-pending-institution-change]").is_visible()
        shot(view, f"{name}-1-pending")
        assert axe(view) == []
    assert Institution.objects.get(pk=institution.pk).county == institution.county

    page.context.clear_cookies()  # the trainee leaves; a coordinator logs in
    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    change = InstitutionChange.objects.get()
    page.goto(site.url + f"/admin/training/institution-changes/inspect/{change.pk}/")
    assert (
        "katowicki (poprawiony)"
        in page.locator("[data-institution-change]").inner_text()
    )
    shot(page, "desktop-2-coordinator-compares")
    assert axe(page) == []
    page.get_by_role("link", name="Potwierdź zmianę").click()
    shot(page, "desktop-3-confirm-asks")
    page.get_by_role("button", name="Potwierdź zmianę").click()
    page.wait_for_url(re.compile(r"/inspect/\d+/$"))
    assert Institution.objects.get(pk=institution.pk).county == "katowicki (poprawiony)"

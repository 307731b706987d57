"""A partner exports XLSX holding exactly their rows; a coordinator imports, fixes, imports."""

import io
import re
import threading

import openpyxl
import pytest
import tablib
from django.utils import timezone

from courses.demo import PARTNER
from courses.models import (
    Edition,
    EligibilityRule,
    EnrolmentStatus,
    ExportLog,
    Institution,
    PartnerOrganisation,
    Project,
    Quota,
    Voivodeship,
)
from courses.services import quota_save
from courses.services.exports import export_build, export_rows
from tests.e2e.asgi_server import asgi_live_server, asgi_site  # noqa: F401 - fixtures
from tests.e2e.helpers import log_in
from tests.factories import EditionFactory, InstitutionFactory, TraineeFactory
from tests.states import enrol

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def outside_rows(organisation: PartnerOrganisation) -> None:
    """One row in another voivodeship, one in another project: neither may leak."""
    project = organisation.projects.get()
    mazowieckie = Voivodeship.objects.get(name="mazowieckie")
    stranger = TraineeFactory(
        last_name="Mazowiecka",
        institution=InstitutionFactory(voivodeship=mazowieckie),
    )
    # The project admits mazowieckie too, with places of its own.
    quota_save(
        quota=Quota(project=project, name="Mazowsze", size=10),
        voivodeships=[mazowieckie],
    )
    rule = EligibilityRule.objects.create(project=project, name="Spoza makroregionu")
    rule.voivodeships.set([mazowieckie])
    rows = [
        enrol(edition=Edition.objects.filter(project=project).first(), person=stranger),
        enrol(edition=EditionFactory(), last_name="Obcoprojektowa"),
    ]
    assert [row.status for row in rows] == [EnrolmentStatus.CONFIRMED] * 2


def test_a_partner_downloads_an_xlsx_with_exactly_their_rows(
    site, phone_page, shot, axe
):
    page = phone_page
    organisation = PartnerOrganisation.objects.get(name=PARTNER)
    outside_rows(organisation)
    expected = set(
        export_rows(
            organisation=organisation, kind="enrolments", filters={}
        ).values_list("trainee__user__email", flat=True)
    )
    assert expected, "the demo has enrolments in the partner's scope"

    log_in(page, site.url, "partner@szkolenia.test", "partner-demo-2026")
    page.get_by_role("link", name="Eksport danych").click()
    page.wait_for_url(re.compile(r"/eksport-danych/$"))
    assert page.get_by_role("heading", name="Eksport danych").is_visible()
    page.get_by_label("Lista zgłoszeń").check()
    page.get_by_label("Excel (XLSX)").check()
    shot(page, "1-form")
    assert axe(page) == []

    with page.expect_download() as info:
        page.get_by_role("button", name="Eksportuj").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(
        io.BytesIO(open(download.path(), "rb").read())
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[0])
    assert "PESEL" not in headers
    emails = {row[headers.index("E-mail")] for row in rows[1:]}
    assert emails == expected
    names = {row[headers.index("Nazwisko")] for row in rows[1:]}
    assert not names & {"Mazowiecka", "Obcoprojektowa"}

    page.reload()
    assert "Twoje ostatnie eksporty" in page.content()
    shot(page, "2-after-export")


BROKEN = (
    "Nazwa;Typ;Województwo;Powiat;Gmina;REGON\n"
    "Gminny Ośrodek Pomocy Społecznej w Łęcznej;OPS;lubelskie;łęczyński;Łęczna;\n"
    "Ośrodek Wsparcia „Źródło”;ośrodek wsparcia;śląskie;Gliwice;Gliwice;123\n"
    "Dom Pomocy Społecznej w Żywcu;DPS;śląskie;żywiecki;Żywiec;\n"
)


def test_a_coordinator_imports_a_file_with_errors_fixes_it_and_imports_it(
    site, page, shot, tmp_path
):
    broken = tmp_path / "instytucje.csv"
    broken.write_bytes(BROKEN.encode("cp1250"))
    fixed = tmp_path / "instytucje-poprawione.csv"
    fixed.write_bytes(BROKEN.replace(";123\n", ";\n").encode("cp1250"))
    before = Institution.objects.count()

    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    page.goto(site.url + "/admin/partners/import/")
    page.get_by_label("Instytucje").check()
    page.locator("#id_file").set_input_files(str(broken))
    page.get_by_role("button", name="Sprawdź plik").click()
    errors = page.locator("[data-import-errors]")
    errors.wait_for()
    text = errors.inner_text()
    assert "3" in text and "REGON" in text and "nieprawidłowy" in text
    shot(page, "1-errors")
    assert Institution.objects.count() == before

    page.get_by_label("Instytucje").check()
    page.locator("#id_file").set_input_files(str(fixed))
    page.get_by_role("button", name="Sprawdź plik").click()
    preview = page.locator("[data-import-preview]")
    preview.wait_for()
    assert preview.inner_text().count("nowy") == 3
    shot(page, "2-preview")
    assert Institution.objects.count() == before

    page.get_by_role("button", name="Importuj te wiersze").click()
    page.wait_for_url(re.compile(r"/admin/partners/import/$"))
    assert "Zaimportowano" in page.locator(".messages").inner_text()
    shot(page, "3-imported")
    assert Institution.objects.count() == before + 3
    assert Institution.objects.filter(name="Ośrodek Wsparcia „Źródło”").exists()
    assert timezone.now()


def test_a_coordinator_reads_the_indicators_at_a_glance(site, page, shot, axe):
    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    page.goto(site.url + "/admin/partners/indicators/")
    assert page.get_by_role("heading", name="Wskaźniki").first.is_visible()
    pools = page.locator('[data-chart="pools"]')
    assert "1140" in pools.inner_text() or "1 140" in pools.inner_text()
    assert page.locator('[data-chart="gender"] th[scope="row"]').count() >= 1
    shot(page, "1-dashboard")
    page.locator('[data-chart="enrolments"]').scroll_into_view_if_needed()
    shot(page, "2-over-time")
    assert axe(page) == []
    page.get_by_role(
        "link", name="Uczestnicy do systemu monitorowania (SL2014/CST2021)"
    ).click()
    project = Project.objects.get(code="POWR.02.05")
    page.get_by_label("Projekt").select_option(value=str(project.pk))
    page.get_by_role("button", name="Sprawdź dane").click()
    # The demo's participant with missing data is listed with a link to fix it.
    problems = page.locator("table[data-table='monitoring-problems']")
    assert "Brak: Telefon kontaktowy." in problems.inner_text()
    assert axe(page) == []
    shot(page, "3-monitoring")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Pobierz plik uczestników")).click()
    sheet = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes())).active
    headers = [cell.value for cell in sheet[1]]
    assert "Wiek w chwili przystąpienia do projektu" in headers
    assert sheet.max_row > 1


def test_a_coordinator_reads_the_export_log_and_edits_a_partner(site, page, shot, axe):
    organisation = PartnerOrganisation.objects.get(name=PARTNER)
    ExportLog.objects.create(
        user=organisation.staff.get(),
        organisation=organisation,
        kind="enrolments",
        format="csv-semicolon",
        filters={"status": "confirmed"},
        row_count=14,
    )
    log_in(page, site.url, "koordynator@szkolenia.test", "koordynator-demo-2026")
    page.goto(site.url + "/admin/partners/exports/")
    listing = page.locator("table.listing")
    assert "CSV dla polskiego Excela" in listing.inner_text()
    assert "Lista zgłoszeń" in listing.inner_text()
    shot(page, "1-export-log")
    page.goto(site.url + f"/admin/partners/organisations/edit/{organisation.pk}/")
    assert page.get_by_role("checkbox", name="Może widzieć numery PESEL").is_visible()
    shot(page, "2-partner")
    assert axe(page) == []


def test_a_large_export_shows_progress_and_then_its_link(asgi_site, phone_page, shot):  # noqa: F811 - fixture
    """The page listens on its websocket while a worker builds the file."""
    from django.test import override_settings

    page = phone_page
    organisation = PartnerOrganisation.objects.get(name=PARTNER)
    total = export_rows(
        organisation=organisation, kind="enrolments", filters={}
    ).count()
    # The dummy backend only records the task: the "worker" below runs it later.
    with override_settings(
        PARTNER_EXPORT_SYNC_LIMIT=1,
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
    ):
        log_in(page, asgi_site.url, "partner@szkolenia.test", "partner-demo-2026")
        page.goto(asgi_site.url + "/eksport-danych/")
        page.get_by_label("OpenDocument (ODS, LibreOffice)").check()
        page.get_by_role("button", name="Eksportuj").click()
        page.wait_for_url(re.compile(r"/eksport-danych/\d+/$"))
        link = page.locator("[data-export-link]")
        assert link.is_hidden()
        assert "przygotowywany" in page.locator("[data-export-message]").inner_text()
        page.wait_for_timeout(300)  # let the page's websocket connect
        shot(page, "1-preparing")

        log = ExportLog.objects.get()
        # A worker of its own thread: Playwright's event loop owns this one.
        worker = threading.Thread(target=export_build.call, kwargs={"log_id": log.pk})
        worker.start()
        worker.join()
        link.wait_for(state="visible")
    message = page.locator("[data-export-message]").inner_text()
    assert f"Plik jest gotowy: {total} " in message
    shot(page, "2-ready")
    with page.expect_download() as info:
        link.click()
    dataset = tablib.Dataset().load(info.value.path().read_bytes(), format="ods")
    assert dataset.height == total

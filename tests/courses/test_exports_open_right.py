"""Exports open right: date cells, Polish order on both databases, identifiers as text."""

import datetime
import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from django.db import connection
from django.utils import timezone

from courses.collation import polish, polish_key
from courses.models import ExportLog, PartnerOrganisation, TraineeProfile, Voivodeship
from courses.reporting import partner_enrolments
from courses.services import enrolment_create
from courses.services.exports import export_filename, export_render
from tests.factories import EditionFactory, ProjectFactory, TraineeFactory

pytestmark = pytest.mark.django_db

# The Polish alphabet: Ą after A, Ć after C, Ł after L, Ś after S, Ź and Ż last.
POLISH_ORDER = [
    "Adamczyk",
    "Ątek",
    "Cybulski",
    "Czarnecki",
    "Ćwik",
    "Dąbrowski",
    "Lis",
    "Lubicz",
    "Łukasik",
    "Madej",
    "Nowak",
    "Nowak-Kowalska",
    "Nowakowska",
    "Szymański",
    "Śliwa",
    "Tomaszewski",
    "Zając",
    "Źrebiec",
    "Żak",
]
PESEL = "02270803624"  # born 2002: the leading zero is part of the number


@pytest.fixture
def organisation():
    project = ProjectFactory()
    edition = EditionFactory(
        project=project,
        start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 3, 4),
    )
    for name in reversed(POLISH_ORDER):
        trainee = TraineeFactory(
            last_name=name,
            pesel=PESEL if name == "Łukasik" else "",
            phone="0048600100200" if name == "Łukasik" else "",
        )
        enrolment_create(trainee=trainee, edition=edition)
    organisation = PartnerOrganisation.objects.create(
        name="Fundacja Śląska", may_see_pesel=True
    )
    organisation.projects.add(project)
    organisation.voivodeships.add(Voivodeship.objects.get(name="śląskie"))
    return organisation


def test_the_database_sorts_names_in_polish(organisation):
    """On SQLite through the registered collation, on PostgreSQL through ICU."""
    names = list(
        TraineeProfile.objects.order_by(polish("last_name")).values_list(
            "last_name", flat=True
        )
    )
    assert names == POLISH_ORDER, connection.vendor
    plain = sorted(POLISH_ORDER)  # code-point order: what the exports had before
    assert plain != POLISH_ORDER


def test_the_sqlite_key_agrees_with_the_rules():
    assert (
        sorted(POLISH_ORDER[1::2] + POLISH_ORDER[::2], key=polish_key) == POLISH_ORDER
    )
    assert sorted(["Żaneta", "zenon", "Zenon", "źdźbło"], key=polish_key) == [
        "zenon",
        "Zenon",
        "źdźbło",
        "Żaneta",
    ]


def test_the_enrolment_list_is_in_polish_order(organisation):
    rows = partner_enrolments(organisation=organisation, filters={})
    assert [row.trainee.last_name for row in rows] == POLISH_ORDER
    content, _ = export_render(
        organisation=organisation, kind="enrolments", fmt="xlsx", filters={}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == (
        POLISH_ORDER
    )


def test_xlsx_dates_are_date_cells_and_the_sheet_has_a_polish_name(organisation):
    content, _ = export_render(
        organisation=organisation, kind="enrolments", fmt="xlsx", filters={}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Lista zgłoszeń"
    headers = [cell.value for cell in sheet[1]]
    start = sheet.cell(row=2, column=headers.index("Data rozpoczęcia") + 1)
    applied = sheet.cell(row=2, column=headers.index("Data zgłoszenia") + 1)
    assert start.is_date and start.value.date() == datetime.date(2026, 3, 2)
    assert applied.is_date and applied.value.date() == timezone.localdate()


def test_ods_dates_are_date_cells(organisation):
    content, _ = export_render(
        organisation=organisation, kind="enrolments", fmt="ods", filters={}
    )
    xml = zipfile.ZipFile(io.BytesIO(content)).read("content.xml").decode()
    assert 'office:value-type="date"' in xml
    assert 'office:date-value="2026-03-02"' in xml
    assert 'table:name="Lista zgłoszeń"' in xml


def test_export_file_names_are_polish_in_local_time(settings):
    settings.TIME_ZONE = "Europe/Warsaw"
    log = ExportLog(
        kind="enrolments",
        format="xlsx",
        created_at=datetime.datetime(2026, 12, 1, 15, 30, tzinfo=datetime.UTC),
    )
    assert export_filename(log=log) == "lista-zgloszen-2026-12-01_16-30.xlsx"
    log.kind, log.format = "attendance", "csv"
    assert export_filename(log=log) == "lista-obecnosci-2026-12-01_16-30.csv"


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize(("fmt", "separator"), [("csv", 44), ("csv-semicolon", 59)])
def test_libreoffice_opens_the_csv_with_identifiers_as_text(
    organisation, tmp_path, fmt, separator
):
    content, _ = export_render(
        organisation=organisation, kind="enrolments", fmt=fmt, filters={}
    )
    ours = tmp_path / "lista.csv"
    ours.write_bytes(content)
    # The same file without the text form: the control that shows what goes wrong.
    bare = tmp_path / "bez-tekstu.csv"
    bare.write_bytes(content.replace(b'"=""', b'"').replace(b'"""', b'"'))
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx",
            f"--infilter=CSV:{separator},34,76,1",
            "--outdir",
            str(tmp_path),
            str(ours),
            str(bare),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )

    def cells(name):
        sheet = openpyxl.load_workbook(tmp_path / name, data_only=True).active
        headers = [cell.value for cell in sheet[1]]
        row = next(
            r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "Łukasik"
        )
        return dict(zip(headers, row, strict=True))

    opened = cells("lista.xlsx")
    assert opened["PESEL"] == PESEL
    assert opened["Telefon"] == "0048600100200"
    assert opened["Data rozpoczęcia"] == datetime.datetime(2026, 3, 2)
    control = cells("bez-tekstu.xlsx")
    assert control["PESEL"] == int(PESEL)  # 2270803624: the zero is gone

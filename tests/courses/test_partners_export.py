"""Partners' exports: only rows in their scope, in every format; PESEL only if allowed."""

import csv
import datetime
import io

import openpyxl
import pytest
import tablib
from django.urls import reverse
from django.utils import timezone

from courses.models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    ExportLog,
    PartnerOrganisation,
    Session,
    Voivodeship,
)
from courses.services import enrolment_create
from courses.services.exports import export_render
from courses.storage import private_storage
from tests.factories import (
    EditionFactory,
    InstitutionFactory,
    ProjectFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FORMATS = ["xlsx", "csv", "csv-semicolon", "ods"]
PESEL = "44051401458"


def enrol(*, edition, voivodeship: str, last_name: str, pesel: str = ""):
    region = Voivodeship.objects.get(name=voivodeship)
    trainee = TraineeFactory(
        last_name=last_name,
        pesel=pesel,
        institution=InstitutionFactory(voivodeship=region),
    )
    enrolment = enrolment_create(trainee=trainee, edition=edition)
    assert enrolment.status == EnrolmentStatus.CONFIRMED
    return enrolment


@pytest.fixture
def world():
    ours, theirs = ProjectFactory(), ProjectFactory()
    ours_edition = EditionFactory(project=ours)
    theirs_edition = EditionFactory(project=theirs)
    rows = {
        "Inside": enrol(
            edition=ours_edition, voivodeship="śląskie", last_name="Inside", pesel=PESEL
        ),
        "Inside2": enrol(
            edition=ours_edition, voivodeship="śląskie", last_name="Inside2"
        ),
        "OtherRegion": enrol(
            edition=ours_edition, voivodeship="mazowieckie", last_name="OtherRegion"
        ),
        "OtherProject": enrol(
            edition=theirs_edition, voivodeship="śląskie", last_name="OtherProject"
        ),
    }
    for edition in (ours_edition, theirs_edition):
        session = Session.objects.create(
            edition=edition,
            date=edition.start_date,
            start_time=datetime.time(9),
            end_time=datetime.time(15),
        )
        for enrolment in Enrolment.objects.filter(edition=edition):
            Attendance.objects.create(
                enrolment=enrolment,
                session=session,
                present=True,
                marked_at=timezone.now(),
            )
    organisation = PartnerOrganisation.objects.create(name="Fundacja Śląska")
    organisation.projects.add(ours)
    organisation.voivodeships.add(Voivodeship.objects.get(name="śląskie"))
    clerk = UserFactory()
    organisation.staff.add(clerk)
    return {"organisation": organisation, "clerk": clerk, "rows": rows}


def table(content: bytes, fmt: str) -> list[list[str]]:
    """The file as rows of text, read by the tools a clerk's software stands for."""
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        return [
            ["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    if fmt == "ods":
        dataset = tablib.Dataset().load(content, format="ods")
        return [list(dataset.headers), *([str(c) for c in row] for row in dataset)]
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    delimiter = ";" if fmt == "csv-semicolon" else ","
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter)
    # Identifiers come as ="…", which spreadsheets open as the text inside
    # (tests/courses/test_exports_open_right.py opens them with LibreOffice).
    return [[_as_text(cell) for cell in row] for row in rows]


def _as_text(cell: str) -> str:
    if cell.startswith('="') and cell.endswith('"'):
        return cell[2:-1].replace('""', '"')
    return cell


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", ["enrolments", "attendance"])
def test_a_partner_receives_only_rows_in_its_scope(world, fmt, kind):
    content, count = export_render(
        organisation=world["organisation"], kind=kind, fmt=fmt, filters={}
    )
    rows = table(content, fmt)
    assert {row[0] for row in rows[1:]} == {"Inside", "Inside2"}
    assert count == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_pesel_only_for_a_partner_allowed_to_see_it(world, fmt):
    organisation = world["organisation"]
    content, _ = export_render(
        organisation=organisation, kind="enrolments", fmt=fmt, filters={}
    )
    assert "PESEL" not in table(content, fmt)[0]
    assert PESEL.encode() not in content or fmt in ("xlsx", "ods")
    assert not any(PESEL in cell for row in table(content, fmt) for cell in row)

    organisation.may_see_pesel = True
    organisation.save()
    content, _ = export_render(
        organisation=organisation, kind="enrolments", fmt=fmt, filters={}
    )
    rows = table(content, fmt)
    column = rows[0].index("PESEL")
    assert {row[column] for row in rows[1:]} == {PESEL, ""}


def test_filters_narrow_the_scope_never_widen_it(world):
    organisation = world["organisation"]
    other = world["rows"]["OtherProject"]
    content, count = export_render(
        organisation=organisation,
        kind="enrolments",
        fmt="csv",
        filters={"edition": other.edition_id},
    )
    assert count == 0
    inside = world["rows"]["Inside"]
    content, count = export_render(
        organisation=organisation,
        kind="enrolments",
        fmt="csv",
        filters={
            "status": EnrolmentStatus.CONFIRMED,
            "date_from": inside.edition.start_date.isoformat(),
            "date_to": inside.edition.start_date.isoformat(),
        },
    )
    assert count == 2


def test_the_page_downloads_a_small_export_and_logs_it(client, world):
    client.force_login(world["clerk"])
    page = client.get(reverse("courses:partner_export"))
    assert page.status_code == 200
    response = client.post(
        reverse("courses:partner_export"),
        {
            "organisation": world["organisation"].pk,
            "kind": "enrolments",
            "format": "xlsx",
            "status": EnrolmentStatus.CONFIRMED,
        },
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = table(response.content, "xlsx")
    assert {row[0] for row in rows[1:]} == {"Inside", "Inside2"}
    log = ExportLog.objects.get()
    assert log.user == world["clerk"]
    assert log.organisation == world["organisation"]
    assert (log.format, log.kind, log.row_count) == ("xlsx", "enrolments", 2)
    assert log.filters == {"status": "confirmed"}


def test_someone_outside_every_organisation_is_refused(client, world):
    client.force_login(UserFactory())
    assert client.get(reverse("courses:partner_export")).status_code == 403


def test_a_large_export_is_built_in_the_background_for_its_owner_only(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.PARTNER_EXPORT_SYNC_LIMIT = 1
    client.force_login(world["clerk"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("courses:partner_export"),
            {
                "organisation": world["organisation"].pk,
                "kind": "enrolments",
                "format": "csv-semicolon",
            },
        )
    log = ExportLog.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "courses:partner_export_status", args=[log.pk]
    )
    assert log.row_count == 2
    assert private_storage().exists(log.file)
    status = client.get(response["Location"])
    assert reverse("courses:partner_export_file", args=[log.pk]) in status.text
    download = client.get(reverse("courses:partner_export_file", args=[log.pk]))
    rows = table(b"".join(download.streaming_content), "csv-semicolon")
    assert {row[0] for row in rows[1:]} == {"Inside", "Inside2"}

    client.force_login(UserFactory())
    url = reverse("courses:partner_export_file", args=[log.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_typed_formula_reaches_the_clerk_as_text(world, fmt):
    trainee = world["rows"]["Inside2"].trainee
    trainee.first_name = '=HYPERLINK("http://zle.example","Kliknij")'
    trainee.phone = "+48 600 100 200"
    trainee.save()
    content, _ = export_render(
        organisation=world["organisation"], kind="enrolments", fmt=fmt, filters={}
    )
    rows = table(content, fmt)
    row = next(row for row in rows if row[0] == "Inside2")
    assert row[1] == "'" + trainee.first_name
    assert "+48 600 100 200" in row

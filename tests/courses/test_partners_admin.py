"""Coordinators' screens: import with preview, indicators and their exports, export log."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from courses import roles
from courses.models import (
    EducationLevel,
    EnrolmentStatus,
    ExportLog,
    Institution,
    PartnerOrganisation,
    Session,
)
from courses.monitoring.rows import age_at
from courses.reporting import indicators
from courses.services import enrolment_create
from courses.services.attendance import attendance_mark
from courses.storage import private_storage
from tests.factories import (
    EditionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BROKEN = (
    "Nazwa;Typ;Województwo;Powiat;Gmina\n"
    "OPS w Żarkach;OPS;śląskie;myszkowski;Żarki\n"
    "OPS w Poroninie;OPS;małopolske;tatrzański;Poronin\n"
)


@pytest.fixture
def coordinator(client):
    user = UserFactory(role=roles.COORDINATOR)
    client.force_login(user)
    return user


def upload(client, text: str, encoding="cp1250"):
    return client.post(
        reverse("partner_import:index"),
        {
            "kind": "institutions",
            "file": SimpleUploadedFile("instytucje.csv", text.encode(encoding)),
        },
    )


def test_a_coordinator_sees_errors_fixes_the_file_and_imports_it(client, coordinator):
    page = upload(client, BROKEN)
    assert page.status_code == 200
    assert "Nie ma województwa „małopolske”." in page.text
    assert not Institution.objects.filter(municipality="Żarki").exists()

    preview = upload(client, BROKEN.replace("małopolske", "małopolskie"))
    assert "Import these rows" in preview.text or "Importuj" in preview.text
    assert not Institution.objects.filter(municipality="Żarki").exists()
    stored = preview.context["stored"]
    done = client.post(
        reverse("partner_import:index"),
        {"confirm": "1", "kind": "institutions", "stored": stored},
    )
    assert done.status_code == 302
    assert (
        Institution.objects.filter(municipality__in=["Żarki", "Poronin"]).count() == 2
    )


def test_a_preview_cannot_be_confirmed_twice_or_with_another_file(client, coordinator):
    abandoned = upload(client, BROKEN.replace("małopolske", "małopolskie"))
    preview = upload(client, BROKEN.replace("małopolske", "małopolskie"))
    assert not private_storage().exists(abandoned.context["stored"])
    stored = preview.context["stored"]
    url = reverse("partner_import:index")
    client.post(url, {"confirm": "1", "kind": "institutions", "stored": stored})
    count = Institution.objects.count()
    client.post(url, {"confirm": "1", "kind": "institutions", "stored": stored})
    assert Institution.objects.count() == count


def test_trainees_and_partners_cannot_import(client):
    for role in (roles.TRAINEE, roles.PARTNER):
        client.force_login(UserFactory(role=role))
        assert client.get(reverse("partner_import:index")).status_code in (302, 403)


def _participants(*, seats: int = 20):
    project = ProjectFactory(target_participants=2020)
    QuotaFactory(project=project, size=1140, regions=["śląskie"])
    edition = EditionFactory(project=project, capacity=seats)
    anna = TraineeFactory(pesel="44051401458", education=EducationLevel.ISCED_5_8)
    session = Session.objects.create(
        edition=edition,
        date=edition.start_date,
        start_time=datetime.time(9),
        end_time=datetime.time(15),
    )
    # Participants from their first attended session: both were there.
    for trainee in (anna, TraineeFactory(gender="M")):
        enrolment = enrolment_create(trainee=trainee, edition=edition)
        if enrolment.status == EnrolmentStatus.CONFIRMED:
            attendance_mark(
                enrolment=enrolment, session=session, present=True, actor=None
            )
    return edition


@pytest.fixture
def participants():
    return _participants()


def test_indicators_count_persons_against_the_targets(participants):
    with translation.override("pl"):
        charts = {chart.key: chart for chart in indicators()}
    pools = [(bar.value, bar.target) for bar in charts["pools"].bars]
    assert pools == [(2, 1140), (2, 2020)]
    assert {bar.label: bar.value for bar in charts["gender"].bars} == {
        "kobieta": 1,
        "mężczyzna": 1,
    }
    assert {bar.label: bar.value for bar in charts["voivodeship"].bars} == {
        "śląskie": 2
    }
    assert sum(bar.value for bar in charts["enrolments"].bars) == 2


def test_the_dashboard_shows_charts_with_tables_and_exports_xlsx(
    client, coordinator, participants
):
    page = client.get(reverse("partner_indicators:index"))
    assert page.status_code == 200
    assert 'data-chart="pools"' in page.text
    assert "<svg" in page.text
    table = client.get(reverse("partner_indicators:index") + "?pobierz=wskazniki")
    workbook = openpyxl.load_workbook(io.BytesIO(table.content))
    assert len(workbook.sheetnames) >= 5
    assert reverse("partner_monitoring:index") in page.text


def test_age_at_the_start_of_support():
    born = datetime.date(1944, 5, 14)
    assert age_at(birth=born, day=datetime.date(2026, 5, 13)) == 81
    assert age_at(birth=born, day=datetime.date(2026, 5, 14)) == 82
    assert age_at(birth=None, day=datetime.date(2026, 5, 14)) is None


def test_coordinators_see_the_export_log(client, coordinator):
    organisation = PartnerOrganisation.objects.create(name="ROPS Opole")
    ExportLog.objects.create(
        user=UserFactory(email="urzednik@rops.pl"),
        organisation=organisation,
        kind="enrolments",
        format="xlsx",
        filters={"status": "confirmed"},
        row_count=12,
    )
    page = client.get(reverse("partner_exports:index"))
    assert page.status_code == 200
    assert "ROPS Opole" in page.text
    assert "Status: potwierdzone" in page.text
    assert "urzednik@rops.pl" in page.text or "Kowalski" in page.text


def test_waitlisted_rows_are_not_participants(db):
    edition = _participants(seats=0)
    assert set(edition.enrolments.values_list("status", flat=True)) == {
        EnrolmentStatus.WAITLISTED
    }
    charts = {chart.key: chart for chart in indicators()}
    assert [bar.value for bar in charts["pools"].bars] == [0, 0]


def test_a_project_without_a_target_shows_no_percentage_nor_bar(client, coordinator):
    """LIDERZY-KOOPERACJI of the demo: no target and no pool sizes. Not "0,0%" beside
    a bar drawn against the largest value, but "no target set", in the XLSX too."""
    project = ProjectFactory(code="BEZ-CELU", target_participants=0)
    edition = EditionFactory(project=project, capacity=20)
    session = Session.objects.create(
        edition=edition,
        date=edition.start_date,
        start_time=datetime.time(9),
        end_time=datetime.time(15),
    )
    enrolment = enrolment_create(trainee=TraineeFactory(), edition=edition)
    attendance_mark(enrolment=enrolment, session=session, present=True, actor=None)

    charts = {chart.key: chart for chart in indicators()}
    [bar] = charts["pools"].bars
    assert (bar.value, bar.target, bar.share) == (1, None, None)

    with translation.override("pl"):
        page = client.get(reverse("partner_indicators:index")).text
        table = client.get(reverse("partner_indicators:index") + "?pobierz=wskazniki")
    pools = page.split('data-chart="pools"')[1].split("</table>")[0]
    assert "brak wartości docelowej" in pools
    assert "%" not in pools
    assert "training-bar" not in pools
    book = openpyxl.load_workbook(io.BytesIO(table.content))
    sheet = book.worksheets[0]  # the pools' chart comes first
    assert list(sheet.values)[1] == (
        "BEZ-CELU – razem",
        1,
        "brak wartości docelowej",
    )

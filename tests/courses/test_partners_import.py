"""Coordinators' bulk import: encodings, row errors in Polish, all or nothing, idempotent."""

import io

import openpyxl
import pytest
from django.utils import translation

from courses.models import (
    Enrolment,
    EnrolmentStatus,
    Institution,
    TraineeProfile,
    Voivodeship,
)
from courses.services.imports import import_run
from tests.factories import (
    EditionFactory,
    InstitutionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

INSTITUTIONS = (
    "Nazwa;Typ;Województwo;Powiat;Gmina;REGON\n"
    "Gminny Ośrodek Pomocy Społecznej w Żółkiewce;OPS;lubelskie;krasnostawski;"
    "Żółkiewka;\n"
    "Miejski Ośrodek Pomocy Rodzinie;MOPR;śląskie;Bielsko-Biała;Bielsko-Biała;"
    "\n"
)
TRAINEES = (
    "E-mail,Imię,Nazwisko,Płeć,Stanowisko,Instytucja,Gmina,PESEL\n"
    "jadwiga@ops.pl,Jadwiga,Łęcka-Źdźbło,K,pracownik socjalny,"
    "Miejski Ośrodek Pomocy Rodzinie,Bielsko-Biała,44051401458\n"
    "zenon@ops.pl,Zenon,Gąsiorowski,M,kadra kierownicza,"
    "Miejski Ośrodek Pomocy Rodzinie,Bielsko-Biała,\n"
)


@pytest.fixture(autouse=True)
def polish():
    with translation.override("pl"):
        yield


def messages(result) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.message) for error in result.errors]


def test_a_windows_1250_file_with_polish_letters_imports_correctly():
    content = INSTITUTIONS.encode("cp1250")
    result = import_run(kind="institutions", content=content, commit=True)
    assert result.errors == []
    assert result.committed
    institution = Institution.objects.get(municipality="Żółkiewka")
    assert institution.name == "Gminny Ośrodek Pomocy Społecznej w Żółkiewce"
    assert institution.voivodeship.name == "lubelskie"
    assert institution.type == "ops"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_with_or_without_a_bom_imports(encoding):
    result = import_run(
        kind="institutions", content=INSTITUTIONS.encode(encoding), commit=True
    )
    assert result.errors == []
    assert Institution.objects.filter(municipality="Żółkiewka").count() == 1


def test_an_xlsx_workbook_imports():
    workbook = openpyxl.Workbook()
    for line in INSTITUTIONS.splitlines():
        workbook.active.append(line.split(";"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_run(kind="institutions", content=buffer.getvalue(), commit=True)
    assert result.errors == []
    assert result.count("new") == 2


def test_a_dry_run_writes_nothing_and_shows_what_would_happen():
    result = import_run(
        kind="institutions", content=INSTITUTIONS.encode(), commit=False
    )
    assert not result.committed
    assert result.count("new") == 2
    assert not Institution.objects.filter(municipality="Żółkiewka").exists()


def test_a_reimport_of_the_same_files_changes_nothing():
    import_run(kind="institutions", content=INSTITUTIONS.encode(), commit=True)
    import_run(kind="trainees", content=TRAINEES.encode(), commit=True)
    counts = (Institution.objects.count(), TraineeProfile.objects.count())
    again = import_run(kind="institutions", content=INSTITUTIONS.encode(), commit=True)
    assert again.count("unchanged") == 2
    again = import_run(kind="trainees", content=TRAINEES.encode(), commit=True)
    assert again.count("unchanged") == 2
    assert (Institution.objects.count(), TraineeProfile.objects.count()) == counts
    jadwiga = TraineeProfile.objects.get(user__email="jadwiga@ops.pl")
    assert jadwiga.user.groups.filter(name="Uczestnik").exists()
    assert not jadwiga.user.has_usable_password()
    assert (jadwiga.last_name, jadwiga.position, jadwiga.pesel) == (
        "Łęcka-Źdźbło",
        "social_worker",
        "44051401458",
    )


def test_imported_enrolments_use_the_service_and_overflow_is_waitlisted():
    project = ProjectFactory()
    QuotaFactory(project=project, size=10, regions=["śląskie"])
    edition = EditionFactory(project=project, capacity=2, code="KAT-01")
    trainees = [TraineeFactory() for _ in range(3)]
    rows = "".join(f"{t.user.email};KAT-01\n" for t in trainees)
    content = ("E-mail;Grupa\n" + rows).encode()
    result = import_run(kind="enrolments", content=content, commit=True)
    assert result.errors == []
    statuses = [
        Enrolment.objects.get(trainee=t, edition=edition).status for t in trainees
    ]
    assert statuses == [
        EnrolmentStatus.CONFIRMED,
        EnrolmentStatus.CONFIRMED,
        EnrolmentStatus.WAITLISTED,
    ]
    again = import_run(kind="enrolments", content=content, commit=True)
    assert again.count("unchanged") == 3
    assert Enrolment.objects.filter(edition=edition).count() == 3


def test_an_ineligible_enrolment_fails_the_whole_file():
    project = ProjectFactory()
    QuotaFactory(project=project, size=10, regions=["opolskie"])
    EditionFactory(project=project, code="OPO-01")
    ok, outsider = TraineeFactory(), TraineeFactory()
    ok.institution.voivodeship = Voivodeship.objects.get(name="opolskie")
    ok.institution.save()
    content = (
        f"E-mail;Grupa\n{ok.user.email};OPO-01\n{outsider.user.email};OPO-01\n"
    ).encode()
    result = import_run(kind="enrolments", content=content, commit=True)
    assert not result.committed
    assert [(e.row, e.column) for e in result.errors] == [(3, "Grupa")]
    assert not Enrolment.objects.exists()


def test_broken_rows_are_named_in_polish_and_nothing_is_written():
    InstitutionFactory(name="MOPS Katowice", municipality="Katowice")
    content = (
        "E-mail;Imię;Nazwisko;Płeć;Stanowisko;Instytucja;Gmina;PESEL\n"
        "a@ops.pl;Anna;Nowak;K;pracownik socjalny;MOPS Katowice;Katowice;44051401459\n"
        "b@ops.pl;Beata;Nowak;X;pracownik socjalny;MOPS Katowice;Katowice;\n"
        "c@ops.pl;Celina;Nowak;K;pracownik socjalny;MOPS Katowice;Katowice;\n"
        "c@ops.pl;Celina;Nowak;K;pracownik socjalny;MOPS Katowice;Katowice;\n"
        "d@ops.pl;Dorota;Nowak;K;pracownik socjalny;Nieznany OPS;Katowice;\n"
    ).encode()
    before = TraineeProfile.objects.count()
    result = import_run(kind="trainees", content=content, commit=True)
    assert messages(result) == [
        (2, "PESEL", "Numer PESEL jest nieprawidłowy: sprawdź jego 11 cyfr."),
        (3, "Płeć", "„X” nie jest jedną z dozwolonych wartości."),
        (5, "", "Ten wiersz powtarza wiersz 4."),
        (
            6,
            "Instytucja",
            "Nie ma instytucji „Nieznany OPS”: najpierw zaimportuj instytucje.",
        ),
    ]
    assert not result.committed
    assert TraineeProfile.objects.count() == before


def test_an_unknown_voivodeship_and_a_missing_column():
    content = (
        "Nazwa;Typ;Województwo;Powiat;Gmina\nOPS Gdzieś;OPS;śródziemie;x;y\n"
    ).encode()
    result = import_run(kind="institutions", content=content, commit=True)
    assert messages(result) == [(2, "Województwo", "Nie ma województwa „śródziemie”.")]
    result = import_run(
        kind="institutions", content=b"Nazwa;Typ;Powiat;Gmina\nA;OPS;x;y\n", commit=True
    )
    assert messages(result) == [
        (1, "Województwo", "Brak tej kolumny w pierwszym wierszu.")
    ]
    assert not Institution.objects.filter(name__in=["OPS Gdzieś", "A"]).exists()


def test_a_file_in_an_unreadable_encoding_is_refused():
    content = b"Nazwa;Typ\n" + b"\x81\x83\x88\x90\x98;OPS\n"
    result = import_run(kind="institutions", content=content, commit=True)
    assert len(result.errors) == 1
    assert "Windows-1250" in result.errors[0].message
    assert result.errors[0].row == 0


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 100
    result = import_run(
        kind="institutions", content=INSTITUTIONS.encode() * 5, commit=True
    )
    assert "za duży" in result.errors[0].message
    assert not Institution.objects.filter(municipality="Żółkiewka").exists()


def test_a_coordinator_is_the_actor_of_imported_enrolments():
    project = ProjectFactory()
    QuotaFactory(project=project, size=10, regions=["śląskie"])
    EditionFactory(project=project, code="KAT-02")
    trainee = TraineeFactory(pesel="44051401458")
    coordinator = UserFactory()
    import_run(
        kind="enrolments",
        content=b"PESEL;Grupa\n44051401458;KAT-02\n",
        actor=coordinator,
        commit=True,
    )
    event = Enrolment.objects.get(trainee=trainee).events.get()
    assert event.actor == coordinator


def test_a_pesel_excel_stored_as_a_number_keeps_its_leading_zero():
    InstitutionFactory(name="MOPS Katowice", municipality="Katowice")
    workbook = openpyxl.Workbook()
    workbook.active.append(
        ["E-mail", "Imię", "Nazwisko", "Płeć", "Stanowisko", "Instytucja", "Gmina"]
        + ["PESEL"]
    )
    workbook.active.append(
        ["ola@ops.pl", "Ola", "Zych", "K", "pracownik socjalny", "MOPS Katowice"]
        + ["Katowice", 2270803624]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_run(kind="trainees", content=buffer.getvalue(), commit=True)
    assert result.errors == []
    assert TraineeProfile.objects.get(user__email="ola@ops.pl").pesel == "02270803624"

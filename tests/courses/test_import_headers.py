"""Import files are read alike in Polish and in English, whatever the interface says."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from courses.models import Institution, TraineeProfile
from courses.services.imports import COLUMNS, POLISH_CHOICES, import_run

pytestmark = pytest.mark.django_db

POLISH = {
    "institutions": (
        "Nazwa;Typ;Województwo;Powiat;Gmina;REGON\n"
        "Gminny Ośrodek Pomocy Społecznej w Żółkiewce;"
        "OPS (ośrodek pomocy społecznej);lubelskie;krasnostawski;Żółkiewka;\n"
    ),
    "trainees": (
        "E-mail;Imię;Nazwisko;Płeć;Stanowisko;Instytucja;Gmina;Poziom wykształcenia\n"
        "jadwiga@ops.pl;Jadwiga;Łęcka;kobieta;pracownik socjalny;"
        "Gminny Ośrodek Pomocy Społecznej w Żółkiewce;Żółkiewka;ISCED 5–8 – wyższe\n"
    ),
}
ENGLISH = {
    "institutions": (
        "Name,Type,Voivodeship,County,Municipality,REGON\n"
        "Gminny Ośrodek Pomocy Społecznej w Żółkiewce,"
        "OPS (social assistance centre),lubelskie,krasnostawski,Żółkiewka,\n"
    ),
    "trainees": (
        "E-mail,First name,Last name,Gender,Position,Institution,Municipality,"
        "Education level\n"
        "jadwiga@ops.pl,Jadwiga,Łęcka,woman,social worker,"
        "Gminny Ośrodek Pomocy Społecznej w Żółkiewce,Żółkiewka,"
        "ISCED 5–8 – higher education\n"
    ),
}


def _import_both(files: dict[str, str]) -> None:
    for kind in ("institutions", "trainees"):
        result = import_run(kind=kind, content=files[kind].encode(), commit=True)
        assert [e.message for e in result.errors] == []
        assert result.committed
    institution = Institution.objects.get()
    assert (institution.type, institution.voivodeship.name) == ("ops", "lubelskie")
    trainee = TraineeProfile.objects.get()
    assert (trainee.gender, trainee.position, trainee.education) == (
        "K",
        "social_worker",
        "5-8",
    )
    assert trainee.institution == institution


@pytest.mark.parametrize("interface", ["pl", "en"])
@pytest.mark.parametrize("files", [POLISH, ENGLISH], ids=["polish", "english"])
def test_headers_and_values_in_either_language_whatever_the_interface(interface, files):
    with translation.override(interface):
        _import_both(files)


@pytest.fixture
def no_compiled_translations(settings, tmp_path):
    """The project's catalogues are not there: as on a clone before `make messages`."""
    settings.LOCALE_PATHS = [tmp_path]
    with translation.override("pl"):
        assert gettext("Municipality") == "Municipality"  # really not translated
        yield


@pytest.mark.parametrize("files", [POLISH, ENGLISH], ids=["polish", "english"])
def test_headers_are_read_without_compiled_translations(
    no_compiled_translations, files
):
    _import_both(files)


def test_a_missing_column_is_still_named(no_compiled_translations):
    content = POLISH["institutions"].replace("Powiat;", "").encode()
    result = import_run(kind="institutions", content=content, commit=True)
    assert not result.committed
    assert [(e.row, e.column) for e in result.errors] == [(1, "County")]


def test_the_polish_names_written_out_match_the_catalogue():
    with translation.override("pl"):
        for columns in COLUMNS.values():
            for column in columns:
                assert str(column.label) == column.polish
        for choices, polish in POLISH_CHOICES.items():
            assert {code: str(label) for code, label in choices.choices} == polish

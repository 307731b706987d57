"""Import rows about a person already there: shown side by side, decided per row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from courses import roles
from courses.models import TraineeProfile
from courses.services.imports import KEEP, UPDATE, import_run
from tests.factories import (
    InstitutionFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PESEL = "44051401458"
HEADER = "E-mail;Imię;Nazwisko;Płeć;Stanowisko;Instytucja;Gmina;PESEL\n"


@pytest.fixture(autouse=True)
def polish():
    with translation.override("pl"):
        yield


@pytest.fixture
def jadwiga():
    institution = InstitutionFactory(name="MOPS Katowice", municipality="Katowice")
    return TraineeFactory(
        first_name="Jadwiga",
        last_name="Łęcka",
        pesel=PESEL,
        institution=institution,
        user__email="jadwiga@ops.pl",
    )


def _file(*rows: str) -> bytes:
    line = "{};{};{};K;pracownik socjalny;MOPS Katowice;Katowice;{}\n"
    return (HEADER + "".join(line.format(*row.split(",")) for row in rows)).encode()


def test_a_known_pesel_with_another_name_is_a_conflict_shown_side_by_side(jadwiga):
    content = _file(f"jadwiga@ops.pl,Jadwiga,Nowak,{PESEL}")
    preview = import_run(kind="trainees", content=content, commit=False)
    assert preview.errors == []
    (outcome,) = preview.rows
    assert outcome.action == "conflict"
    assert preview.unresolved == [2]
    conflict = outcome.conflict
    assert conflict.differing == ("last_name",)
    assert conflict.options == (KEEP, UPDATE)
    assert ("Nazwisko", "Łęcka", "Nowak", True) in conflict.comparison()
    assert ("Imię", "Jadwiga", "Jadwiga", False) in conflict.comparison()


def test_a_conflict_nobody_chose_for_imports_nothing(jadwiga):
    content = _file(
        f"jadwiga@ops.pl,Jadwiga,Nowak,{PESEL}", "zenon@ops.pl,Zenon,Gąsior,"
    )
    result = import_run(kind="trainees", content=content, commit=True)
    assert not result.committed
    assert [(e.row, e.message) for e in result.errors] == [
        (
            2,
            "Osoba z tego wiersza jest już na platformie z innymi danymi: "
            "wybierz, co zrobić.",
        )
    ]
    assert TraineeProfile.objects.count() == 1  # Zenon waits for the choice too
    jadwiga.refresh_from_db()
    assert jadwiga.last_name == "Łęcka"


def test_keep_leaves_the_person_and_imports_the_rest(jadwiga):
    content = _file(
        f"jadwiga@ops.pl,Jadwiga,Nowak,{PESEL}", "zenon@ops.pl,Zenon,Gąsior,"
    )
    result = import_run(
        kind="trainees", content=content, commit=True, choices={2: KEEP}
    )
    assert result.committed
    assert [o.action for o in result.rows] == ["kept", "new"]
    jadwiga.refresh_from_db()
    assert jadwiga.last_name == "Łęcka"
    assert TraineeProfile.objects.count() == 2


def test_update_takes_the_file_s_name_for_the_same_person(jadwiga):
    content = _file(f"jadwiga@ops.pl,Jadwiga,Nowak-Łęcka,{PESEL}")
    result = import_run(
        kind="trainees", content=content, commit=True, choices={2: UPDATE}
    )
    assert result.committed
    jadwiga.refresh_from_db()
    assert jadwiga.last_name == "Nowak-Łęcka"
    assert TraineeProfile.objects.count() == 1


def test_a_known_pesel_with_another_email_is_never_merged(jadwiga):
    """The row's person was lost as "unchanged": now it is a conflict, keep only."""
    content = _file(f"inna@ops.pl,Jadwiga,Łęcka,{PESEL}")
    preview = import_run(kind="trainees", content=content, commit=False)
    (outcome,) = preview.rows
    assert outcome.conflict.differing == ("email",)
    assert outcome.conflict.options == (KEEP,)
    refused = import_run(
        kind="trainees", content=content, commit=True, choices={2: UPDATE}
    )
    assert not refused.committed
    assert refused.unresolved == [2]
    jadwiga.user.refresh_from_db()
    assert jadwiga.user.email == "jadwiga@ops.pl"


def test_a_known_email_with_another_pesel_is_a_conflict(jadwiga):
    content = _file("jadwiga@ops.pl,Jadwiga,Łęcka,02270803624")
    (outcome,) = import_run(kind="trainees", content=content, commit=False).rows
    assert outcome.conflict.differing == ("pesel",)
    assert outcome.conflict.options == (KEEP,)


def test_an_email_and_a_pesel_of_two_people_are_a_conflict_never_merged(
    client, jadwiga
):
    zenon = TraineeFactory(
        first_name="Zenon", last_name="Gąsior", user__email="zenon@ops.pl"
    )
    before = sorted(
        TraineeProfile.objects.values_list(
            "pk", "first_name", "last_name", "user__email"
        )
    )
    content = _file(f"zenon@ops.pl,Zenon,Gąsior,{PESEL}")

    preview = import_run(kind="trainees", content=content, commit=False)
    assert preview.errors == []
    (outcome,) = preview.rows
    assert outcome.action == "conflict"
    assert "Jadwiga Łęcka" in outcome.summary and "Zenon Gąsior" in outcome.summary
    conflict = outcome.conflict
    assert conflict.options == (KEEP,)  # nothing to update: it is two people
    assert (conflict.existing.email, conflict.other.email) == (
        "jadwiga@ops.pl",
        "zenon@ops.pl",
    )
    rows = {row[0]: row[1:] for row in conflict.comparison_of_two()}
    assert rows["Nazwisko"] == ("Łęcka", "Gąsior", "Gąsior", True)
    assert rows["E-mail"] == ("jadwiga@ops.pl", "zenon@ops.pl", "zenon@ops.pl", True)

    # Not chosen, or "update" (not offered): nothing is imported.
    for choices in ({}, {2: UPDATE}):
        result = import_run(
            kind="trainees", content=content, commit=True, choices=choices
        )
        assert not result.committed
        assert [e.row for e in result.errors] == [2]
    # Skipped as chosen: committed, and both people are as they were.
    result = import_run(
        kind="trainees", content=content, commit=True, choices={2: KEEP}
    )
    assert result.committed
    assert [row.action for row in result.rows] == ["kept"]
    after = sorted(
        TraineeProfile.objects.values_list(
            "pk", "first_name", "last_name", "user__email"
        )
    )
    assert after == before
    assert TraineeProfile.objects.get(TraineeProfile.pesel_lookup(PESEL)) == jadwiga
    zenon.refresh_from_db()
    assert zenon.pesel == ""

    # The preview in the admin shows the two people beside the row.
    client.force_login(UserFactory(role=roles.COORDINATOR))
    page = client.post(
        reverse("partner_import:index"),
        {"kind": "trainees", "file": SimpleUploadedFile("uczestnicy.csv", content)},
    ).content.decode()
    assert "data-import-two-people" in page
    assert "Osoba z tym numerem PESEL" in page
    assert "Osoba z tym adresem e-mail" in page
    assert "Łęcka" in page and "Gąsior" in page
    assert 'name="choice-2" value="keep"' in page
    assert 'value="update"' not in page


def test_the_coordinator_chooses_per_row_in_the_admin(client, jadwiga):
    client.force_login(UserFactory(role=roles.COORDINATOR))
    url = reverse("partner_import:index")
    content = _file(f"jadwiga@ops.pl,Jadwiga,Nowak,{PESEL}")
    preview = client.post(
        url,
        {"kind": "trainees", "file": SimpleUploadedFile("uczestnicy.csv", content)},
    )
    page = preview.content.decode()
    assert 'data-import-conflict="2"' in page
    assert "Na platformie" in page and "W pliku" in page
    assert "Łęcka" in page and "Nowak" in page
    assert 'name="choice-2" value="keep"' in page
    stored = preview.context["stored"]
    confirm = {"confirm": "1", "kind": "trainees", "stored": stored}
    again = client.post(url, confirm)
    assert again.status_code == 200  # asked again, the file kept
    assert "Wybierz, co zrobić z 1 wierszem" in again.content.decode()
    assert TraineeProfile.objects.get().last_name == "Łęcka"
    done = client.post(url, {**confirm, "choice-2": "update"})
    assert done.status_code == 302
    assert TraineeProfile.objects.get().last_name == "Nowak"

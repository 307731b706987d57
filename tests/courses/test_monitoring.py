"""The funder's participant record: layouts as data, validation per person, the export."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from courses import roles
from courses.models import (
    AccessAction,
    AccessEvent,
    Answer,
    EducationLevel,
    ExportLog,
    ParticipantRecord,
    Voivodeship,
)
from courses.monitoring.layouts import layout
from courses.monitoring.rows import monitoring_rows
from courses.reporting import indicators
from courses.services import enrolment_create
from courses.services.attendance import attendance_mark
from courses.services.monitoring import MonitoringError, monitoring_export
from tests.factories import ProjectFactory, QuotaFactory, TraineeFactory, UserFactory
from tests.states import completed_enrolment, confirmed_enrolment, past_edition

pytestmark = pytest.mark.django_db

ANNA_PESEL = "85031502242"  # a woman born on 15 March 1985
COMPLETE = {
    "country": "Polska",
    "citizenship": "pl",
    "home_county": "Katowice",
    "home_municipality": "Katowice",
    "home_town": "Katowice",
    "home_postcode": "40-001",
    "home_street": "Mikołowska",
    "home_building": "100",
    "degurba": "1",
    "labour_status": "employed",
    "labour_detail": "local_government",
    "occupation": "social_assistance_key_staff",
    "disability": Answer.NO,
    "minority": Answer.NO,
    "foreign_origin": Answer.REFUSED,
    "third_country": Answer.NO,
    "homeless": Answer.NO,
    "household_jobless": Answer.NO,
    "single_adult_household": Answer.NO,
    "other_disadvantage": Answer.REFUSED,
}


def give_record(trainee, **changes):
    values = {**COMPLETE, **changes}
    values.setdefault("home_voivodeship", Voivodeship.objects.get(name="śląskie"))
    return ParticipantRecord.objects.update_or_create(trainee=trainee, defaults=values)[
        0
    ]


@pytest.fixture
def project():
    project = ProjectFactory(code="POWR.02.05.00-00-0001/26", target_participants=10)
    QuotaFactory(project=project, size=5, regions=["śląskie"])
    return project


@pytest.fixture
def coordinator(client):
    user = UserFactory(role=roles.COORDINATOR)
    client.force_login(user)
    return user


def completed(project, **trainee):
    edition = past_edition(days=2, project=project)
    enrolment = completed_enrolment(edition=edition, **trainee)
    from courses.services.monitoring import participation_save

    participation_save(
        enrolment=enrolment,
        data={"leaving_situation": "raised_qualifications", "ended_as_planned": "yes"},
    )
    return enrolment


def test_a_full_record_exports_in_the_sl2014_layout_and_passes_validation(
    project, coordinator
):
    enrolment = completed(
        project,
        pesel=ANNA_PESEL,
        gender="K",
        phone="+48 600 100 200",
        education=EducationLevel.ISCED_5_8,
    )
    give_record(enrolment.trainee)
    [row] = monitoring_rows(project=project)
    assert row.problems == []

    content, log = monitoring_export(
        user=coordinator, project=project, date_from=None, date_to=None
    )
    access = AccessEvent.objects.get(action=AccessAction.EXPORT)
    assert access.user == coordinator
    assert list(access.trainees.all()) == [enrolment.trainee]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, cells = list(sheet.values)
    sl2014 = layout("sl2014")
    assert list(header) == [column.header for column in sl2014.columns]
    record = dict(zip(header, cells, strict=True))
    first_session = enrolment.edition.sessions.order_by("date").first().date
    last_session = enrolment.edition.sessions.order_by("date").last().date
    assert record["PESEL"] == ANNA_PESEL
    assert record["Brak PESEL"] == "Nie"
    assert record["Płeć"] == "Kobieta"
    assert record["Wiek w chwili przystąpienia do projektu"] == (
        first_session.year - 1985 - ((first_session.month, first_session.day) < (3, 15))
    )
    assert record["Wykształcenie"] == "wyższe (ISCED 5-8)"
    assert record["Województwo"] == "śląskie"
    assert record["Kod pocztowy"] == "40-001"
    assert record["Obszar wg stopnia urbanizacji (DEGURBA)"] == "1"
    assert record["Telefon kontaktowy"] == "+48 600 100 200"
    assert record["Adres e-mail"] == enrolment.trainee.user.email
    assert record["Data rozpoczęcia udziału w projekcie"].date() == first_session
    assert record["Data zakończenia udziału we wsparciu"].date() == last_session
    assert record["Status osoby na rynku pracy w chwili przystąpienia do projektu"] == (
        "Osoba pracująca"
    )
    assert record["w tym"] == "Osoba pracująca w administracji samorządowej"
    assert record["Wykonywany zawód"] == (
        "Kluczowy pracownik instytucji pomocy i integracji społecznej"
    )
    assert record["Zatrudniony w"] == enrolment.trainee.institution.name
    assert record["Rodzaj przyznanego wsparcia"] == "szkolenie"
    # SL2014 asks one question for minority, migrant and foreign origin.
    assert record[sl2014.columns[36].header] == "Odmowa podania informacji"
    assert record["Osoba z niepełnosprawnościami"] == "Nie"

    assert log.kind == "monitoring" and log.row_count == 1
    assert log.filters == {"project": project.pk, "system": "sl2014"}
    assert log.user == coordinator and log.organisation is None


def test_a_participant_with_missing_data_is_listed_with_what_is_missing(
    client, project, coordinator
):
    enrolment = completed(project, pesel=ANNA_PESEL, gender="K")
    give_record(enrolment.trainee, home_postcode="", degurba="", homeless="")
    page = client.get(reverse("partner_monitoring:index"), {"project": project.pk})
    assert page.status_code == 200
    text = page.content.decode()
    assert enrolment.trainee.full_name in text
    for missing in (
        "Brak: Kod pocztowy.",
        "Brak: Obszar wg stopnia urbanizacji (DEGURBA).",
        "Brak: Wykształcenie.",
        "Brak: Telefon kontaktowy.",
        "Brak: Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań.",
    ):
        assert missing in text, missing
    fix = reverse("partner_monitoring:record", args=[enrolment.trainee.pk])
    assert f'href="{fix}?next=' in text

    assert "pobierz=xlsx" not in text  # nothing complete: no download button
    refused = client.get(
        reverse("partner_monitoring:index"), {"project": project.pk, "pobierz": "xlsx"}
    )
    assert refused["Content-Type"].startswith("text/html")
    assert "Nie wyeksportowano" in refused.content.decode()
    assert not ExportLog.objects.exists()


def test_a_person_without_a_record_misses_everything_they_answer(project):
    completed(project, pesel=ANNA_PESEL, gender="K", phone="600100200", education="3")
    with translation.override("pl"):
        [row] = monitoring_rows(project=project)
    messages = {p.message for p in row.problems}
    assert "Brak: Kod pocztowy." in messages
    assert "Brak: Status osoby na rynku pracy w chwili przystąpienia do projektu." in (
        messages
    )
    # Asked only of employed persons: no status given, so not listed.
    assert "Brak: Wykonywany zawód." not in messages
    assert "Brak: Telefon kontaktowy." not in messages


def test_applications_without_an_attended_session_are_not_participants(project):
    edition = past_edition(days=1, project=project)
    attended = confirmed_enrolment(edition=edition)
    absent = confirmed_enrolment(edition=edition)
    session = edition.sessions.get()
    attendance_mark(enrolment=attended, session=session, present=True, actor=None)
    attendance_mark(enrolment=absent, session=session, present=False, actor=None)
    rows = monitoring_rows(project=project)
    assert [row.enrolment for row in rows] == [attended]

    charts = {chart.key: chart for chart in indicators()}
    pool, total = charts["pools"].bars
    assert (pool.value, total.value) == (1, 1)
    assert sum(bar.value for bar in charts["gender"].bars) == 1


def test_a_pending_application_is_not_counted_on_the_dashboard(project):
    project.requires_approval = True
    project.save()
    edition = past_edition(days=1, project=project)
    enrolment_create(
        trainee=TraineeFactory(),
        edition=edition,
        at=edition.enrolment_opens + datetime.timedelta(minutes=1),
    )
    charts = {chart.key: chart for chart in indicators()}
    assert [bar.value for bar in charts["pools"].bars] == [0, 0]


def test_pesel_gender_and_birth_date_must_agree(project):
    enrolment = completed(
        project, pesel=ANNA_PESEL, gender="M", phone="600100200", education="3"
    )
    give_record(enrolment.trainee)
    with translation.override("pl"):
        [row] = monitoring_rows(project=project)
    assert [p.message for p in row.problems] == [
        "PESEL i płeć nie zgadzają się: sprawdź oba."
    ]
    give_record(enrolment.trainee, birth_date=datetime.date(1985, 3, 16))
    enrolment.trainee.gender = "K"
    enrolment.trainee.save()
    with translation.override("pl"):
        [row] = monitoring_rows(project=project)
    assert [p.message for p in row.problems] == [
        "PESEL i data urodzenia nie zgadzają się: sprawdź oba."
    ]


def test_without_pesel_the_age_comes_from_the_date_of_birth(project):
    enrolment = completed(project, gender="K", phone="600100200", education="3")
    give_record(enrolment.trainee, no_pesel=True, country="Polska")
    with translation.override("pl"):
        [row] = monitoring_rows(project=project)
    assert [p.message for p in row.problems] == [
        "Wiek w chwili przystąpienia do projektu: podaj prawidłowy PESEL albo, bez "
        "numeru PESEL, datę urodzenia."
    ]
    give_record(enrolment.trainee, no_pesel=True, birth_date=datetime.date(1990, 1, 1))
    [row] = monitoring_rows(project=project)
    assert row.problems == []
    start = row.values["project_start"]
    assert row.values["age"] == start.year - 1990
    assert row.values["pesel"] == ""


def test_sl2014_refuses_a_refusal_where_cst2021_accepts_it(project):
    enrolment = completed(
        project, pesel=ANNA_PESEL, gender="K", phone="600100200", education="3"
    )
    give_record(enrolment.trainee, homeless=Answer.REFUSED)
    [row] = monitoring_rows(project=project)
    assert len(row.problems) == 1
    assert "Osoba bezdomna" in row.problems[0].message

    project.monitoring_system = "cst2021"
    project.save()
    [row] = monitoring_rows(project=project)
    assert row.problems == []


def test_a_cst2021_project_exports_its_own_layout(project, coordinator):
    project.monitoring_system = "cst2021"
    project.save()
    enrolment = completed(
        project, pesel=ANNA_PESEL, gender="K", phone="600100200", education="5-8"
    )
    give_record(enrolment.trainee, citizenship="eu")
    content, _ = monitoring_export(
        user=coordinator, project=project, date_from=None, date_to=None
    )
    header, cells = list(openpyxl.load_workbook(io.BytesIO(content)).active.values)
    assert list(header) == [c.header for c in layout("cst2021").columns]
    record = dict(zip(header, cells, strict=True))
    assert record["Obywatelstwo"] == "Brak polskiego obywatelstwa – obywatel kraju UE"
    assert record["Osoba obcego pochodzenia"] == "Odmowa podania informacji"
    assert "Ulica" not in record


def test_the_period_chooses_participations_by_the_start_of_support(
    project, coordinator
):
    enrolment = completed(
        project, pesel=ANNA_PESEL, gender="K", phone="600100200", education="3"
    )
    give_record(enrolment.trainee)
    start = monitoring_rows(project=project)[0].values["support_start"]
    assert monitoring_rows(project=project, date_from=start, date_to=start)
    after = start + datetime.timedelta(days=1)
    assert monitoring_rows(project=project, date_from=after) == []
    content, log = monitoring_export(
        user=coordinator, project=project, date_from=after, date_to=None
    )
    assert log.row_count == 0
    assert log.filters["date_from"] == after.isoformat()


def test_every_column_of_both_layouts_is_filled_by_the_platform(project):
    """A column added to a data file that the platform does not fill fails here."""
    completed(project, pesel=ANNA_PESEL, gender="K")
    [row] = monitoring_rows(project=project)
    for system in ("sl2014", "cst2021"):
        chosen = layout(system)
        assert chosen.source and chosen.version
        assert len({c.key for c in chosen.columns}) == len(chosen.columns)
        missing = [c.key for c in chosen.columns if c.key not in row.values]
        assert missing == [], system
        for column in chosen.columns:
            words = chosen.dictionaries.get(column.dictionary)
            if words is not None and column.required:
                assert words, column.key


def test_the_export_leaves_out_incomplete_participations_and_logs_them(
    project, coordinator
):
    incomplete = completed(project)
    with pytest.raises(MonitoringError):
        monitoring_export(
            user=coordinator, project=project, date_from=None, date_to=None
        )
    assert not ExportLog.objects.exists()

    enrolment = completed(
        project, pesel=ANNA_PESEL, gender="K", phone="600100200", education="3"
    )
    give_record(enrolment.trainee)
    content, log = monitoring_export(
        user=coordinator, project=project, date_from=None, date_to=None
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.values)
    assert [row[4] for row in rows[1:]] == [enrolment.trainee.last_name]
    assert incomplete.trainee.last_name not in {row[4] for row in rows}
    assert log.row_count == 1 and log.filters["left_out"] == 1


def test_only_coordinators_see_the_list_and_the_fix_pages(client, project):
    enrolment = completed(project)
    urls = [
        reverse("partner_monitoring:index") + f"?project={project.pk}",
        reverse("partner_monitoring:record", args=[enrolment.trainee.pk]),
        reverse("partner_monitoring:participation", args=[enrolment.pk]),
    ]
    for role in (roles.TRAINEE, roles.PARTNER, roles.TRAINER):
        client.force_login(UserFactory(role=role))
        for url in urls:
            assert client.get(url).status_code in (302, 403), (role, url)
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302


def test_a_coordinator_fixes_the_data_all_or_nothing(client, project, coordinator):
    enrolment = completed(project, pesel=ANNA_PESEL, gender="K")
    trainee = enrolment.trainee
    url = reverse("partner_monitoring:record", args=[trainee.pk])
    index = reverse("partner_monitoring:index") + f"?project={project.pk}"
    form = {
        "person-first_name": trainee.first_name,
        "person-last_name": trainee.last_name,
        "person-gender": "K",
        "person-education": "5-8",
        "person-phone": "600100200",
        "person-pesel": ANNA_PESEL,
        **{f"record-{k}": v for k, v in COMPLETE.items()},
        "record-home_voivodeship": Voivodeship.objects.get(name="śląskie").pk,
        "record-home_postcode": "40001",
    }
    page = client.post(f"{url}?next={index}", form)
    assert page.status_code == 200
    assert "Nic nie zapisano" in page.content.decode()
    trainee.refresh_from_db()
    assert trainee.phone == ""  # the valid half was not saved either
    assert not ParticipantRecord.objects.filter(trainee=trainee).exists()

    form["record-home_postcode"] = "40-001"
    done = client.post(f"{url}?next={index}", form)
    assert done.status_code == 302 and done["Location"] == index
    trainee.refresh_from_db()
    assert trainee.phone == "600100200"
    assert trainee.record.home_postcode == "40-001"

    participation = reverse("partner_monitoring:participation", args=[enrolment.pk])
    client.post(
        participation,
        {
            "participation-leaving_situation": "continues_employment",
            "participation-ended_as_planned": "yes",
        },
    )
    [row] = monitoring_rows(project=project)
    assert row.problems == []


def test_the_trainee_answers_once_on_their_own_page_with_a_refusal(client):
    from tests.factories import TraineeFactory

    trainee = TraineeFactory(pesel=ANNA_PESEL)
    client.force_login(trainee.user)
    profile = client.get(reverse("courses:profile")).content.decode()
    url = reverse("courses:participant_record")
    assert url in profile
    text = client.get(url).content.decode()
    assert "odmowa podania informacji" in text.lower()
    form = {
        **{f"record-{k}": v for k, v in COMPLETE.items()},
        "record-home_voivodeship": trainee.institution.voivodeship_id,
        "record-home_postcode": "4000",
    }
    bad = client.post(url, form)
    assert bad.status_code == 200
    assert "40-001" in bad.content.decode()  # the Polish error shows the format
    assert not ParticipantRecord.objects.filter(trainee=trainee).exists()
    form["record-home_postcode"] = "40-001"
    assert client.post(url, form).status_code == 302
    trainee.refresh_from_db()
    assert trainee.record.other_disadvantage == Answer.REFUSED
    assert trainee.record.labour_status == "employed"
    # Someone without a trainee profile is sent to make one first.
    other = UserFactory(role=roles.TRAINEE)
    client.force_login(other)
    assert client.get(url)["Location"].startswith(reverse("courses:profile"))


def test_unverified_layouts_say_so_on_the_page(client, project, coordinator):
    completed(project)
    page = client.get(reverse("partner_monitoring:index"), {"project": project.pk})
    assert escape(layout("sl2014").verification_note) in page.content.decode()


def test_the_demo_participant_exports_in_sl2014_and_one_is_listed_as_missing(
    demo_data,
):
    from courses.models import Project

    project = Project.objects.get(code="POWR.02.05")
    with translation.override("pl"):
        rows = {row.trainee.user.email: row for row in monitoring_rows(project=project)}
    zofia = rows["zofia.wroblewska@szkolenia.test"]
    assert zofia.problems == []
    assert zofia.values["pesel"] and zofia.values["age"] is not None
    grzegorz = rows["grzegorz.bak@szkolenia.test"]
    assert {p.message for p in grzegorz.problems} == {
        "Brak: Telefon kontaktowy.",
        "Brak: Obszar wg stopnia urbanizacji (DEGURBA).",
    }
    coordinator = UserFactory(role=roles.COORDINATOR)
    content, log = monitoring_export(
        user=coordinator, project=project, date_from=None, date_to=None
    )
    sheet = list(openpyxl.load_workbook(io.BytesIO(content)).active.values)
    assert "Wróblewska" in {row[4] for row in sheet[1:]}
    assert log.filters["left_out"] == 1

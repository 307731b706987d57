"""Access and portability (a ZIP), erasure with archival retention, the retention command."""

import datetime
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from courses.models import (
    AccessAction,
    AccessEvent,
    ConsentPurpose,
    ConsentRecord,
    Enrolment,
    EnrolmentStatus,
    ErasureRequest,
    TraineeProfile,
)
from courses.reporting import indicators
from courses.services import enrolment_attach_declaration, enrolment_create
from courses.services.access import access_record
from courses.services.attendance import attendance_mark, enrolment_complete
from courses.services.privacy import consent_text_publish, consents_record
from courses.storage import private_storage
from tests.factories import EditionFactory, ProjectFactory, TraineeFactory
from tests.states import _sessions, completed_enrolment, confirmed_enrolment

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PESEL = "44051401359"


@pytest.fixture
def past_project():
    """A project that ended, with its archival date still to come."""
    return ProjectFactory(
        name="Liderzy Kooperacji",
        code="POWR.02.05-LK",
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
        retention_until=datetime.date(2030, 12, 31),
    )


@pytest.fixture
def participant(past_project):
    edition = EditionFactory(
        project=past_project,
        start_date=datetime.date(2025, 3, 2),
        end_date=datetime.date(2025, 3, 3),
    )
    enrolment = confirmed_enrolment(
        edition=edition, first_name="Halina", last_name="Zielińska", pesel=PESEL
    )
    enrolment_attach_declaration(
        enrolment=enrolment,
        file=SimpleUploadedFile("skan.pdf", PDF, content_type="application/pdf"),
        actor=enrolment.trainee.user,
    )
    for session in _sessions(edition):
        attendance_mark(enrolment=enrolment, session=session, present=True, actor=None)
    enrolment = enrolment_complete(enrolment=enrolment, actor=None)
    assert enrolment.status == EnrolmentStatus.COMPLETED
    trainee = enrolment.trainee
    trainee.phone = "600 100 200"
    trainee.save()
    return trainee


def test_a_trainee_downloads_everything_as_json_pdf_and_their_files(
    client, participant
):
    purpose = ConsentPurpose.objects.create(code="wizerunek", name="Wizerunek")
    text = consent_text_publish(purpose=purpose, text="Zgoda na wizerunek", actor=None)
    consents_record(user=participant.user, decisions={text.pk: True}, how="account")
    access_record(
        actor=None, action="view", what="Karta w panelu", trainees=[participant]
    )
    client.force_login(participant.user)
    response = client.get(reverse("courses:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"dane.json", "dane.pdf"} <= names
    data = json.loads(archive.read("dane.json"))
    assert data["trainee"]["last_name"] == "Zielińska"
    assert data["trainee"]["pesel"] == PESEL
    assert data["enrolments"][0]["project"] == "Liderzy Kooperacji"
    assert data["enrolments"][0]["attendance"]
    assert data["consents"][0]["given"] is True
    assert data["access_log"][0]["what"] == "Karta w panelu"
    scans = [n for n in names if n.startswith("pliki/oswiadczenie-")]
    assert len(scans) == 1 and archive.read(scans[0]) == PDF
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(archive.read("dane.pdf"))).pages
    )
    assert "Zielińska" in text and PESEL in text


def test_nobody_downloads_someone_elses_copy(client, participant):
    other = TraineeFactory()
    client.force_login(other.user)
    data = json.loads(
        zipfile.ZipFile(
            io.BytesIO(client.get(reverse("courses:my_data_download")).content)
        ).read("dane.json")
    )
    assert "Zielińska" not in json.dumps(data, ensure_ascii=False)
    client.logout()
    response = client.get(reverse("courses:my_data_download"))
    assert response.status_code == 302 and "/konto/login/" in response.url


def test_erasure_keeps_the_project_records_and_says_until_when_and_why(
    client, participant
):
    upcoming = enrolment_create(trainee=participant, edition=EditionFactory())
    purpose = ConsentPurpose.objects.create(code="newsletter", name="Newsletter")
    text = consent_text_publish(purpose=purpose, text="Newsletter", actor=None)
    consents_record(user=participant.user, decisions={text.pk: True}, how="account")
    client.force_login(participant.user)
    page = client.get(reverse("courses:erasure")).content.decode()
    assert "31 grudnia 2030" in page and "Liderzy Kooperacji" in page
    refused = client.post(reverse("courses:erasure"), {})
    assert "Zaznacz pole" in refused.content.decode()
    assert not ErasureRequest.objects.exists()

    response = client.post(reverse("courses:erasure"), {"confirm": "1"}, follow=True)
    done = response.content.decode()
    assert "31 grudnia 2030" in done and "art. 17" in done
    participant.refresh_from_db()
    participant.user.refresh_from_db()
    # Kept: the participation record.
    assert (participant.last_name, participant.pesel) == ("Zielińska", PESEL)
    assert Enrolment.objects.get(
        trainee=participant, edition__project__code="POWR.02.05-LK"
    ).declaration
    # Gone at once: sign-in, phone, consents, the edition not started.
    assert not participant.user.is_active
    assert not participant.user.has_usable_password()
    assert participant.phone == ""
    assert not ConsentRecord.objects.filter(user=participant.user).exists()
    upcoming.refresh_from_db()
    assert upcoming.status == EnrolmentStatus.WITHDRAWN
    request = ErasureRequest.objects.get()
    assert request.kept_until == datetime.date(2030, 12, 31)
    assert request.completed_at is None
    assert AccessEvent.objects.filter(
        action=AccessAction.ERASURE, trainees=participant
    ).exists()
    # Signed out: the account page is no longer reachable.
    assert client.get(reverse("courses:my_data")).status_code == 302


def test_someone_with_nothing_to_keep_is_erased_at_once(client):
    trainee = TraineeFactory(first_name="Ewa", last_name="Krótka", pesel=PESEL)
    client.force_login(trainee.user)
    client.post(reverse("courses:erasure"), {"confirm": "1"})
    trainee.refresh_from_db()
    assert trainee.last_name == f"#{trainee.pk}" and trainee.pesel == ""
    assert trainee.pesel_hash == ""
    assert trainee.user.email.endswith("@anonim.invalid")
    assert ErasureRequest.objects.get().completed_at is not None
    assert AccessEvent.objects.filter(action=AccessAction.ANONYMISATION).exists()


def test_the_retention_command_dry_runs_first_then_anonymises_keeping_indicators(
    participant, past_project
):
    active = completed_enrolment(
        edition=EditionFactory(
            project=past_project,
            start_date=datetime.date(2025, 5, 5),
            end_date=datetime.date(2025, 5, 6),
        ),
        last_name="Aktywna",
    ).trainee
    # She still uses the platform after the archival date: she stays.
    user = active.user
    user.last_login = datetime.datetime(2031, 2, 1, tzinfo=datetime.UTC)
    user.save()
    before = [(c.key, [(b.label, b.value) for b in c.bars]) for c in indicators()]
    declaration = Enrolment.objects.get(trainee=participant).declaration.name
    assert private_storage().exists(declaration)

    out = io.StringIO()
    call_command("privacy_retention", "--dry-run", "--today", "2031-01-15", stdout=out)
    assert "People who would be anonymised: 1" in out.getvalue()
    participant.refresh_from_db()
    assert participant.last_name == "Zielińska"
    assert private_storage().exists(declaration)

    out = io.StringIO()
    call_command("privacy_retention", "--today", "2031-01-15", stdout=out)
    assert "People who were anonymised: 1" in out.getvalue()
    participant.refresh_from_db()
    assert participant.last_name == f"#{participant.pk}" and participant.pesel == ""
    assert not private_storage().exists(declaration)
    active.refresh_from_db()
    assert active.last_name == "Aktywna"
    after = [(c.key, [(b.label, b.value) for b in c.bars]) for c in indicators()]
    assert after == before
    assert AccessEvent.objects.filter(
        action=AccessAction.ANONYMISATION, trainees=participant
    ).exists()
    assert TraineeProfile.objects.filter(last_name__startswith="#").count() == 1


def test_nothing_happens_before_the_archival_date(participant):
    out = io.StringIO()
    call_command("privacy_retention", "--today", "2030-12-31", stdout=out)
    participant.refresh_from_db()
    assert participant.last_name == "Zielińska"
    assert "People who were anonymised: 0" in out.getvalue()


def test_a_bad_date_is_a_clear_error():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--today"):
        call_command("privacy_retention", "--today", "jutro")


def test_an_erasure_request_waits_for_the_date_then_completes(client, participant):
    participant.user.last_login = datetime.datetime(2031, 6, 1, tzinfo=datetime.UTC)
    participant.user.save()
    client.force_login(participant.user)
    client.post(reverse("courses:erasure"), {"confirm": "1"})
    call_command("privacy_retention", "--today", "2031-01-15", stdout=io.StringIO())
    participant.refresh_from_db()
    # Asked for erasure: goes after the date even though the account was used.
    assert participant.last_name == f"#{participant.pk}"
    assert ErasureRequest.objects.get().completed_at is not None
    assert not get_user_model().objects.get(pk=participant.user_id).is_active

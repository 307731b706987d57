"""The demo shows every journey: each demo account's page shows its state, and
loading the demo twice changes nothing."""

import io

import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from certificates.models import Certificate
from courses.demo import PARTNER
from courses.models import (
    Edition,
    Enrolment,
    EnrolmentStatus,
    GroupMessage,
    PartnerOrganisation,
)

pytestmark = pytest.mark.django_db

# The models whose rows the demo writes (and a second run must leave alone).
COUNTED = [
    "auth.User",
    "courses.Project",
    "courses.Edition",
    "courses.Session",
    "courses.Enrolment",
    "courses.EnrolmentEvent",
    "courses.TraineeProfile",
    "courses.Institution",
    "courses.Attendance",
    "courses.SessionSheet",
    "courses.GroupMessage",
    "certificates.Certificate",
    "wagtailcore.Page",
    "wagtaildocs.Document",
]


def _state():
    counts = {label: apps.get_model(label).objects.count() for label in COUNTED}
    statuses = sorted(
        Enrolment.objects.values_list("trainee__user__email", "edition__code", "status")
    )
    return counts, statuses


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    # As `make run` does: the certificate's PDF is stored once the load commits.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", verbosity=0)


def _login(client, email):
    client.force_login(get_user_model().objects.get(email=email))


def _my_trainings(client, email) -> str:
    _login(client, email)
    response = client.get(reverse("courses:my_enrolments"))
    assert response.status_code == 200
    return response.content.decode()


def _enrolment(email, code):
    return Enrolment.objects.get(trainee__user__email=email, edition__code=code)


def test_loading_the_demo_twice_changes_nothing(
    demo, django_capture_on_commit_callbacks
):
    before = _state()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", verbosity=0)
    assert _state() == before
    # The graduate's, and the first person's of each finished group of seed 004.
    assert before[0]["certificates.Certificate"] == 3


def test_each_demo_trainee_sees_her_state_on_my_trainings(demo, client):
    # Applied, the signed declaration is in: waiting for the coordinator.
    declared = _enrolment("zgloszenie@szkolenia.test", "ZOUS-BYT-01")
    assert declared.status == EnrolmentStatus.PENDING
    assert declared.edition.project.requires_approval
    assert declared.declaration
    page = _my_trainings(client, "zgloszenie@szkolenia.test")
    assert "ZOUS-BYT-01" in page
    assert "oczekuje na zatwierdzenie" in page
    assert reverse("courses:declaration_file", args=[declared.pk]) in page

    # A place held, the signed declaration still to send: the form and the upload.
    held = _enrolment("oswiadczenie@szkolenia.test", "ZOUS-BYT-01")
    assert held.status == EnrolmentStatus.PENDING
    assert not held.has_declaration
    page = _my_trainings(client, "oswiadczenie@szkolenia.test")
    assert reverse("courses:declaration_upload", args=[held.pk]) in page
    assert reverse("courses:application_pdf", args=[held.pk]) in page

    # The group is full: the fourth person waits, first in the line.
    waiting = _enrolment("rezerwa@szkolenia.test", "ZOUS-BYT-01")
    assert waiting.status == EnrolmentStatus.WAITLISTED
    page = _my_trainings(client, "rezerwa@szkolenia.test")
    assert "<strong>1</strong>" in page
    assert "liście rezerwowej" in page

    # Completed a month ago: the certificate is there to download, with her name.
    completed = _enrolment("absolwent@szkolenia.test", "ZOUS-SOS-00")
    assert completed.status == EnrolmentStatus.COMPLETED
    certificate = Certificate.objects.get(enrolment=completed, revoked_at=None)
    page = _my_trainings(client, "absolwent@szkolenia.test")
    url = reverse("certificates:download", args=[certificate.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Irena Kubiak" in text
    assert certificate.number in text


def test_coordinator_trainer_and_partner_have_real_work(demo, client):
    _login(client, "koordynator@szkolenia.test")
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    for expected in (
        "1 zarezerwowane miejsce wygasa w ciągu 48 godzin",
        "1 zgłoszenie czeka na zatwierdzenie",
        "Beata Pawlak · ZOUS-BYT-01",
        "czekają na podpisane oświadczenie",
        "Jan Sikora · ZOUS-BYT-01",
        "na listach rezerwowych",
        "nie ma minimalnej liczby uczestników",
        "podpisanych list obecności nie przesłano",
        "czekają na decyzję o ukończeniu",
        # ZOUS-SOS-00, seed 004's two finished groups and seed 002's completed
        # individual coaching.
        "4 grupy są gotowe do wydania zaświadczeń",
        "ZOUS-SOS-00",
    ):
        assert expected in page, expected

    # The trainer: a finished group, its contacts, a message sent to it.
    _login(client, "trener@szkolenia.test")
    groups = client.get(reverse("courses:my_groups")).content.decode()
    group = Edition.objects.get(code="ZOUS-KAT-00")
    assert "ZOUS-KAT-00" in groups
    page = client.get(
        reverse("courses:group_message", args=[group.pk])
    ).content.decode()
    assert "Materiały po szkoleniu" in page
    message = GroupMessage.objects.get(edition=group)
    assert len(message.recipients) == 6
    contacts = client.get(reverse("courses:group_contacts", args=[group.pk]))
    assert "Zofia" in contacts.content.decode()

    # The coordinator wrote to the waiting list.
    message = GroupMessage.objects.get(edition__code="ZOUS-BYT-01")
    assert message.audience == "waiting_list"
    assert message.recipients == ["rezerwa@szkolenia.test"]

    # The partner's clerk exports the rows of the project in śląskie.
    _login(client, "partner@szkolenia.test")
    response = client.post(
        reverse("courses:partner_export"),
        {
            "organisation": PartnerOrganisation.objects.get(name=PARTNER).pk,
            "kind": "enrolments",
            "format": "xlsx",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row > 1


def test_the_import_templates_import_one_after_another(demo, client):
    """Downloaded from the import screen, the three blank files import as they are:
    the example person ends up enrolled in the first group open now with seats left. Downloaded in
    English, the same files are read again: everything is already there."""
    _login(client, "koordynator@szkolenia.test")
    url = reverse("partner_import:index")
    for language, expected in (("pl", "new"), ("en", "unchanged")):
        client.cookies["django_language"] = language
        page = client.get(url).content.decode()
        for kind in ("institutions", "trainees", "enrolments"):
            assert f'href="?wzor={kind}"' in page
            response = client.get(url, {"wzor": kind})
            assert response.status_code == 200
            assert "wzor-importu-" in response["Content-Disposition"]
            upload = io.BytesIO(response.content)
            upload.name = f"{kind}.xlsx"
            preview = client.post(url, {"kind": kind, "file": upload})
            assert preview.status_code == 200
            result = preview.context["result"]
            assert not result.errors, (language, kind, result.errors)
            assert [row.action for row in result.rows] == [
                expected if kind != "enrolments" or language == "en" else "confirmed"
            ], (language, kind)
            done = client.post(
                url, {"kind": kind, "stored": preview.context["stored"], "confirm": "1"}
            )
            assert done.status_code == 302
    enrolment = Enrolment.objects.get(trainee__user__email="jan.przykladowy@example.pl")
    assert enrolment.status == EnrolmentStatus.CONFIRMED
    assert enrolment.edition.code == "ZOUS-KAT-01"  # ZOUS-BYT-01 starts first, full

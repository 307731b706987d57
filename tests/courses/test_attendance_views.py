"""Who reaches the attendance pages, what they show, and what the forms change."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from courses import roles
from courses.attendance_pdf import render_attendance_list_pdf
from courses.models import (
    Attendance,
    CompletionRule,
    Edition,
    EnrolmentStatus,
    SessionSheet,
)
from courses.services.attendance import session_attach_sheet
from tests.courses.test_attendance_service import PDF, enrol, mark, past_edition
from tests.factories import InstitutionFactory, TrainerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def trainer(name="dr Anna Wójcik"):
    user = UserFactory(role=roles.TRAINER)
    TrainerProfileFactory(user=user, name=name)
    return user


@pytest.fixture
def world():
    edition = past_edition(days=3)
    own = trainer()
    edition.trainers.add(own.trainer_profile)
    first = enrol(
        edition,
        first_name="Łucja",
        last_name="Żmuda-Ślęzak",
        institution=InstitutionFactory(name="Ośrodek Pomocy Społecznej w Łańcucie"),
    )
    second = enrol(edition, first_name="Grzegorz", last_name="Bąk")
    return {
        "edition": edition,
        "session": edition.sessions.first(),
        "enrolment": first,
        "other_enrolment": second,
        "trainer": own,
        "other_trainer": trainer("Marek Zieliński"),
        "coordinator": UserFactory(role=roles.COORDINATOR),
        "trainee": first.trainee.user,
    }


def urls(world):
    edition, session = world["edition"], world["session"]
    session_attach_sheet(
        session=session,
        file=SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
        actor=None,
    )
    return [
        reverse("courses:group", args=[edition.pk]),
        reverse("courses:group_completion", args=[edition.pk]),
        reverse("courses:group_completion_confirm", args=[edition.pk]),
        reverse("courses:group_contacts", args=[edition.pk]),
        reverse("courses:group_message", args=[edition.pk]),
        reverse("courses:session_attendance", args=[session.pk]),
        reverse("courses:session_pdf", args=[session.pk]),
        reverse("courses:session_sheet", args=[session.pk]),
        reverse("courses:session_sheet_file", args=[session.pk]),
    ]


@pytest.mark.parametrize("who", ["trainer", "coordinator"])
def test_trainer_of_the_edition_and_coordinator_open_every_page(client, world, who):
    client.force_login(world[who])
    for url in [reverse("courses:my_groups"), *urls(world)]:
        assert client.get(url).status_code == 200, url


def test_another_trainer_gets_404_for_someone_elses_group(client, world):
    client.force_login(world["other_trainer"])
    assert client.get(reverse("courses:my_groups")).status_code == 200
    for url in urls(world):
        assert client.get(url).status_code == 404, url


def test_trainee_is_refused_everywhere(client, world):
    client.force_login(world["trainee"])
    for url in [reverse("courses:my_groups"), *urls(world)]:
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_log_in(client, world):
    for url in [reverse("courses:my_groups"), *urls(world)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login"))


def test_my_groups_lists_only_the_trainers_own_editions(client, world):
    mine = world["edition"]
    other = past_edition(days=1)
    other.trainers.add(world["other_trainer"].trainer_profile)
    client.force_login(world["trainer"])
    page = client.get(reverse("courses:my_groups")).content.decode()
    assert mine.code in page and other.code not in page
    assert "2 uczestników" in page
    client.force_login(world["coordinator"])
    page = client.get(reverse("courses:my_groups")).content.decode()
    assert mine.code in page and other.code in page


@pytest.mark.parametrize(
    ("who", "shown"),
    [("trainer", True), ("coordinator", True), ("trainee", False)],
)
def test_header_links_my_groups_for_trainers_and_coordinators(
    client, world, who, shown
):
    client.force_login(world[who])
    page = client.get(reverse("courses:my_enrolments")).content.decode()
    assert (reverse("courses:my_groups") in page) is shown


def test_attendance_page_lists_the_trainees_with_toggles(client, world):
    client.force_login(world["trainer"])
    page = client.get(
        reverse("courses:session_attendance", args=[world["session"].pk])
    ).content.decode()
    assert "Żmuda-Ślęzak Łucja" in page and "Bąk Grzegorz" in page
    assert page.count('data-state="unmarked"') == 2
    assert 'role="status"' in page


def test_fetch_post_saves_and_answers_json(client, world):
    client.force_login(world["trainer"])
    url = reverse("courses:session_attendance", args=[world["session"].pk])
    response = client.post(
        url,
        {"enrolment": world["enrolment"].pk, "present": "1"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["present"] is True
    assert body["message"] == "Zapisano obecność: Łucja Żmuda-Ślęzak."
    assert body["counts"] == {"present": 1, "marked": 1, "total": 2}
    row = Attendance.objects.get(enrolment=world["enrolment"], session=world["session"])
    assert row.present and row.marked_by == world["trainer"]


def test_plain_form_post_saves_and_returns_to_the_list(client, world):
    client.force_login(world["coordinator"])
    url = reverse("courses:session_attendance", args=[world["session"].pk])
    response = client.post(url, {"enrolment": world["enrolment"].pk, "present": "0"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}#trainee-{world['enrolment'].pk}"
    assert not Attendance.objects.get(enrolment=world["enrolment"]).present
    page = client.get(url).content.decode()
    assert "Zapisano nieobecność: Łucja Żmuda-Ślęzak." in page


def test_a_refused_mark_answers_409_with_the_reason(client, world):
    mark(world["enrolment"], 3)
    client.force_login(world["trainer"])
    client.post(
        reverse("courses:group_completion_confirm", args=[world["edition"].pk]),
        {"enrolment": world["enrolment"].pk},
    )
    response = client.post(
        reverse("courses:session_attendance", args=[world["session"].pk]),
        {"enrolment": world["enrolment"].pk, "present": "0"},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 409
    assert "tylko przy potwierdzonym zapisie" in json.loads(response.content)["error"]
    assert Attendance.objects.get(
        enrolment=world["enrolment"], session=world["session"]
    ).present


@pytest.mark.parametrize(("who", "status"), [("other_trainer", 404), ("trainee", 403)])
def test_others_cannot_mark(client, world, who, status):
    client.force_login(world[who])
    response = client.post(
        reverse("courses:session_attendance", args=[world["session"].pk]),
        {"enrolment": world["enrolment"].pk, "present": "1"},
    )
    assert response.status_code == status
    assert not Attendance.objects.exists()


def test_enrolment_from_another_group_is_404(client, world):
    stranger = enrol(past_edition(days=1))
    client.force_login(world["trainer"])
    response = client.post(
        reverse("courses:session_attendance", args=[world["session"].pk]),
        {"enrolment": stranger.pk, "present": "1"},
    )
    assert response.status_code == 404


def test_completion_page_shows_percent_and_rule(client, world):
    mark(world["enrolment"], 3)
    mark(world["other_enrolment"], 1)
    client.force_login(world["trainer"])
    page = client.get(
        reverse("courses:group_completion", args=[world["edition"].pk])
    ).content.decode()
    assert "Frekwencja <strong>100 %</strong> (3 z 3 zajęć)" in page
    assert "Frekwencja <strong>33 %</strong> (1 z 3 zajęć)" in page
    assert "Warunek ukończenia jest spełniony." in page
    assert "jest niższa od wymaganych 80 %" in page
    assert "Potwierdź wszystkich (2 osoby)" in page


def test_confirming_one_trainee_completes_them(client, world):
    mark(world["enrolment"], 3)
    client.force_login(world["trainer"])
    response = client.post(
        reverse("courses:group_completion_confirm", args=[world["edition"].pk]),
        {"enrolment": world["enrolment"].pk},
        follow=True,
    )
    assert "Łucja Żmuda-Ślęzak: ukończone" in response.content.decode()
    world["enrolment"].refresh_from_db()
    world["other_enrolment"].refresh_from_db()
    assert world["enrolment"].status == EnrolmentStatus.COMPLETED
    assert world["other_enrolment"].status == EnrolmentStatus.CONFIRMED


def test_confirming_all_decides_everyone(client, world):
    mark(world["enrolment"], 3)
    client.force_login(world["coordinator"])
    url = reverse("courses:group_completion_confirm", args=[world["edition"].pk])
    # The first POST only asks, naming who becomes what.
    question = client.post(url, {"all": "1"})
    body = question.content.decode()
    assert question.status_code == 200
    assert "Potwierdzić ukończenie dla wszystkich?" in body
    assert "Żmuda-Ślęzak Łucja" in body
    assert 'name="confirm" value="yes"' in body
    world["enrolment"].refresh_from_db()
    assert world["enrolment"].status == EnrolmentStatus.CONFIRMED
    client.post(url, {"all": "1", "confirm": "yes"})
    world["enrolment"].refresh_from_db()
    world["other_enrolment"].refresh_from_db()
    assert world["enrolment"].status == EnrolmentStatus.COMPLETED
    assert world["other_enrolment"].status == EnrolmentStatus.NOT_COMPLETED


@pytest.mark.parametrize(("who", "status"), [("other_trainer", 404), ("trainee", 403)])
def test_others_cannot_confirm_completion(client, world, who, status):
    client.force_login(world[who])
    response = client.post(
        reverse("courses:group_completion_confirm", args=[world["edition"].pk]),
        {"all": "1", "confirm": "yes"},
    )
    assert response.status_code == status
    world["enrolment"].refresh_from_db()
    assert world["enrolment"].status == EnrolmentStatus.CONFIRMED


def test_completion_confirm_by_get_only_asks(client, world):
    mark(world["enrolment"], 3)
    client.force_login(world["trainer"])
    url = reverse("courses:group_completion_confirm", args=[world["edition"].pk])
    response = client.get(url, {"all": "1", "confirm": "yes"})
    assert response.status_code == 200
    assert "Potwierdzić ukończenie dla wszystkich?" in response.content.decode()
    world["enrolment"].refresh_from_db()
    assert world["enrolment"].status == EnrolmentStatus.CONFIRMED


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    # Table cells wrap: compare with the line breaks folded into spaces.
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_attendance_list_pdf_carries_the_session_and_trainees(world):
    content = render_attendance_list_pdf(session=world["session"])
    reader = PdfReader(io.BytesIO(content))
    text = pdf_text(content)
    assert "LISTA OBECNOŚCI" in text.upper()
    assert "Łucja Żmuda-Ślęzak" in text
    assert "Grzegorz Bąk" in text
    # pypdf drops the space where a cell wraps, so compare without spaces there.
    assert "OśrodekPomocySpołecznejwŁańcucie" in text.replace(" ", "")
    assert world["edition"].code in text
    assert world["session"].date.strftime("%d.%m.%Y") in text
    assert "dr Anna Wójcik" in text
    assert "Podpis" in text
    assert "Europejskiego Funduszu Społecznego" in text
    assert reader.metadata.title.startswith("Lista obecności")
    assert reader.trailer["/Root"]["/Lang"] == "pl"
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_pdf_view_serves_it_inline(client, world):
    client.force_login(world["trainer"])
    response = client.get(reverse("courses:session_pdf", args=[world["session"].pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        f'inline; filename="lista-obecnosci-{world["edition"].code.lower()}'
    )
    assert "Łucja Żmuda-Ślęzak" in pdf_text(response.content)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_trainer_uploads_the_signed_scan_and_downloads_it(client, world, settings):
    client.force_login(world["trainer"])
    url = reverse("courses:session_sheet", args=[world["session"].pk])
    response = client.post(
        url, {"file": SimpleUploadedFile("skan.png", _png(), "image/png")}
    )
    assert response.status_code == 302
    sheet = SessionSheet.objects.get(session=world["session"])
    assert sheet.uploaded_by == world["trainer"]
    assert sheet.scan.name.endswith(".png")
    # Kept outside MEDIA_ROOT: only the checked view below hands it out.
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / sheet.scan.name).is_file()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.png"))
    download = client.get(
        reverse("courses:session_sheet_file", args=[world["session"].pk])
    )
    assert b"".join(download.streaming_content) == _png()
    assert download["Cache-Control"] == "private, no-store"
    page = client.get(reverse("courses:group", args=[world["edition"].pk]))
    assert "podpisana lista przesłana" in page.content.decode()


def test_upload_that_is_not_a_scan_is_refused_in_polish(client, world):
    client.force_login(world["trainer"])
    response = client.post(
        reverse("courses:session_sheet", args=[world["session"].pk]),
        {"file": SimpleUploadedFile("skan.pdf", b"MZ\x90\x00 nope", "application/pdf")},
    )
    assert response.status_code == 200
    assert "Wyślij plik PDF, JPEG lub PNG" in response.content.decode()
    assert not SessionSheet.objects.exists()


def test_sheet_file_is_404_before_any_upload(client, world):
    client.force_login(world["trainer"])
    url = reverse("courses:session_sheet_file", args=[world["session"].pk])
    assert client.get(url).status_code == 404


def test_demo_trainer_has_a_group_to_mark(client, demo_data):
    call_command("load_demo_data", verbosity=0)  # a second run changes nothing
    edition = Edition.objects.get(code="ZOUS-KAT-00")
    assert edition.enrolments.filter(status=EnrolmentStatus.CONFIRMED).count() == 6
    assert Attendance.objects.filter(session__edition=edition).count() == 12
    user = edition.trainers.get().user
    assert user.email == "trener@szkolenia.test"
    client.force_login(user)
    page = client.get(reverse("courses:my_groups")).content.decode()
    assert "ZOUS-KAT-00" in page and "6 uczestników" in page


def test_coordinator_sets_the_completion_rule_in_the_admin(client, world):
    edition = world["edition"]
    client.force_login(world["coordinator"])
    add = reverse("training_completion_rules:add")
    assert client.get(add).status_code == 200
    response = client.post(
        add, {"course": edition.course.pk, "min_attendance_percent": "60"}
    )
    assert response.status_code == 302
    assert (
        CompletionRule.objects.get(course=edition.course).min_attendance_percent == 60
    )
    both = client.post(
        add,
        {
            "course": edition.course.pk,
            "edition": edition.pk,
            "min_attendance_percent": "90",
        },
    )
    assert both.status_code == 200
    assert "Wybierz szkolenie albo grupę" in both.content.decode()
    assert not CompletionRule.objects.filter(edition=edition).exists()


def test_trainer_cannot_change_completion_rules(client, world):
    client.force_login(world["trainer"])
    response = client.get(reverse("training_completion_rules:add"))
    assert response.status_code in (302, 403)

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar
from PIL import Image
from pypdf import PdfReader
from weasyprint import HTML

from courses.crypto import decrypt_bytes
from courses.documents import render_application_pdf
from courses.errors import EnrolmentError
from courses.models import (
    CalendarFeed,
    DeliveryMode,
    EnrolmentStatus,
    InstitutionType,
    Session,
)
from courses.services import enrolment_attach_declaration, enrolment_create
from tests.factories import (
    CourseFactory,
    EditionFactory,
    InstitutionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture(autouse=True)
def private_files(settings):
    """Declarations go to this test's own folder, so 'no file left' can be checked."""
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def trainee():
    institution = InstitutionFactory(
        name="Miejski Ośrodek Pomocy Społecznej w Świętochłowicach",
        type=InstitutionType.MOPS,
        county="Świętochłowice",
        municipality="Świętochłowice",
        regon="276258486",
    )
    return TraineeFactory(
        first_name="Małgorzata",
        last_name="Żółkiewska",
        institution=institution,
        phone="+48 600 100 200",
        pesel="44051401359",
    )


@pytest.fixture
def edition():
    edition = EditionFactory(
        course=CourseFactory(title="Organizowanie społeczności lokalnej"),
        project__name="Doskonalenie zawodowe kluczowych pracowników systemu pomocy społecznej",
        project__programme="Program Operacyjny Wiedza Edukacja Rozwój 2014-2020",
        project__priority_axis="II",
        project__measure="2.5",
        city="Katowice",
        venue="Sala konferencyjna ROPS",
    )
    day = edition.start_date
    Session.objects.create(
        edition=edition,
        date=day,
        start_time=datetime.time(9),
        end_time=datetime.time(15, 30),
    )
    Session.objects.create(
        edition=edition,
        date=day + datetime.timedelta(days=1),
        start_time=datetime.time(8, 30),
        end_time=datetime.time(14),
        place="Sala 12, ul. Modelarska 10, Katowice",
        topic="Diagnoza społeczności",
    )
    return edition


@pytest.fixture
def enrolment(trainee, edition):
    return enrolment_create(trainee=trainee, edition=edition, actor=trainee.user)


@pytest.fixture
def pending(trainee, edition):
    edition.project.requires_approval = True
    edition.project.save()
    enrolment = enrolment_create(trainee=trainee, edition=edition)
    assert enrolment.status == EnrolmentStatus.PENDING
    return enrolment


@pytest.fixture
def coordinator():
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(
            codename="change_enrolment", content_type__app_label="courses"
        )
    )
    return user


def pdf_text(content: bytes) -> str:
    return "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(content)).pages
    )


def small_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


def small_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def small_pdf() -> bytes:
    return HTML(string="<p>Podpisane oświadczenie</p>").write_pdf()


# The application form


def test_application_pdf_carries_the_trainee_course_and_declaration(enrolment):
    content = render_application_pdf(enrolment=enrolment)

    reader = PdfReader(io.BytesIO(content))
    text = pdf_text(content)
    assert content.startswith(b"%PDF-")
    assert "Małgorzata" in text and "Żółkiewska" in text
    assert "Organizowanie społeczności lokalnej" in text
    assert "FORMULARZ ZGŁOSZENIOWY" in text.upper()
    assert "OŚWIADCZENIE UCZESTNIKA PROJEKTU" in text.upper()
    assert "Świętochłowicach" in text
    assert "44051401359" in text and "276258486" in text
    assert enrolment.edition.code in text
    assert "Europejskiego Funduszu Społecznego" in text
    assert "Żółkiewska" in reader.metadata.title
    assert reader.trailer["/Root"]["/Lang"] == "pl"


def test_application_pdf_is_a4(enrolment):
    page = PdfReader(io.BytesIO(render_application_pdf(enrolment=enrolment))).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert round(width / 72 * 25.4) == 210 and round(height / 72 * 25.4) == 297


def test_owner_downloads_the_application_pdf(client, enrolment):
    client.force_login(enrolment.trainee.user)
    response = client.get(reverse("courses:application_pdf", args=[enrolment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Żółkiewska" in pdf_text(response.content)


def test_other_trainee_gets_404_for_the_application_pdf(client, enrolment):
    client.force_login(TraineeFactory().user)
    response = client.get(reverse("courses:application_pdf", args=[enrolment.pk]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_log_in_for_the_application_pdf(client, enrolment):
    url = reverse("courses:application_pdf", args=[enrolment.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_coordinator_downloads_any_application_pdf(client, enrolment, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("courses:application_pdf", args=[enrolment.pk]))
    assert response.status_code == 200
    assert "Żółkiewska" in pdf_text(response.content)


# The signed declaration


@pytest.mark.parametrize(
    ("make", "suffix"), [(small_pdf, "pdf"), (small_png, "png"), (small_jpeg, "jpg")]
)
def test_owner_uploads_a_real_scan(client, pending, private_files, make, suffix):
    client.force_login(pending.trainee.user)
    # The name says nothing: the content decides what the file is.
    upload = SimpleUploadedFile("skan", make(), content_type="application/octet-stream")
    response = client.post(
        reverse("courses:declaration_upload", args=[pending.pk]), {"file": upload}
    )

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.declaration.name.endswith(f".{suffix}")
    assert pending.declaration_received_at is not None
    assert pending.has_declaration
    # Encrypted at rest: the file on disk is a token, the storage reads it back.
    stored = (private_files / pending.declaration.name).read_bytes()
    assert stored.startswith(b"gAAAAA") and make() not in stored
    assert decrypt_bytes(stored) == make()
    with pending.declaration.open("rb") as clear:
        assert clear.read() == make()
    assert pending.events.last().reason == "Przesłano podpisane oświadczenie."


def test_text_named_pdf_is_refused(client, pending, private_files):
    client.force_login(pending.trainee.user)
    fake = SimpleUploadedFile(
        "oswiadczenie.pdf", b"To nie jest PDF.", content_type="application/pdf"
    )
    response = client.post(
        reverse("courses:declaration_upload", args=[pending.pk]), {"file": fake}
    )

    assert response.status_code == 200
    assert "PDF, JPEG lub PNG" in response.content.decode()
    assert_nothing_stored(pending, private_files)


def test_file_over_5_mb_is_refused_with_the_limit(client, pending, private_files):
    client.force_login(pending.trainee.user)
    big = SimpleUploadedFile("skan.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))
    response = client.post(
        reverse("courses:declaration_upload", args=[pending.pk]), {"file": big}
    )

    assert response.status_code == 200
    assert "5 MB" in response.content.decode()
    assert_nothing_stored(pending, private_files)


def test_empty_file_is_refused(client, pending, private_files):
    client.force_login(pending.trainee.user)
    empty = SimpleUploadedFile("skan.pdf", b"", content_type="application/pdf")
    response = client.post(
        reverse("courses:declaration_upload", args=[pending.pk]), {"file": empty}
    )

    assert response.status_code == 200
    assert "field--invalid" in response.content.decode()
    assert_nothing_stored(pending, private_files)


def test_service_refuses_an_empty_file_on_its_own(pending, private_files):
    with pytest.raises(EnrolmentError) as error:
        enrolment_attach_declaration(
            enrolment=pending,
            file=SimpleUploadedFile("skan.pdf", b""),
            actor=pending.trainee.user,
        )
    assert error.value.code == "empty_file"
    assert_nothing_stored(pending, private_files)


def test_declaration_is_refused_for_a_waitlisted_enrolment(trainee, private_files):
    edition = EditionFactory(capacity=0)
    waiting = enrolment_create(trainee=trainee, edition=edition)
    assert waiting.status == EnrolmentStatus.WAITLISTED
    with pytest.raises(EnrolmentError) as error:
        enrolment_attach_declaration(
            enrolment=waiting,
            file=SimpleUploadedFile("skan.png", small_png()),
            actor=trainee.user,
        )
    assert error.value.code == "wrong_status"
    assert_nothing_stored(waiting, private_files)


def test_a_new_scan_replaces_the_old_one_while_pending(
    pending, private_files, django_capture_on_commit_callbacks
):
    first = enrolment_attach_declaration(
        enrolment=pending,
        file=SimpleUploadedFile("a.png", small_png()),
        actor=pending.trainee.user,
    )
    old_name = first.declaration.name
    with django_capture_on_commit_callbacks(execute=True):
        second = enrolment_attach_declaration(
            enrolment=pending,
            file=SimpleUploadedFile("b.pdf", small_pdf()),
            actor=pending.trainee.user,
        )
    assert second.declaration.name.endswith(".pdf")
    assert not (private_files / old_name).exists()
    assert (private_files / second.declaration.name).exists()


def test_only_the_owner_may_upload(client, pending):
    client.force_login(TraineeFactory().user)
    url = reverse("courses:declaration_upload", args=[pending.pk])
    assert client.get(url).status_code == 404
    upload = SimpleUploadedFile("skan.png", small_png())
    assert client.post(url, {"file": upload}).status_code == 404
    pending.refresh_from_db()
    assert not pending.declaration


def test_stored_scan_is_served_to_owner_and_coordinator_only(
    client, pending, coordinator
):
    enrolment_attach_declaration(
        enrolment=pending,
        file=SimpleUploadedFile("skan.png", small_png()),
        actor=pending.trainee.user,
    )
    url = reverse("courses:declaration_file", args=[pending.pk])

    assert client.get(url).status_code == 302
    client.force_login(TraineeFactory().user)
    assert client.get(url).status_code == 404
    for user in (pending.trainee.user, coordinator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == small_png()
        assert "attachment" in response["Content-Disposition"]


def test_confirmed_scan_cannot_be_replaced(enrolment):
    enrolment_attach_declaration(
        enrolment=enrolment,
        file=SimpleUploadedFile("a.png", small_png()),
        actor=enrolment.trainee.user,
    )
    with pytest.raises(EnrolmentError) as error:
        enrolment_attach_declaration(
            enrolment=enrolment,
            file=SimpleUploadedFile("b.png", small_png()),
            actor=enrolment.trainee.user,
        )
    assert error.value.code == "already_received"


def assert_nothing_stored(enrolment, folder):
    enrolment.refresh_from_db()
    assert not enrolment.declaration
    assert enrolment.declaration_received_at is None
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))
    assert not enrolment.events.exclude(
        to_status__in=["pending", "waitlisted"]
    ).exists()
    assert enrolment.events.count() == 1


# The calendar file


def test_calendar_has_one_event_per_session_in_warsaw_time(client, edition):
    response = client.get(reverse("courses:edition_ics", args=[edition.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert f'filename="{edition.code.lower()}.ics"' in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    sessions = list(edition.sessions.all())
    assert len(events) == len(sessions) == 2
    first, second = events
    day = edition.start_date
    assert first.decoded("dtstart") == datetime.datetime.combine(
        day, datetime.time(9), WARSAW
    )
    assert first.decoded("dtend") == datetime.datetime.combine(
        day, datetime.time(15, 30), WARSAW
    )
    assert str(first["summary"]) == "Organizowanie społeczności lokalnej"
    assert str(first["location"]) == "Sala konferencyjna ROPS, Katowice"
    assert str(second["location"]) == "Sala 12, ul. Modelarska 10, Katowice"
    assert edition.code in str(first["description"])
    assert str(first["uid"]) == f"session-{sessions[0].pk}@127.0.0.1"
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/Warsaw"


def test_calendar_uids_stay_the_same(client, edition):
    url = reverse("courses:edition_ics", args=[edition.pk])
    uids = [
        [
            str(e["uid"])
            for e in Calendar.from_ical(client.get(url).content).walk("VEVENT")
        ]
        for _ in range(2)
    ]
    assert uids[0] == uids[1]


def test_public_calendar_never_shows_the_online_meeting_link(client):
    """Anyone may download an edition's calendar: the meeting link is only in the
    enrolled person's private feed (and not in a waiting person's)."""
    link = "https://spotkania.example.pl/abc-tajne"
    project = ProjectFactory(requires_approval=False)
    QuotaFactory(project=project, size=50, regions=["śląskie"])
    edition = EditionFactory(
        project=project,
        delivery_mode=DeliveryMode.REMOTE,
        online_link=link,
        city="",
        venue="",
        capacity=1,
    )
    Session.objects.create(
        edition=edition,
        date=edition.start_date,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
    )
    public = client.get(reverse("courses:edition_ics", args=[edition.pk])).content
    assert link.encode() not in public
    assert b"spotkania.example.pl" not in public
    event = Calendar.from_ical(public).walk("VEVENT")[0]
    assert str(event["location"]) == "zdalnie"
    assert "url" not in event

    enrolled, waiting = TraineeFactory(), TraineeFactory()
    assert enrolment_create(trainee=enrolled, edition=edition).status == "confirmed"
    assert enrolment_create(trainee=waiting, edition=edition).status == "waitlisted"
    feeds = {}
    for trainee in (enrolled, waiting):
        client.force_login(trainee.user)
        client.post(reverse("courses:calendar_feed_manage"))
        token = CalendarFeed.objects.get(user=trainee.user).token
        client.logout()
        feeds[trainee] = client.get(reverse("courses:calendar_feed", args=[token]))
    private = Calendar.from_ical(feeds[enrolled].content).walk("VEVENT")
    assert [str(e["location"]) for e in private] == [link]
    assert [str(e["url"]) for e in private] == [link]
    assert link.encode() not in feeds[waiting].content


def test_unpublished_edition_has_no_calendar(client):
    edition = EditionFactory(is_published=False)
    response = client.get(reverse("courses:edition_ics", args=[edition.pk]))
    assert response.status_code == 404


# "Moje szkolenia"


def test_my_enrolments_links_to_the_documents(client, pending):
    client.force_login(pending.trainee.user)
    page = client.get(reverse("courses:my_enrolments")).content.decode()
    assert reverse("courses:application_pdf", args=[pending.pk]) in page
    assert reverse("courses:edition_ics", args=[pending.edition_id]) in page
    assert reverse("courses:declaration_upload", args=[pending.pk]) in page


def test_my_enrolments_shows_the_declaration_received(client, pending):
    enrolment_attach_declaration(
        enrolment=pending,
        file=SimpleUploadedFile("skan.png", small_png()),
        actor=pending.trainee.user,
    )
    client.force_login(pending.trainee.user)
    page = client.get(reverse("courses:my_enrolments")).content.decode()
    assert "Oświadczenie otrzymane" in page
    assert reverse("courses:declaration_file", args=[pending.pk]) in page


def test_private_files_live_outside_media_and_have_no_url(settings):
    from courses.storage import private_storage

    storage = private_storage()
    assert not str(storage.location).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        storage.url("declarations/1/1-1.pdf")

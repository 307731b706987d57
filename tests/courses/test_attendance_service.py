import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail import hooks

from courses.crypto import decrypt_bytes
from courses.errors import EnrolmentError
from courses.models import (
    Attendance,
    CompletionRule,
    EnrolmentStatus,
    Session,
    SessionSheet,
)
from courses.selectors import attendance_roster
from courses.services import enrolment_create, enrolment_withdraw
from courses.services.attendance import (
    COMPLETION_HOOK,
    attendance_mark,
    completion_compute,
    edition_complete,
    enrolment_complete,
    required_attendance,
    session_attach_sheet,
)
from courses.signals import enrolment_status_changed
from tests.factories import (
    EditionFactory,
    InstitutionFactory,
    TraineeFactory,
    TrainerProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def past_edition(*, days=5, **kwargs):
    """An edition that ran on the last `days` days, one session a day."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=days)
    now = timezone.now()
    edition = EditionFactory(
        start_date=start,
        end_date=today - datetime.timedelta(days=1),
        enrolment_opens=now - datetime.timedelta(days=days + 30),
        enrolment_closes=now - datetime.timedelta(days=days + 1),
        **kwargs,
    )
    for day in range(days):
        Session.objects.create(
            edition=edition,
            date=start + datetime.timedelta(days=day),
            start_time=datetime.time(9),
            end_time=datetime.time(15),
        )
    return edition


def enrol(edition, **trainee):
    trainee = TraineeFactory(**trainee)
    at = edition.enrolment_opens + datetime.timedelta(hours=1)
    return enrolment_create(trainee=trainee, edition=edition, at=at)


def mark(enrolment, present_count, actor=None):
    sessions = list(enrolment.edition.sessions.all())
    for index, session in enumerate(sessions):
        attendance_mark(
            enrolment=enrolment,
            session=session,
            present=index < present_count,
            actor=actor,
        )


@pytest.fixture
def edition():
    return past_edition()


@pytest.fixture
def trainer_user():
    user = UserFactory(role="Trener")
    TrainerProfileFactory(user=user)
    return user


@pytest.fixture
def enrolment(edition):
    return enrol(
        edition,
        first_name="Łucja",
        last_name="Żmuda-Ślęzak",
        institution=InstitutionFactory(name="Ośrodek Pomocy Społecznej w Łańcucie"),
    )


def test_marking_records_who_and_when(enrolment, trainer_user):
    session = enrolment.edition.sessions.first()
    row = attendance_mark(
        enrolment=enrolment, session=session, present=True, actor=trainer_user
    )
    assert row.present is True
    assert row.marked_by == trainer_user
    assert row.marked_at is not None


def test_marking_the_same_again_changes_nothing(enrolment, trainer_user):
    session = enrolment.edition.sessions.first()
    first = attendance_mark(
        enrolment=enrolment, session=session, present=True, actor=trainer_user
    )
    again = attendance_mark(
        enrolment=enrolment, session=session, present=True, actor=UserFactory()
    )
    assert again.pk == first.pk
    assert again.marked_at == first.marked_at
    assert again.marked_by == trainer_user
    assert Attendance.objects.filter(enrolment=enrolment).count() == 1


def test_marking_absent_after_present_updates_the_one_row(enrolment, trainer_user):
    session = enrolment.edition.sessions.first()
    attendance_mark(enrolment=enrolment, session=session, present=True, actor=None)
    attendance_mark(
        enrolment=enrolment, session=session, present=False, actor=trainer_user
    )
    row = Attendance.objects.get(enrolment=enrolment, session=session)
    assert row.present is False
    assert row.marked_by == trainer_user


def test_session_of_another_edition_is_refused(enrolment):
    other = past_edition(days=1).sessions.get()
    with pytest.raises(EnrolmentError) as error:
        attendance_mark(enrolment=enrolment, session=other, present=True, actor=None)
    assert error.value.code == "other_edition"
    assert "nie należy do grupy" in str(error.value)
    assert not Attendance.objects.exists()


def test_only_confirmed_enrolments_are_marked(enrolment):
    enrolment_withdraw(enrolment=enrolment, actor=None, by_coordinator=True)
    with pytest.raises(EnrolmentError) as error:
        attendance_mark(
            enrolment=enrolment,
            session=enrolment.edition.sessions.first(),
            present=True,
            actor=None,
        )
    assert error.value.code == "wrong_status"
    assert "tylko przy potwierdzonym zapisie" in str(error.value)


def test_default_rule_is_80_percent(edition):
    assert required_attendance(edition=edition) == 80


def test_four_of_five_sessions_pass(enrolment):
    mark(enrolment, 4)
    result = completion_compute(enrolment=enrolment)
    assert (result.attended, result.total, result.percent) == (4, 5, 80)
    assert result.passed and result.reasons == []


def test_three_of_five_sessions_fail_with_the_reason(enrolment):
    mark(enrolment, 3)
    result = completion_compute(enrolment=enrolment)
    assert not result.passed
    assert result.reasons == [
        "Frekwencja 60 % (3 z 5 zajęć) jest niższa od wymaganych 80 %."
    ]


def test_unmarked_sessions_count_as_absent(enrolment):
    session = enrolment.edition.sessions.first()
    attendance_mark(enrolment=enrolment, session=session, present=True, actor=None)
    result = completion_compute(enrolment=enrolment)
    assert (result.attended, result.unmarked) == (1, 4)
    assert not result.passed


def test_percent_is_rounded_down_and_the_rule_compared_exactly():
    edition = past_edition(days=6)
    enrolment = enrol(edition)
    CompletionRule.objects.create(edition=edition, min_attendance_percent=80)
    mark(enrolment, 4)  # 66.7 %
    result = completion_compute(enrolment=enrolment)
    assert result.percent == 66
    assert not result.attendance_met


def test_course_rule_applies_and_an_edition_rule_overrides_it(enrolment):
    edition = enrolment.edition
    mark(enrolment, 3)
    CompletionRule.objects.create(course=edition.course, min_attendance_percent=60)
    assert completion_compute(enrolment=enrolment).passed
    CompletionRule.objects.create(edition=edition, min_attendance_percent=100)
    assert required_attendance(edition=edition) == 100
    assert not completion_compute(enrolment=enrolment).passed
    # Another edition of the same course still follows the course's rule.
    assert required_attendance(edition=past_edition(course=edition.course)) == 60


def test_an_edition_without_sessions_cannot_be_passed():
    edition = past_edition(days=2)
    edition.sessions.all().delete()
    enrolment = enrol(edition)
    result = completion_compute(enrolment=enrolment)
    assert not result.passed
    assert result.reasons == ["Grupa nie ma żadnych zajęć."]


def test_a_plugged_in_condition_adds_its_reason(enrolment):
    mark(enrolment, 5)
    seen = []

    def final_test(*, enrolment):
        seen.append(enrolment.pk)
        return "Test końcowy niezaliczony."

    with hooks.register_temporarily(COMPLETION_HOOK, final_test):
        result = completion_compute(enrolment=enrolment)
    assert seen == [enrolment.pk]
    assert result.attendance_met and not result.passed
    assert result.reasons == ["Test końcowy niezaliczony."]
    assert completion_compute(enrolment=enrolment).passed


def test_a_condition_that_is_met_returns_none(enrolment):
    mark(enrolment, 5)
    with hooks.register_temporarily(COMPLETION_HOOK, lambda *, enrolment: None):
        assert completion_compute(enrolment=enrolment).passed


def test_completing_records_history_and_announces(
    enrolment, trainer_user, django_capture_on_commit_callbacks
):
    mark(enrolment, 4)
    heard = []

    def listener(sender, enrolment, previous, actor, **kwargs):
        heard.append((enrolment.pk, previous, enrolment.status, actor))

    enrolment_status_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            enrolment_complete(enrolment=enrolment, actor=trainer_user)
    finally:
        enrolment_status_changed.disconnect(listener)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    event = enrolment.events.last()
    assert (event.from_status, event.to_status) == ("confirmed", "completed")
    assert event.actor == trainer_user
    assert event.reason == "Frekwencja 80 % (4 z 5 zajęć)."
    assert heard == [
        (enrolment.pk, "confirmed", EnrolmentStatus.COMPLETED, trainer_user)
    ]


def test_failing_the_rule_makes_it_not_completed_with_the_reasons(
    enrolment, trainer_user
):
    mark(enrolment, 5)
    with hooks.register_temporarily(
        COMPLETION_HOOK, lambda *, enrolment: "Brak zaliczonego testu końcowego."
    ):
        enrolment_complete(enrolment=enrolment, actor=trainer_user)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.NOT_COMPLETED
    assert enrolment.events.last().reason == "Brak zaliczonego testu końcowego."


def test_completion_is_decided_once(enrolment):
    mark(enrolment, 5)
    enrolment_complete(enrolment=enrolment, actor=None)
    with pytest.raises(EnrolmentError) as error:
        enrolment_complete(enrolment=enrolment, actor=None)
    assert error.value.code == "wrong_status"
    with pytest.raises(EnrolmentError):
        attendance_mark(
            enrolment=enrolment,
            session=enrolment.edition.sessions.first(),
            present=False,
            actor=None,
        )


def test_completion_waits_for_the_last_session():
    edition = past_edition(days=2)
    Session.objects.create(
        edition=edition,
        date=timezone.localdate() + datetime.timedelta(days=1),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
    )
    enrolment = enrol(edition)
    with pytest.raises(EnrolmentError) as error:
        enrolment_complete(enrolment=enrolment, actor=None)
    assert error.value.code == "not_over"
    assert "po ostatnich zajęciach" in str(error.value)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CONFIRMED


def test_a_whole_edition_is_completed_at_once(edition, trainer_user):
    good = enrol(edition, last_name="Wiśniewska")
    poor = enrol(edition, last_name="Dąbrowski")
    mark(good, 5)
    mark(poor, 2)
    done = edition_complete(edition=edition, actor=trainer_user)
    assert {e.pk: e.status for e in done} == {
        good.pk: EnrolmentStatus.COMPLETED,
        poor.pk: EnrolmentStatus.NOT_COMPLETED,
    }
    good.refresh_from_db()
    poor.refresh_from_db()
    assert good.status == EnrolmentStatus.COMPLETED
    assert poor.status == EnrolmentStatus.NOT_COMPLETED
    # Running it again finds nobody left to decide.
    assert edition_complete(edition=edition, actor=trainer_user) == []
    assert good.events.filter(to_status=EnrolmentStatus.COMPLETED).count() == 1


@pytest.fixture
def private_files(settings):
    """The private root tests/conftest.py points at this test's own folder."""
    return Path(settings.PRIVATE_MEDIA_ROOT)


def test_signed_sheet_is_stored_privately(edition, trainer_user, private_files):
    session = edition.sessions.first()
    sheet = session_attach_sheet(
        session=session,
        file=SimpleUploadedFile("lista.pdf", PDF, "application/pdf"),
        actor=trainer_user,
    )
    assert sheet.uploaded_by == trainer_user
    assert sheet.scan.name == f"attendance/{edition.pk}/{session.pk}.pdf"
    # Encrypted at rest: the file on disk is a token, the storage reads it back.
    stored = (private_files / sheet.scan.name).read_bytes()
    assert stored.startswith(b"gAAAAA") and PDF not in stored
    assert decrypt_bytes(stored) == PDF
    with sheet.scan.open("rb") as clear:
        assert clear.read() == PDF


def test_a_new_sheet_replaces_the_old_file(
    edition, private_files, django_capture_on_commit_callbacks
):
    session = edition.sessions.first()
    first = session_attach_sheet(
        session=session,
        file=SimpleUploadedFile("a.pdf", PDF, "application/pdf"),
        actor=None,
    )
    old_name = first.scan.name
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    with django_capture_on_commit_callbacks(execute=True):
        second = session_attach_sheet(
            session=session,
            file=SimpleUploadedFile("b.png", png, "image/png"),
            actor=None,
        )
    assert SessionSheet.objects.filter(session=session).count() == 1
    assert second.scan.name.endswith(".png")
    assert not (private_files / old_name).exists()


def test_a_sheet_that_is_not_a_scan_is_refused(edition, private_files):
    with pytest.raises(EnrolmentError) as error:
        session_attach_sheet(
            session=edition.sessions.first(),
            file=SimpleUploadedFile("lista.pdf", b"<html>not a pdf</html>"),
            actor=None,
        )
    assert error.value.code == "wrong_file_type"
    assert "PDF, JPEG lub PNG" in str(error.value)
    assert not SessionSheet.objects.exists()
    assert not private_files.exists() or not any(private_files.rglob("*.*"))


def test_a_sheet_over_the_limit_is_refused(edition, private_files):
    big = PDF + b"\0" * (5 * 1024 * 1024)
    with pytest.raises(EnrolmentError) as error:
        session_attach_sheet(
            session=edition.sessions.first(),
            file=SimpleUploadedFile("lista.pdf", big, "application/pdf"),
            actor=None,
        )
    assert error.value.code == "file_too_large"
    assert "5 MB" in str(error.value)


def test_the_list_is_in_polish_alphabetical_order(edition):
    for last_name in ["Żak", "Zając", "Łata", "Lis", "Ćma", "Cichy"]:
        enrol(edition, last_name=last_name)
    roster = attendance_roster(session=edition.sessions.first())
    assert [e.trainee.last_name for e in roster] == [
        "Cichy",
        "Ćma",
        "Lis",
        "Łata",
        "Zając",
        "Żak",
    ]
    assert {e.present for e in roster} == {None}

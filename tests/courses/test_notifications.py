import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from courses.models import EnrolmentStatus
from courses.notifications import enrolment_email_event
from courses.services import (
    enrolment_approve,
    enrolment_create,
    enrolment_mark_declaration_received,
    enrolment_reject,
    enrolment_withdraw,
    enrolments_expire,
)
from tests.factories import CourseFactory, EditionFactory, TraineeFactory, UserFactory

pytestmark = pytest.mark.django_db
S = EnrolmentStatus
BASE = settings.WAGTAILADMIN_BASE_URL.rstrip("/")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what the services leave for after the commit, as a real request would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def edition():
    return EditionFactory(
        course=CourseFactory(title="Praca socjalna z rodziną"),
        capacity=1,
        project__contact_email="biuro@rops.example.pl",
    )


def parts(message) -> tuple[str, str]:
    (html, mime_type) = message.alternatives[0]
    assert mime_type == "text/html"
    return message.body, html


def the_one(outbox, to):
    mine = [m for m in outbox if m.to == [to]]
    assert len(mine) == 1, [m.subject for m in outbox]
    return mine[0]


def test_confirmed_enrolment_sends_one_polish_email(commit, mailoutbox, edition):
    trainee = TraineeFactory(first_name="Łucja")
    enrolment = commit(enrolment_create, trainee=trainee, edition=edition)

    assert enrolment.status == S.CONFIRMED
    message = the_one(mailoutbox, trainee.user.email)
    assert message.subject == "Miejsce potwierdzone: Praca socjalna z rodziną"
    text, html = parts(message)
    # Neutral: "Łucja" would have to be "Łucjo" (vocative) after a greeting.
    assert text.startswith("Dzień dobry,\n")
    assert "Łucja!" not in text
    assert "Twoje miejsce na poniższym szkoleniu jest potwierdzone" in text
    assert edition.code in text and edition.code in html
    assert f"{BASE}/edycje/{edition.pk}/kalendarz.ics" in html
    assert f"{BASE}/moje-szkolenia/" in text
    assert '<html lang="pl">' in html
    assert message.reply_to == ["biuro@rops.example.pl"]


def test_pending_enrolment_asks_for_the_declaration(commit, mailoutbox, edition):
    edition.project.requires_approval = True
    edition.project.save()
    trainee = TraineeFactory()
    enrolment = commit(enrolment_create, trainee=trainee, edition=edition)

    assert enrolment.status == S.PENDING
    message = the_one(mailoutbox, trainee.user.email)
    assert message.subject == "Zgłoszenie przyjęte: Praca socjalna z rodziną"
    text, html = parts(message)
    held = timezone.localtime(enrolment.hold_until)
    assert f"miejsce do {held.day} " in text and str(held.year) in text
    assert "prześlij nam podpisane oświadczenie" in text
    assert f"{BASE}/zgloszenia/{enrolment.pk}/oswiadczenie/" in html
    assert f"{BASE}/zgloszenia/{enrolment.pk}/formularz.pdf" in text


def test_waitlisted_enrolment_tells_the_position(commit, mailoutbox, edition):
    commit(enrolment_create, trainee=TraineeFactory(), edition=edition)
    second = TraineeFactory()
    enrolment = commit(enrolment_create, trainee=second, edition=edition)

    assert enrolment.status == S.WAITLISTED
    message = the_one(mailoutbox, second.user.email)
    assert message.subject == "Lista rezerwowa: Praca socjalna z rodziną"
    text, html = parts(message)
    assert "z numerem 1" in text
    assert "z numerem <strong>1</strong>" in html


def test_promotion_from_the_waitlist_is_announced(commit, mailoutbox, edition):
    first = commit(enrolment_create, trainee=TraineeFactory(), edition=edition)
    waiting = TraineeFactory()
    commit(enrolment_create, trainee=waiting, edition=edition)
    mailoutbox.clear()

    commit(enrolment_withdraw, enrolment=first, actor=first.trainee.user)

    message = the_one(mailoutbox, waiting.user.email)
    assert (
        message.subject == "Zwolniło się miejsce dla Ciebie: Praca socjalna z rodziną"
    )
    text, _ = parts(message)
    assert "Twoje miejsce jest potwierdzone." in text
    withdrawn = the_one(mailoutbox, first.trainee.user.email)
    assert withdrawn.subject.startswith("Wypisanie ze szkolenia")
    assert len(mailoutbox) == 2


def test_rejection_carries_the_reason(commit, mailoutbox, edition):
    edition.project.requires_approval = True
    edition.project.save()
    trainee = TraineeFactory()
    enrolment = commit(enrolment_create, trainee=trainee, edition=edition)
    mailoutbox.clear()

    commit(
        enrolment_reject,
        enrolment=enrolment,
        actor=UserFactory(),
        reason="Instytucja spoza grupy docelowej & województwa.",
    )

    message = the_one(mailoutbox, trainee.user.email)
    assert message.subject == "Zgłoszenie nieprzyjęte: Praca socjalna z rodziną"
    text, html = parts(message)
    assert "Instytucja spoza grupy docelowej & województwa." in text
    assert "Instytucja spoza grupy docelowej &amp; województwa." in html


def test_expiry_is_announced(commit, mailoutbox, edition):
    edition.project.requires_approval = True
    edition.project.save()
    trainee = TraineeFactory()
    commit(enrolment_create, trainee=trainee, edition=edition)
    mailoutbox.clear()

    later = timezone.now() + datetime.timedelta(days=60)
    assert commit(enrolments_expire, project=edition.project, now=later) == 1

    message = the_one(mailoutbox, trainee.user.email)
    assert message.subject == "Rezerwacja miejsca wygasła: Praca socjalna z rodziną"
    assert "nie dotarło do" in parts(message)[0]


def test_approval_of_a_pending_enrolment_confirms_by_email(commit, mailoutbox, edition):
    edition.project.requires_approval = True
    edition.project.save()
    trainee = TraineeFactory()
    enrolment = commit(enrolment_create, trainee=trainee, edition=edition)
    coordinator = UserFactory()
    commit(enrolment_mark_declaration_received, enrolment=enrolment, actor=coordinator)
    mailoutbox.clear()

    commit(enrolment_approve, enrolment=enrolment, actor=coordinator)

    message = the_one(mailoutbox, trainee.user.email)
    assert message.subject == "Miejsce potwierdzone: Praca socjalna z rodziną"


def test_declaration_received_sends_nothing(commit, mailoutbox, edition):
    edition.project.requires_approval = True
    edition.project.save()
    enrolment = commit(enrolment_create, trainee=TraineeFactory(), edition=edition)
    mailoutbox.clear()
    commit(enrolment_mark_declaration_received, enrolment=enrolment, actor=None)
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("previous", "status", "event"),
    [
        ("", S.CONFIRMED, "confirmed"),
        ("", S.PENDING, "received"),
        ("", S.WAITLISTED, "waitlisted"),
        (S.WAITLISTED, S.CONFIRMED, "promoted"),
        (S.WAITLISTED, S.PENDING, "promoted"),
        (S.PENDING, S.CONFIRMED, "confirmed"),
        (S.PENDING, S.REJECTED, "rejected"),
        (S.WAITLISTED, S.REJECTED, "rejected"),
        (S.PENDING, S.EXPIRED, "expired"),
        (S.CONFIRMED, S.WITHDRAWN, "withdrawn"),
        (S.CONFIRMED, S.COMPLETED, None),
        (S.PENDING, S.PENDING, None),
    ],
)
def test_each_change_maps_to_one_email(previous, status, event):
    assert enrolment_email_event(previous=previous, status=status) == event


def test_a_mail_server_down_leaves_the_enrolment_done(
    commit, mailoutbox, edition, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    trainee = TraineeFactory()
    enrolment = commit(enrolment_create, trainee=trainee, edition=edition)
    enrolment.refresh_from_db()
    assert enrolment.status == S.CONFIRMED
    assert mailoutbox == []


def test_emails_are_queued_as_tasks_in_production(
    commit, mailoutbox, edition, settings
):
    from django_tasks import task_backends

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    task_backends._settings = None  # re-read TASKS
    try:
        backend = task_backends["default"]
        commit(enrolment_create, trainee=TraineeFactory(), edition=edition)
        assert mailoutbox == []  # nothing rendered or sent in the request
        names = [r.task.name for r in backend.results]
        assert names.count("send_enrolment_email_task") == 1
    finally:
        task_backends._settings = None

"""The private calendar feed (revocable, an alarm the day before) and session reminders."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from courses.models import CalendarFeed, EnrolmentStatus, Session, SessionReminder
from courses.services import communication, enrolment_create, enrolment_withdraw
from courses.services.communication import session_reminders_send
from tests.factories import EditionFactory, ProjectFactory, QuotaFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def session(edition, days, hour=9):
    date = timezone.localdate() + datetime.timedelta(days=days)
    return Session.objects.create(
        edition=edition,
        date=date,
        start_time=datetime.time(hour, 0),
        end_time=datetime.time(hour + 6, 0),
        place="Sala 12",
    )


@pytest.fixture
def project():
    project = ProjectFactory(requires_approval=False)
    QuotaFactory(project=project, size=50, regions=["śląskie"])
    return project


def events(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def test_feed_lists_every_session_of_my_places_with_an_alarm_the_day_before(
    client, project
):
    mine = EditionFactory(project=project, code="MOJA")
    left = EditionFactory(project=project, code="ZREZYGNOWANA")
    others = EditionFactory(project=project, code="CUDZA")
    first, second = session(mine, 10), session(mine, 11)
    session(left, 12)
    session(others, 13)
    trainee = TraineeFactory()
    enrolment_create(trainee=trainee, edition=mine)
    withdrawn = enrolment_create(trainee=trainee, edition=left)
    enrolment_withdraw(enrolment=withdrawn, actor=None)
    enrolment_create(trainee=TraineeFactory(), edition=others)

    client.force_login(trainee.user)
    page = client.get(reverse("courses:my_enrolments")).content.decode()
    assert "Pobierz adres mojego kalendarza" in page
    response = client.post(reverse("courses:calendar_feed_manage"), follow=True)
    feed = CalendarFeed.objects.get(user=trainee.user)
    url = reverse("courses:calendar_feed", args=[feed.token])
    assert url in response.content.decode()
    assert "webcal://" in response.content.decode()

    client.logout()  # a calendar app has no session: the token is the key
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private, no-store"
    found = events(response.content)
    assert [str(e["uid"]).split("@")[0] for e in found] == [
        f"session-{first.pk}",
        f"session-{second.pk}",
    ]
    for event in found:
        alarms = event.walk("VALARM")
        assert len(alarms) == 1
        assert alarms[0]["trigger"].dt == datetime.timedelta(days=-1)
        assert str(alarms[0]["action"]) == "DISPLAY"
    assert found[0].decoded("dtstart").hour == 9


def test_a_new_address_revokes_the_old_and_switching_off_revokes_it(client, project):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    manage = reverse("courses:calendar_feed_manage")
    client.post(manage, {"action": "renew"})
    old = CalendarFeed.objects.get(user=trainee.user).token
    response = client.post(manage, {"action": "renew"}, follow=True)
    assert "stary już nie działa" in response.content.decode()
    new = CalendarFeed.objects.get(user=trainee.user).token
    assert new != old
    assert client.get(reverse("courses:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("courses:calendar_feed", args=[new])).status_code == 200
    client.post(manage, {"action": "revoke"})
    assert client.get(reverse("courses:calendar_feed", args=[new])).status_code == 404
    assert not CalendarFeed.objects.filter(user=trainee.user).exists()


def test_managing_the_feed_needs_a_login_and_a_post(client):
    manage = reverse("courses:calendar_feed_manage")
    assert client.post(manage).status_code == 302
    assert not CalendarFeed.objects.exists()
    client.force_login(TraineeFactory().user)
    assert client.get(manage).status_code == 405


def test_reminders_go_once_to_those_with_a_place_for_tomorrows_sessions(project):
    edition = EditionFactory(project=project, capacity=2, code="JUTRO-01")
    tomorrow = session(edition, 1)
    session(edition, 2)  # the day after: not yet
    confirmed = enrolment_create(trainee=TraineeFactory(), edition=edition)
    also = enrolment_create(trainee=TraineeFactory(), edition=edition)
    waiting = enrolment_create(trainee=TraineeFactory(), edition=edition)
    assert waiting.status == EnrolmentStatus.WAITLISTED
    mail.outbox.clear()

    assert session_reminders_send() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [confirmed.trainee.user.email, also.trainee.user.email]
    )
    message = mail.outbox[0]
    assert message.subject.startswith("Jutro, ")
    assert "Przypominamy: zajęcia odbędą się" in message.body
    assert "Sala 12" in message.body
    assert SessionReminder.objects.filter(session=tomorrow).count() == 2

    # Idempotent: again, nothing more.
    assert session_reminders_send() == 0
    assert len(mail.outbox) == 2


def test_a_failed_reminder_is_tried_again_next_time(project, monkeypatch):
    edition = EditionFactory(project=project)
    session(edition, 1)
    enrolment_create(trainee=TraineeFactory(), edition=edition)
    real = communication._send

    def broken(**kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(communication, "_send", broken)
    mail.outbox.clear()
    assert session_reminders_send() == 0
    assert not SessionReminder.objects.exists()
    monkeypatch.setattr(communication, "_send", real)
    assert session_reminders_send() == 1
    assert len(mail.outbox) == 1


def test_the_command_sends_the_reminders(project, capsys):
    from django.core.management import call_command

    edition = EditionFactory(project=project)
    session(edition, 1)
    enrolment_create(trainee=TraineeFactory(), edition=edition)
    mail.outbox.clear()
    call_command("send_session_reminders")
    assert "Reminders sent: 1" in capsys.readouterr().out
    call_command("send_session_reminders")
    assert "Reminders sent: 0" in capsys.readouterr().out
    assert len(mail.outbox) == 1

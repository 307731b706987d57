"""The e-mail to a person nominated to a working group: sent once, after the commit,
in Polish, naming who nominated them, the group, its meetings and the way in."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction

from courses.models import EnrolmentStatus, GroupKind
from courses.services.working_groups import GroupError, MeetingDay, group_meeting_book
from tests.courses.test_working_groups import (
    app,
    call,
    coordinator,
    make_group,
    nominate,
)
from tests.factories import TraineeFactory, UserFactory

__all__ = ["call", "coordinator"]  # the fixtures, used by name
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("enrolment_invariants")]


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the callbacks of the enclosed commits, as a real transaction would."""

    def run(work):
        with django_capture_on_commit_callbacks(execute=True):
            return work()

    return run


def test_the_county_nominates_and_the_person_gets_one_polish_email(call, commit):
    group = make_group(call)
    county = app(call, "Powiat nowosolski")
    mail.outbox.clear()

    nomination = commit(lambda: nominate(group, county.representative))

    assert nomination.enrolment.status == EnrolmentStatus.CONFIRMED
    # The nomination's e-mail only: not the trainings' "your place is confirmed".
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["czlonek1@powiat-nowosolski.pl"]
    assert message.subject == f"Zgłoszenie do grupy roboczej „{group.name}”"
    body = message.body
    assert f"{county.institution} (Powiat nowosolski) zgłasza Cię" in body
    assert f"„{call.project.name}”" in body
    assert "około 7 członków, spotkania 2-dniowe" in body
    assert "Koordynator poda terminy spotkań." in body
    # A new account: the way in is to set a password, by an absolute link.
    assert "Konto na platformie czeka na adres czlonek1@powiat-nowosolski.pl" in body
    assert re.search(r"https?://\S+/konto/password/reset/", body)
    assert f"/edycje/{group.edition_id}/kalendarz.ics" in body
    assert message.reply_to == [county.representative.email]
    html = message.alternatives[0][0]
    assert '<html lang="pl">' in html and "Ustaw hasło" in html


def test_the_coordinator_nominates_someone_with_an_account(call, coordinator, commit):
    group = make_group(call, kind=GroupKind.REGIONAL_REFLECTIVE, authority=None)
    existing = TraineeFactory(user=UserFactory(email="jan.kowal@sad.gov.pl"))
    mail.outbox.clear()

    commit(lambda: nominate(group, coordinator, email=existing.user.email))

    (message,) = mail.outbox
    assert message.to == ["jan.kowal@sad.gov.pl"]
    assert "Koordynator projektu zgłasza Cię" in message.body
    assert "spotkania 1-dniowe" in message.body
    assert "Zaloguj się, aby zobaczyć spotkania grupy" in message.body
    assert "Ustaw hasło" not in message.body


def test_the_meetings_booked_are_listed_with_the_fee(call, coordinator, commit):
    group = make_group(call)
    start = datetime.date.today() + datetime.timedelta(days=14)
    group_meeting_book(
        group=group,
        days=[
            MeetingDay(start, datetime.time(15), datetime.time(19)),
            MeetingDay(
                start + datetime.timedelta(days=1), datetime.time(9), datetime.time(15)
            ),
        ],
        place="Starostwo Powiatowe w Nowej Soli",
        outside_working_hours=True,
        fee_per_member=Decimal("150.00"),
        actor=coordinator,
    )
    mail.outbox.clear()

    commit(lambda: nominate(group, coordinator))

    body = mail.outbox[0].body
    assert "Umówione spotkania:" in body
    assert "Spotkanie 1:" in body and "15:00–19:00" in body and "09:00–15:00" in body
    assert "Starostwo Powiatowe w Nowej Soli" in body
    assert "poza godzinami pracy, wynagrodzenie 150,00 zł za spotkanie" in body


def test_nothing_is_sent_for_a_nomination_refused_or_rolled_back(
    call, coordinator, commit
):
    group = make_group(call, target_size=1)
    commit(lambda: nominate(group, coordinator, n=1))
    mail.outbox.clear()

    with pytest.raises(GroupError):
        commit(lambda: nominate(group, coordinator, n=2))  # beyond the target size

    def rolled_back():
        with transaction.atomic():
            other = make_group(call, authority="Powiat nowosolski", name="Druga grupa")
            nominate(other, coordinator, n=3)
            transaction.set_rollback(True)

    commit(rolled_back)
    assert mail.outbox == []


def test_a_mail_server_down_leaves_the_nomination(call, coordinator, commit, settings):
    settings.EMAIL_BACKEND = "tests.courses.test_working_group_emails.BrokenBackend"
    group = make_group(call)

    nomination = commit(lambda: nominate(group, coordinator))

    assert nomination.enrolment.status == EnrolmentStatus.CONFIRMED


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")

# ruff: noqa: F811 (pytest fixtures imported from the erasure tests)
"""The person who asks for erasure is told by e-mail what went, what stays until when
and why, and is written to once more, the last time, when the rest is anonymised."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from courses.models import ErasureRequest

# The erasure tests' participant (a project past, records kept until 2030).
from tests.courses.test_privacy_erasure import participant, past_project  # noqa: F401
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def _erase(client, user, capture):
    client.force_login(user)
    with capture(execute=True):
        client.post(reverse("courses:erasure"), {"confirm": "1"})


def test_the_email_lists_what_went_and_what_is_kept_until_when_and_why(
    client,
    participant,
    django_capture_on_commit_callbacks,
):
    address = participant.user.email
    _erase(client, participant.user, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == [address]
    assert message.subject == (
        "Twoje żądanie usunięcia danych: co usunięto, a co przechowujemy"
    )
    text = message.body
    assert "Usuwane od razu" in text
    assert "- numer telefonu" in text and "- zgody" in text
    assert (
        "Liderzy Kooperacji (POWR.02.05-LK): przechowywane do 31 grudnia 2030" in text
    )
    assert "art. 17 ust. 3 lit. b RODO" in text
    # The address is kept with the records, and the e-mail says it goes with them.
    assert "ostatnią wiadomość" in text
    html = message.alternatives[0][0]
    assert "<strong>31 grudnia 2030</strong>" in html
    assert '<html lang="pl">' in html


def test_someone_with_nothing_to_keep_is_told_this_is_the_last_message(
    client, django_capture_on_commit_callbacks
):
    trainee = TraineeFactory(first_name="Ewa", last_name="Krótka")
    address = trainee.user.email
    _erase(client, trainee.user, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == [address]  # the address it had, not the anonymised one
    assert "nie musiało być przechowywane" in message.body
    assert "ostatnia wiadomość" in message.body
    assert "przechowywane do" not in message.body


def test_a_second_request_sends_nothing_more(
    client,
    participant,
    django_capture_on_commit_callbacks,
):
    _erase(client, participant.user, django_capture_on_commit_callbacks)
    from courses.services.erasure import erasure_request

    with django_capture_on_commit_callbacks(execute=True):
        erasure_request(user=participant.user)
    assert len(mail.outbox) == 1
    assert ErasureRequest.objects.count() == 1


def test_the_retention_command_writes_the_last_message_then_the_address_is_gone(
    client,
    participant,
    django_capture_on_commit_callbacks,
):
    address = participant.user.email
    _erase(client, participant.user, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    call_command(
        "privacy_retention", "--dry-run", "--today", "2031-01-15", stdout=io.StringIO()
    )
    assert mail.outbox == []  # a dry run tells nobody anything
    call_command("privacy_retention", "--today", "2031-01-15", stdout=io.StringIO())
    [message] = mail.outbox
    assert message.to == [address]
    assert message.subject == "Twoje dane zostały usunięte"
    assert "- Liderzy Kooperacji" in message.body
    participant.user.refresh_from_db()
    assert participant.user.email.endswith("@anonim.invalid")
    # Run again: nobody left to tell.
    call_command("privacy_retention", "--today", "2031-01-16", stdout=io.StringIO())
    assert len(mail.outbox) == 1


def test_people_anonymised_without_asking_get_no_mail(participant):
    participant.user.last_login = None
    participant.user.save()
    call_command("privacy_retention", "--today", "2031-01-15", stdout=io.StringIO())
    participant.refresh_from_db()
    assert participant.last_name == f"#{participant.pk}"
    assert mail.outbox == []

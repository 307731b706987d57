"""The trainer's contact list and message to the group; the coordinator's messages."""

import pytest
from django.core import mail
from django.urls import reverse

from courses import roles
from courses.models import EnrolmentStatus, GroupMessage, MessageAudience
from courses.services import edition_set_capacity, enrolment_create
from tests.courses.test_attendance_service import enrol
from tests.factories import (
    EditionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
    TrainerProfileFactory,
    UserFactory,
)
from tests.states import past_edition

pytestmark = pytest.mark.django_db


def trainer(name="dr Anna Wójcik"):
    user = UserFactory(role=roles.TRAINER, first_name="Anna", last_name="Wójcik")
    TrainerProfileFactory(user=user, name=name)
    return user


@pytest.fixture
def group():
    edition = past_edition(days=2)
    own = trainer()
    edition.trainers.add(own.trainer_profile)
    first = enrol(edition, first_name="Łucja", last_name="Żmuda", phone="600 100 200")
    second = enrol(edition, first_name="Grzegorz", last_name="Bąk")
    return {"edition": edition, "trainer": own, "enrolments": [first, second]}


def test_contacts_list_the_groups_people(client, group):
    client.force_login(group["trainer"])
    url = reverse("courses:group_contacts", args=[group["edition"].pk])
    body = client.get(url).content.decode()
    first, second = group["enrolments"]
    assert body.index("Bąk Grzegorz") < body.index("Żmuda Łucja")  # Polish order
    assert f'href="mailto:{first.trainee.user.email}"' in body
    assert 'href="tel:600100200"' in body
    assert reverse("courses:group_message", args=[group["edition"].pk]) in body


def test_a_message_reaches_each_person_separately_and_is_logged(client, group):
    client.force_login(group["trainer"])
    url = reverse("courses:group_message", args=[group["edition"].pk])
    mail.outbox.clear()
    response = client.post(
        url,
        {"subject": "Zmiana sali", "body": "Jutro spotykamy się w sali 12."},
        follow=True,
    )
    assert "Wiadomość wysłano do 2 osób." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        e.trainee.user.email for e in group["enrolments"]
    )
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    assert mail.outbox[0].subject == f"Zmiana sali ({group['edition'].code})"
    assert "Jutro spotykamy się w sali 12." in mail.outbox[0].body
    assert mail.outbox[0].reply_to == [group["trainer"].email]
    logged = GroupMessage.objects.get()
    assert logged.sender == group["trainer"]
    assert logged.audience == MessageAudience.GROUP
    assert len(logged.recipients) == 2
    assert "Zmiana sali" in response.content.decode()  # in the list of sent ones


def test_an_empty_message_is_refused_and_nothing_is_sent(client, group):
    client.force_login(group["trainer"])
    url = reverse("courses:group_message", args=[group["edition"].pk])
    mail.outbox.clear()
    response = client.post(url, {"subject": "  ", "body": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Wiadomość nie została wysłana." in body
    assert "To pole jest wymagane." in body
    assert mail.outbox == []
    assert not GroupMessage.objects.exists()


def test_another_trainer_cannot_message_or_see_the_group(client, group):
    client.force_login(trainer("Marek Zieliński"))
    edition = group["edition"]
    mail.outbox.clear()
    for name in ("group_contacts", "group_message"):
        assert (
            client.get(reverse(f"courses:{name}", args=[edition.pk])).status_code == 404
        )
    response = client.post(
        reverse("courses:group_message", args=[edition.pk]),
        {"subject": "x", "body": "y"},
    )
    assert response.status_code == 404
    assert mail.outbox == []


def test_coordinator_writes_to_the_waiting_list_from_the_admin(client):
    project = ProjectFactory(requires_approval=False)
    QuotaFactory(project=project, size=50, regions=["śląskie"])
    edition = EditionFactory(project=project, capacity=1, code="KAT-07")
    seated = enrolment_create(trainee=TraineeFactory(), edition=edition)
    waiting = enrolment_create(trainee=TraineeFactory(), edition=edition)
    assert waiting.status == EnrolmentStatus.WAITLISTED
    coordinator = UserFactory(role=roles.COORDINATOR)
    client.force_login(coordinator)
    url = reverse("training_editions:message", args=[edition.pk])
    page = client.get(url).content.decode()
    assert "W grupie: 1, na liście rezerwowej: 1." in page
    mail.outbox.clear()
    response = client.post(
        url,
        {
            "audience": MessageAudience.WAITING_LIST,
            "subject": "Dodatkowa grupa",
            "body": "Otwieramy drugą grupę w styczniu.",
        },
        follow=True,
    )
    assert [m.to for m in mail.outbox] == [[waiting.trainee.user.email]]
    logged = GroupMessage.objects.get()
    assert logged.recipients == [waiting.trainee.user.email]
    assert logged.sender == coordinator
    body = response.content.decode()
    assert "Wiadomość wysłano do 1 osoby." in body
    assert f'data-message="{logged.pk}"' in body
    assert seated.trainee.user.email not in [m.to[0] for m in mail.outbox]
    # An empty list says so and logs nothing.
    edition_set_capacity(edition=edition, capacity=5)  # the waiting trainee gets in
    response = client.post(
        url,
        {"audience": MessageAudience.WAITING_LIST, "subject": "x", "body": "y"},
    )
    assert "Nie ma do kogo wysłać: lista jest pusta." in response.content.decode()
    assert GroupMessage.objects.count() == 1


def test_only_coordinators_reach_the_admin_message(client):
    edition = EditionFactory()
    url = reverse("training_editions:message", args=[edition.pk])
    client.force_login(trainer())
    response = client.post(url, {"audience": "group", "subject": "x", "body": "y"})
    assert response.status_code in (302, 403)
    assert not GroupMessage.objects.exists()

"""The coordinator's admin home says what needs doing, counted in Polish."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import roles
from courses.models import Session
from courses.services import enrolment_create, enrolment_mark_declaration_received
from tests.factories import (
    EditionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
    UserFactory,
)
from tests.states import completed_enrolment, confirmed_enrolment, past_edition

pytestmark = pytest.mark.django_db


def todo(client) -> dict[str, str]:
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Do zrobienia" in body
    return body


def test_the_home_lists_each_kind_of_work_with_links(client):
    project = ProjectFactory(requires_approval=True)
    QuotaFactory(project=project, size=100, regions=["śląskie"])
    soon = EditionFactory(
        project=project,
        code="MALA-01",
        capacity=1,
        min_group_size=5,
        start_date=timezone.localdate() + datetime.timedelta(days=5),
    )
    waiting = [
        enrolment_create(trainee=TraineeFactory(), edition=soon) for _ in range(3)
    ]
    for extra in range(6):
        enrolment_create(
            trainee=TraineeFactory(),
            edition=EditionFactory(project=project, code=f"DUZA-{extra}"),
        )
    with_paper = waiting[0]
    enrolment_mark_declaration_received(enrolment=with_paper, actor=None)
    done = past_edition(days=2, project=project, code="STARA-01")
    confirmed_enrolment(edition=done)
    completed = past_edition(days=2, project=project, code="GOTOWA-01")
    completed_enrolment(edition=completed)

    client.force_login(UserFactory(role=roles.COORDINATOR))
    body = todo(client)
    # 1 + 6 pending, one with its declaration; 2 on the waiting list of MALA-01.
    assert "1 zgłoszenie czeka na zatwierdzenie" in body
    assert "6 zgłoszeń czeka na podpisane oświadczenie" in body
    assert "2 osoby na listach rezerwowych" in body
    assert "1 grupa zaczyna się w ciągu 14 dni" in body
    assert "1 z co najmniej 5" in body
    assert "4 podpisane listy obecności nie zostały przesłane" in body
    assert "zakończona grupa czeka na decyzję o ukończeniu" in body
    assert "STARA-01" in body
    assert "1 grupa jest gotowa do wydania zaświadczeń" in body
    assert "GOTOWA-01" in body
    assert reverse("training_enrolments:inspect", args=[with_paper.pk]) in body


def test_a_hold_about_to_expire_is_listed_first(client):
    project = ProjectFactory(requires_approval=True)
    QuotaFactory(project=project, size=10, regions=["śląskie"])
    edition = EditionFactory(project=project)
    enrolment = enrolment_create(trainee=TraineeFactory(), edition=edition)
    enrolment.hold_until = timezone.now() + datetime.timedelta(hours=5)
    enrolment.save(update_fields=["hold_until"])
    client.force_login(UserFactory(role=roles.COORDINATOR))
    body = todo(client)
    assert "1 zarezerwowane miejsce wygasa w ciągu 48 godzin" in body
    assert body.index("wygasa w ciągu 48 godzin") < body.index("czeka na podpisane")


def test_nothing_to_do_says_so(client):
    Session.objects.all().delete()
    client.force_login(UserFactory(role=roles.COORDINATOR))
    assert "Nic na Ciebie nie czeka" in todo(client)


def test_trainers_home_has_no_coordinator_todo(client):
    from tests.courses.test_group_messages import trainer

    client.force_login(trainer())
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Do zrobienia" not in body

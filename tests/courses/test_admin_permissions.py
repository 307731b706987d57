"""Who reaches the coordinator's enrolment screens in the Wagtail admin."""

import pytest
from django.urls import reverse

from courses import roles
from courses.models import EnrolmentStatus
from courses.services import enrolment_create, enrolment_mark_declaration_received
from tests.factories import EditionFactory, ProjectFactory, TraineeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment():
    project = ProjectFactory(requires_approval=True)
    return enrolment_create(
        trainee=TraineeFactory(), edition=EditionFactory(project=project)
    )


def _urls(enrolment):
    edition = enrolment.edition
    return [
        reverse("training_enrolments:index"),
        reverse("training_enrolments:inspect", args=[enrolment.pk]),
        reverse("training_enrolments:approve", args=[enrolment.pk]),
        reverse("training_enrolments:reject", args=[enrolment.pk]),
        reverse("training_enrolments:withdraw", args=[enrolment.pk]),
        reverse("training_enrolments:move", args=[enrolment.pk]),
        reverse("training_enrolments:declaration", args=[enrolment.pk]),
        reverse("training_fill:index"),
        reverse("training_projects:index"),
        reverse("training_quotas:index"),
        reverse("training_rules:index"),
        reverse("training_courses:index"),
        reverse("training_editions:index"),
        reverse("training_editions:edit", args=[edition.pk]),
        reverse("training_editions:capacity", args=[edition.pk]),
        reverse("training_sessions:index"),
        reverse("training_institutions:index"),
        reverse("training_trainees:index"),
        reverse("training_voivodeships:index"),
    ]


def test_coordinator_reaches_every_screen(client, enrolment):
    client.force_login(UserFactory(role=roles.COORDINATOR))
    for url in _urls(enrolment):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [roles.TRAINER, roles.PARTNER])
def test_trainers_and_partners_are_turned_away(client, enrolment, role):
    client.force_login(UserFactory(role=role))
    for url in _urls(enrolment):
        response = client.get(url)
        # Wagtail answers a missing permission with a redirect to the dashboard, and
        # one who may not enter the admin at all (a partner) with one to log in.
        assert response.status_code in (302, 403), url
        if response.status_code == 302 and role == roles.TRAINER:
            assert response.url == reverse("wagtailadmin_home"), url
        if response.status_code == 302 and role == roles.PARTNER:
            assert not response.url.startswith("/admin/"), url


def test_a_trainee_never_reaches_the_admin(client, enrolment):
    client.force_login(enrolment.trainee.user)
    response = client.get(reverse("training_enrolments:index"))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/admin/" not in response.url.split("?")[0]


def test_anonymous_visitors_are_sent_to_log_in(client, enrolment):
    for url in _urls(enrolment):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response.url, url


@pytest.mark.parametrize("role", [roles.TRAINER, roles.PARTNER])
def test_actions_of_others_change_nothing(client, enrolment, role):
    enrolment_mark_declaration_received(enrolment=enrolment, actor=None)
    events_before = enrolment.events.count()
    client.force_login(UserFactory(role=role))
    client.post(reverse("training_enrolments:approve", args=[enrolment.pk]))
    client.post(
        reverse("training_enrolments:reject", args=[enrolment.pk]),
        {"reason": "Brak miejsc"},
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.PENDING
    assert enrolment.events.count() == events_before


def test_a_get_request_changes_nothing(client, enrolment):
    enrolment_mark_declaration_received(enrolment=enrolment, actor=None)
    client.force_login(UserFactory(role=roles.COORDINATOR))
    for name in ("approve", "reject", "withdraw", "declaration"):
        client.get(reverse(f"training_enrolments:{name}", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.PENDING


def test_actions_need_the_csrf_token(enrolment):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    enrolment_mark_declaration_received(enrolment=enrolment, actor=None)
    client.force_login(UserFactory(role=roles.COORDINATOR))
    response = client.post(reverse("training_enrolments:approve", args=[enrolment.pk]))
    assert response.status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.PENDING


def test_the_training_menu_shows_only_to_coordinators(client):
    enrolments_url = reverse("training_enrolments:index")
    client.force_login(UserFactory(role=roles.COORDINATOR))
    assert enrolments_url in client.get(reverse("wagtailadmin_home")).content.decode()
    for role in (roles.TRAINER, roles.PARTNER):
        client.force_login(UserFactory(role=role))
        page = client.get(reverse("wagtailadmin_home")).content.decode()
        assert enrolments_url not in page
        assert reverse("training_projects:index") not in page


def test_coordinators_cannot_add_or_edit_enrolments_directly(client, enrolment):
    client.force_login(UserFactory(role=roles.COORDINATOR))
    page = client.get(reverse("training_enrolments:index")).content.decode()
    assert "/training/enrolments/new/" not in page
    assert "/training/enrolments/edit/" not in page
    assert client.get("/admin/training/enrolments/new/").status_code == 404

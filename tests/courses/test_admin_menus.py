"""The report and import screens show in the admin menu only to those allowed."""

import pytest
from django.urls import reverse

from courses import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SCREENS = ["training_fill:index", "partner_import:index", "partner_indicators:index"]


def _menu(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("wagtailadmin_home")).content.decode()


def test_coordinators_see_the_reports_and_the_import(client):
    menu = _menu(client, UserFactory(role=roles.COORDINATOR))
    for name in SCREENS:
        assert reverse(name) in menu


@pytest.mark.parametrize("role", [roles.TRAINER, roles.PARTNER])
def test_others_in_the_admin_do_not(client, role):
    menu = _menu(client, UserFactory(role=role))
    for name in SCREENS:
        assert reverse(name) not in menu
        assert client.get(reverse(name)).status_code in (302, 403)

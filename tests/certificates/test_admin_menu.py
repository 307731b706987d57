"""Bulk issuance shows in the admin menu only to those who may issue."""

import pytest
from django.urls import reverse

from courses import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_issuance_is_in_the_menu_of_those_who_may_issue(client, coordinator):
    issuance = reverse("certificate_issuance:index")
    client.force_login(coordinator)
    assert issuance in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(UserFactory(role=roles.TRAINER))
    assert issuance not in client.get(reverse("wagtailadmin_home")).content.decode()

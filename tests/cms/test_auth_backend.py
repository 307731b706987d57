"""The site's permission backend answers as Django's ModelBackend, in fewer compiled reads."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.auth_backends import PermissionsBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # no permission cache yet


def _people():
    own = Permission.objects.get(codename="view_attendance")
    grouped = Permission.objects.filter(codename__in=["change_edition", "add_page"])
    group = Group.objects.create(name="Grupa testowa")
    group.permissions.set(grouped)
    other = Group.objects.create(name="Inna grupa")
    other.permissions.set(Permission.objects.filter(codename="delete_edition"))
    both = UserFactory()
    both.user_permissions.add(own)
    both.groups.add(group)
    in_group = UserFactory()
    in_group.groups.add(group, other)
    inactive = UserFactory(is_active=False)
    inactive.user_permissions.add(own)
    superuser = UserFactory(is_superuser=True)
    return [both, in_group, UserFactory(), inactive, superuser]


def test_every_answer_is_djangos():
    ours, django = PermissionsBackend(), ModelBackend()
    people = _people()
    for person in people:
        for method in (
            "get_user_permissions",
            "get_group_permissions",
            "get_all_permissions",
        ):
            assert getattr(ours, method)(_fresh(person)) == getattr(django, method)(
                _fresh(person)
            ), (person, method)
        mine = _fresh(person)
        for perm in ("courses.view_attendance", "courses.change_edition", "x.y"):
            assert ours.has_perm(mine, perm) == ModelBackend().has_perm(
                _fresh(person), perm
            )
    both = people[0]
    assert "courses.view_attendance" in ours.get_all_permissions(_fresh(both))
    assert "courses.change_edition" in ours.get_all_permissions(_fresh(both))


def test_a_person_asked_many_times_costs_two_queries():
    person = _fresh(_people()[1])
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert person.has_perm("courses.change_edition")
            assert not person.has_perm("courses.view_attendance")
    assert len(queries) == 2  # their own permissions, their groups'

"""The menu's question (`seat_of`): what the rows say about one signed-in person,
answered in one query for them alone."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import PartnerOrganisation
from courses.roles import COORDINATOR
from courses.selectors import seat_of
from courses.services import enrolment_create
from tests.factories import EditionFactory, QuotaFactory, TraineeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _answers(user) -> tuple[bool, bool, bool, bool]:
    seat = seat_of(user=user)
    assert seat is not None
    return (
        seat.has_trainee_profile,
        seat.is_partner_staff,
        seat.is_coordinator,
        seat.has_enrolments,
    )


def test_an_anonymous_visitor_has_no_seat():
    assert seat_of(user=AnonymousUser()) is None


def test_each_answer_is_about_this_person_only():
    edition = EditionFactory(capacity=5)
    QuotaFactory(project=edition.project, size=10, regions=["śląskie"])
    enrolled, profile_only = TraineeFactory(), TraineeFactory()
    enrolment_create(trainee=enrolled, edition=edition)
    staff, coordinator, in_another_group = UserFactory(), UserFactory(), UserFactory()
    PartnerOrganisation.objects.create(name="Partner").staff.add(staff)
    Group.objects.get_or_create(name=COORDINATOR)[0].user_set.add(coordinator)
    Group.objects.get_or_create(name="Trener")[0].user_set.add(in_another_group)

    assert _answers(enrolled.user) == (True, False, False, True)
    assert _answers(profile_only.user) == (True, False, False, False)
    assert _answers(staff) == (False, True, False, False)
    assert _answers(coordinator) == (False, False, True, False)
    assert _answers(in_another_group) == (False, False, False, False)
    assert _answers(UserFactory(is_superuser=True)) == (False, False, True, False)


def test_one_query_answers_the_rows():
    trainee = TraineeFactory()
    trainee.user.get_all_permissions()  # cached on the user, as the menu reads them
    with CaptureQueriesContext(connection) as queries:
        seat_of(user=trainee.user)
    assert len(queries) == 1

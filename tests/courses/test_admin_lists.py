"""The coordinator's enrolment list and the quota and seats report."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import roles
from courses.admin_ui.selectors import enrolments_with_waitlist_position
from courses.models import Enrolment, EnrolmentStatus, InstitutionType, Voivodeship
from courses.selectors import waitlist_position
from courses.services import enrolment_create, enrolment_withdraw
from tests.factories import (
    EditionFactory,
    InstitutionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = EnrolmentStatus
LIST = "training_enrolments:index"


@pytest.fixture
def coordinator(client):
    client.force_login(UserFactory(role=roles.COORDINATOR))


def trainee(*, region="śląskie", type=InstitutionType.MOPS, last_name=None):
    institution = InstitutionFactory(
        voivodeship=Voivodeship.objects.get(name=region), type=type
    )
    extra = {"last_name": last_name} if last_name else {}
    return TraineeFactory(institution=institution, **extra)


def listed(client, **query) -> set[int]:
    response = client.get(reverse(LIST), query)
    assert response.status_code == 200
    return {e.pk for e in response.context["object_list"]}


def test_filters_narrow_the_list(client, coordinator):
    project, other_project = ProjectFactory(), ProjectFactory()
    edition = EditionFactory(project=project, capacity=1)
    other = EditionFactory(project=other_project)
    first = enrolment_create(trainee=trainee(), edition=edition)
    waiting = enrolment_create(
        trainee=trainee(region="opolskie", type=InstitutionType.OPS), edition=edition
    )
    elsewhere = enrolment_create(
        trainee=trainee(type=InstitutionType.DPS), edition=other
    )

    assert listed(client) == {first.pk, waiting.pk, elsewhere.pk}
    assert listed(client, project=project.pk) == {first.pk, waiting.pk}
    assert listed(client, course=other.course_id) == {elsewhere.pk}
    assert listed(client, edition=edition.pk) == {first.pk, waiting.pk}
    assert listed(client, status=S.WAITLISTED) == {waiting.pk}
    opolskie = Voivodeship.objects.get(name="opolskie")
    assert listed(client, voivodeship=opolskie.pk) == {waiting.pk}
    assert listed(client, institution_type=InstitutionType.DPS) == {elsewhere.pk}
    assert listed(client, project=project.pk, status=S.CONFIRMED) == {first.pk}


def test_the_list_shows_the_columns_and_the_waitlist_place(client, coordinator):
    edition = EditionFactory(capacity=1)
    enrolment_create(trainee=trainee(last_name="Abacka"), edition=edition)
    enrolment_create(trainee=trainee(last_name="Babacka"), edition=edition)
    enrolment_create(trainee=trainee(last_name="Cabacka"), edition=edition)
    response = client.get(reverse(LIST), {"status": S.WAITLISTED})
    page = response.content.decode()
    for heading in ("Uczestnik", "Instytucja", "Województwo", "Edycja", "Status"):
        assert heading in page
    assert "Lista rezerwowa" in page
    rows = {
        e.trainee.last_name: e.waitlist_position
        for e in response.context["object_list"]
    }
    assert rows == {"Babacka": 1, "Cabacka": 2}
    assert "na liście rezerwowej" in page


def test_waitlist_annotation_matches_the_selector():
    edition = EditionFactory(capacity=1)
    enrolments = [
        enrolment_create(trainee=TraineeFactory(), edition=edition) for _ in range(4)
    ]
    enrolment_withdraw(enrolment=enrolments[2], actor=None)
    annotated = enrolments_with_waitlist_position(enrolments=Enrolment.objects.all())
    for row in annotated:
        assert row.waitlist_position == waitlist_position(enrolment=row)


def test_the_list_takes_the_same_number_of_queries_for_more_rows(client, coordinator):
    edition = EditionFactory(capacity=1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(LIST)).status_code == 200
        return len(captured)

    for _ in range(2):
        enrolment_create(trainee=trainee(), edition=edition)
    few = queries()
    for _ in range(6):
        enrolment_create(trainee=trainee(), edition=EditionFactory(capacity=1))
    assert queries() == few


def test_the_report_shows_quota_and_seats_numbers(client, coordinator):
    project = ProjectFactory(name="Doskonalenie zawodowe")
    quota = QuotaFactory(
        project=project, size=3, name="Pula śląska", regions=["śląskie"]
    )
    edition = EditionFactory(project=project, capacity=1)
    enrolment_create(trainee=trainee(), edition=edition)
    enrolment_create(trainee=trainee(), edition=edition)
    page = client.get(reverse("training_fill:index")).content.decode()
    assert "Wypełnienie pul i grup" in page
    assert "Doskonalenie zawodowe" in page
    assert f'data-quota-fill="{quota.pk}">1 / 3<' in page
    assert f'data-edition-seats="{edition.pk}">1 / 1<' in page
    assert "33%" in page
    assert '<th scope="col">' in page
    assert "<caption>" in page

"""A quota's places and voivodeships change only through the quota services."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from courses import roles
from courses.errors import EnrolmentError
from courses.models import EnrolmentStatus, Quota, QuotaVoivodeship, Voivodeship
from courses.selectors import quota_fill
from courses.services import (
    enrolment_create,
    quota_save,
    quota_set_size,
)
from tests.factories import (
    EditionFactory,
    InstitutionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("enrolment_invariants")]
S = EnrolmentStatus


def trainee_in(region: str):
    return TraineeFactory(
        institution=InstitutionFactory(voivodeship=Voivodeship.objects.get(name=region))
    )


def regions(*names):
    return list(Voivodeship.objects.filter(name__in=names))


@pytest.fixture
def project():
    return ProjectFactory()


def _used(quota) -> int:
    return next(f.used for f in quota_fill(project=quota.project) if f.quota == quota)


def test_more_places_promote_the_waiting_list_in_order(project):
    quota = QuotaFactory(project=project, size=1, regions=["śląskie"])
    first, second = EditionFactory(project=project), EditionFactory(project=project)
    holder = enrolment_create(trainee=trainee_in("śląskie"), edition=first)
    early = enrolment_create(trainee=trainee_in("śląskie"), edition=second)
    late = enrolment_create(trainee=trainee_in("śląskie"), edition=first)
    assert (holder.status, early.status, late.status) == (
        S.CONFIRMED,
        S.WAITLISTED,
        S.WAITLISTED,
    )
    quota_set_size(quota=quota, size=2, actor=None)
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.status, late.status) == (S.CONFIRMED, S.WAITLISTED)
    assert early.events.last().reason == "Zwolniło się miejsce."
    quota.refresh_from_db()
    assert quota.size == 2


def test_places_cannot_drop_below_the_persons_holding_them(project):
    quota = QuotaFactory(project=project, size=5, regions=["śląskie"])
    editions = [EditionFactory(project=project) for _ in range(2)]
    people = [trainee_in("śląskie") for _ in range(2)]
    for person in people:
        for edition in editions:  # two seats each, one quota place each
            enrolment_create(trainee=person, edition=edition)
    assert _used(quota) == 2
    with pytest.raises(EnrolmentError) as refused:
        quota_set_size(quota=quota, size=1, actor=None)
    assert refused.value.code == "size_below_used"
    assert str(refused.value) == (
        "2 osoby mają już miejsca w tej puli: liczba miejsc nie może być mniejsza."
    )
    quota.refresh_from_db()
    assert quota.size == 5
    # Down to exactly the persons holding places is allowed.
    quota_set_size(quota=quota, size=2, actor=None)
    quota.refresh_from_db()
    assert quota.size == 2


def test_a_voivodeship_belongs_to_one_quota_of_a_project(project):
    QuotaFactory(project=project, name="Śląsk", regions=["śląskie"])
    with pytest.raises(EnrolmentError) as refused:
        quota_save(
            quota=Quota(project=project, name="Druga", size=5),
            voivodeships=regions("śląskie", "opolskie"),
        )
    assert refused.value.code == "voivodeship_in_other_quota"
    assert str(refused.value) == (
        "Województwo śląskie należy już do puli „Śląsk” tego projektu: województwo "
        "może należeć tylko do jednej puli projektu."
    )
    assert project.quotas.count() == 1
    # Another project may count the same voivodeship.
    other = quota_save(
        quota=Quota(project=ProjectFactory(), name="Inny projekt", size=5),
        voivodeships=regions("śląskie"),
    )
    assert list(other.voivodeships.values_list("name", flat=True)) == ["śląskie"]


def test_the_database_refuses_a_voivodeship_in_two_quotas_of_a_project(project):
    QuotaFactory(project=project, regions=["śląskie"])
    second = QuotaFactory(project=project, regions=["opolskie"])
    with pytest.raises(IntegrityError), transaction.atomic():
        QuotaVoivodeship.objects.create(
            quota=second,
            voivodeship=Voivodeship.objects.get(name="śląskie"),
            project=project,
        )


def test_saving_a_quota_sets_its_voivodeships_and_keeps_its_size(project):
    quota = QuotaFactory(project=project, size=4, regions=["śląskie"])
    quota.name = "Opolskie i małopolskie"
    quota.size = 400  # ignored: places change through quota_set_size
    quota_save(quota=quota, voivodeships=regions("opolskie", "małopolskie"))
    quota.refresh_from_db()
    assert (quota.name, quota.size) == ("Opolskie i małopolskie", 4)
    assert sorted(quota.voivodeships.values_list("name", flat=True)) == [
        "małopolskie",
        "opolskie",
    ]
    # A quota moved to another project takes its voivodeships along.
    elsewhere = ProjectFactory()
    quota.project = elsewhere
    quota_save(quota=quota, voivodeships=regions("opolskie"))
    assert list(
        QuotaVoivodeship.objects.filter(quota=quota).values_list("project", flat=True)
    ) == [elsewhere.pk]


# The coordinator's screens ------------------------------------------------------------


@pytest.fixture
def coordinator(client):
    user = UserFactory(role=roles.COORDINATOR)
    client.force_login(user)
    return user


def _form(project, name, size, *names):
    return {
        "project": project.pk,
        "name": name,
        "size": size,
        "voivodeships": [v.pk for v in regions(*names)],
    }


def test_admin_creates_a_quota_and_refuses_a_taken_voivodeship(
    client, coordinator, project
):
    response = client.post(
        reverse("training_quotas:add"), _form(project, "Śląsk", 10, "śląskie")
    )
    assert response.status_code == 302
    quota = project.quotas.get()
    assert list(quota.voivodeships.values_list("name", flat=True)) == ["śląskie"]
    response = client.post(
        reverse("training_quotas:add"),
        _form(project, "Druga", 5, "śląskie", "opolskie"),
    )
    assert response.status_code == 200
    assert "należy już do puli „Śląsk”" in response.content.decode()
    assert project.quotas.count() == 1


def test_admin_edit_keeps_the_places_and_refuses_a_taken_voivodeship(
    client, coordinator, project
):
    QuotaFactory(project=project, name="Śląsk", regions=["śląskie"])
    quota = QuotaFactory(project=project, name="Opole", size=3, regions=["opolskie"])
    edit = reverse("training_quotas:edit", args=[quota.pk])
    page = client.get(edit).content.decode()
    assert "Zmień liczbę miejsc" in page
    response = client.post(edit, _form(project, "Opole i Śląsk", 99, "opolskie"))
    assert response.status_code == 302
    quota.refresh_from_db()
    assert (quota.name, quota.size) == ("Opole i Śląsk", 3)
    response = client.post(edit, _form(project, "Opole", 3, "opolskie", "śląskie"))
    assert response.status_code == 200
    assert "należy już do puli „Śląsk”" in response.content.decode()
    assert list(quota.voivodeships.values_list("name", flat=True)) == ["opolskie"]


def test_admin_changes_the_places_through_the_service(client, coordinator, project):
    quota = QuotaFactory(project=project, size=1, regions=["śląskie"])
    edition = EditionFactory(project=project)
    enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    waiting = enrolment_create(trainee=trainee_in("śląskie"), edition=edition)
    size_url = reverse("training_quotas:size", args=[quota.pk])
    response = client.post(size_url, {"size": 0})
    assert response.status_code == 200
    assert "1 osoba ma już miejsce w tej puli" in response.content.decode()
    response = client.post(size_url, {"size": 2}, follow=True)
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED
    messages = [str(m) for m in response.context["messages"]]
    assert any("1 osoba z listy rezerwowej" in m for m in messages)

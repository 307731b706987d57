"""Seed 004: an institution that is a beneficiary of the project reads its materials as
such: all its staff, enrolled or not; nobody else on the strength of it."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from courses.models import AuthorisedInstitution
from courses.selectors import user_may_see_course_materials
from tests.cms.test_course_materials import SECRET, world  # noqa: F401 - fixture
from tests.factories import InstitutionFactory, TraineeFactory, UserFactory


@pytest.fixture
def authorised(world):  # noqa: F811
    institution = InstitutionFactory(name="Gminny Ośrodek Pomocy Społecznej w Bielsku")
    other = InstitutionFactory(name="Gminny Ośrodek Pomocy Społecznej w Brańsku")
    AuthorisedInstitution.objects.create(
        project=world["edition"].project, institution=institution
    )
    # Authorised too, but in a project that does not run this course.
    AuthorisedInstitution.objects.create(
        project=world["other_page"].course.editions.get().project, institution=other
    )
    return {
        "institution": institution,
        "staff": TraineeFactory(institution=institution).user,
        "other_staff": TraineeFactory(institution=other).user,
    }


def _read(client, world, user):  # noqa: F811
    if user is not None:
        client.force_login(user)
    lesson = client.get(world["locked_lesson"].url).content.decode()
    document = client.get(world["restricted_doc"].url)
    return SECRET in lesson, document.status_code


def test_staff_of_the_authorised_institution_read_without_enrolling(
    world,  # noqa: F811
    authorised,
    client,
):
    staff = authorised["staff"]
    assert not staff.trainee.enrolments.exists()
    assert user_may_see_course_materials(user=staff, course=world["course"])
    assert _read(client, world, staff) == (True, 200)


def test_staff_of_an_institution_authorised_elsewhere_do_not(
    world,  # noqa: F811
    authorised,
    client,
):
    other = authorised["other_staff"]
    assert not user_may_see_course_materials(user=other, course=world["course"])
    assert _read(client, world, other) == (False, 403)


def test_anonymous_visitors_do_not(world, authorised, client):  # noqa: F811
    lesson, status = _read(client, world, None)
    assert lesson is False and status == 302


def test_a_person_without_a_trainee_profile_does_not(
    world,  # noqa: F811
    authorised,
    client,
):
    assert _read(client, world, UserFactory()) == (False, 403)


def test_the_authorisation_ends_with_its_row(world, authorised, client):  # noqa: F811
    AuthorisedInstitution.objects.filter(institution=authorised["institution"]).delete()
    assert _read(client, world, authorised["staff"]) == (False, 403)


def test_with_domains_only_verified_addresses_in_them_count(
    world,  # noqa: F811
    authorised,
    client,
):
    AuthorisedInstitution.objects.filter(institution=authorised["institution"]).update(
        email_domains="gops-bielsk.example.pl bielsk.example.pl"
    )
    course = world["course"]
    # Names the institution on their profile, but writes from another domain.
    assert not user_may_see_course_materials(user=authorised["staff"], course=course)
    inside = TraineeFactory(
        institution=authorised["institution"],
        user=UserFactory(email="a.kowalska@GOPS-Bielsk.example.pl"),
    ).user
    assert user_may_see_course_materials(user=inside, course=course)
    assert _read(client, world, inside) == (True, 200)
    EmailAddress.objects.filter(user=inside).update(verified=False)
    assert not user_may_see_course_materials(user=inside, course=course)


def test_domains_are_validated_in_polish(world, authorised):  # noqa: F811
    row = AuthorisedInstitution.objects.get(institution=authorised["institution"])
    row.email_domains = "gops.example.pl jan@gops.example.pl"
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert error.value.message_dict["email_domains"] == [
        "jan@gops.example.pl nie jest domeną poczty e-mail (np. gops.example.pl)."
    ]

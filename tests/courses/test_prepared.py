"""Querysets compiled once (`courses.prepared`): the same objects as the ORM's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Edition, TraineeProfile
from courses.prepared import Prepared
from tests.factories import EditionFactory, TraineeFactory

pytestmark = pytest.mark.django_db

profile_of = Prepared(
    lambda user_id: TraineeProfile.objects.select_related("institution").filter(
        user_id=user_id
    )[:1],
    "user_id",
)
published_edition = Prepared(
    lambda pk: Edition.objects.select_related("project", "course").filter(
        pk=pk, is_published=True
    ),
    "pk",
)


def test_the_objects_and_their_related_objects_are_the_orms():
    trainee = TraineeFactory(pesel="44051401359")
    TraineeFactory()  # another, not returned
    expected = TraineeProfile.objects.select_related("institution").get(pk=trainee.pk)

    (found,) = profile_of(user_id=trainee.user_id)

    assert found.pk == trainee.pk
    assert found.pesel == "44051401359"  # decrypted by the field, as the ORM does
    fields = [f.attname for f in TraineeProfile._meta.concrete_fields]
    assert [getattr(found, f) for f in fields] == [getattr(expected, f) for f in fields]
    with CaptureQueriesContext(connection) as queries:
        assert found.institution == expected.institution
        assert found.institution.name == expected.institution.name
    assert len(queries) == 0  # select_related, not a lazy load


def test_each_call_runs_with_its_own_values_in_one_query():
    shown, hidden = EditionFactory(), EditionFactory(is_published=False)
    with CaptureQueriesContext(connection) as queries:
        found = published_edition(pk=shown.pk)
    assert len(queries) == 1
    assert [(e.pk, e.project.name, e.course.title) for e in found] == [
        (shown.pk, shown.project.name, shown.course.title)
    ]
    assert published_edition(pk=hidden.pk) == []
    assert published_edition(pk=hidden.pk + 1000) == []
    assert published_edition(pk=2**70) == []  # out of any column's range: no row


def test_a_value_that_would_change_the_text_is_refused():
    with pytest.raises(ValueError):
        published_edition(pk=None)
    with pytest.raises(ValueError):
        published_edition(pk=[1, 2])


def test_an_argument_that_is_not_one_parameter_is_refused():
    unused = Prepared(lambda pk: Edition.objects.filter(is_published=True), "pk")
    with pytest.raises(ValueError):
        unused(pk=1)

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


editions_of_course = Prepared(
    # The course in two places: the edition's own and its course's join.
    lambda course_id: Edition.objects.filter(
        course_id=course_id, course__pk=course_id
    ).values_list("pk", "is_published", "capacity"),
    "course_id",
)


def test_values_list_gives_the_orms_tuples_with_an_argument_in_two_places():
    edition = EditionFactory(capacity=7)
    EditionFactory()  # another course's
    expected = list(
        Edition.objects.filter(course_id=edition.course_id).values_list(
            "pk", "is_published", "capacity"
        )
    )

    found = editions_of_course(course_id=edition.course_id)

    assert found == expected == [(edition.pk, True, 7)]
    assert type(found[0][1]) is bool  # converted as the ORM does (SQLite's 0/1 too)
    assert editions_of_course(course_id=edition.course_id + 1000) == []


def test_a_queryset_of_other_rows_is_refused():
    values = Prepared(lambda pk: Edition.objects.filter(pk=pk).values("pk"), "pk")
    with pytest.raises(ValueError):
        values(pk=1)


def test_postgresql_prepares_each_statement_once_per_connection(
    postgres_only, settings
):
    settings.COURSES_PREPARED_STATEMENTS = True
    shown = EditionFactory()
    before = _prepared_statements()

    for _ in range(3):
        assert [e.pk for e in published_edition(pk=shown.pk)] == [shown.pk]

    query = published_edition._compiled["default"]
    prepared = _prepared_statements() - before
    assert [text for text in prepared if '"courses_edition"' in text] != []
    # The same text was prepared once, then run by name: one new statement, not three.
    assert len(prepared) == 1
    with CaptureQueriesContext(connection) as queries:
        published_edition(pk=shown.pk)
    assert queries[0]["sql"].startswith(query.sql[:40])  # Django's query log has it


def test_without_prepared_statements_nothing_is_prepared(postgres_only, settings):
    settings.COURSES_PREPARED_STATEMENTS = False
    shown = EditionFactory()
    before = _prepared_statements()
    for _ in range(3):
        assert [e.pk for e in published_edition(pk=shown.pk)] == [shown.pk]
    assert _prepared_statements() - before == set()


def _prepared_statements() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}

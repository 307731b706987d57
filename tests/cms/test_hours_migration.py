"""The teaching hours moved from the course page to the course, keeping the values."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Page

from cms.models import CoursePage
from courses.models import Course
from tests.factories import CourseFactory

# serialized_rollback brings back what the migrations created (voivodeships, roles).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("cms", "0009_trainer_collections_per_course")]
AFTER = [("cms", "0011_remove_coursepage_hours")]


@pytest.fixture(autouse=True)
def _latest_schema_after(transactional_db):
    """Leave the database fully migrated: later tests on this worker need every table."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _page(course: Course, slug: str) -> CoursePage:
    page = CoursePage(title=slug, slug=slug, summary="…", course=course)
    Page.get_first_root_node().add_child(instance=page)
    return page


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_a_page_s_hours_fill_its_course_and_the_course_s_own_hours_stay():
    without_hours = CourseFactory(hours=0)
    with_hours = CourseFactory(hours=16)
    first = _page(without_hours, "bez-godzin")
    second = _page(with_hours, "z-godzinami")
    old = _migrate(BEFORE).get_model("cms", "CoursePage")
    old.objects.filter(pk=first.pk).update(hours=24)
    old.objects.filter(pk=second.pk).update(hours=12)

    _migrate(AFTER)

    assert Course.objects.get(pk=without_hours.pk).hours == 24
    assert Course.objects.get(pk=with_hours.pk).hours == 16

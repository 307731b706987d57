"""What the site supplies to courses through its hooks: a course's page and programme."""

import pytest
from django.urls import reverse

from cms.models import CoursePage
from courses.selectors import course_public_url, course_topics

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(demo_data):
    return CoursePage.objects.get(slug="zarzadzanie-i-organizacja-uslug-spolecznych")


def test_the_edition_page_links_the_live_course_page(client, page):
    edition = page.course.editions.filter(is_published=True).first()
    url = reverse("courses:edition", args=[edition.pk])
    assert f'<a href="{page.url}">{page.course.title}</a>' in client.get(url).text
    page.unpublish()
    assert course_public_url(course=page.course) is None
    assert f'href="{page.url}"' not in client.get(url).text


def test_the_course_topics_are_the_programme_of_its_page(page):
    topics = course_topics(course=page.course)
    programme = [block.value for block in page.programme]
    assert [topic.title for topic in topics] == [value["title"] for value in programme]
    assert [topic.hours for topic in topics] == [value["hours"] for value in programme]
    page.unpublish()
    assert course_topics(course=page.course) == []

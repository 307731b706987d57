"""Reads of the site: search that never shows restricted content to those not entitled."""

import re
from dataclasses import dataclass

from wagtail.models import Page

from .models import CoursePage, LessonPage

MAX_RESULTS = 50
# Letters and digits only: quotes, stars, brackets and minus signs are query syntax to
# SQLite's FTS5 and PostgreSQL's tsquery, and a visitor's query is never syntax.
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SearchHit:
    page: Page
    locked: bool  # True: show the title and teaser only


def live_course_page(*, course) -> CoursePage | None:
    """The live page that offers this course, the oldest when there are several."""
    return CoursePage.objects.live().filter(course=course).order_by("pk").first()


def lessons_locked_for(*, user) -> list[int]:
    """Ids of the live restricted lessons the user may not read."""
    open_courses = {
        course_page.pk
        for course_page in CoursePage.objects.live()
        if course_page.materials_open_to(user)
    }
    return [
        lesson.pk
        for lesson in LessonPage.objects.live().filter(restricted=True)
        if lesson.get_parent().pk not in open_courses
    ]


def pages_search(*, query: str, user) -> list[SearchHit]:
    """Published pages matching the query; locked lessons match on title and teaser only."""
    words = [word.lower() for word in WORD.findall(query)]
    if not words:
        return []
    query = " ".join(words)
    locked = lessons_locked_for(user=user)
    readable = Page.objects.live().public().exclude(pk__in=locked).filter(depth__gt=1)
    found = [page.pk for page in readable.search(query)[:MAX_RESULTS]]
    pages = Page.objects.filter(pk__in=found).specific().in_bulk()
    hits = [SearchHit(page=pages[pk], locked=False) for pk in found]
    # Locked lessons are matched on what anyone may read, never through the index
    # that holds their body.
    for lesson in LessonPage.objects.live().filter(pk__in=locked).order_by("path"):
        visible = f"{lesson.title} {lesson.teaser}".lower()
        if all(word in visible for word in words):
            hits.append(SearchHit(page=lesson, locked=True))
    return hits[:MAX_RESULTS]

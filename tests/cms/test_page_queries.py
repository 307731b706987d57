"""The public pages and "Moje szkolenia" make as many queries whatever the data holds.

The demo site first as `make run` loads it, then with many more trainees enrolled
through the services (confirmed up to the seats, then waiting, some withdrawn): the
home page, the course page (anonymous and a trainee's), the edition page and the
trainee's "Moje szkolenia" must each make the same number of queries. A page whose
query count grows with the enrolments (a query per edition, per enrolment, per
waiting trainee) fails here before it is slow.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import CoursePage, HomePage
from courses.models import HOLDING, Edition, EnrolmentStatus, TraineeProfile
from courses.services import (
    edition_set_capacity,
    enrolment_create,
    enrolment_withdraw,
)
from tests.factories import TraineeFactory

TRAINEE = "uczestnik@szkolenia.test"


def _course_page() -> CoursePage:
    """The demo course page whose course has the most upcoming published editions."""
    today = timezone.localdate()
    pages = list(CoursePage.objects.live().exclude(course=None))
    return max(
        pages,
        key=lambda p: Edition.objects.filter(
            course_id=p.course_id, is_published=True, end_date__gte=today
        ).count(),
    )


def _editions(page: CoursePage) -> list[Edition]:
    return list(
        Edition.objects.filter(
            course_id=page.course_id,
            is_published=True,
            end_date__gte=timezone.localdate(),
        ).order_by("start_date", "code")
    )


def _urls(page: CoursePage) -> dict[str, tuple[str, bool]]:
    edition = _editions(page)[0]
    return {
        "home": (HomePage.objects.get().url, False),
        "course": (page.url, False),
        # A query string is never served from the page cache (cms.anonymous_cache):
        # the anonymous page rendered afresh, its queries counted.
        "course_rendered": (page.url + "?afresh=1", False),
        "course_logged_in": (page.url, True),
        "edition": (f"/edycje/{edition.pk}/", False),
        "edition_rendered": (f"/edycje/{edition.pk}/?afresh=1", False),
        "edition_logged_in": (f"/edycje/{edition.pk}/", True),
        "my_enrolments": ("/moje-szkolenia/", True),
    }


def _counts(client, urls, user) -> dict[str, tuple[int, int]]:
    """Per page: the status and the queries of the second request (caches warm)."""
    counts = {}
    for name, (url, logged_in) in urls.items():
        client.logout()
        if logged_in:
            client.force_login(user)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts[name] = (response.status_code, len(queries))
    return counts


def _crowd(edition: Edition, count: int) -> None:
    """`count` more trainees enrol while enrolment is open; every third withdraws."""
    at = max(edition.enrolment_opens or timezone.now(), timezone.now()) + (
        datetime.timedelta(seconds=1)
    )
    for n in range(count):
        person = TraineeFactory(
            institution=TraineeProfile.objects.get(user__email=TRAINEE).institution
        )
        enrolment = enrolment_create(trainee=person, edition=edition, actor=None, at=at)
        if n % 3 == 2 and enrolment.status != EnrolmentStatus.WITHDRAWN:
            enrolment_withdraw(enrolment=enrolment, actor=None)


@pytest.mark.django_db
def test_page_queries_do_not_grow_with_enrolments(demo_data, client):
    page = _course_page()
    editions = _editions(page)
    trainee = TraineeProfile.objects.get(user__email=TRAINEE)
    # The trainee waits in the first edition, so its page shows a waiting position.
    first = editions[0]
    taken = first.enrolments.filter(status__in=HOLDING).count()
    edition_set_capacity(edition=first, capacity=taken + 1)
    _crowd(first, 1)
    mine = enrolment_create(trainee=trainee, edition=first, actor=None)
    assert mine.status == EnrolmentStatus.WAITLISTED
    urls = _urls(page)
    before = _counts(client, urls, trainee.user)
    assert {status for status, _ in before.values()} == {200}

    for edition in editions:
        _crowd(edition, 12)
    after = _counts(client, urls, trainee.user)

    assert after == before

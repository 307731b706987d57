"""Whole anonymous home, course and edition pages from the cache (cms.anonymous_cache).

Kept whole for anonymous visitors only, served without a query, yet a seat change, an
edition's change and the language show at once; each visitor gets their own CSRF
token, and nobody's personal page is ever kept or served to another.
"""

import datetime
import re
import warnings

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.anonymous_cache import PLACEHOLDER
from cms.models import CoursePage, HomePage
from courses.models import Edition, TraineeProfile
from courses.seat_cache import cached_seats, share_with_anonymous
from courses.services import enrolment_create
from tests.cms.test_page_queries import _course_page
from tests.factories import EditionFactory, TraineeFactory

TRAINEE = "uczestnik@szkolenia.test"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

pytestmark = pytest.mark.django_db


def _page() -> CoursePage:
    return _course_page()


def _open_edition(page: CoursePage) -> Edition:
    now = timezone.now()
    return (
        Edition.objects.filter(
            course_id=page.course_id,
            is_published=True,
            end_date__gte=timezone.localdate(),
            enrolment_opens__lte=now,
            enrolment_closes__gt=now,
        )
        .order_by("start_date", "code")
        .first()
    )


def _body(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _seats(body: str, edition: Edition) -> str:
    """The edition's seats line: places left, capacity, people waiting."""
    item = body[body.index(f'data-edition-id="{edition.pk}"') :]
    line = re.search(r'<p class="edition__seats".*?</p>', item, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", line).split())


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _url(which: str) -> str:
    page = _page()
    if which == "home":
        return HomePage.objects.get().url
    return page.url if which == "course" else f"/edycje/{_open_edition(page).pk}/"


@pytest.mark.parametrize("which", ["home", "course", "edition"])
def test_a_second_anonymous_visit_makes_no_query(demo_data, which):
    url = _url(which)
    Client().get(url)
    assert _queries(Client(), url) == 0


def test_each_visitor_gets_a_token_of_their_own_that_works(demo_data):
    url = _page().url
    first = _body(Client(), url)
    visitor = Client(enforce_csrf_checks=True)
    second = _body(visitor, url)  # from the cache
    assert PLACEHOLDER not in second
    tokens = set(TOKEN.findall(second))
    assert len(tokens) == 1 and tokens.isdisjoint(TOKEN.findall(first))
    # Without the token the language switch is refused; with the page's, accepted.
    refused = visitor.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert refused.status_code == 403
    accepted = visitor.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/", "csrfmiddlewaretoken": tokens.pop()},
    )
    assert accepted.status_code == 302


@pytest.mark.parametrize("which", ["course", "edition"])
def test_a_seat_taken_shows_at_once_on_the_kept_page(
    demo_data, which, django_capture_on_commit_callbacks
):
    page = _page()
    edition = _open_edition(page)
    url = page.url if which == "course" else f"/edycje/{edition.pk}/"
    before = _seats(_body(Client(), url), edition)
    assert _queries(Client(), url) == 0  # kept
    trainee = TraineeFactory(
        institution=TraineeProfile.objects.get(user__email=TRAINEE).institution
    )
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(trainee=trainee, edition=edition, actor=None)
    seats = cached_seats(editions=[Edition.objects.get(pk=edition.pk)])[edition.pk]
    after = _seats(_body(Client(), url), edition)
    # Taken (fewer left) or waiting (one more in line): either way the line changed.
    assert after != before
    assert f"{seats.left} " in after
    if seats.waiting:
        assert f"{seats.waiting} " in after.split("·")[-1]


def test_an_edition_changed_shows_at_once(demo_data):
    page = _page()
    edition = _open_edition(page)
    _body(Client(), page.url)
    edition.venue = "Sala konferencyjna po zmianie"
    edition.save()
    assert "Sala konferencyjna po zmianie" in _body(Client(), page.url)


def test_the_english_page_is_kept_apart(demo_data):
    url = _page().url
    assert '<html lang="pl">' in _body(Client(), url)
    english = Client()
    english.cookies["django_language"] = "en"
    assert _body(english, url).startswith('<!DOCTYPE html>\n<html lang="en">')
    assert _queries(english, url) == 0  # the English copy, kept on its own
    assert '<html lang="pl">' in _body(Client(), url)


@pytest.mark.parametrize("which", ["home", "course"])
def test_no_personal_page_is_kept_or_served_to_another(demo_data, which):
    url = _url(which)
    user = TraineeProfile.objects.get(user__email=TRAINEE).user
    trainee = Client()
    trainee.force_login(user)
    mine = _body(trainee, url)
    assert "/konto/logout/" in mine and "/moje-szkolenia/" in mine
    # The anonymous visitor after her gets an anonymous page, rendered afresh ...
    theirs = _body(Client(), url)
    assert "/konto/logout/" not in theirs and "/moje-szkolenia/" not in theirs
    assert "/konto/login/" in theirs
    # ... kept now; she, logged in, still gets her own page, never the kept one.
    assert _queries(Client(), url) == 0
    again = _body(trainee, url)
    assert "/konto/logout/" in again and "/moje-szkolenia/" in again


def test_a_page_is_kept_no_longer_than_its_enrolment_dates_hold(db):
    now = timezone.now()
    opens = now + datetime.timedelta(seconds=20)
    edition = EditionFactory(
        enrolment_opens=opens, enrolment_closes=now + datetime.timedelta(days=5)
    )
    cached_seats(editions=[edition])
    response = HttpResponse()
    share_with_anonymous(response, editions=[edition], now=now)
    assert response.shared_with_anonymous.until == opens
    assert response.shared_with_anonymous.seats_versions == {
        edition.pk: edition.seats_version
    }


def test_a_page_made_private_is_not_served_from_the_kept_copy(demo_data):
    from wagtail.models import PageViewRestriction

    page = _page()
    _body(Client(), page.url)
    assert _queries(Client(), page.url) == 0  # kept
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    assert Client().get(page.url).status_code == 302


def test_the_home_page_kept_shows_a_change_of_content_at_once(demo_data):
    home = HomePage.objects.get()
    _body(Client(), home.url)
    assert _queries(Client(), home.url) == 0  # kept
    home.lead = "Nowy wstęp strony głównej po publikacji"
    home.save_revision().publish()
    assert "Nowy wstęp strony głównej po publikacji" in _body(Client(), home.url)


def test_a_course_published_shows_at_once_on_the_kept_home_page(demo_data):
    home = HomePage.objects.get()
    page = _page()
    _body(Client(), home.url)
    page.title = "Kurs o nowym tytule po publikacji"
    page.save_revision().publish()
    assert "Kurs o nowym tytule po publikacji" in _body(Client(), home.url)


def test_any_address_a_visitor_types_makes_a_key_every_cache_takes(demo_data):
    """Spaces, Polish letters, 300 characters: the key stays short and plain (memcached
    refuses spaces and keys over 250 characters), and a kept page is still served."""
    url = _url("course")
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        for address in (
            "/068 32 31 880/",
            "/zażółć gęślą jaźń/",
            "/" + "a" * 300 + "/",
        ):
            assert Client().get(address).status_code == 404
        Client().get(url)
        assert _queries(Client(), url) == 0

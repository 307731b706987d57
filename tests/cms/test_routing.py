"""Where a path leads is kept while the site is unchanged (cms.routing), never more.

The second request for a page walks no tree; a page unpublished, moved away or made
private shows at once; a page type that routes in its own way is walked every time.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from cms import routing
from cms.models import CoursePage
from cms.page_cache import site_version
from tests.cms.test_page_queries import _course_page

TRAINEE = "uczestnik@szkolenia.test"

pytestmark = pytest.mark.django_db


def _page_queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    walked = sum('FROM "wagtailcore_page"' in q["sql"] for q in queries)
    return response.status_code, walked


def _signed_in() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(email=TRAINEE))
    return client


def test_the_second_request_walks_no_tree(demo_data):
    page, client = _course_page(), _signed_in()
    first = _page_queries(client, page.url)
    second = _page_queries(client, page.url)
    assert first[0] == second[0] == 200
    # Wagtail's walk reads the root and each level (the page and its specific row).
    assert second[1] < first[1]
    body = client.get(page.url).content.decode()
    assert page.title in body


def test_an_unpublished_page_is_gone_at_once(demo_data):
    page, client = _course_page(), _signed_in()
    url = page.url
    assert client.get(url).status_code == 200
    page.unpublish()
    assert client.get(url).status_code == 404


def test_a_renamed_page_answers_at_its_new_address_only(demo_data):
    page, client = _course_page(), _signed_in()
    old = page.url
    assert client.get(old).status_code == 200
    page.slug = "nowy-adres-kursu"
    page.save_revision().publish()
    page.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(page.url).status_code == 200
    assert page.url.endswith("/nowy-adres-kursu/")


def test_a_page_made_private_asks_for_sign_in_though_its_route_is_kept(demo_data):
    page = _course_page()
    anonymous = Client(HTTP_COOKIE="")
    url = page.url + "?x=1"  # past the anonymous page cache: Wagtail serves it
    assert anonymous.get(url).status_code == 200
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    response = anonymous.get(url)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "konto" in response["Location"]


def test_a_page_type_with_its_own_route_is_walked_every_time(demo_data, monkeypatch):
    page, client = _course_page(), _signed_in()
    calls = []

    def own_route(self, request, path_components):
        calls.append(self.pk)
        return Page.route(self, request, path_components)

    monkeypatch.setattr(CoursePage, "route", own_route)
    for _ in range(3):
        assert client.get(page.url).status_code == 200
    assert calls == [page.pk] * 3  # never answered from the cache


def test_the_kept_route_is_only_an_address(demo_data):
    page, client = _course_page(), _signed_in()
    client.get(page.url)
    site = page.get_site()
    path = page.url.removeprefix("/")  # as the URL pattern captures it
    kept = cache.get(routing._key(site, path, site_version()))
    assert kept == (page.content_type_id, page.pk)

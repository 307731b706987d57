"""Site search answers any visitor's query, query-syntax characters included."""

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from cms.selectors import pages_search

pytestmark = pytest.mark.django_db

SYNTAX = [
    '"',
    "'",
    "*",
    "(",
    ")",
    "-",
    '"Liderzy',
    "Liderzy*",
    "(Liderzy",
    "-Liderzy",
    "Liderzy -kooperacji",
    'AND OR NOT "',
    "NEAR(",
    "^",
    ":",
    "a:b",
    "{}",
    "\\",
    "'; DROP TABLE",
    "!&|",
    "<->",
]


@pytest.fixture
def page_titled(db):
    home = Site.objects.get(is_default_site=True).root_page
    page = home.add_child(instance=Page(title="Liderzy kooperacji w praktyce"))
    get_search_backend().add(page)
    return page


@pytest.mark.parametrize("query", SYNTAX)
def test_search_with_query_syntax_answers_200(client, page_titled, query):
    response = client.get("/szukaj/", {"q": query})
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()


@pytest.mark.parametrize("query", ['"Liderzy"', "Liderzy*", "(liderzy)", "-Liderzy"])
def test_search_finds_the_words_inside_the_syntax(page_titled, query):
    hits = pages_search(query=query, user=AnonymousUser())
    assert page_titled.pk in [hit.page.pk for hit in hits]


def test_only_syntax_is_no_query():
    assert pages_search(query='"*()-', user=AnonymousUser()) == []

"""The cached fragments of the public pages: renewed on every change, never personal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import CoursePage
from courses.models import TraineeProfile

SLUG = "zarzadzanie-i-organizacja-uslug-spolecznych"


def _page() -> CoursePage:
    return CoursePage.objects.get(slug=SLUG)


def _body(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_second_view_renders_the_programme_from_the_cache(demo_data, client):
    url = _page().url
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    assert not any("cms_coursepage_trainers" in q["sql"] for q in first)
    assert not any("courses_fundingsettings" in q["sql"] for q in first)


@pytest.mark.django_db
def test_a_published_change_shows_at_once(
    demo_data, client, django_capture_on_commit_callbacks
):
    page = _page()
    assert "Warianty tworzenia CUS" in _body(client, page.url)
    page.summary = "Nowy opis modułu po zmianie."
    page.goals = "<p>Cel po zmianie: nowe umiejętności.</p>"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    body = _body(client, page.url)
    assert "Nowy opis modułu po zmianie." in body
    assert "Cel po zmianie: nowe umiejętności." in body


@pytest.mark.django_db
def test_a_trainer_renamed_shows_at_once(
    demo_data, client, django_capture_on_commit_callbacks
):
    page = _page()
    trainer = page.trainers.first()
    assert trainer.name in _body(client, page.url)
    with django_capture_on_commit_callbacks(execute=True):
        trainer.name = "dr hab. Anna Wójcik-Nowa"
        trainer.save()
    assert "dr hab. Anna Wójcik-Nowa" in _body(client, page.url)


@pytest.mark.django_db
def test_the_english_page_is_not_served_from_the_polish_fragments(demo_data, client):
    url = _page().url
    assert "Cele szkolenia" in _body(client, url)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = _body(client, url)
    assert "Cele szkolenia" not in body and "Goals" in body


@pytest.mark.django_db
def test_what_one_person_sees_never_reaches_another(demo_data, client):
    """A trainee's menu, then an anonymous visitor's, on the same cached page."""
    page = _page()
    trainee = TraineeProfile.objects.get(user__email="uczestnik@szkolenia.test")
    client.force_login(trainee.user)
    mine = _body(client, page.url)
    assert "/konto/logout/" in mine and "/moje-szkolenia/" in mine
    client.logout()
    theirs = _body(client, page.url)
    assert "/konto/logout/" not in theirs and "/moje-szkolenia/" not in theirs
    assert "/konto/login/" in theirs

import pytest
from wagtail.models import Page, Site

from cms.models import CourseIndexPage, CoursePage, HomePage


@pytest.mark.django_db
def test_demo_data_builds_the_site_from_the_seeds(demo_data, client):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    courses = CoursePage.objects.live()
    assert {page.slug for page in courses} >= {
        "zarzadzanie-i-organizacja-uslug-spolecznych",
        "indywidualne-plany-uslug-spolecznych",
        "organizacja-spolecznosci-lokalnej",
    }
    body = client.get("/").content.decode()
    assert "2 020" in body and "1 140" in body and "880" in body
    assert "849 540,38 zł" in body


@pytest.mark.django_db
def test_demo_data_is_idempotent(demo_data):
    from django.core.management import call_command

    counts = (Page.objects.count(), CoursePage.objects.count(), Site.objects.count())
    call_command("load_demo_data", verbosity=0)
    assert (
        Page.objects.count(),
        CoursePage.objects.count(),
        Site.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_course_page_shows_programme_hours_audience_and_trainers(demo_data, client):
    page = CoursePage.objects.get(slug="zarzadzanie-i-organizacja-uslug-spolecznych")
    response = client.get(page.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Program" in body and "Cele szkolenia" in body and "Dla kogo" in body
    assert "Warianty tworzenia CUS" in body
    assert "dr Anna Wójcik" in body
    assert "24" in body


@pytest.mark.django_db
def test_course_index_lists_live_courses_only(demo_data, client):
    index = CourseIndexPage.objects.get()
    hidden = CoursePage.objects.get(slug="organizacja-spolecznosci-lokalnej")
    hidden.unpublish()
    body = client.get(index.url).content.decode()
    assert "Zarządzanie i organizacja usług społecznych" in body
    assert "Organizacja społeczności lokalnej" not in body


@pytest.mark.django_db
def test_site_is_polish_first_whatever_the_browser_asks(demo_data, client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "pl"
    assert 'lang="pl"' in response.content.decode()
    assert "Przejdź do treści" in response.content.decode()


@pytest.mark.django_db
def test_language_switcher_turns_the_interface_english(demo_data, client):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/"}, follow=True
    )
    body = response.content.decode()
    assert 'lang="en"' in body
    assert "Skip to content" in body
    assert "Browse courses" in body


@pytest.mark.django_db
def test_footer_carries_funding_marks_and_statement(demo_data, client):
    body = client.get("/").content.decode()
    assert "Europejskiego Funduszu Społecznego" in body
    assert 'alt="Unia Europejska – Europejski Fundusz Społeczny"' in body

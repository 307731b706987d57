"""courses' hooks from courses' side: what a plug-in adds shows up; without one,
every page still works. Runs with and without the certificates app installed."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from wagtail import hooks

from courses import roles
from courses.extensions import (
    COURSE_TOPICS_HOOK,
    COURSE_URL_HOOK,
    ENROLMENT_LINKS_HOOK,
    INDICATOR_SERIES_HOOK,
    CourseTopic,
    EnrolmentLink,
    IndicatorSeries,
)
from courses.reporting import indicators
from courses.selectors import course_topics
from courses.services import enrolment_create
from tests.factories import (
    CourseFactory,
    EditionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainee_with_two_enrolments():
    project = ProjectFactory()
    QuotaFactory(project=project, regions=["śląskie"], size=10)
    trainee = TraineeFactory()
    for _ in range(2):
        enrolment_create(trainee=trainee, edition=EditionFactory(project=project))
    return trainee


def test_my_training_shows_the_links_a_plug_in_adds_asking_once_for_all(
    client, trainee_with_two_enrolments
):
    calls = []

    def links(*, enrolments, user):
        calls.append([enrolment.pk for enrolment in enrolments])
        return {
            enrolment.pk: [
                EnrolmentLink(
                    url=f"/plik/{enrolment.pk}/",
                    label=f"Dokument {enrolment.edition.code}",
                    badge="PDF",
                    note="wydany dziś",
                    note_url="/sprawdz/",
                    note_label="sprawdź",
                )
            ]
            for enrolment in enrolments
        }

    client.force_login(trainee_with_two_enrolments.user)
    with hooks.register_temporarily(ENROLMENT_LINKS_HOOK, links):
        body = client.get(reverse("courses:my_enrolments")).content.decode()
    enrolments = trainee_with_two_enrolments.enrolments.all()
    assert len(calls) == 1 and sorted(calls[0]) == sorted(e.pk for e in enrolments)
    for enrolment in enrolments:
        assert f'href="/plik/{enrolment.pk}/"' in body
        assert f"Dokument {enrolment.edition.code}" in body
    assert '<a href="/sprawdz/">sprawdź</a>' in body


def test_my_training_works_with_no_plug_in_links(client, trainee_with_two_enrolments):
    client.force_login(trainee_with_two_enrolments.user)
    response = client.get(reverse("courses:my_enrolments"))
    assert response.status_code == 200
    assert 'class="doc-links enrolment-links"' not in response.content.decode()


def test_the_edition_page_links_the_public_page_the_site_supplies(client):
    edition = EditionFactory(course=CourseFactory(title="Praca z rodziną"))
    page = reverse("courses:edition", args=[edition.pk])
    assert "/szkolenia/praca-z-rodzina/" not in client.get(page).content.decode()

    def url(*, course, request=None):
        return "/szkolenia/praca-z-rodzina/" if course == edition.course else None

    with hooks.register_temporarily(COURSE_URL_HOOK, url):
        body = client.get(page).content.decode()
    assert '<a href="/szkolenia/praca-z-rodzina/">Praca z rodziną</a>' in body


def test_course_topics_come_from_the_first_hook_that_knows_them():
    course = CourseFactory()
    assert course_topics(course=course) == []
    topics = [CourseTopic("Diagnoza", Decimal("4")), CourseTopic("Plan pomocy")]

    def nothing(*, course):
        return []

    def programme(*, course):
        return topics

    with (
        hooks.register_temporarily(COURSE_TOPICS_HOOK, nothing),
        hooks.register_temporarily(COURSE_TOPICS_HOOK, programme),
    ):
        assert course_topics(course=course) == topics


def test_a_plug_in_series_joins_the_dashboard_and_its_workbook(client):
    def series():
        return [IndicatorSeries("visits", "Wizyty w miesiącach", {"2026-11": 7})]

    with hooks.register_temporarily(INDICATOR_SERIES_HOOK, series):
        charts = {chart.key: chart for chart in indicators()}
        client.force_login(UserFactory(role=roles.COORDINATOR))
        with translation.override("pl"):
            table = client.get(
                reverse("partner_indicators:index") + "?pobierz=wskazniki"
            )
    assert charts["visits"].is_series
    assert [(bar.label, bar.value) for bar in charts["visits"].bars] == [("2026-11", 7)]
    workbook = openpyxl.load_workbook(io.BytesIO(table.content))
    assert "Wizyty w miesiącach" in workbook.sheetnames
    assert list(workbook["Wizyty w miesiącach"].values)[1][:2] == ("2026-11", 7)

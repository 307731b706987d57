"""Editions and sessions fall within their project's dates; the demo follows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone, translation

from courses import roles
from courses.models import Edition, Project, Session
from tests.factories import EditionFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    user = UserFactory(role=roles.COORDINATOR)
    client.force_login(user)
    return user


@pytest.fixture
def project():
    return ProjectFactory(
        code="POWR.02.05-P",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 6, 30),
    )


def edition_form(edition, **changes):
    data = {
        "course": edition.course_id,
        "project": edition.project_id,
        "code": edition.code,
        "start_date": edition.start_date.isoformat(),
        "end_date": edition.end_date.isoformat(),
        "delivery_mode": edition.delivery_mode,
        "city": edition.city,
        "venue": edition.venue,
        "online_link": "",
        "capacity": edition.capacity,
        "min_group_size": 0,
        "enrolment_opens": timezone.localtime(edition.enrolment_opens).strftime(
            "%Y-%m-%d %H:%M"
        ),
        "enrolment_closes": timezone.localtime(edition.enrolment_closes).strftime(
            "%Y-%m-%d %H:%M"
        ),
        "is_published": "on",
    }
    return {**data, **changes}


def test_an_edition_outside_the_project_is_refused_in_polish(
    client, coordinator, project
):
    edition = EditionFactory(
        project=project,
        start_date=datetime.date(2027, 6, 1),
        end_date=datetime.date(2027, 6, 2),
    )
    url = reverse("training_editions:edit", args=[edition.pk])
    page = client.post(url, edition_form(edition, end_date="2027-07-02"))
    assert page.status_code == 200
    assert (
        "Projekt POWR.02.05-P trwa od 01.01.2026 do 30.06.2027: wybierz daty w jego okresie."
        in page.content.decode()
    )
    edition.refresh_from_db()
    assert edition.end_date == datetime.date(2027, 6, 2)
    done = client.post(url, edition_form(edition, end_date="2027-06-30"))
    assert done.status_code == 302


def test_a_session_outside_the_project_is_refused(client, coordinator, project):
    edition = EditionFactory(
        project=project,
        start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 3, 3),
    )
    page = client.post(
        reverse("training_sessions:add"),
        {
            "edition": edition.pk,
            "date": "2025-12-31",
            "start_time": "09:00",
            "end_time": "15:00",
        },
    )
    assert page.status_code == 200
    assert "trwa od 01.01.2026 do 30.06.2027" in page.content.decode()
    assert not Session.objects.filter(edition=edition).exists()
    with translation.override("pl"), pytest.raises(ValidationError):
        Session(
            edition=edition,
            date=datetime.date(2027, 7, 1),
            start_time=datetime.time(9),
            end_time=datetime.time(10),
        ).full_clean()


def test_the_project_period_cannot_shrink_past_its_editions(project):
    edition = EditionFactory(
        project=project,
        start_date=datetime.date(2027, 5, 3),
        end_date=datetime.date(2027, 5, 4),
    )
    project.end_date = datetime.date(2027, 4, 30)
    with translation.override("pl"), pytest.raises(ValidationError) as error:
        project.full_clean()
    assert edition.code in str(error.value)
    project.end_date = datetime.date(2027, 5, 31)
    project.full_clean()


def test_the_demo_editions_and_sessions_lie_within_the_demo_project(demo_data):
    project = Project.objects.get(code="POWR.02.05")
    editions = Edition.objects.filter(project=project)
    span = editions.aggregate(first=Min("start_date"), last=Max("end_date"))
    sessions = Session.objects.filter(edition__project=project).aggregate(
        first=Min("date"), last=Max("date")
    )
    assert project.start_date <= span["first"] and span["last"] <= project.end_date
    assert project.start_date <= sessions["first"]
    assert sessions["last"] <= project.end_date
    for edition in editions:
        edition.full_clean()

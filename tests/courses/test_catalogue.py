"""The catalogue of editions across courses: filters, order, eligibility before the click."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import DeliveryMode, EligibilityRule, InstitutionType, Voivodeship
from courses.services import enrolment_create
from tests.factories import (
    CourseFactory,
    EditionFactory,
    InstitutionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("courses:catalogue")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def world():
    silesia = ProjectFactory()
    QuotaFactory(project=silesia, regions=["śląskie"])
    opole = ProjectFactory()
    QuotaFactory(project=opole, regions=["opolskie"])
    plans = CourseFactory(title="Plany usług społecznych")
    community = CourseFactory(title="Organizacja społeczności lokalnej")
    return {
        "late": EditionFactory(
            project=silesia, course=plans, code="PL-KAT", start_date=days(40)
        ),
        "soon": EditionFactory(
            project=opole,
            course=community,
            code="OSL-OPO",
            city="Opole",
            start_date=days(10),
        ),
        "online": EditionFactory(
            project=silesia,
            course=community,
            code="OSL-ONL",
            city="",
            venue="",
            delivery_mode=DeliveryMode.REMOTE,
            start_date=days(20),
            capacity=1,
        ),
        "past": EditionFactory(
            project=silesia,
            course=plans,
            code="PL-OLD",
            start_date=days(-10),
            end_date=days(-9),
        ),
        "hidden": EditionFactory(project=silesia, code="PL-HID", is_published=False),
    }


def codes(response) -> list[str]:
    return [edition.code for edition, _seats in response.context["editions"]]


def test_lists_every_upcoming_published_edition_by_start(client, world):
    response = client.get(URL)
    assert response.status_code == 200
    assert codes(response) == ["OSL-OPO", "OSL-ONL", "PL-KAT"]
    body = response.content.decode()
    assert "Znaleziono 3 grupy" in body
    assert "Plany usług społecznych" in body  # each card names its course
    assert 'href="/terminy/"' in body  # in the main navigation


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"voivodeship": "opolskie"}, ["OSL-OPO"]),
        ({"voivodeship": "śląskie"}, ["OSL-ONL", "PL-KAT"]),
        ({"city": "Opole"}, ["OSL-OPO"]),
        ({"delivery_mode": DeliveryMode.REMOTE}, ["OSL-ONL"]),
        ({"start_from": 15}, ["OSL-ONL", "PL-KAT"]),
        ({"start_to": 25}, ["OSL-OPO", "OSL-ONL"]),
        ({"start_from": 15, "start_to": 25}, ["OSL-ONL"]),
        ({"course": "plans"}, ["PL-KAT"]),
        ({"free_seats": "on"}, ["OSL-OPO", "PL-KAT"]),
    ],
)
def test_filters(client, world, query, expected):
    enrolment_create(trainee=TraineeFactory(), edition=world["online"])  # now full
    params = {}
    for key, value in query.items():
        if key == "voivodeship":
            value = Voivodeship.objects.get(name=value).pk
        elif key.startswith("start_"):
            value = days(value).isoformat()
        elif key == "course":
            value = world["late"].course_id
        params[key] = value
    assert codes(client.get(URL, params)) == expected


def test_a_wrong_date_says_so_in_polish_and_lists_nothing(client, world):
    response = client.get(URL, {"start_from": "jutro"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Niektóre filtry są niepoprawne" in body
    assert "Wpisz poprawną datę." in body
    assert codes(response) == []


def test_eligibility_is_shown_before_the_click(client, world):
    rule_project = world["soon"].project
    EligibilityRule.objects.create(
        project=rule_project,
        name="Tylko DPS",
        institution_types=[InstitutionType.DPS],
        positions=[],
    )
    # Anonymous: asked to log in to know.
    body = client.get(URL).content.decode()
    assert "aby sprawdzić, czy spełniasz warunki" in body
    # Logged in without a profile: asked to complete it.
    client.force_login(UserFactory())
    assert "Uzupełnij profil</a>, aby sprawdzić" in client.get(URL).content.decode()
    # A MOPS social worker from Silesia: qualifies for the Silesian groups, and is
    # told exactly why not for the Opole one; that one offers no enrol button.
    trainee = TraineeFactory(institution=InstitutionFactory())
    client.force_login(trainee.user)
    response = client.get(URL)
    by_code = {e.code: e.eligibility for e, _s in response.context["editions"]}
    assert by_code["PL-KAT"].state == "qualifies"
    assert by_code["OSL-OPO"].state == "not_eligible"
    body = response.content.decode()
    assert "Spełniasz warunki udziału w tym szkoleniu." in body
    assert "Nie możesz zapisać się na to szkolenie:" in body
    assert "Projekt jest skierowany do pracowników: DPS" in body
    assert f'action="{reverse("courses:enrol", args=[world["soon"].pk])}"' not in body
    assert f'action="{reverse("courses:enrol", args=[world["late"].pk])}"' in body


def test_edition_page_shows_eligibility(client, world):
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    body = client.get(
        reverse("courses:edition", args=[world["soon"].pk])
    ).content.decode()
    assert "Nie możesz zapisać się na to szkolenie:" in body
    assert "Projekt nie ma miejsc dla województwa śląskiego." in body
    body = client.get(
        reverse("courses:edition", args=[world["late"].pk])
    ).content.decode()
    assert "Spełniasz warunki udziału w tym szkoleniu." in body

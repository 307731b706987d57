"""Who reaches a call's pages, and what the application and ranking forms change."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from courses import roles
from courses.models.recruitment import ApplicationStatus, CallApplication
from tests.courses.test_recruitment import GMINA, apply, close, criteria, make_call
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return make_call(counties=1, gminas=1)


def form_data(call, **overrides):
    income, families, experience = criteria(call)
    data = {
        "kind": GMINA,
        "authority": "Gmina Kożuchów",
        "institution": "Ośrodek Pomocy Społecznej w Kożuchowie",
        "contact_phone": "68 355 00 00",
        f"criterion_{income.pk}": "2100",
        f"criterion_{families.pk}": "320",
        f"criterion_{experience.pk}": "yes",
    }
    return {**data, **overrides}


def test_the_call_page_shows_places_criteria_and_the_deadline(client, call):
    page = client.get(reverse("courses:call", args=[call.pk])).content.decode()
    assert "Dochód gminy na jednego mieszkańca" in page
    assert "gmina miejsko-wiejska" in page
    assert reverse("courses:call_apply", args=[call.pk]) in page


def test_a_representative_applies_and_sees_no_result_until_it_is_sent(client, call):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("courses:call_apply", args=[call.pk]), form_data(call)
    )
    assert response.status_code == 302
    application = CallApplication.objects.get(representative=user)
    assert sum(a.points for a in application.answers.all()) == Decimal(
        3 + 1 + 2
    )  # 2100 zł < 2500: 3
    page = client.get(reverse("courses:call", args=[call.pk])).content.decode()
    assert "wynik zostanie wysłany po dokonaniu wyboru" in page


def test_a_bad_application_says_why_and_saves_nothing(client, call):
    client.force_login(UserFactory())
    income, _f, experience = criteria(call)
    response = client.post(
        reverse("courses:call_apply", args=[call.pk]),
        form_data(
            call, **{f"criterion_{income.pk}": "-1", f"criterion_{experience.pk}": ""}
        ),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Odpowiedz tak lub nie." in text
    assert not CallApplication.objects.exists()


def test_after_the_deadline_the_form_says_closed_and_takes_nothing(client, call):
    close(call)
    client.force_login(UserFactory())
    url = reverse("courses:call_apply", args=[call.pk])
    response = client.post(url, form_data(call))
    assert "Nabór zakończył się" in response.content.decode()
    assert not CallApplication.objects.exists()


def test_only_the_coordinator_reaches_the_ranking(client, call):
    application = apply(call, "Gmina Sława")
    urls = [
        ("get", reverse("courses:call_ranking", args=[call.pk])),
        ("post", reverse("courses:call_select", args=[call.pk])),
        ("post", reverse("courses:call_publish", args=[call.pk])),
        ("post", reverse("courses:call_manual_points", args=[application.pk])),
    ]
    client.force_login(application.representative)
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 403
    client.force_login(UserFactory(role=roles.TRAINER))
    assert client.get(urls[0][1]).status_code == 403


def test_the_coordinator_scores_selects_exports_and_sends(
    client, call, mailoutbox, django_capture_on_commit_callbacks
):
    chosen = apply(call, "Gmina Kożuchów", income=1000)
    other = apply(call, "Gmina Sława", income=4000)
    client.force_login(UserFactory(role=roles.COORDINATOR))
    prefix = f"a{other.pk}"
    client.post(
        reverse("courses:call_manual_points", args=[other.pk]),
        {f"{prefix}-points": "1", f"{prefix}-reason": "Zdiagnozowany koszyk usług."},
    )
    other.refresh_from_db()
    assert other.manual_points == 1
    close(call)
    client.post(reverse("courses:call_select", args=[call.pk]))
    response = client.get(
        reverse("courses:call_ranking", args=[call.pk]), {"pobierz": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == (1, "Gmina Kożuchów")
    assert rows[2][1] == "Gmina Sława" and rows[2][-2] == "niewybrane"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("courses:call_publish", args=[call.pk]))
    chosen.refresh_from_db()
    assert chosen.status == ApplicationStatus.SELECTED
    assert len(mailoutbox) == 2


def test_the_demo_holds_the_seed_002_call(demo_data, client):
    from courses.models.recruitment import Call

    call = Call.objects.get(code="kooperacja-lubuskie")
    assert {(p.kind, p.places) for p in call.places.all()} == {
        ("county", 3),
        ("urban_rural", 5),
    }
    assert call.criteria.count() == 5
    assert call.applications.count() == 11
    assert not call.is_open()
    page = client.get(reverse("courses:calls")).content.decode()
    assert "Nabór powiatów i gmin – województwo lubuskie" in page

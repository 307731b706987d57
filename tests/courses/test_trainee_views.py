import pytest
from django.urls import reverse

from courses import roles
from courses.models import (
    Enrolment,
    EnrolmentStatus,
    Institution,
    TraineeProfile,
    Voivodeship,
)
from tests.factories import (
    EditionFactory,
    ProjectFactory,
    QuotaFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _profile_data(**overrides):
    data = {
        "first_name": "Zofia",
        "last_name": "Żółkiewska",
        "gender": "K",
        "position": "social_worker",
        "education": "5-8",
        "phone": "600 100 200",
        "pesel": "",
        "institution-name": "Miejski Ośrodek Pomocy Społecznej w Gliwicach",
        "institution-type": "mops",
        "institution-voivodeship": Voivodeship.objects.get(name="śląskie").pk,
        "institution-county": "Gliwice",
        "institution-municipality": "Gliwice",
        "institution-regon": "",
    }
    data.update(overrides)
    return data


def test_profile_creates_trainee_institution_and_role(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("courses:profile"), _profile_data())
    assert response.status_code == 302
    trainee = TraineeProfile.objects.get(user=user)
    assert trainee.institution.municipality == "Gliwice"
    assert trainee.education == "5-8"
    assert user.groups.filter(name=roles.TRAINEE).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pesel", "12345678901", "Numer PESEL jest nieprawidłowy"),
        ("institution-regon", "123456789", "Numer REGON jest nieprawidłowy"),
        ("first_name", "", "To pole jest wymagane."),
    ],
)
def test_profile_explains_bad_input_in_polish_and_writes_nothing(
    client, field, value, message
):
    client.force_login(UserFactory())
    response = client.post(reverse("courses:profile"), _profile_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TraineeProfile.objects.exists()
    assert not Institution.objects.exists()


def test_valid_pesel_and_regon_are_accepted(client):
    client.force_login(UserFactory())
    client.post(
        reverse("courses:profile"),
        _profile_data(pesel="44051401359", **{"institution-regon": "123456785"}),
    )
    assert TraineeProfile.objects.get().pesel == "44051401359"


def test_enrol_needs_a_profile_then_confirms(client):
    project = ProjectFactory()
    QuotaFactory(project=project, regions=["śląskie"])
    edition = EditionFactory(project=project)
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("courses:enrol", args=[edition.pk]))
    assert response.url.startswith(reverse("courses:profile"))
    assert not Enrolment.objects.exists()
    TraineeFactory(user=user)
    response = client.post(reverse("courses:enrol", args=[edition.pk]), follow=True)
    assert Enrolment.objects.get().status == EnrolmentStatus.CONFIRMED
    assert "Jesteś zapisana/zapisany" in response.content.decode()


def test_enrol_json_answers_for_clients_and_repeats_are_one_row(client):
    project = ProjectFactory()
    QuotaFactory(project=project, regions=["śląskie"])
    edition = EditionFactory(project=project)
    trainee = TraineeFactory()
    client.force_login(trainee.user)
    url = reverse("courses:enrol", args=[edition.pk])
    first = client.post(url, HTTP_ACCEPT="application/json")
    second = client.post(url, HTTP_ACCEPT="application/json")
    assert first.status_code == 201 and second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Enrolment.objects.count() == 1


def test_ineligible_trainee_sees_why(client):
    project = ProjectFactory()
    QuotaFactory(project=project, regions=["śląskie"])
    edition = EditionFactory(project=project)
    from tests.factories import InstitutionFactory

    trainee = TraineeFactory(
        institution=InstitutionFactory(
            voivodeship=Voivodeship.objects.get(name="lubelskie")
        )
    )
    client.force_login(trainee.user)
    response = client.post(reverse("courses:enrol", args=[edition.pk]), follow=True)
    assert (
        "Projekt nie ma miejsc dla województwa lubelskiego."
        in response.content.decode()
    )
    assert not Enrolment.objects.exists()


def test_my_enrolments_shows_status_and_waitlist_position(client):
    project = ProjectFactory()
    QuotaFactory(project=project, regions=["śląskie"], size=50)
    edition = EditionFactory(project=project, capacity=1)
    client.force_login(TraineeFactory().user)
    client.post(reverse("courses:enrol", args=[edition.pk]))
    waiting = TraineeFactory()
    client.force_login(waiting.user)
    client.post(reverse("courses:enrol", args=[edition.pk]))
    body = client.get(reverse("courses:my_enrolments")).content.decode()
    assert "na liście rezerwowej" in body
    assert "pozycji <strong>1</strong>" in body


def test_nobody_withdraws_someone_elses_enrolment(client):
    project = ProjectFactory()
    QuotaFactory(project=project, regions=["śląskie"])
    edition = EditionFactory(project=project)
    owner = TraineeFactory()
    client.force_login(owner.user)
    client.post(reverse("courses:enrol", args=[edition.pk]))
    enrolment = Enrolment.objects.get()
    client.force_login(TraineeFactory().user)
    assert (
        client.post(reverse("courses:withdraw", args=[enrolment.pk])).status_code == 404
    )
    client.force_login(owner.user)
    client.post(reverse("courses:withdraw", args=[enrolment.pk]), {"confirm": "yes"})
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN


def test_withdrawal_asks_first_and_a_bare_post_changes_nothing(client):
    project = ProjectFactory()
    QuotaFactory(project=project, regions=["śląskie"])
    edition = EditionFactory(project=project)
    waiting_list_edition = EditionFactory(project=project, capacity=0)
    owner = TraineeFactory()
    client.force_login(owner.user)
    client.post(reverse("courses:enrol", args=[edition.pk]))
    client.post(reverse("courses:enrol", args=[waiting_list_edition.pk]))
    enrolment = Enrolment.objects.get(edition=edition)
    url = reverse("courses:withdraw", args=[enrolment.pk])
    listing = client.get(reverse("courses:my_enrolments")).content.decode()
    assert f'href="{url}"' in listing  # a link to the question, not a one-tap POST

    for response in (client.get(url), client.post(url)):
        body = response.content.decode()
        assert response.status_code == 200
        assert "Zrezygnować ze szkolenia?" in body
        assert "trafia od razu do pierwszej osoby z listy rezerwowej" in body
        assert 'name="confirm" value="yes"' in body
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CONFIRMED

    waiting = Enrolment.objects.get(edition=waiting_list_edition)
    body = client.get(reverse("courses:withdraw", args=[waiting.pk])).content.decode()
    assert "tracisz swoją pozycję" in body

    response = client.post(url, {"confirm": "yes"}, follow=True)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    assert "zrezygnowałeś z:" in response.content.decode()
    # Asking again about an ended enrolment only says so.
    response = client.get(url, follow=True)
    assert "Zrezygnować ze szkolenia?" not in response.content.decode()


def test_anonymous_enrol_goes_to_login(client):
    edition = EditionFactory()
    response = client.post(reverse("courses:enrol", args=[edition.pk]))
    assert response.url.startswith(reverse("account_login"))


def test_edition_page_shows_seats_timetable_and_enrol_button(client):
    import datetime

    from courses.models import Session

    project = ProjectFactory()
    QuotaFactory(project=project, regions=["śląskie"])
    edition = EditionFactory(
        project=project, capacity=3, city="Opole", venue="Sala ROPS"
    )
    Session.objects.create(
        edition=edition,
        date=edition.start_date,
        start_time=datetime.time(9),
        end_time=datetime.time(15),
    )
    body = client.get(reverse("courses:edition", args=[edition.pk])).content.decode()
    assert f'data-edition-id="{edition.pk}"' in body  # the live seats script's hook
    assert "3 wolne miejsca" in body
    assert "09:00–15:00" in body and "Sala ROPS, Opole" in body
    assert "Zapisz się" in body
    edition.is_published = False
    edition.save()
    assert client.get(reverse("courses:edition", args=[edition.pk])).status_code == 404

"""The access log: reads of personal data by others are recorded, browsed, shown to the person."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses import roles
from courses.models import AccessAction, AccessEvent, PartnerOrganisation, Voivodeship
from courses.services import enrolment_attach_declaration, enrolment_create
from courses.services.access import access_record
from courses.services.exports import export_now
from tests.factories import (
    EditionFactory,
    InstitutionFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def enrolment():
    trainee = TraineeFactory(first_name="Halina", last_name="Zielińska")
    enrolment = enrolment_create(trainee=trainee, edition=EditionFactory())
    enrolment_attach_declaration(
        enrolment=enrolment,
        file=SimpleUploadedFile("skan.pdf", PDF, content_type="application/pdf"),
        actor=trainee.user,
    )
    return enrolment


@pytest.fixture
def coordinator():
    return UserFactory(
        role=roles.COORDINATOR,
        first_name="Zofia",
        last_name="Urzędniczka",
        email="zofia.urzedniczka@rops.pl",
    )


def test_a_coordinator_opening_an_enrolment_is_recorded(client, enrolment, coordinator):
    client.force_login(coordinator)
    url = reverse("training_enrolments:inspect", args=[enrolment.pk])
    assert client.get(url).status_code == 200
    event = AccessEvent.objects.get()
    assert (event.user, event.action, event.role) == (
        coordinator,
        AccessAction.VIEW,
        "Koordynator",
    )
    assert event.organisation == "Regionalny Ośrodek Polityki Społecznej"
    assert list(event.trainees.all()) == [enrolment.trainee]
    assert event.path == url and "Zielińska" in event.what


def test_the_trainee_sees_who_accessed_their_data_without_the_clerks_name(
    client, enrolment, coordinator
):
    client.force_login(coordinator)
    client.get(reverse("courses:declaration_file", args=[enrolment.pk]))
    client.force_login(enrolment.trainee.user)
    page = client.get(reverse("courses:my_data")).content.decode()
    assert "Regionalny Ośrodek Polityki Społecznej" in page
    assert "Koordynator" in page and "Pobranie" in page
    assert "Skan podpisanego oświadczenia" in page
    assert "Urzędniczka" not in page and "zofia.urzedniczka" not in page


def test_reading_ones_own_data_is_not_recorded(client, enrolment):
    client.force_login(enrolment.trainee.user)
    assert (
        client.get(reverse("courses:declaration_file", args=[enrolment.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("courses:application_pdf", args=[enrolment.pk])).status_code
        == 200
    )
    assert not AccessEvent.objects.exists()


def test_another_trainee_sees_none_of_it(client, enrolment, coordinator):
    client.force_login(coordinator)
    client.get(reverse("training_enrolments:inspect", args=[enrolment.pk]))
    client.force_login(TraineeFactory().user)
    page = client.get(reverse("courses:my_data")).content.decode()
    assert "Zielińska" not in page and "data-access-event" not in page
    assert "Nikt poza Tobą nie miał jeszcze dostępu" in page


def test_the_application_pdf_and_scan_downloads_by_staff_are_recorded(
    client, enrolment, coordinator
):
    client.force_login(coordinator)
    client.get(reverse("courses:application_pdf", args=[enrolment.pk]))
    client.get(reverse("courses:declaration_file", args=[enrolment.pk]))
    whats = list(AccessEvent.objects.order_by("id").values_list("action", "what"))
    code = enrolment.edition.code
    assert whats == [
        ("download", f"Formularz zgłoszeniowy PDF: {code}"),
        ("download", f"Skan podpisanego oświadczenia: {code}"),
    ]


def test_a_partners_export_is_recorded_for_everyone_in_it_under_the_partner(
    enrolment,
):
    outside = enrolment_create(
        trainee=TraineeFactory(
            institution=InstitutionFactory(
                voivodeship=Voivodeship.objects.get(name="mazowieckie")
            )
        ),
        edition=enrolment.edition,
    )
    organisation = PartnerOrganisation.objects.create(name="Fundacja Śląska")
    organisation.projects.add(enrolment.edition.project)
    organisation.voivodeships.add(Voivodeship.objects.get(name="śląskie"))
    clerk = UserFactory(role=roles.PARTNER)
    organisation.staff.add(clerk)
    export_now(
        user=clerk, organisation=organisation, kind="enrolments", fmt="csv", filters={}
    )
    event = AccessEvent.objects.get()
    assert (event.action, event.role, event.organisation) == (
        AccessAction.EXPORT,
        "Partner",
        "Fundacja Śląska",
    )
    assert list(event.trainees.all()) == [enrolment.trainee]
    assert outside.trainee not in event.trainees.all()
    assert event.trainee_count == 1


def test_coordinators_browse_and_filter_the_log(client, enrolment, coordinator):
    other = TraineeFactory(last_name="Wiśniewska")
    access_record(
        actor=coordinator, action="view", what="Karta A", trainees=[enrolment.trainee]
    )
    access_record(
        actor=coordinator, action="download", what="Karta B", trainees=[other]
    )
    client.force_login(coordinator)
    index = reverse("privacy_access_log:index")
    page = client.get(index).content.decode()
    assert "Karta A" in page and "Karta B" in page
    page = client.get(index, {"trainee": "Wiśniew"}).content.decode()
    assert "Karta B" in page and "Karta A" not in page
    page = client.get(index, {"action": "view"}).content.decode()
    assert "Karta A" in page and "Karta B" not in page
    today = datetime.date.today().isoformat()
    page = client.get(
        index, {"created_at_from": "2000-01-01", "created_at_to": "2000-01-02"}
    ).content.decode()
    assert "Karta A" not in page
    page = client.get(index, {"created_at_from": today}).content.decode()
    assert "Karta A" in page


@pytest.mark.parametrize("role", [roles.TRAINER, roles.PARTNER, roles.TRAINEE])
def test_only_coordinators_reach_the_log(client, role):
    access_record(actor=None, action="view", what="Karta tajna", trainees=[])
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("privacy_access_log:index"))
    assert response.status_code in (302, 403)
    assert "Karta tajna" not in response.content.decode()


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError):
        access_record(actor=None, action="peek", what="x", trainees=[])

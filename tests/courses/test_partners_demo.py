"""The demo partner: partner@szkolenia.test exports the seed project's rows in śląskie."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from courses.demo import PARTNER
from courses.models import Enrolment, PartnerOrganisation
from courses.services.exports import export_rows

pytestmark = pytest.mark.django_db


def test_the_demo_partner_is_scoped_to_the_seed_project_in_slaskie(demo_data, client):
    call_command("load_demo_data", verbosity=0)  # loading twice changes nothing
    organisation = PartnerOrganisation.objects.get(name=PARTNER)
    assert [v.name for v in organisation.voivodeships.all()] == ["śląskie"]
    clerk = get_user_model().objects.get(email="partner@szkolenia.test")
    assert list(organisation.staff.all()) == [clerk]
    rows = export_rows(organisation=organisation, kind="enrolments", filters={})
    assert set(rows.values_list("voivodeship__name", flat=True)) <= {"śląskie"}
    assert (
        rows.count()
        == Enrolment.objects.filter(
            voivodeship__name="śląskie",
            edition__project__in=organisation.projects.all(),
        ).count()
    )
    client.force_login(clerk)
    assert client.get(reverse("courses:partner_export")).status_code == 200

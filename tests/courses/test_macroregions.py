"""Every voivodeship is in a macroregion as the seeds name them; coordinators edit them."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from courses import roles
from courses.models import Macroregion, Voivodeship
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "courses.migrations.0016_macroregions_all_voivodeships"
)


def _members(code: str) -> set[str]:
    return set(
        Voivodeship.objects.filter(macroregion__code=code).values_list(
            "name", flat=True
        )
    )


def test_all_sixteen_voivodeships_are_in_a_macroregion():
    assert Voivodeship.objects.count() == 16
    assert not Voivodeship.objects.filter(macroregion__isnull=True).exists()


def test_the_macroregions_hold_what_the_seeds_say():
    # Seed 004: "makroregionu I, tj. woj: lubelskiego, mazowieckiego, podkarpackiego,
    # podlaskiego i świętokrzyskiego".
    assert _members("I") == {
        "lubelskie",
        "mazowieckie",
        "podkarpackie",
        "podlaskie",
        "świętokrzyskie",
    }
    # Seed 003: "makroregionu II, obejmującego województwa: śląskie, opolskie i
    # małopolskie".
    assert _members("II") == {"śląskie", "opolskie", "małopolskie"}
    # Seed 002: the partnership of lubuskie's ROPS with five others.
    assert _members("III") == {
        "kujawsko-pomorskie",
        "pomorskie",
        "warmińsko-mazurskie",
        "wielkopolskie",
        "zachodniopomorskie",
        "lubuskie",
    }
    assert _members("IV") == {"dolnośląskie", "łódzkie"}
    assert "002" in Macroregion.objects.get(code="III").source
    assert "żaden" in Macroregion.objects.get(code="IV").source


def test_the_migration_keeps_what_a_coordinator_placed_and_fills_the_rest():
    other = Macroregion.objects.create(code="Z", name="Makroregion zachodni")
    Voivodeship.objects.filter(name="lubuskie").update(macroregion=other)
    Voivodeship.objects.exclude(name="lubuskie").update(macroregion=None)

    migration.load(apps, None)
    migration.load(apps, None)  # twice: nothing moves the second time

    assert Voivodeship.objects.get(name="lubuskie").macroregion == other
    assert not Voivodeship.objects.filter(macroregion__isnull=True).exists()
    assert _members("III") == {
        "kujawsko-pomorskie",
        "pomorskie",
        "warmińsko-mazurskie",
        "wielkopolskie",
        "zachodniopomorskie",
    }
    assert Macroregion.objects.filter(code="III").count() == 1


def test_a_coordinator_moves_a_voivodeship_to_another_macroregion(client):
    client.force_login(UserFactory(role=roles.COORDINATOR))
    assert client.get(reverse("training_macroregions:index")).status_code == 200
    lodzkie = Voivodeship.objects.get(name="łódzkie")
    target = Macroregion.objects.get(code="II")
    response = client.post(
        reverse("training_voivodeships:edit", args=[lodzkie.pk]),
        {"name": lodzkie.name, "teryt": lodzkie.teryt, "macroregion": target.pk},
    )
    assert response.status_code == 302
    lodzkie.refresh_from_db()
    assert lodzkie.macroregion == target
    index = client.get(reverse("training_macroregions:index")).content.decode()
    assert "łódzkie" in index


def test_a_trainer_cannot_edit_macroregions(client):
    client.force_login(UserFactory(role=roles.TRAINER))
    lodzkie = Voivodeship.objects.get(name="łódzkie")
    before = lodzkie.macroregion_id
    client.post(
        reverse("training_voivodeships:edit", args=[lodzkie.pk]),
        {"name": lodzkie.name, "teryt": lodzkie.teryt, "macroregion": ""},
    )
    lodzkie.refresh_from_db()
    assert lodzkie.macroregion_id == before

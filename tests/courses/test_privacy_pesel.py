"""PESEL at rest: encrypted, unique and found by keyed hash, masked for staff, keys rotate."""

import os

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from courses import roles
from courses.crypto import keyed_hash, pesel_mask
from courses.models import AccessAction, AccessEvent, TraineeProfile
from courses.storage import private_storage
from tests.factories import TraineeFactory, UserFactory

pytestmark = pytest.mark.django_db
PESEL = "44051401359"


def stored_pesel(trainee) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pesel, pesel_hash FROM courses_traineeprofile WHERE id = %s",
            [trainee.pk],
        )
        return cursor.fetchone()


def test_the_database_holds_a_token_and_a_keyed_hash_never_the_number():
    trainee = TraineeFactory(pesel=PESEL)
    token, digest = stored_pesel(trainee)
    assert PESEL not in token and token.startswith("gAAAAA")
    assert digest == keyed_hash(PESEL) and PESEL not in digest
    assert TraineeProfile.objects.get(pk=trainee.pk).pesel == PESEL
    assert TraineeProfile.objects.get(TraineeProfile.pesel_lookup(PESEL)) == trainee


def test_an_empty_pesel_stays_empty_and_many_may_have_none():
    first, second = TraineeFactory(pesel=""), TraineeFactory(pesel="")
    assert stored_pesel(first) == ("", "") == stored_pesel(second)


def test_the_same_pesel_twice_is_refused_by_validation_and_by_the_database():
    TraineeFactory(pesel=PESEL)
    other = TraineeFactory.build(
        pesel=PESEL, user=UserFactory(), institution=TraineeFactory().institution
    )
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert error.value.message_dict["pesel"] == [
        "Uczestnik z tym numerem PESEL jest już zarejestrowany."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_a_trainee_giving_a_taken_pesel_sees_a_polish_error(client):
    TraineeFactory(pesel=PESEL)
    newcomer = TraineeFactory()
    client.force_login(newcomer.user)
    response = client.post(
        reverse("courses:profile"),
        {
            "first_name": "Ewa",
            "last_name": "Nowa",
            "gender": "K",
            "position": newcomer.position,
            "education": "",
            "phone": "",
            "pesel": PESEL,
            "institution-name": newcomer.institution.name,
            "institution-type": newcomer.institution.type,
            "institution-voivodeship": newcomer.institution.voivodeship_id,
            "institution-county": newcomer.institution.county,
            "institution-municipality": newcomer.institution.municipality,
            "institution-regon": "",
        },
    )
    assert response.status_code == 200
    assert "Uczestnik z tym numerem PESEL jest już zarejestrowany." in (
        response.content.decode()
    )
    newcomer.refresh_from_db()
    assert newcomer.pesel == "" and newcomer.first_name == "Anna"


def test_the_mask_shows_only_the_last_three_digits():
    assert pesel_mask(PESEL) == "••••••••359"
    assert pesel_mask("") == ""


def test_staff_see_the_pesel_masked_and_reveal_it_on_purpose_logged(client):
    trainee = TraineeFactory(pesel=PESEL)
    coordinator = UserFactory(role=roles.COORDINATOR, first_name="Zofia")
    client.force_login(coordinator)
    url = reverse("training_trainees:inspect", args=[trainee.pk])
    page = client.get(url).content.decode()
    assert PESEL not in page and "••••••••359" in page
    assert "Odkryj numer PESEL" in page
    edit = client.get(reverse("training_trainees:edit", args=[trainee.pk]))
    assert edit.status_code == 200 and PESEL not in edit.content.decode()
    assert not AccessEvent.objects.filter(action=AccessAction.REVEAL_PESEL).exists()

    revealed = client.post(url, {"reveal_pesel": "1"}).content.decode()
    assert PESEL in revealed
    event = AccessEvent.objects.get(action=AccessAction.REVEAL_PESEL)
    assert event.user == coordinator and list(event.trainees.all()) == [trainee]
    assert event.role == "Koordynator"
    # The page views were recorded as well, the reveal separately.
    assert AccessEvent.objects.filter(action=AccessAction.VIEW).count() == 2


def test_who_may_not_reveal_gets_no_number_and_no_reveal(client):
    trainee = TraineeFactory(pesel=PESEL)
    clerk = UserFactory(role=roles.COORDINATOR)
    clerk.groups.clear()
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_traineeprofile"])
    )
    client.force_login(clerk)
    url = reverse("training_trainees:inspect", args=[trainee.pk])
    page = client.get(url).content.decode()
    assert PESEL not in page and "Odkryj numer PESEL" not in page
    response = client.post(url, {"reveal_pesel": "1"})
    # Wagtail answers a missing permission with a redirect to the dashboard.
    assert response.status_code in (302, 403) and PESEL.encode() not in response.content
    assert not AccessEvent.objects.filter(action=AccessAction.REVEAL_PESEL).exists()


def test_rotation_reencrypts_numbers_and_files_with_the_new_key(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.COURSES_ENCRYPTION_KEYS = [old]
    trainee = TraineeFactory(pesel=PESEL)
    storage = private_storage()
    name = storage.save("declarations/test.pdf", ContentFile(b"%PDF-1.4 scan"))
    old_token, old_hash = stored_pesel(trainee)
    Fernet(old.encode()).decrypt(old_token.encode())  # written with the old key

    settings.COURSES_ENCRYPTION_KEYS = [new, old]
    settings.COURSES_HASH_KEY = "a-new-hash-key"
    assert TraineeProfile.objects.get(pk=trainee.pk).pesel == PESEL  # old still reads
    call_command("privacy_rotate_keys", verbosity=0)

    settings.COURSES_ENCRYPTION_KEYS = [new]  # the old key is gone
    token, digest = stored_pesel(trainee)
    assert Fernet(new.encode()).decrypt(token.encode()).decode() == PESEL
    assert digest == keyed_hash(PESEL) != old_hash
    assert TraineeProfile.objects.get(TraineeProfile.pesel_lookup(PESEL)) == trainee
    with storage.open(name) as file:
        assert file.read() == b"%PDF-1.4 scan"


def test_a_file_stored_before_encryption_is_read_then_encrypted_by_rotation():
    storage = private_storage()
    path = storage.path("attendance/old.pdf")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(b"%PDF-1.4 old scan")
    with storage.open("attendance/old.pdf") as file:
        assert file.read() == b"%PDF-1.4 old scan"
    call_command("privacy_rotate_keys", verbosity=0)
    with open(path, "rb") as handle:
        assert handle.read().startswith(b"gAAAAA")
    with storage.open("attendance/old.pdf") as file:
        assert file.read() == b"%PDF-1.4 old scan"

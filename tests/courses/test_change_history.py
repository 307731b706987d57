# ruff: noqa: F811 (pytest fixtures imported from the erasure tests)
"""The change history of personal data (django-auditlog): who changed what, shown to
coordinators beside the access log; PESEL never in it; gone with the person."""

import io
import json

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from courses import roles
from courses.crypto import keyed_hash
from courses.models import TraineeProfile
from courses.services import enrolment_approve, enrolment_mark_declaration_received

# The erasure tests' participant (a project past, records kept until 2030).
from tests.courses.test_privacy_erasure import participant, past_project  # noqa: F401
from tests.factories import (
    EditionFactory,
    ProjectFactory,
    TraineeFactory,
    UserFactory,
)
from tests.states import enrol

pytestmark = pytest.mark.django_db
PESEL = "44051401359"
NEW_PESEL = "02070803628"


def _profile_form(trainee, **changes):
    data = {
        "first_name": trainee.first_name,
        "last_name": trainee.last_name,
        "gender": trainee.gender,
        "position": trainee.position,
        "education": "",
        "phone": trainee.phone,
        "pesel": trainee.pesel,
        "institution-name": trainee.institution.name,
        "institution-type": trainee.institution.type,
        "institution-voivodeship": trainee.institution.voivodeship_id,
        "institution-county": trainee.institution.county,
        "institution-municipality": trainee.institution.municipality,
        "institution-regon": "",
    }
    return {**data, **changes}


def _entries_of(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp", "pk")


def _all_history_text() -> str:
    return json.dumps(
        [
            [e.object_repr, e.changes, e.changes_text, e.serialized_data]
            for e in LogEntry.objects.all()
        ],
        ensure_ascii=False,
    )


def test_a_change_through_the_site_is_recorded_with_who_and_what(client):
    trainee = TraineeFactory(phone="600 100 200")
    client.force_login(trainee.user)
    response = client.post(
        reverse("courses:profile"), _profile_form(trainee, phone="601 999 888")
    )
    assert response.status_code == 302
    update = _entries_of(trainee).filter(action=LogEntry.Action.UPDATE).get()
    assert update.actor == trainee.user
    assert update.changes["phone"] == ["600 100 200", "601 999 888"]


def test_pesel_never_enters_the_history_in_clear_encrypted_or_hashed(client):
    trainee = TraineeFactory(pesel=PESEL)
    client.force_login(trainee.user)
    client.post(
        reverse("courses:profile"),
        _profile_form(trainee, pesel=NEW_PESEL, last_name="Nowa-Kowalska"),
    )
    trainee.refresh_from_db()
    assert trainee.pesel == NEW_PESEL
    text = _all_history_text()
    assert "Nowa-Kowalska" in text  # the change is there ...
    for secret in (PESEL, NEW_PESEL, keyed_hash(PESEL), keyed_hash(NEW_PESEL)):
        assert secret not in text  # ... the PESEL is not, in any form
    stored = TraineeProfile.objects.filter(pk=trainee.pk).values_list(
        "pesel", flat=True
    )
    assert stored[0] not in text  # nor its Fernet token
    assert all("pesel" not in (e.changes or {}) for e in LogEntry.objects.all())


def test_an_enrolment_status_change_is_recorded():
    coordinator = UserFactory(role=roles.COORDINATOR)
    enrolment = enrol(
        edition=EditionFactory(project=ProjectFactory(requires_approval=True))
    )
    enrolment_mark_declaration_received(enrolment=enrolment, actor=coordinator)
    from auditlog.context import set_actor

    with set_actor(coordinator):
        enrolment_approve(enrolment=enrolment, actor=coordinator)
    changes = [e.changes.get("status") for e in _entries_of(enrolment) if e.changes]
    assert ["pending", "confirmed"] in changes
    assert _entries_of(enrolment).last().actor == coordinator


def test_coordinators_browse_and_filter_it_beside_the_access_log(client):
    trainee = TraineeFactory(last_name="Śliwińska", phone="600 100 200")
    trainee.phone = "601 000 000"
    trainee.save()
    TraineeFactory(last_name="Zawadzka")
    coordinator = UserFactory(role=roles.COORDINATOR)
    client.force_login(coordinator)
    index = reverse("privacy_change_history:index")
    page = client.get(index, {"object_repr": "Śliwińska"}).content.decode()
    assert "Historia zmian" in page
    assert "601 000 000" in page and "Zawadzka" not in page
    menu = client.get(reverse("privacy_access_log:index")).content.decode()
    assert index in menu  # in the same "Dane osobowe" menu
    entry = _entries_of(trainee).last()
    inspect = client.get(reverse("privacy_change_history:inspect", args=[entry.pk]))
    assert inspect.status_code == 200
    # Nobody edits or deletes the history, a coordinator neither.
    for name in ("edit", "delete"):
        url = reverse(f"privacy_change_history:{name}", args=[entry.pk])
        assert client.get(url).status_code in (302, 403)
    assert LogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("role", [roles.TRAINER, roles.PARTNER, roles.ADVISER, None])
def test_nobody_else_sees_it(client, role):
    TraineeFactory()
    client.force_login(UserFactory(role=role) if role else TraineeFactory().user)
    response = client.get(reverse("privacy_change_history:index"))
    assert response.status_code in (302, 403)
    assert "Historia zmian" not in response.content.decode()


def test_an_erasure_request_takes_the_phone_out_of_the_history_too(
    client,
    participant,
):
    participant.phone = "602 222 333"
    participant.save()
    assert "602 222 333" in _all_history_text()
    client.force_login(participant.user)
    client.post(reverse("courses:erasure"), {"confirm": "1"})
    text = _all_history_text()
    assert "602 222 333" not in text and "600 100 200" not in text
    assert "Zielińska" in text  # kept with the records until the archival date


def test_anonymisation_leaves_no_history_naming_the_person(participant):
    participant.first_name = "Halina Maria"
    participant.save()
    assert "Halina Maria" in _all_history_text()
    participant.user.last_login = None
    participant.user.save()
    call_command("privacy_retention", "--today", "2031-01-15", stdout=io.StringIO())
    participant.refresh_from_db()
    assert participant.last_name == f"#{participant.pk}"
    text = _all_history_text()
    assert "Halina" not in text and "Zielińska" not in text
    assert not _entries_of(participant).exists()
    # The access log keeps that it happened, without the old values.
    from courses.models import AccessAction, AccessEvent

    assert AccessEvent.objects.filter(
        action=AccessAction.ANONYMISATION, trainees=participant
    ).exists()

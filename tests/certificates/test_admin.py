"""The coordinator's register: list, inspect, preview, revoke and correct with a reason."""

import pytest

from certificates.models import Certificate
from certificates.services import certificate_issue

pytestmark = pytest.mark.django_db
REGISTER = "/admin/certificates/register/"


@pytest.fixture
def certificate(enrolment, coordinator):
    return certificate_issue(enrolment=enrolment, actor=coordinator)


def test_register_lists_and_filters(client, certificate, coordinator):
    client.force_login(coordinator)
    listed = client.get(REGISTER).content.decode()
    assert certificate.number in listed
    assert "Małgorzata Łęczycka-Źrebiec" in listed
    assert (
        certificate.number
        not in client.get(REGISTER, {"state": "revoked"}).content.decode()
    )
    assert (
        certificate.number in client.get(REGISTER, {"state": "valid"}).content.decode()
    )
    inspect = client.get(f"{REGISTER}inspect/{certificate.pk}/")
    assert inspect.status_code == 200
    assert certificate.code in inspect.content.decode()
    # No add or edit screens: certificates change only through the actions.
    assert client.get(f"{REGISTER}add/").status_code == 404
    assert client.get(f"{REGISTER}edit/{certificate.pk}/").status_code == 404


def test_preview_renders_without_touching_the_stored_pdf(
    client, certificate, coordinator
):
    stored = certificate.pdf.read()
    client.force_login(coordinator)
    preview = client.get(f"{REGISTER}preview/{certificate.pk}/")
    assert preview.status_code == 200
    assert preview.content.startswith(b"%PDF-")
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as pdf:
        assert pdf.read() == stored


def test_revoke_needs_a_reason_in_the_admin(client, certificate, coordinator):
    client.force_login(coordinator)
    url = f"{REGISTER}revoke/{certificate.pk}/"
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "Podaj powód unieważnienia." in refused.content.decode()
    done = client.post(url, {"reason": "Dane niezgodne z dokumentem"})
    assert done.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Dane niezgodne z dokumentem"
    assert certificate.revoked_by == coordinator


def test_correct_in_the_admin_issues_a_new_number(client, certificate, coordinator):
    trainee = certificate.enrolment.trainee
    trainee.first_name = "Małgorzata Anna"
    trainee.save()
    client.force_login(coordinator)
    done = client.post(
        f"{REGISTER}correct/{certificate.pk}/", {"reason": "Drugie imię"}
    )
    new = Certificate.objects.get(revoked_at__isnull=True)
    assert done["Location"] == f"{REGISTER}inspect/{new.pk}/"
    assert new.holder_name == "Małgorzata Anna Łęczycka-Źrebiec"
    assert new.sequence == certificate.sequence + 1


def test_trainees_have_no_admin(client, certificate):
    client.force_login(certificate.enrolment.trainee.user)
    assert client.get(REGISTER).status_code in (302, 403)
    assert client.post(
        f"{REGISTER}revoke/{certificate.pk}/", {"reason": "x"}
    ).status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.is_valid

"""Download by the holder only; public verification that says little and cannot be probed."""

import pytest
from django.core.cache import cache

from certificates.services import certificate_issue, certificate_revoke
from certificates.views import LOOKUP_LIMIT
from tests.factories import TraineeFactory

from .conftest import completed_enrolment

pytestmark = pytest.mark.django_db


ADDRESSES = ["127.0.0.1", "10.0.0.2", "192.0.2.1", "192.0.2.2"]


@pytest.fixture(autouse=True)
def _fresh_counters():
    # Only our keys: the cache may be a Redis shared with other processes.
    keys = [f"certificates:lookups:{address}" for address in ADDRESSES]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


@pytest.fixture
def certificate(enrolment, coordinator):
    return certificate_issue(enrolment=enrolment, actor=coordinator)


def _download(client, certificate):
    return client.get(f"/zaswiadczenia/{certificate.pk}/pobierz/")


def test_the_holder_downloads_the_stored_pdf(client, certificate):
    client.force_login(certificate.enrolment.trainee.user)
    response = _download(client, certificate)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    with certificate.pdf.open("rb") as stored:
        assert response.content == stored.read()


def test_another_trainee_gets_404(client, certificate):
    client.force_login(TraineeFactory().user)
    assert _download(client, certificate).status_code == 404


def test_anonymous_is_sent_to_log_in(client, certificate):
    response = _download(client, certificate)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_a_coordinator_downloads_any_certificate(client, certificate, coordinator):
    client.force_login(coordinator)
    assert _download(client, certificate).status_code == 200


def test_the_holder_cannot_download_a_revoked_certificate(
    client, certificate, coordinator
):
    certificate_revoke(certificate=certificate, actor=coordinator, reason="Błąd")
    client.force_login(certificate.enrolment.trainee.user)
    assert _download(client, certificate).status_code == 404


def test_my_training_links_the_certificate(client, certificate):
    client.force_login(certificate.enrolment.trainee.user)
    page = client.get("/moje-szkolenia/").content.decode()
    assert f"/zaswiadczenia/{certificate.pk}/pobierz/" in page
    assert f"Zaświadczenie nr {certificate.number}" in page


def test_verification_by_code_says_valid_with_a_masked_name(client, certificate):
    page = client.get(f"/zaswiadczenia/weryfikacja/{certificate.code}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Zaświadczenie jest ważne" in text
    assert "Małgorzata Ł**************c" in text
    assert "Łęczycka" not in text
    assert certificate.number in text
    assert "Praca socjalna z rodziną w kryzysie" in text
    assert page["X-Robots-Tag"] == "noindex"


def test_verification_by_number_and_code_then_revoked(client, certificate, coordinator):
    query = {"numer": certificate.number, "kod": certificate.code.lower()}
    assert (
        "Zaświadczenie jest ważne"
        in client.get("/zaswiadczenia/weryfikacja/", query).content.decode()
    )
    certificate_revoke(
        certificate=certificate, actor=coordinator, reason="Wydane omyłkowo"
    )
    text = client.get("/zaswiadczenia/weryfikacja/", query).content.decode()
    assert "Zaświadczenie zostało unieważnione" in text
    assert "Wydane omyłkowo" in text
    assert "Zaświadczenie jest ważne" not in text


def test_a_wrong_code_and_a_wrong_number_get_the_same_answer(client, certificate):
    other = certificate_issue(
        enrolment=completed_enrolment(edition=certificate.enrolment.edition),
        actor=None,
    )
    answers = [
        client.get("/zaswiadczenia/weryfikacja/", query)
        for query in (
            {"numer": certificate.number, "kod": "AAAAAAAAAAAAAAAA"},
            {
                "numer": other.number,
                "kod": certificate.code,
            },  # a real code, wrong number
            {"numer": "NIE/2026/00001", "kod": certificate.code},
        )
    ]
    assert {a.status_code for a in answers} == {404}
    for answer in answers:
        text = answer.content.decode()
        assert "Nie znaleziono zaświadczenia o podanym numerze i kodzie" in text
        assert certificate.holder_name.split()[0] not in text
    assert client.get("/zaswiadczenia/weryfikacja/NIEMATAKIEGOKODU/").status_code == 404


def test_lookups_are_limited_per_address(client, certificate):
    url = f"/zaswiadczenia/weryfikacja/{certificate.code}/"
    for _ in range(LOOKUP_LIMIT):
        assert client.get(url).status_code == 200
    limited = client.get(url)
    assert limited.status_code == 429
    assert "Zbyt wiele sprawdzeń" in limited.content.decode()
    # The form counts against the same limit; another address is not affected.
    assert (
        client.get(
            "/zaswiadczenia/weryfikacja/",
            {"numer": certificate.number, "kod": certificate.code},
        ).status_code
        == 429
    )
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_the_empty_form_is_not_a_lookup(client):
    for _ in range(LOOKUP_LIMIT + 5):
        assert client.get("/zaswiadczenia/weryfikacja/").status_code == 200


def test_behind_a_proxy_the_configured_header_names_the_client(
    client, certificate, settings
):
    settings.CERTIFICATES_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    url = f"/zaswiadczenia/weryfikacja/{certificate.code}/"
    for _ in range(LOOKUP_LIMIT):
        client.get(url, HTTP_X_REAL_IP="192.0.2.1")
    assert client.get(url, HTTP_X_REAL_IP="192.0.2.1").status_code == 429
    assert client.get(url, HTTP_X_REAL_IP="192.0.2.2").status_code == 200

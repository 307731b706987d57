"""The certificate's QR code and printed link: the site's real address, never a guess."""

import io
import re

import pytest
from pypdf import PdfReader

from certificates.models import Certificate
from certificates.pdf import CertificateRenderer, qr_svg
from courses.links import public_base_url_of

from .conftest import completed_enrolment

pytestmark = pytest.mark.django_db

DEMO = "127.0.0.1:8113"  # a demo served on another port than the default


def _issue_in_the_admin(client, coordinator, edition, host, capture):
    completed_enrolment(edition=edition)
    client.force_login(coordinator)
    client.post(
        "/admin/certificates/issue/new/",
        {"project": edition.project.pk, "edition": edition.pk},
        HTTP_HOST=host,
    )
    batch_pk = client.get("/admin/certificates/issue/", HTTP_HOST=host)
    from certificates.models import CertificateBatch

    batch = CertificateBatch.objects.get()
    with capture(execute=True):
        client.post(
            f"/admin/certificates/issue/batch/{batch.pk}/start/",
            HTTP_ACCEPT="application/json",
            HTTP_HOST=host,
        )
    assert batch_pk.status_code == 200
    return Certificate.objects.get()


def _pdf_links_and_text(certificate) -> tuple[list[str], str]:
    with certificate.pdf.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    text = re.sub(r"\s+", "", reader.pages[0].extract_text())
    return links, text


def test_in_development_the_pdf_links_to_the_address_of_the_request(
    settings, client, coordinator, edition, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    certificate = _issue_in_the_admin(
        client, coordinator, edition, DEMO, django_capture_on_commit_callbacks
    )
    url = f"http://{DEMO}/zaswiadczenia/weryfikacja/{certificate.code}/"
    links, text = _pdf_links_and_text(certificate)
    assert links == [url]
    assert url in text  # the printed address, as a reader types it in
    with public_base_url_of(f"http://{DEMO}"):
        html = CertificateRenderer().html(certificate=certificate)
    assert qr_svg(url=url) in html  # the QR code encodes the same address
    assert client.get(url.removeprefix(f"http://{DEMO}")).status_code == 200


def test_in_production_the_pdf_ignores_the_host_header(
    settings, client, coordinator, edition, django_capture_on_commit_callbacks
):
    settings.DEBUG = False
    settings.WAGTAILADMIN_BASE_URL = "https://szkolenia.rops.example.pl"
    certificate = _issue_in_the_admin(
        client,
        coordinator,
        edition,
        "attacker.example",
        django_capture_on_commit_callbacks,
    )
    url = f"https://szkolenia.rops.example.pl/zaswiadczenia/weryfikacja/{certificate.code}/"
    links, text = _pdf_links_and_text(certificate)
    assert links == [url]
    assert url in text
    html = CertificateRenderer().html(certificate=certificate)
    assert qr_svg(url=url) in html
    assert "attacker" not in html


def test_the_certificate_email_links_to_the_same_address(
    settings,
    client,
    coordinator,
    edition,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.DEBUG = True
    certificate = _issue_in_the_admin(
        client, coordinator, edition, DEMO, django_capture_on_commit_callbacks
    )
    (message,) = [
        m for m in mailoutbox if m.to == [certificate.enrolment.trainee.user.email]
    ]
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert f"http://{DEMO}/zaswiadczenia/weryfikacja/{certificate.code}/" in body
        assert "127.0.0.1:8000" not in body


def test_in_production_the_configured_wagtail_site_gives_the_address(
    settings, client, coordinator, edition, django_capture_on_commit_callbacks
):
    """Settings → Sites: its hostname (port 443: https) wins over the setting."""
    from wagtail.models import Site

    settings.DEBUG = False
    settings.WAGTAILADMIN_BASE_URL = "https://stary-adres.example.pl"
    Site.objects.filter(is_default_site=True).update(
        hostname="szkolenia.rops.slaskie.pl", port=443
    )
    certificate = _issue_in_the_admin(
        client,
        coordinator,
        edition,
        "attacker.example",
        django_capture_on_commit_callbacks,
    )
    url = f"https://szkolenia.rops.slaskie.pl/zaswiadczenia/weryfikacja/{certificate.code}/"
    links, text = _pdf_links_and_text(certificate)
    assert links == [url]
    assert url in text
    assert "stary-adres" not in text and "attacker" not in text

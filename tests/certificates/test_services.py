"""Issuing, revoking, correcting: numbers without gaps, documents that never change."""

import hashlib
from pathlib import Path

import pytest
from django.core import mail

from certificates.errors import CertificateError
from certificates.models import Certificate, CertificateCounter
from certificates.services import (
    certificate_correct,
    certificate_issue,
    certificate_preview,
    certificate_revoke,
)
from courses.models import EnrolmentStatus
from tests.states import enrolment_in

from .conftest import completed_enrolment

pytestmark = pytest.mark.django_db


def _sequences(project):
    return sorted(
        Certificate.objects.filter(project=project).values_list("sequence", flat=True)
    )


def test_issue_numbers_per_project_and_year(enrolment, coordinator):
    certificate = certificate_issue(enrolment=enrolment, actor=coordinator)
    second = certificate_issue(
        enrolment=completed_enrolment(edition=enrolment.edition), actor=coordinator
    )
    year = certificate.issued_on.year
    assert certificate.number == f"POWR.02.05.00-00-0042/20/{year}/00001"
    assert second.number == f"POWR.02.05.00-00-0042/20/{year}/00002"
    assert certificate.holder_name == "Małgorzata Łęczycka-Źrebiec"
    assert certificate.course_title == "Praca socjalna z rodziną w kryzysie"
    assert certificate.hours == 24
    assert certificate.snapshot["trainers"] == [
        "dr Anna Wójcik",
        "mgr Łukasz Żółkiewski",
    ]
    assert certificate.issued_by == coordinator
    assert len(certificate.code) == 16
    assert certificate.code != second.code
    assert certificate.pdf.read().startswith(b"%PDF-")


def test_issuing_again_returns_the_valid_certificate_and_takes_no_number(
    enrolment, coordinator
):
    first = certificate_issue(enrolment=enrolment, actor=coordinator)
    again = certificate_issue(enrolment=enrolment, actor=coordinator)
    assert again.pk == first.pk
    assert CertificateCounter.objects.get(project=first.project).last == 1


@pytest.mark.parametrize(
    "status",
    [EnrolmentStatus.CONFIRMED, EnrolmentStatus.NOT_COMPLETED, EnrolmentStatus.PENDING],
)
def test_only_completed_enrolments_get_a_certificate(edition, coordinator, status):
    if status == EnrolmentStatus.PENDING:
        edition.project.requires_approval = True
        edition.project.save()
    enrolment = enrolment_in(status=status, edition=edition)
    with pytest.raises(CertificateError) as refused:
        certificate_issue(enrolment=enrolment, actor=coordinator)
    assert refused.value.code == "not_completed"
    assert not Certificate.objects.exists()
    assert not CertificateCounter.objects.filter(last__gt=0).exists()


class _CrashingRenderer:
    """Stands in for a renderer that dies half-way (out of memory, a killed worker)."""

    def render(self, *, certificate):
        raise RuntimeError("renderer died")


def test_a_failed_render_keeps_the_number_and_stores_no_file(
    enrolment, coordinator, settings, monkeypatch
):
    """The number is committed with its row before the PDF; a render that keeps failing
    (retried) leaves the certificate without a file, and the next issue stores it."""
    monkeypatch.setattr("certificates.services.STORE_RETRY_DELAY", 0)
    certificate = certificate_issue(
        enrolment=enrolment, actor=coordinator, renderer=_CrashingRenderer()
    )
    stored = Certificate.objects.get()
    assert (stored.pk, stored.sequence, stored.pdf.name, stored.pdf_sha256) == (
        certificate.pk,
        1,
        "",
        "",
    )
    assert CertificateCounter.objects.get().last == 1
    assert not any(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.pdf*"))
    again = certificate_issue(enrolment=enrolment, actor=coordinator)
    stored.refresh_from_db()
    assert again.pk == stored.pk and stored.pdf and len(stored.pdf_sha256) == 64
    with stored.pdf.open("rb") as pdf:
        assert hashlib.sha256(pdf.read()).hexdigest() == stored.pdf_sha256


def test_an_issued_certificate_never_changes(enrolment, coordinator):
    certificate = certificate_issue(enrolment=enrolment, actor=coordinator)
    stored = certificate.pdf.read()
    before = Certificate.objects.values().get(pk=certificate.pk)

    trainee = enrolment.trainee
    trainee.last_name = "Nowak"
    trainee.save()
    course = enrolment.edition.course
    course.title = "Zupełnie inny tytuł"
    course.hours = 8
    course.save()
    preview = certificate_preview(certificate=certificate)
    again = certificate_issue(enrolment=enrolment, actor=coordinator)

    certificate.refresh_from_db()
    assert again.pk == certificate.pk
    assert Certificate.objects.values().get(pk=certificate.pk) == before
    with certificate.pdf.open("rb") as pdf:
        assert pdf.read() == stored
    assert preview.startswith(b"%PDF-")  # rendered from the data at issue, not saved
    assert Certificate.objects.count() == 1


def test_revocation_needs_a_reason_and_happens_once(enrolment, coordinator):
    certificate = certificate_issue(enrolment=enrolment, actor=coordinator)
    with pytest.raises(CertificateError):
        certificate_revoke(certificate=certificate, actor=coordinator, reason="  ")
    revoked = certificate_revoke(
        certificate=certificate, actor=coordinator, reason="Wydane omyłkowo"
    )
    assert revoked.revoked_at is not None
    assert revoked.revoked_by == coordinator
    assert revoked.revocation_reason == "Wydane omyłkowo"
    with pytest.raises(CertificateError):
        certificate_revoke(certificate=revoked, actor=coordinator, reason="znowu")
    # Revoked stays in the register; a new issue takes the next number.
    new = certificate_issue(enrolment=enrolment, actor=coordinator)
    assert new.sequence == 2
    assert _sequences(new.project) == [1, 2]


def test_correction_revokes_and_issues_a_new_number_with_the_new_name(
    enrolment, coordinator
):
    old = certificate_issue(enrolment=enrolment, actor=coordinator)
    trainee = enrolment.trainee
    trainee.last_name = "Łęczycka-Nowak"
    trainee.save()
    new = certificate_correct(
        certificate=old, actor=coordinator, reason="Zmiana nazwiska"
    )
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert old.replaced_by == new
    assert old.holder_name == "Małgorzata Łęczycka-Źrebiec"
    assert new.holder_name == "Małgorzata Łęczycka-Nowak"
    assert new.sequence == old.sequence + 1
    assert new.number != old.number
    assert new.is_valid


def test_the_holder_gets_an_email_in_polish(
    enrolment, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(enrolment=enrolment, actor=coordinator)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [enrolment.trainee.user.email]
    assert "Zaświadczenie" in message.subject
    assert certificate.number in message.body
    assert f"/zaswiadczenia/{certificate.pk}/pobierz/" in message.body
    html = message.alternatives[0][0]
    assert certificate.code in html
    assert "Cześć" in message.body or "Dzień dobry" in message.body

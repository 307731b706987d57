"""`manage.py storage_check`: missing, damaged and orphan files; counters behind.

(tests/certificates/test_backup_restore.py runs it after real restores.)
"""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from certificates.models import CertificateCounter
from certificates.services import certificate_issue
from courses.storage_check import storage_check

pytestmark = pytest.mark.django_db

SCAN = b"%PDF-1.4 signed declaration\n%%EOF\n"


@pytest.fixture
def stored(settings, enrolment, coordinator):
    certificate = certificate_issue(enrolment=enrolment, actor=coordinator)
    enrolment.declaration.save("skan.pdf", ContentFile(SCAN))
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return certificate, root / certificate.pdf.name, root / enrolment.declaration.name


def _check(*args: str) -> tuple[str, str | None]:
    out = io.StringIO()
    try:
        call_command("storage_check", "--grace", "0", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def test_files_that_agree_with_the_database_pass(stored):
    out, error = _check()
    assert error is None
    assert "Sprawdzono 2 pliki wskazane w bazie danych." in out
    assert "Pliki i baza danych są zgodne." in out


def test_a_damaged_scan_and_a_changed_certificate_are_reported(stored, enrolment):
    certificate, pdf, scan = stored
    scan.write_bytes(scan.read_bytes()[:-20])  # encrypted, cut short
    # Another valid encrypted file in the certificate's place: decrypts, wrong hash.
    other = ContentFile(b"%PDF-1.4 another document")
    pdf.unlink()
    pdf.parent.mkdir(parents=True, exist_ok=True)
    from courses.storage import private_storage

    private_storage().save(certificate.pdf.name, other)

    out, error = _check()

    assert error == "Znaleziono 2 problemy."
    assert (
        f"USZKODZONY: {enrolment.declaration.name} (podpisane oświadczenie "
        f"zgłoszenia {enrolment.pk}): nie da się go odszyfrować"
    ) in out
    assert (
        f"USZKODZONY: {certificate.pdf.name} (zaświadczenie {certificate.number}): "
        "jego treść różni się od zapisanej (SHA-256)"
    ) in out


def test_an_orphan_is_listed_then_deleted_only_when_asked(settings, stored):
    orphan = Path(settings.PRIVATE_MEDIA_ROOT) / "certificates" / "2026" / "obcy.pdf"
    orphan.write_bytes(b"left by a crash")

    out, error = _check()
    assert (
        "OSIEROCONY (żaden wiersz go nie wskazuje): certificates/2026/obcy.pdf" in out
    )
    assert error == "Znaleziono 1 problem."
    assert orphan.exists()
    # Younger than the grace period: may be being written, left out.
    assert storage_check(grace=timedelta(hours=1)).orphans == []

    out, error = _check("--delete-orphans")
    assert "USUNIĘTO OSIEROCONY: certificates/2026/obcy.pdf" in out
    assert error is None and not orphan.exists()


def test_a_counter_behind_the_database_is_moved_up_on_repair(stored, edition):
    CertificateCounter.objects.filter(project=edition.project).update(last=0)

    out, error = _check()
    assert error == "Znaleziono 1 problem."
    assert "stoi na 0, a wydano już numer 1 (najwyższy w bazie danych: 1" in out

    out, error = _check("--repair")
    assert error is None and "NAPRAWIONO" in out
    assert CertificateCounter.objects.get(project=edition.project).last == 1

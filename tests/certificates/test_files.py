"""Orphan and damaged PDFs: a file exists only for a committed certificate, whole, and is
served only while its SHA-256 is the one recorded at issue.

The crashes are real: a separate process issues the certificate and dies (os._exit)
at the chosen point; the test then looks at what the database and the disk hold.
"""

import hashlib
import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_store_pdf
from certificates.sweep import certificates_sweep
from courses.crypto import decrypt_bytes
from tests.processes import run_python

from .conftest import completed_enrolment

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CRASH_AFTER_THE_MOVE = """
import os
from certificates import services
from courses.models import Enrolment

write_whole = services.write_whole

def write_then_die(*args, **kwargs):
    write_whole(*args, **kwargs)
    os._exit(9)  # the file is in place, the row does not name it yet

services.write_whole = write_then_die
services.certificate_issue(enrolment=Enrolment.objects.get(pk={pk}), actor=None)
"""

CRASH_DURING_THE_WRITE = """
import os
from certificates import services
from courses.models import Enrolment

def die(*args):
    os._exit(9)  # the temporary file is written, never moved into place

os.replace = die  # the one rename that moves a written file into place
services.certificate_issue(enrolment=Enrolment.objects.get(pk={pk}), actor=None)
"""


def _files(settings) -> list[Path]:
    return sorted(
        p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()
    )


def _download(client, certificate):
    return client.get(f"/zaswiadczenia/{certificate.pk}/pobierz/")


@pytest.mark.parametrize(
    ("script", "left"),
    [(CRASH_AFTER_THE_MOVE, ".pdf"), (CRASH_DURING_THE_WRITE, ".part")],
)
def test_a_crash_between_file_and_commit_leaves_no_certificate_that_never_existed(
    client, settings, enrolment, script, left
):
    crashed = run_python(script.format(pk=enrolment.pk))
    assert crashed.returncode == 9, crashed.stderr

    # The number and the row were committed before any file was written.
    certificate = Certificate.objects.get()
    assert (certificate.sequence, certificate.pdf.name, certificate.pdf_sha256) == (
        1,
        "",
        "",
    )
    # On disk: one file the database does not name (whole, or a temporary one).
    (leftover,) = _files(settings)
    assert leftover.name.endswith(left)
    assert certificate.code in leftover.name

    # The holder is told the file is being prepared; not a server error, not the file.
    client.force_login(enrolment.trainee.user)
    waiting = _download(client, certificate)
    assert waiting.status_code == 503
    assert "jest jeszcze przygotowywany" in waiting.content.decode()

    result = certificates_sweep(grace=timedelta(0))
    assert [
        Path(n).name for n in result.temporary_removed + result.unnamed_removed
    ] == [leftover.name]
    assert result.stored == [certificate.number]
    certificate.refresh_from_db()
    (stored,) = _files(settings)
    assert certificate.pdf.name.endswith(stored.name)
    assert not stored.read_bytes().startswith(b"%PDF")  # encrypted at rest
    clear = decrypt_bytes(stored.read_bytes())
    assert hashlib.sha256(clear).hexdigest() == certificate.pdf_sha256
    served = _download(client, certificate)
    assert served.status_code == 200
    assert served.content == clear


def test_a_file_that_differs_from_the_issued_one_is_never_served(
    client, settings, enrolment, coordinator
):
    certificate = certificate_issue(enrolment=enrolment, actor=coordinator)
    other = certificate_issue(
        enrolment=completed_enrolment(edition=enrolment.edition), actor=coordinator
    )
    path = Path(settings.PRIVATE_MEDIA_ROOT) / certificate.pdf.name
    path.write_bytes(path.read_bytes()[:-100])  # truncated, e.g. a disk that filled up

    client.force_login(enrolment.trainee.user)
    refused = _download(client, certificate)
    assert refused.status_code == 404
    assert refused["Content-Type"].startswith("text/html")
    assert "nie jest tym, który wydano" in refused.content.decode()

    client.force_login(coordinator)
    archive = client.get(
        f"/admin/certificates/issue/edition/{enrolment.edition.pk}/zip/"
    )
    zipped = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content)))
    names = zipped.namelist()
    assert len(names) == 2 and "brakujace-pliki.txt" in names
    assert certificate.number in zipped.read("brakujace-pliki.txt").decode()
    assert other.number not in zipped.read("brakujace-pliki.txt").decode()

    path.unlink()  # missing altogether, e.g. restored without its media
    client.force_login(enrolment.trainee.user)
    missing = _download(client, certificate)
    assert missing.status_code == 404
    assert "nie jest tym, który wydano" in missing.content.decode()


def test_storing_twice_keeps_the_first_file_and_its_hash(
    enrolment, coordinator, settings
):
    certificate = certificate_issue(enrolment=enrolment, actor=coordinator)
    first = certificate.pdf_sha256
    again = Certificate.objects.get(pk=certificate.pk)
    again.pdf.name, again.pdf_sha256 = "", ""  # a second worker's stale copy
    assert certificate_store_pdf(certificate=again) is False
    assert again.pdf_sha256 == first
    (stored,) = _files(settings)
    assert hashlib.sha256(decrypt_bytes(stored.read_bytes())).hexdigest() == first

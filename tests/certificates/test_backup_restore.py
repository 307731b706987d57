"""Backup and restore of the database and the media together, on SQLite and PostgreSQL.

`manage.py backup` writes one archive; `manage.py restore` verifies it against its
manifest before touching anything and replaces the database and both media folders
together, or nothing. Then `manage.py storage_check` compares what the restored
database names with what is on disk: a database restored without its files, or older
than its files, is found, and the certificate counter is moved past every number issued.
"""

import io
import json
import shutil
import tarfile
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from certificates.models import Certificate, CertificateCounter
from certificates.services import certificate_issue
from courses.models import Enrolment
from courses.storage_check import storage_check

from .conftest import completed_enrolment

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCAN = b"%PDF-1.4 signed declaration scan\n%%EOF\n"
IMAGE = b"\x89PNG\r\n\x1a\n public image"


def _files(root) -> dict[str, bytes]:
    """Every file under `root` as stored (private files: their ciphertext)."""
    root = Path(root)
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _rewrite(archive: Path, target: Path, *, change=None, drop=(), manifest=None):
    """A copy of `archive` with members changed or left out, manifest kept or edited."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for info in source.getmembers():
            if info.name in drop:
                continue
            data = source.extractfile(info).read()
            if info.name == "manifest.json" and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif change and info.name in change:
                data = change[info.name](data)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


def _restore(archive: Path):
    call_command("restore", str(archive), yes=True, stdout=io.StringIO())


@pytest.fixture
def site(settings, edition, coordinator):
    """Two certificates with their PDFs, a declaration scan and a public image."""
    first = certificate_issue(
        enrolment=completed_enrolment(edition=edition), actor=coordinator
    )
    second = certificate_issue(
        enrolment=completed_enrolment(edition=edition), actor=coordinator
    )
    enrolment = first.enrolment
    enrolment.declaration.save("oswiadczenie.pdf", ContentFile(SCAN))
    image = Path(settings.MEDIA_ROOT) / "original_images" / "plakat.png"
    image.parent.mkdir(parents=True)
    image.write_bytes(IMAGE)
    return {"certificates": [first, second], "enrolment": enrolment}


def test_backup_wipe_restore_brings_back_the_database_and_every_file(
    client, settings, site, tmp_path
):
    private_before = _files(settings.PRIVATE_MEDIA_ROOT)
    public_before = _files(settings.MEDIA_ROOT)
    certificates = {
        (c.number, c.code, c.pdf.name, c.pdf_sha256) for c in site["certificates"]
    }
    out = io.StringIO()
    call_command("backup", str(tmp_path / "kopia.tar.gz"), stdout=out)
    assert "kopia.tar.gz" in out.getvalue()
    with tarfile.open(tmp_path / "kopia.tar.gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
    assert manifest["database"]["vendor"] in ("sqlite", "postgresql")
    assert len(manifest["database"]["sha256"]) == 64
    assert "certificates" in manifest["migrations"]
    assert {f["member"] for f in manifest["files"]} == {
        *(f"private-media/{name}" for name in private_before),
        *(f"media/{name}" for name in public_before),
    }
    assert manifest["private_media_encrypted"] is True

    # Wipe: every row and every file gone.
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Certificate.objects.exists()

    _restore(tmp_path / "kopia.tar.gz")

    assert {
        (c.number, c.code, c.pdf.name, c.pdf_sha256) for c in Certificate.objects.all()
    } == certificates
    assert _files(settings.PRIVATE_MEDIA_ROOT) == private_before  # the ciphertext
    assert _files(settings.MEDIA_ROOT) == public_before
    enrolment = Enrolment.objects.get(pk=site["enrolment"].pk)
    with enrolment.declaration.open("rb") as scan:
        assert scan.read() == SCAN
    client.force_login(enrolment.trainee.user)
    certificate = Certificate.objects.get(enrolment=enrolment)
    download = client.get(f"/zaswiadczenia/{certificate.pk}/pobierz/")
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    report = storage_check(grace=timedelta(0))
    assert report.problems == 0 and report.checked == 3


@pytest.mark.parametrize("damage", ["changed", "missing", "added"])
def test_an_archive_that_differs_from_its_manifest_restores_nothing(
    settings, site, tmp_path, damage, edition, coordinator
):
    call_command("backup", str(tmp_path / "kopia.tar.gz"), stdout=io.StringIO())
    pdf = f"private-media/{site['certificates'][0].pdf.name}"
    if damage == "changed":
        bad = _rewrite(
            tmp_path / "kopia.tar.gz",
            tmp_path / "zla.tar.gz",
            change={pdf: lambda data: data[:-10] + b"0123456789"},
        )
    elif damage == "missing":
        bad = _rewrite(tmp_path / "kopia.tar.gz", tmp_path / "zla.tar.gz", drop={pdf})
    else:
        with tarfile.open(tmp_path / "kopia.tar.gz") as source:
            members = [(i, source.extractfile(i).read()) for i in source.getmembers()]
        bad = tmp_path / "zla.tar.gz"
        with tarfile.open(bad, "w:gz") as out:
            for info, data in members:
                out.addfile(info, io.BytesIO(data))
            extra = tarfile.TarInfo("private-media/obcy.pdf")
            extra.size = 4
            out.addfile(extra, io.BytesIO(b"obcy"))
    # What happened after the backup must survive the refused restore.
    later = certificate_issue(
        enrolment=completed_enrolment(edition=edition), actor=coordinator
    )
    private_now = _files(settings.PRIVATE_MEDIA_ROOT)

    with pytest.raises(CommandError) as refused:
        _restore(bad)

    assert "nie zgadza się z manifestem" in str(refused.value)
    assert Certificate.objects.filter(pk=later.pk).exists()
    assert _files(settings.PRIVATE_MEDIA_ROOT) == private_now
    assert not list(Path(settings.PRIVATE_MEDIA_ROOT).parent.glob("*.restoring-*"))


def test_an_archive_of_a_newer_application_or_other_keys_restores_nothing(
    settings, site, tmp_path
):
    call_command("backup", str(tmp_path / "kopia.tar.gz"), stdout=io.StringIO())

    def newer(manifest):
        manifest["migrations"]["certificates"].append("9999_from_the_future")
        return manifest

    future = _rewrite(
        tmp_path / "kopia.tar.gz", tmp_path / "nowsza.tar.gz", manifest=newer
    )
    with pytest.raises(CommandError) as refused:
        _restore(future)
    assert "nowszej wersji aplikacji" in str(refused.value)
    assert "certificates.9999_from_the_future" in str(refused.value)

    settings.COURSES_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError) as refused:
        _restore(tmp_path / "kopia.tar.gz")
    assert "PRIVACY_ENCRYPTION_KEYS" in str(refused.value)
    assert Certificate.objects.count() == 2


def test_a_database_restored_without_its_files_is_reported_and_answers_clearly(
    client, settings, site, tmp_path
):
    """The archive holds the rows but not the PDF (e.g. media lost before the backup)."""
    certificate = site["certificates"][0]
    call_command("backup", str(tmp_path / "kopia.tar.gz"), stdout=io.StringIO())
    pdf = f"private-media/{certificate.pdf.name}"

    def without_the_pdf(manifest):
        manifest["files"] = [f for f in manifest["files"] if f["member"] != pdf]
        return manifest

    lost = _rewrite(
        tmp_path / "kopia.tar.gz",
        tmp_path / "bez-pliku.tar.gz",
        drop={pdf},
        manifest=without_the_pdf,
    )
    _restore(lost)

    out = io.StringIO()
    with pytest.raises(CommandError) as found:
        call_command("storage_check", "--grace", "0", stdout=out)
    assert "1 problem" in str(found.value)
    assert f"BRAK: {certificate.pdf.name}" in out.getvalue()
    assert certificate.number in out.getvalue()

    client.force_login(certificate.enrolment.trainee.user)
    download = client.get(f"/zaswiadczenia/{certificate.pk}/pobierz/")
    assert download.status_code == 404
    page = download.content.decode()
    assert "nie może zostać wydany" in page or "nie jest tym, który wydano" in page
    # The register still answers: the certificate is valid, only its file is gone.
    check = client.get(f"/zaswiadczenia/weryfikacja/{certificate.code}/")
    assert check.status_code == 200
    assert "Zaświadczenie jest ważne" in check.content.decode()


def test_an_older_database_beside_newer_files_never_gives_a_number_twice(
    settings, site, tmp_path, edition, coordinator
):
    call_command("backup", str(tmp_path / "kopia.tar.gz"), stdout=io.StringIO())
    newer = [
        certificate_issue(
            enrolment=completed_enrolment(edition=edition), actor=coordinator
        )
        for _ in range(2)
    ]
    assert [c.sequence for c in newer] == [3, 4]
    newer_files = {
        c.pdf.name: (Path(settings.PRIVATE_MEDIA_ROOT) / c.pdf.name).read_bytes()
        for c in newer
    }
    # The database comes back from the backup; the newer PDFs are put back beside it.
    _restore(tmp_path / "kopia.tar.gz")
    for name, content in newer_files.items():
        (Path(settings.PRIVATE_MEDIA_ROOT) / name).write_bytes(content)
    counter = CertificateCounter.objects.get(project=edition.project)
    assert counter.last == 2  # the next would be number 3 again

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("storage_check", "--grace", "0", stdout=out)
    report = out.getvalue()
    for name in newer_files:
        assert f"OSIEROCONY (żaden wiersz go nie wskazuje): {name}" in report
    assert "stoi na 2" in report and "wydano już numer 4" in report

    out = io.StringIO()
    with pytest.raises(CommandError):  # the orphans are still there
        call_command("storage_check", "--grace", "0", "--repair", stdout=out)
    assert "NAPRAWIONO" in out.getvalue()
    counter.refresh_from_db()
    assert counter.last == 4
    fresh = certificate_issue(
        enrolment=completed_enrolment(edition=edition), actor=coordinator
    )
    assert fresh.sequence == 5

    call_command(
        "storage_check", "--grace", "0", "--delete-orphans", stdout=io.StringIO()
    )
    assert not any(
        (Path(settings.PRIVATE_MEDIA_ROOT) / name).exists() for name in newer_files
    )
    assert storage_check(grace=timedelta(0)).problems == 0

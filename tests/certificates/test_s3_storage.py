"""Private files on S3-compatible object storage, against a real server (SeaweedFS).

The private storage keeps encrypting: the bucket holds only ciphertext, downloads go
through the views that check who asks, and storage_check, key rotation, backup and
restore read the bucket as they read the folder.
"""

import hashlib
import io
import json
import tarfile
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from weasyprint import HTML

from certificates.models import Certificate
from certificates.services import certificate_issue
from courses import crypto
from courses.crypto import TOKEN_PREFIX, decrypt_bytes
from courses.models import Enrolment, EnrolmentStatus
from courses.services import enrolment_create
from courses.services.keys import keys_rotate
from courses.storage import private_storage
from courses.storage_check import storage_check
from tests.factories import TraineeFactory, UserFactory

from .conftest import completed_enrolment

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PREFIX = "private-media/"


def _objects(s3_server, bucket, prefix=PREFIX) -> dict[str, bytes]:
    """Every object under `prefix` as stored (its ciphertext)."""
    client = s3_server.client()
    listed = client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    return {
        item["Key"][len(prefix) :]: client.get_object(Bucket=bucket, Key=item["Key"])[
            "Body"
        ].read()
        for item in listed
    }


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _local_files(settings) -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def on_s3(private_s3, s3_server, edition, coordinator):
    """A certificate and an uploaded declaration scan, both stored in the bucket."""
    certificate = certificate_issue(
        enrolment=completed_enrolment(edition=edition), actor=coordinator
    )
    edition.project.requires_approval = True
    edition.project.save()
    pending = enrolment_create(trainee=TraineeFactory(), edition=edition)
    assert pending.status == EnrolmentStatus.PENDING
    return {"certificate": certificate, "pending": pending, "bucket": private_s3}


def _upload_scan(client, pending) -> bytes:
    scan = HTML(string="<p>Podpisane oświadczenie</p>").write_pdf()
    client.force_login(pending.trainee.user)
    response = client.post(
        reverse("courses:declaration_upload", args=[pending.pk]),
        {"file": SimpleUploadedFile("skan", scan, content_type="application/pdf")},
    )
    assert response.status_code == 302
    return scan


def test_certificate_and_scan_are_stored_encrypted_in_the_bucket_and_served_by_the_checked_views(
    client, settings, s3_server, on_s3
):
    certificate, pending, bucket = (
        on_s3["certificate"],
        on_s3["pending"],
        on_s3["bucket"],
    )
    scan = _upload_scan(client, pending)
    pending.refresh_from_db()

    stored = _objects(s3_server, bucket)
    assert set(stored) == {certificate.pdf.name, pending.declaration.name}
    assert _local_files(settings) == []  # nothing went to the folder
    # In the bucket: Fernet tokens, never the PDF.
    for name, content in stored.items():
        assert content.startswith(TOKEN_PREFIX), name
        assert b"%PDF" not in content
    assert stored[pending.declaration.name] != scan
    assert decrypt_bytes(stored[pending.declaration.name]) == scan
    clear = decrypt_bytes(stored[certificate.pdf.name])
    assert hashlib.sha256(clear).hexdigest() == certificate.pdf_sha256

    # The owner downloads both through the views.
    client.force_login(certificate.enrolment.trainee.user)
    download = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert download.status_code == 200
    assert _body(download) == clear
    client.force_login(pending.trainee.user)
    declaration = client.get(reverse("courses:declaration_file", args=[pending.pk]))
    assert declaration.status_code == 200
    assert _body(declaration) == scan
    assert declaration["Cache-Control"] == "private, no-store"

    # Anybody else: refused by the views; the bucket itself answers nobody unsigned.
    client.force_login(UserFactory())
    assert client.get(
        reverse("certificates:download", args=[certificate.pk])
    ).status_code in (403, 404)
    assert (
        client.get(reverse("courses:declaration_file", args=[pending.pk])).status_code
        == 404
    )
    with pytest.raises(urllib.error.HTTPError) as anonymous:
        urllib.request.urlopen(
            f"{s3_server.endpoint}/{bucket}/{PREFIX}{certificate.pdf.name}", timeout=5
        )
    assert anonymous.value.code == 403
    with pytest.raises(ValueError):
        private_storage().url(certificate.pdf.name)


def test_storage_check_finds_missing_damaged_and_orphan_objects(
    client, s3_server, on_s3
):
    certificate, pending, bucket = (
        on_s3["certificate"],
        on_s3["pending"],
        on_s3["bucket"],
    )
    _upload_scan(client, pending)
    pending.refresh_from_db()
    s3 = s3_server.client()

    report = storage_check(grace=timedelta(0))
    assert (report.checked, report.problems) == (2, 0)

    s3.delete_object(Bucket=bucket, Key=PREFIX + certificate.pdf.name)
    s3.put_object(
        Bucket=bucket,
        Key=PREFIX + pending.declaration.name,
        Body=_objects(s3_server, bucket)[pending.declaration.name][:-20],  # cut short
    )
    s3.put_object(Bucket=bucket, Key=PREFIX + "declarations/obcy.pdf", Body=b"x")
    # Outside the prefix: not the private storage's, not an orphan of it.
    s3.put_object(Bucket=bucket, Key="inne/plik.txt", Body=b"y")

    report = storage_check(grace=timedelta(0))
    assert [file.name for file in report.missing] == [certificate.pdf.name]
    assert [file.name for file, _why in report.damaged] == [pending.declaration.name]
    assert report.orphans == ["declarations/obcy.pdf"]

    out = io.StringIO()
    with pytest.raises(Exception, match="3 problemy"):
        call_command("storage_check", "--grace", "0", stdout=out)
    assert "OSIEROCONY (żaden wiersz go nie wskazuje): declarations/obcy.pdf" in (
        out.getvalue()
    )
    report = storage_check(grace=timedelta(0), delete_orphans=True)
    assert report.orphans_deleted == ["declarations/obcy.pdf"]
    assert "declarations/obcy.pdf" not in _objects(s3_server, bucket)
    assert "plik.txt" in _objects(s3_server, bucket, prefix="inne/")


def test_backup_and_restore_with_the_private_files_in_a_bucket(
    client, settings, s3_server, on_s3, tmp_path, monkeypatch
):
    certificate, pending, bucket = (
        on_s3["certificate"],
        on_s3["pending"],
        on_s3["bucket"],
    )
    _upload_scan(client, pending)
    before = _objects(s3_server, bucket)
    assert len(before) == 2

    call_command("backup", str(tmp_path / "kopia.tar.gz"), stdout=io.StringIO())
    with tarfile.open(tmp_path / "kopia.tar.gz") as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        members = {
            name.removeprefix("private-media/"): archive.extractfile(name).read()
            for name in archive.getnames()
            if name.startswith("private-media/")
        }
    assert members == before  # the ciphertext, as in the bucket
    assert {f["member"] for f in manifest["files"]} >= {
        f"private-media/{name}" for name in before
    }

    # Wipe: every row and every object gone.
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    s3 = s3_server.client()
    for name in before:
        s3.delete_object(Bucket=bucket, Key=PREFIX + name)
    s3.put_object(Bucket=bucket, Key=PREFIX + "declarations/nowszy.pdf", Body=b"z")
    assert not Certificate.objects.exists()

    out = io.StringIO()
    call_command("restore", str(tmp_path / "kopia.tar.gz"), yes=True, stdout=out)

    assert _objects(s3_server, bucket) == before
    # What was under the prefix is kept beside it on the server, as a folder would be.
    (kept,) = {
        item["Key"].split("/")[0]
        for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])
        if ".before-restore-" in item["Key"]
    }
    assert kept.startswith("private-media.before-restore-")
    assert f"s3://{bucket}/{kept}" in out.getvalue().replace("\n", "")
    assert set(_objects(s3_server, bucket, prefix=f"{kept}/")) == {
        "declarations/nowszy.pdf"
    }
    restored = Certificate.objects.get(pk=certificate.pk)
    assert restored.pdf_sha256 == certificate.pdf_sha256
    client.force_login(restored.enrolment.trainee.user)
    download = client.get(reverse("certificates:download", args=[restored.pk]))
    assert download.status_code == 200
    assert hashlib.sha256(_body(download)).hexdigest() == certificate.pdf_sha256
    assert storage_check(grace=timedelta(0)).problems == 0

    # A restore whose database step fails puts the bucket's objects back.
    s3.put_object(Bucket=bucket, Key=PREFIX + "declarations/po.pdf", Body=b"p")
    now = _objects(s3_server, bucket)
    from cms import backup

    def broken(*args):
        raise backup.BackupError("psql failed")

    monkeypatch.setattr(backup, "_restore_database", broken)
    with pytest.raises(Exception, match="psql failed"):
        call_command("restore", str(tmp_path / "kopia.tar.gz"), yes=True)
    assert _objects(s3_server, bucket) == now
    assert Enrolment.objects.filter(pk=pending.pk).exists()


def test_key_rotation_re_encrypts_the_objects_in_the_bucket(
    client, settings, s3_server, on_s3
):
    pending, bucket = on_s3["pending"], on_s3["bucket"]
    scan = _upload_scan(client, pending)
    pending.refresh_from_db()
    before = _objects(s3_server, bucket)

    new_key = Fernet.generate_key().decode()
    # The key the files were written with (tests derive it from SECRET_KEY) stays after.
    old_keys = settings.COURSES_ENCRYPTION_KEYS or [
        crypto._derived("courses-encryption").decode()
    ]
    settings.COURSES_ENCRYPTION_KEYS = [new_key, *old_keys]
    done = keys_rotate()

    after = _objects(s3_server, bucket)
    assert done.files == 2
    assert set(after) == set(before)
    assert all(after[name] != before[name] for name in before)
    assert Fernet(new_key.encode()).decrypt(after[pending.declaration.name]) == scan


def test_public_media_in_a_bucket_are_backed_up_and_read_into_pdfs(
    settings, s3_server, private_s3, tmp_path
):
    """MEDIA_S3_BUCKET: the public media in a bucket of their own, in the same archive."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from cms.settings.base import s3_options
    from courses.documents import LocalFilesFetcher

    bucket = f"publiczne-{private_s3[-12:]}"
    s3_server.client().create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**s3_options(bucket, "media"), "querystring_auth": False},
        },
    }
    image = b"\x89PNG\r\n\x1a\n public image"
    name = default_storage.save("original_images/plakat.png", ContentFile(image))
    assert _objects(s3_server, bucket, prefix="media/") == {name: image}  # as it is
    # A document's image is read through the storage, never fetched from the network.
    fetched = LocalFilesFetcher().fetch(default_storage.url(name))
    assert fetched.read() == image

    call_command("backup", str(tmp_path / "kopia.tar.gz"), stdout=io.StringIO())
    with tarfile.open(tmp_path / "kopia.tar.gz") as archive:
        assert archive.extractfile(f"media/{name}").read() == image
    default_storage.delete(name)
    call_command(
        "restore", str(tmp_path / "kopia.tar.gz"), yes=True, stdout=io.StringIO()
    )
    assert _objects(s3_server, bucket, prefix="media/") == {name: image}


def test_certificates_sweep_removes_unnamed_objects_and_stores_missing_pdfs(
    s3_server, on_s3
):
    from certificates.sweep import certificates_sweep

    certificate, bucket = on_s3["certificate"], on_s3["bucket"]
    s3 = s3_server.client()
    s3.put_object(Bucket=bucket, Key=f"{PREFIX}certificates/2026/obcy.pdf", Body=b"x")
    # A certificate whose PDF was never stored (the render kept failing).
    Certificate.objects.filter(pk=certificate.pk).update(pdf="", pdf_sha256="")
    s3.delete_object(Bucket=bucket, Key=PREFIX + certificate.pdf.name)

    result = certificates_sweep(grace=timedelta(0))

    assert result.unnamed_removed == ["certificates/2026/obcy.pdf"]
    assert result.stored == [certificate.number]
    certificate.refresh_from_db()
    stored = _objects(s3_server, bucket)
    assert set(stored) == {certificate.pdf.name}
    assert stored[certificate.pdf.name].startswith(TOKEN_PREFIX)
    assert (
        hashlib.sha256(decrypt_bytes(stored[certificate.pdf.name])).hexdigest()
        == certificate.pdf_sha256
    )

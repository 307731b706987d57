"""A bulk issuance whose task worker is killed mid-way: shown as interrupted, resumed by
another coordinator, and finished with exactly the rest, gap-free.

Real processes: `manage.py db_worker` runs the batch from the database queue and is
killed with SIGKILL (as the OOM killer or a power cut would), then a new worker runs
the resumed batch.
"""

import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from certificates.files import sha256
from certificates.models import Certificate, CertificateBatch
from certificates.services import certificate_batch_create
from certificates.sweep import certificates_sweep
from courses import roles
from courses.crypto import decrypt_bytes
from tests.factories import UserFactory
from tests.processes import start_manage, stop, wait_for
from tests.states import past_edition

from .conftest import completed_enrolment

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TOTAL = 30
TASK = "certificates.tasks.issue_certificate_batch"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WORKER = ("db_worker", "--no-startup-delay", "--interval", "0.1", "-v", "0")
WORKER_ENV = {"DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}


def _worker(tmp_path: Path, name: str):
    return start_manage(*WORKER, log=tmp_path / f"{name}.log", **WORKER_ENV)


def test_a_batch_whose_worker_was_killed_is_resumed_and_issues_exactly_the_rest(
    client, settings, tmp_path, coordinator
):
    edition = past_edition(capacity=TOTAL)
    enrolments = [completed_enrolment(edition=edition) for _ in range(TOTAL)]
    settings.TASKS = DATABASE_TASKS
    settings.CERTIFICATES_BATCH_STALE_SECONDS = 2
    batch = certificate_batch_create(
        actor=coordinator, project=edition.project, edition=edition
    )
    client.force_login(coordinator)
    start = f"/admin/certificates/issue/batch/{batch.pk}/start/"
    assert client.post(start).status_code == 302
    assert DBTaskResult.objects.get(task_path=TASK).status == "READY"

    worker = _worker(tmp_path, "first")
    try:
        wait_for(
            lambda: (
                Certificate.objects.filter(batch=batch).exclude(pdf="").count() >= 3
            ),
            timeout=180,
            what="the first certificates",
        )
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=15)
    finally:
        stop(worker)
    issued_before = Certificate.objects.count()
    assert 3 <= issued_before < TOTAL

    # Nothing moves any more: after the stale time the batch shows as interrupted.
    time.sleep(settings.CERTIFICATES_BATCH_STALE_SECONDS + 0.5)
    batch.refresh_from_db()
    assert batch.status == "running" and batch.is_interrupted
    page = client.get(f"/admin/certificates/issue/batch/{batch.pk}/").content.decode()
    assert "przerwane" in page and "Wznów wydawanie" in page
    progress = client.get(f"/zaswiadczenia/wydawanie/{batch.pk}/postep/").json()
    assert progress["status"] == "interrupted"

    # Another coordinator resumes it; pressing twice queues it once.
    other = UserFactory(role=roles.COORDINATOR, is_staff=False)
    client.force_login(other)
    assert client.post(start).status_code == 302
    assert client.post(start).status_code == 302
    assert DBTaskResult.objects.filter(task_path=TASK, status="READY").count() == 1

    worker = _worker(tmp_path, "second")
    try:
        wait_for(
            lambda: (
                CertificateBatch.objects.get(pk=batch.pk).status
                in ("finished", "failed")
            ),
            timeout=300,
            what="the resumed batch to end",
        )
    finally:
        stop(worker)
    batch.refresh_from_db()
    assert (batch.status, batch.issued, batch.failed, batch.percent) == (
        "finished",
        TOTAL,
        0,
        100,
    )
    certificates = list(Certificate.objects.filter(project=edition.project))
    assert sorted(c.sequence for c in certificates) == list(range(1, TOTAL + 1))
    assert sorted(c.enrolment_id for c in certificates) == sorted(
        e.pk for e in enrolments
    )
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    for certificate in certificates:
        assert sha256(decrypt_bytes((root / certificate.pdf.name).read_bytes())) == (
            certificate.pdf_sha256
        )
    # What the killed worker had in hand (a temporary file at most) is swept away.
    certificates_sweep(grace=timedelta(0))
    on_disk = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    assert on_disk == {c.pdf.name for c in certificates}

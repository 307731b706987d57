"""Two real task workers issue one bulk issuance together.

The batch is started as a coordinator starts it, with CERTIFICATES_BATCH_WORKERS = 2:
two tasks in the database queue, run by two `manage.py task_worker` processes at once.
Each number is committed with its row in a short transaction and the PDF rendered
outside it, so both workers issue at the same time: every enrolment gets one
certificate, the numbers run 1..N without a gap or a repeat, and every stored PDF
matches the hash on its row. On PostgreSQL the two tasks ran at the same time (their
run windows overlap): SKIP LOCKED lets each take enrolments the other does not hold.
"""

from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from certificates.files import sha256
from certificates.models import Certificate, CertificateBatch
from certificates.services import certificate_batch_create
from courses.crypto import decrypt_bytes
from tests.processes import start_manage, stop, wait_for
from tests.states import past_edition

from .conftest import completed_enrolment

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TOTAL = 24
TASK = "certificates.tasks.issue_certificate_batch"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WORKER = ("task_worker", "--no-startup-delay", "--interval", "0.1", "-v", "0")
WORKER_ENV = {"DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}


def test_two_workers_issue_one_batch_gap_free_with_every_pdf_whole(
    client, settings, tmp_path, coordinator
):
    edition = past_edition(capacity=TOTAL)
    enrolments = [completed_enrolment(edition=edition) for _ in range(TOTAL)]
    settings.TASKS = DATABASE_TASKS
    settings.CERTIFICATES_BATCH_WORKERS = 2
    batch = certificate_batch_create(
        actor=coordinator, project=edition.project, edition=edition
    )
    client.force_login(coordinator)
    start = f"/admin/certificates/issue/batch/{batch.pk}/start/"
    assert client.post(start).status_code == 302
    assert DBTaskResult.objects.filter(task_path=TASK, status="READY").count() == 2

    workers = [
        start_manage(*WORKER, log=tmp_path / f"worker-{n}.log", **WORKER_ENV)
        for n in range(2)
    ]
    try:
        wait_for(
            lambda: (
                CertificateBatch.objects.get(pk=batch.pk).status
                in ("finished", "failed")
            ),
            timeout=300,
            what="the batch to end",
        )
        wait_for(
            lambda: (
                DBTaskResult.objects.filter(task_path=TASK, status="SUCCESSFUL").count()
                == 2
            ),
            timeout=60,
            what="both tasks to end",
        )
    finally:
        for worker in workers:
            stop(worker)

    batch.refresh_from_db()
    assert (batch.status, batch.issued, batch.failed) == ("finished", TOTAL, 0)
    certificates = list(Certificate.objects.filter(project=edition.project))
    assert sorted(c.sequence for c in certificates) == list(range(1, TOTAL + 1))
    assert len({c.number for c in certificates}) == TOTAL
    assert sorted(c.enrolment_id for c in certificates) == sorted(
        e.pk for e in enrolments
    )
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    for certificate in certificates:
        assert sha256(decrypt_bytes((root / certificate.pdf.name).read_bytes())) == (
            certificate.pdf_sha256
        )
    tasks = list(DBTaskResult.objects.filter(task_path=TASK))
    # Two processes took one task each.
    assert len({tuple(task.worker_ids) for task in tasks}) == 2
    if connection.vendor == "postgresql":
        first, second = sorted(tasks, key=lambda t: t.started_at)
        assert second.started_at < first.finished_at, (
            "the workers ran one after another"
        )
